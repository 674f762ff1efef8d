"""``python -m fixturegen [TESTS_DIR]``: regenerate the committed fixtures
(tests/fixtures/builds/<name>/) and negative cases (tests/cases/<case>/)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from fixturegen.cases import CASES, case_spec
from fixturegen.fixtures import FIXTURES
from fixturegen.writer import build_files, write_build


def main(argv: list[str]) -> int:
    tests = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    builds = tests / "fixtures" / "builds"
    for name, make in FIXTURES.items():
        if (builds / name).exists():
            shutil.rmtree(builds / name)
        write_build(builds / name, make())
    cases_dir = tests / "cases"
    for case in CASES:
        base = build_files(FIXTURES[case.base]())
        mutated = build_files(case_spec(case))
        target = cases_dir / case.dirname
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        changed = {k: v for k, v in mutated.items()
                   if k != "PROVENANCE.yml" and base.get(k) != v}
        for rel, text in changed.items():
            (target / "files" / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / "files" / rel).write_text(text, encoding="utf-8")
        meta = {"base": case.base, "expect": list(case.expect), "models": case.models,
                "changed": sorted(changed), "remove": list(case.remove)}
        (target / "case.yml").write_text(yaml.safe_dump(meta, sort_keys=False, width=100))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
