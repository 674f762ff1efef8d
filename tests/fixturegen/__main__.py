"""``python -m fixturegen [TESTS_DIR]``: regenerate every generated fixture, the
ONE writer for them all: the clean builds (tests/fixtures/builds/<name>/, Partition
Manager ones from fixturegen.fixtures and devicetree-partition ones from
fixturegen.dts_builds) and every negative case (tests/cases/<case>/, from
fixturegen.cases.CASES and fixturegen.dts_builds.DTS_CASES).

``tree()`` returns what is written, path (relative to tests/) -> text; the
currency test (tests/test_fixturegen.py) compares it with the committed files,
both ways, so a hand edit, a stale tree or a leftover file fails.

The real NCS 2.7.0 builds (tests/fixtures/ncs-real/) are not generated here:
scripts/make-real-fixtures.sh rebuilds them with NCS itself.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fixturegen.cases import all_cases, base_spec, case_files
from fixturegen.fixtures import all_fixtures
from fixturegen.writer import build_files

BUILDS = Path("fixtures") / "builds"
CASES = Path("cases")


def tree() -> dict[str, str]:
    files: dict[str, str] = {}
    for name, make in all_fixtures().items():
        for rel, text in build_files(make()).items():
            files[(BUILDS / name / rel).as_posix()] = text
    for case in all_cases():
        for rel, text in case_files(case, base_spec).items():
            files[(CASES / case.dirname / rel).as_posix()] = text
    return files


def managed_dirs(tests: Path) -> list[Path]:
    """The folders this writer owns: every generated build and case folder."""
    return [tests / BUILDS / name for name in all_fixtures()] + \
        [tests / CASES / case.dirname for case in all_cases()]


def main(argv: list[str]) -> int:
    tests = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    files = tree()
    stale = [p for p in (tests / BUILDS).iterdir() if p.is_dir()] + \
        [p for p in (tests / CASES).iterdir() if p.is_dir()]
    for folder in stale:
        shutil.rmtree(folder)
    for rel, text in files.items():
        path = tests / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"fixturegen: wrote {len(files)} files in {len(managed_dirs(tests))} folders")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
