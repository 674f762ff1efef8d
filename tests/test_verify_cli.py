"""``verify`` through the command layer (in-process): exit codes, --strict,
JSON against schemas/report-schema.yml, --list-checks, --explain, several
-d, --static, and finding the build directory like ``west build``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO_ROOT, TESTS_DIR, run_cli
from extflash import checks
from test_checks import materialize

BUILDS = FIXTURES / "builds"
CASES = TESTS_DIR / "cases"


def validate_report(doc: dict) -> None:
    import logging

    from pykwalify.core import Core

    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    schema = yaml.safe_load((REPO_ROOT / "schemas" / "report-schema.yml").read_text())
    Core(source_data=doc, schema_data=schema).validate(raise_exception=True)


@pytest.fixture
def clean(tmp_path) -> Path:
    return Path(shutil.copytree(BUILDS / "nrf52840dk-sysbuild", tmp_path / "clean"))


@pytest.fixture
def broken(tmp_path) -> Path:
    return materialize(CASES / "EXF204-max-img-sectors", tmp_path / "broken")


@pytest.fixture
def warned(tmp_path) -> Path:
    return materialize(CASES / "EXF206-netcore-update-mode", tmp_path / "warned")


def test_clean_build_exit_0_and_one_line_summary(clean):
    code, out, err = run_cli(["verify", "-d", str(clean)])
    assert code == 0, out + err
    assert out.strip().splitlines()[-1] == \
        "summary: 0 errors, 0 warnings in 1 build: ok (exit 0)"
    assert f"build {clean} (sysbuild, partition-manager, nrf52840dk/nrf52840, NCS 3.1.0)" in out
    assert err == ""


def test_error_findings_exit_1_grouped_by_image(broken):
    code, out, _ = run_cli(["verify", "-d", str(broken)])
    assert code == 1
    lines = out.splitlines()
    assert "mcuboot:" in lines
    finding = next(line for line in lines if "EXF204" in line)
    config = broken / "mcuboot" / "zephyr" / ".config"
    line = next(n for n, text in enumerate(config.read_text().splitlines(), start=1)
                if text.startswith("CONFIG_BOOT_MAX_IMG_SECTORS="))
    assert finding.startswith(f"  {config}:{line}:1 (CONFIG_BOOT_MAX_IMG_SECTORS): "
                              "EXF204 error: mcuboot_")
    assert "    hint: set CONFIG_BOOT_MAX_IMG_SECTORS=256 in sysbuild/mcuboot.conf" in lines
    assert any(line.startswith("    docs: https://docs.nordicsemi.com/") for line in lines)
    assert lines[-1].endswith("failed (exit 1)")
    assert "\x1b[" not in out  # no colour when not asked


def test_warnings_pass_unless_strict(warned):
    assert run_cli(["verify", "-d", str(warned)])[0] == 0
    code, out, _ = run_cli(["verify", "-d", str(warned), "--strict"])
    assert code == 1 and "(strict)" in out


def test_json_output_matches_schema(broken):
    code, out, err = run_cli(["verify", "-d", str(broken), "--format", "json"])
    assert code == 1 and err == ""
    doc = json.loads(out)
    validate_report(doc)
    assert doc["version"] == 1 and doc["ok"] is False and doc["exit_code"] == 1
    (finding,) = doc["findings"]
    assert {k: finding[k] for k in ("code", "name", "severity", "image", "file")} == {
        "code": "EXF204", "name": "max-img-sectors", "severity": "error", "image": "mcuboot",
        "file": "mcuboot/zephyr/.config"}
    assert finding["message"] and finding["hint"]
    assert doc["builds"][0]["images"][1] == {"name": "mcuboot", "role": "mcuboot",
                                             "dir": "mcuboot"}


def test_json_clean_and_strict_match_schema(clean, warned):
    for argv, ok in ((["-d", str(clean)], True), (["-d", str(warned), "--strict"], False)):
        code, out, _ = run_cli(["verify", *argv, "--format", "json"])
        doc = json.loads(out)
        validate_report(doc)
        assert doc["ok"] is ok and (code == 0) is ok


def test_not_a_build_directory_is_exit_2_one_line(tmp_path):
    code, out, err = run_cli(["verify", "-d", str(tmp_path)])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no CMakeCache.txt" in err and "Traceback" not in err


def test_unparsable_partitions_yml_is_exit_2(clean):
    (clean / "partitions.yml").write_text("mcuboot:\n  size: 1\nmcuboot:\n  size: 2\n")
    code, out, err = run_cli(["verify", "-d", str(clean)])
    assert code == 2
    assert "partitions.yml: line 3: duplicate key 'mcuboot'" in err and err.count("\n") == 1


def test_build_without_pm_and_slots_says_what_was_not_checked(tmp_path):
    from fixturegen import FIXTURES as SPECS
    from fixturegen import write_build

    spec = SPECS["nrf52840dk-sysbuild"]()
    spec.domains = []  # Partition Manager off (on without output is a failed configure)
    spec.sysbuild["SB_CONFIG_PARTITION_MANAGER"] = False
    for image in spec.images:
        image.partitions = ()
        image.chosen.pop("zephyr,code-partition")
    build = write_build(tmp_path / "b", spec)
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 2
    assert "not verified: no Partition Manager output (partitions.yml) and no MCUboot slots" in out
    assert "were not checked" in err and "Traceback" not in out + err


def test_list_checks_lists_every_check():
    code, out, _ = run_cli(["verify", "--list-checks"])
    assert code == 0
    for c in checks.CHECKS:
        assert f"{c.code}  {c.name}" in out


@pytest.mark.parametrize("key", ["EXF201", "exf201", "driver-disabled"])
def test_explain_by_code_or_name(key):
    code, out, _ = run_cli(["verify", "--explain", key])
    assert code == 0
    assert out.startswith("EXF201 driver-disabled (default severity: error)")
    for section in ("What it checks", "Why it matters", "How to fix", "See also"):
        assert section in out


def test_explain_unknown_is_exit_2():
    code, _, err = run_cli(["verify", "--explain", "no-such-check"])
    assert code == 2 and "--list-checks" in err


def test_several_build_dirs_summary_per_build(clean, broken):
    code, out, _ = run_cli(["verify", "-d", str(clean), "-d", str(broken), "-j", "1"])
    assert code == 1
    assert str(clean) in out and str(broken) in out


def test_several_build_dirs_json(clean, broken, tmp_path):
    code, out, _ = run_cli(["verify", "-d", str(clean), "-d", str(broken), "-d",
                            str(tmp_path / "missing"), "--format", "json", "-j", "1"])
    doc = json.loads(out)
    validate_report(doc)
    assert code == 2 and doc["summary"]["builds"] == 3


def test_static_lint(tmp_path):
    static = tmp_path / "pm_static.yml"
    partitions = (BUILDS / "nrf52840dk-sysbuild" / "partitions.yml").read_text()
    head, tail = partitions.rsplit("size: 0xf4000\n", 1)  # mcuboot_secondary, last
    static.write_text(head + "size: 0xe0000\n" + tail)
    # a static file does not say MCUboot's mode: a mode-dependent size is a warning
    code, out, _ = run_cli(["verify", "--static", str(static), "--strict"])
    assert code == 1 and "EXF103" in out
    static.write_text(partitions)
    assert run_cli(["verify", "--static", str(static)])[0] == 0


def test_static_with_build_dir_is_usage_error(clean):
    code, _, err = run_cli(["verify", "--static", "x.yml", "-d", str(clean)])
    assert code == 2 and "cannot be combined" in err


def test_build_dir_found_from_cwd_and_default(clean, tmp_path):
    assert run_cli(["verify"], cwd=clean)[0] == 0  # inside the build directory
    app = tmp_path / "app"
    shutil.copytree(clean, app / "build")
    code, out, _ = run_cli(["verify"], cwd=app)  # <cwd>/build
    assert code == 0 and f"build {app / 'build'} " in out


def test_colour_only_when_the_command_asks(broken):
    from extflash.render import RenderContext, render
    from extflash.report import Results
    from extflash.verify import verify_build

    results = Results((verify_build(broken),))
    assert "\x1b[91merror\x1b[0m" in render("text", results, RenderContext(broken, color=True))
    assert "\x1b[" not in render("text", results, RenderContext(broken, color=False))


def test_json_for_a_directory_that_is_not_a_build(tmp_path):
    code, out, err = run_cli(["verify", "-d", str(tmp_path), "--format", "json"])
    doc = json.loads(out)
    validate_report(doc)
    assert code == 2 and doc["builds"][0]["error"].endswith("(build first (west build), or pass "
                                                            "the build directory with -d)")
    assert "no CMakeCache.txt" in err
