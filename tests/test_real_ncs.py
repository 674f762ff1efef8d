"""``verify`` on REAL NCS 2.7.0 build directories (tests/fixtures/ncs-real/).

Each fixture is what NCS 2.7.0 itself produced (``west build --cmake-only``
through ../shared/tools/ncs-real, trimmed by its collect.sh; reproduce with
``scripts/make-real-fixtures.sh CASE``). Clean cases build Nordic's own test
or a hand-written app (tests/fixtures/ncs-real-apps/); each fault case changes
ONE input of a clean app the way users get it wrong. The expected verdicts
below are reasoned by hand from the fixture's files and from what NCS printed
(each case's PROVENANCE.yml gives the full reasoning and the commands), never
copied from the tool's output.

A verdict is the exit code and the EXACT set of check names. Where the tool
cannot yet catch a fault, ``pending`` describes the finding that is missing
(the words its message must contain); the test is then a strict xfail naming
the missing check, so it turns into a failure the day the check lands and the
table must be completed with the check's name.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO_ROOT, run_cli, run_west

REAL = FIXTURES / "ncs-real"
APPS = FIXTURES / "ncs-real-apps"

# what collect.sh copies (../shared/tools/ncs-real/collect.sh), plus the two files
# make-real-fixtures.sh adds: the hand-written PROVENANCE.yml and cmake-messages.txt
COLLECTED = ("CMakeCache.txt", "domains.yaml", "partitions", "regions", "pm", "zephyr/.config",
             "zephyr/zephyr.dts", "zephyr/include/generated/")
ADDED = ("PROVENANCE.yml", "cmake-messages.txt")


@dataclass(frozen=True)
class Verdict:
    exit_code: int
    names: frozenset[str]
    why: str
    # a finding the tool does not produce yet: (missing check, words its message must hold)
    pending: tuple[str, tuple[str, ...]] | None = None


def V(exit_code: int, names: set[str], why: str, pending=None) -> Verdict:
    return Verdict(exit_code, frozenset(names), why, pending)


EXPECTED: dict[str, Verdict] = {
    "nrf52840dk-ncs-test": V(0, set(), (
        "Nordic's own test: mcuboot_secondary in external_flash 0x0+0xf4000 = mcuboot_primary's "
        "size; both images choose nordic,pm-ext-flash = &mx25r64 and have CONFIG_NORDIC_QSPI_NOR=y "
        "with the 4096-byte layout page; MCUboot swap-move with CONFIG_BOOT_MAX_IMG_SECTORS=256 "
        ">= 244 sectors")),
}


def _cases() -> list:
    params = []
    for name, verdict in sorted(EXPECTED.items()):
        marks = ()
        if verdict.pending:
            marks = pytest.mark.xfail(strict=True, reason=verdict.pending[0])
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def _verify_json(build: Path) -> tuple[int, dict]:
    code, out, err = run_cli(["verify", "-d", str(build), "--format", "json"])
    assert "Traceback" not in err
    return code, json.loads(out)


def _matches(finding: dict, words: tuple[str, ...]) -> bool:
    text = " ".join(str(finding.get(k) or "") for k in ("message", "hint", "file"))
    return all(w in text for w in words)


def _assert_verdict(code: int, doc: dict, verdict: Verdict) -> None:
    findings = doc["findings"]
    seen = [f"{f['name']} ({f['severity']}) {f.get('image')}: {f['message']}" for f in findings]
    if verdict.pending:
        _check, words = verdict.pending
        pending = [f for f in findings if _matches(f, words)]
        assert pending, f"no finding says {words}: {seen}"
        findings = [f for f in findings if f not in pending]
    names = {f["name"] for f in findings}
    assert (code, names) == (verdict.exit_code, set(verdict.names)), seen


@pytest.mark.parametrize("name", _cases())
def test_verify_real_ncs_build(name, tmp_path):
    build = shutil.copytree(REAL / name, tmp_path / "build")
    code, doc = _verify_json(build)
    _assert_verdict(code, doc, EXPECTED[name])


# ---------------------------------------------------------- fixture hygiene


def _fixture_dirs() -> list[str]:
    return sorted(p.name for p in REAL.iterdir() if p.is_dir())


def test_every_fixture_has_a_verdict_and_every_verdict_a_fixture():
    assert _fixture_dirs() == sorted(EXPECTED)


def test_every_fixture_is_made_by_the_script():
    """scripts/make-real-fixtures.sh --list names exactly the committed fixtures,
    so each one can be rebuilt with the commands its PROVENANCE.yml gives."""
    listed = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "make-real-fixtures.sh"),
                             "--list"], capture_output=True, text=True, check=True).stdout
    assert sorted(listed.split()) == _fixture_dirs()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_provenance_states_the_same_verdict(name):
    """PROVENANCE.yml records the verdict with its reasoning; the table above
    must say the same (one of them was not edited alone)."""
    prov = yaml.safe_load((REAL / name / "PROVENANCE.yml").read_text())
    verdict = EXPECTED[name]
    assert prov["name"] == name
    assert prov["ncs_version"].startswith("2.7.0")
    assert f"make-real-fixtures.sh {name}" in prov["commands"]["reproduce"]
    assert f"build.sh " in prov["commands"]["build"] or "--no-sysbuild" in prov["commands"]["build"]
    assert "collect.sh" in prov["commands"]["collect"]
    expected = prov["expected"]
    assert expected["exit_code"] == verdict.exit_code
    assert set(expected["codes"]) == set(verdict.names)
    assert bool(expected.get("pending")) == bool(verdict.pending)
    assert expected["reasoning"] and prov["changed_input"] and prov["ncs_reported"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_holds_only_collected_files(name):
    """Trimmed by collect.sh and nothing else: every file is one collect.sh copies
    (or the two the script adds), and NCS's configure result is recorded."""
    root = REAL / name
    for path in root.rglob("*"):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            assert rel in ADDED or any(part in rel for part in COLLECTED), rel
    assert (root / "cmake-messages.txt").read_text().startswith("# configure exit code: ")
