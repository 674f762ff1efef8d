"""The one currency test for every generated fixture: what ``python -m
fixturegen`` (the one writer) would write is exactly what is committed under
tests/fixtures/builds/ and tests/cases/, file for file, both ways: a hand
edit, a generator change without regenerating, or a leftover folder fails.
Regenerate with ``cd tests && python -m fixturegen``."""

from __future__ import annotations

from conftest import TESTS_DIR


def _committed() -> dict[str, str]:
    files = {}
    for top in (TESTS_DIR / "fixtures" / "builds", TESTS_DIR / "cases"):
        for path in top.rglob("*"):
            if path.is_file():
                files[path.relative_to(TESTS_DIR).as_posix()] = path.read_text(encoding="utf-8")
    return files


def test_committed_fixtures_and_cases_are_what_fixturegen_writes():
    from fixturegen.__main__ import tree

    expected, committed = tree(), _committed()
    assert sorted(set(committed) - set(expected)) == [], "not written by fixturegen"
    assert sorted(set(expected) - set(committed)) == [], "missing: run python -m fixturegen"
    stale = sorted(rel for rel, text in expected.items() if committed[rel] != text)
    assert stale == [], "stale: run python -m fixturegen"


def test_every_case_names_a_generated_base():
    from fixturegen.cases import all_cases
    from fixturegen.fixtures import all_fixtures

    names = [case.dirname for case in all_cases()]
    assert len(names) == len(set(names))
    assert {case.base for case in all_cases()} <= set(all_fixtures())


def test_devicetree_maps_are_hand_written_tables_not_inits_plan():
    """init must never be the oracle for verify: the devicetree fixtures' maps
    come from NCS files (MAPS cite them), and neither fixturegen nor the
    in-memory devicetree builds of test_dts_mode import the scaffold (init) code."""
    import fixturegen.dts_builds as dts_builds

    for mm in dts_builds.MAPS.values():
        assert "@" in mm.source and ("sdk-nrf" in mm.source or "sdk-mcuboot" in mm.source)
    for path in [*(TESTS_DIR / "fixturegen").rglob("*.py"), TESTS_DIR / "test_dts_mode.py"]:
        assert "extflash.scaffold" not in path.read_text(), path
