"""The devicetree-partition mode through the real west (offline workspace,
``conftest.workspaces``): ``init --layout dts`` for the nRF54L15 DK, then
``verify`` on a copy of a devicetree-partition build fixture."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import FIXTURES, TESTS_DIR, run_west

pytestmark = pytest.mark.e2e

HELLO = FIXTURES / "apps" / "hello"
BUILDS = FIXTURES / "builds"
CASES = TESTS_DIR / "cases"
GOLDEN = TESTS_DIR / "golden" / "init" / "nrf54l15dk--dts"
BOARD = "nrf54l15dk/nrf54l15/cpuapp"
DTSI = "boards/nrf54l15dk_nrf54l15_cpuapp_memory_map_ext_flash.dtsi"


def _body(text: str) -> str:
    """The map without its comment header (which names the NCS version)."""
    return text[text.index("*/"):]


def test_west_init_layout_dts_nrf54l15dk(workspaces, west_env):
    ws = workspaces["project"]
    app = ws / "apps" / "dts-e2e"
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(HELLO, app)
    proc = run_west(["extflash", "init", "--layout", "dts", "-b", BOARD], cwd=app, env=west_env)
    assert "layout dts" in proc.stdout and "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO" in proc.stdout
    assert f"next: west build -b {BOARD} --sysbuild -p" in proc.stdout
    assert _body((app / DTSI).read_text()) == _body((GOLDEN / DTSI).read_text())
    for overlay in ("boards/nrf54l15dk_nrf54l15_cpuapp.overlay", "sysbuild/mcuboot.overlay"):
        (include,) = re.findall(r'#include "([^"]+)"', (app / overlay).read_text())
        assert ((app / overlay).parent / include).resolve() == (app / DTSI).resolve()
    assert "SB_CONFIG_PARTITION_MANAGER=n" in (app / "sysbuild.conf").read_text()
    again = run_west(["extflash", "init", "--layout", "dts", "-b", BOARD], cwd=app, env=west_env)
    assert "nothing to do" in again.stdout


def test_west_verify_dts_fixture_copy(workspaces, west_env, tmp_path):
    ws = workspaces["project"]
    build = tmp_path / "moved-build"
    shutil.copytree(BUILDS / "nrf54l15dk-dts", build)
    proc = run_west(["extflash", "verify", "-d", str(build)], cwd=ws, env=west_env)
    assert "devicetree" in proc.stdout
    assert "0 errors, 0 warnings" in proc.stdout
    doc = json.loads(run_west(["extflash", "verify", "-d", str(build), "--format", "json"],
                              cwd=ws, env=west_env).stdout)
    assert doc["ok"] is True and doc["findings"] == []


def test_west_verify_dts_layout_mismatch_case(workspaces, west_env, tmp_path):
    ws = workspaces["project"]
    build = tmp_path / "case"
    case = CASES / "EXF107-layout-mismatch-dts"
    assert "base: nrf52840dk-dts" in (case / "case.yml").read_text()
    shutil.copytree(BUILDS / "nrf52840dk-dts", build)
    shutil.copytree(case / "files", build, dirs_exist_ok=True)
    proc = run_west(["extflash", "verify", "-d", str(build), "--format", "json"], cwd=ws,
                    env=west_env, check=False)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert {f["name"] for f in doc["findings"]} == {"layout-mismatch"}
    assert all(f["image"] == "mcuboot" for f in doc["findings"])


def test_west_init_auto_reads_ncs_3_4_from_the_workspace(tmp_path, ext_remote, west_env):
    """--layout auto: the nrf project's VERSION file says 3.4.0, so the
    devicetree-partition layout is written (own workspace: nrf/VERSION must
    not leak into the shared ones)."""
    from conftest import make_workspace

    ws = make_workspace(tmp_path, "project", ext_remote, west_env)
    (ws / "nrf").mkdir()
    (ws / "nrf" / "VERSION").write_text("3.4.0\n")
    app = ws / "apps" / "auto"
    shutil.copytree(HELLO, app)
    proc = run_west(["extflash", "init", "-b", "nrf52840dk/nrf52840"], cwd=app, env=west_env)
    assert "layout dts (auto)" in proc.stdout and "NCS 3.4.0 (from" in proc.stdout
    assert (app / "boards" / "nrf52840dk_nrf52840_memory_map_ext_flash.dtsi").is_file()
