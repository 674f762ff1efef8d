"""``west extflash verify`` through the REAL west, in the offline
workspaces of conftest (project, import and self inclusion modes)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, TESTS_DIR, run_west
from test_checks import materialize

BUILDS = FIXTURES / "builds"


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["project", "import", "self"])
def test_west_verify_clean_fixture(workspaces, west_env, tmp_path, mode):
    build = shutil.copytree(BUILDS / "nrf5340dk-netcore", tmp_path / "build")
    proc = run_west(["extflash", "verify", "-d", str(build)], cwd=workspaces[mode], env=west_env)
    assert proc.stdout.strip().splitlines()[-1] == \
        "summary: 0 errors, 0 warnings in 1 build: ok (exit 0)"
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
def test_west_verify_findings_exit_1_and_json(workspaces, west_env, tmp_path):
    build = materialize(TESTS_DIR / "cases" / "EXF301-chosen-missing", tmp_path)
    ws = workspaces["project"]
    proc = run_west(["extflash", "verify", "-d", str(build)], cwd=ws, env=west_env, check=False)
    assert proc.returncode == 1
    assert "EXF301 error: mcuboot/zephyr/zephyr.dts has no nordic,pm-ext-flash chosen node" \
        in proc.stdout
    proc = run_west(["extflash", "verify", "-d", str(build), "--format", "json"], cwd=ws,
                    env=west_env, check=False)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and [f["name"] for f in doc["findings"]] == ["chosen-missing"]


@pytest.mark.e2e
def test_west_verify_bad_input_exit_2_without_traceback(workspaces, west_env, tmp_path):
    proc = run_west(["extflash", "verify", "-d", str(tmp_path)], cwd=workspaces["self"],
                    env=west_env, check=False)
    assert proc.returncode == 2
    assert "no CMakeCache.txt" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.e2e
def test_west_verify_finds_build_dir_with_dir_fmt(workspaces, west_env):
    """build.dir-fmt with {normalized_board} and $BOARD, as `west build`
    resolves it, from an application directory inside the workspace."""
    ws = workspaces["import"]
    app = ws / "verify-dir-fmt-app"
    build = app / "build" / "nrf54l15dk_nrf54l15_cpuapp"
    shutil.copytree(BUILDS / "nrf54l15dk-spi-nor", build)
    run_west(["config", "build.dir-fmt", "build/{normalized_board}"], cwd=ws, env=west_env)
    try:
        env = dict(west_env, BOARD="nrf54l15dk/nrf54l15/cpuapp")
        proc = run_west(["extflash", "verify"], cwd=app, env=env, check=False)
    finally:
        run_west(["config", "-d", "build.dir-fmt"], cwd=ws, env=west_env)
        shutil.rmtree(app)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"build {build} (sysbuild" in proc.stdout
