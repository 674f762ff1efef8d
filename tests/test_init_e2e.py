"""``west extflash init`` through the real west, in offline workspaces of
every inclusion mode (project, ``import: true``, self manifest; fixtures in
conftest.py): the files land in an application inside the workspace, a
second run changes nothing, and the user's prj.conf lines survive."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_west
from test_init import GOLDEN, GOLDEN_DIR

pytestmark = pytest.mark.e2e

HELLO = FIXTURES / "apps" / "hello"
MODES = ["project", "import", "self"]


def _app(ws: Path, name: str) -> Path:
    app = ws / "apps" / name
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(HELLO, app)
    return app


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mode", MODES)
def test_west_init_writes_sysbuild_files_and_is_idempotent(workspaces, west_env, mode):
    ws = workspaces[mode]
    app = _app(ws, f"hello-{mode}")
    user_prj = (app / "prj.conf").read_text()
    proc = run_west(["extflash", "init", "-b", "nrf52840dk/nrf52840"], cwd=app, env=west_env)
    assert "created    sysbuild.conf" in proc.stdout
    assert "next: west build -b nrf52840dk/nrf52840 --sysbuild -p" in proc.stdout
    for rel in ("sysbuild.conf", "sysbuild/mcuboot.conf", "sysbuild/mcuboot.overlay",
                "boards/nrf52840dk_nrf52840.overlay"):
        assert (app / rel).is_file(), rel
    prj = (app / "prj.conf").read_text()
    assert prj.startswith(user_prj)
    assert "CONFIG_NORDIC_QSPI_NOR=y" in prj
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=244" in (app / "sysbuild/mcuboot.conf").read_text()

    before = _snapshot(app)
    again = run_west(["extflash", "init", "-b", "nrf52840dk/nrf52840"], cwd=app, env=west_env)
    assert "nothing to do" in again.stdout
    assert _snapshot(app) == before


@pytest.mark.parametrize("mode", MODES)
def test_west_init_child_image_for_every_mode(workspaces, west_env, mode):
    ws = workspaces[mode]
    app = _app(ws, f"child-{mode}")
    proc = run_west(["extflash", "init", "-b", "nrf9160dk_nrf9160_ns", "--layout", "child-image",
                     "--ncs-version", "2.6.0"], cwd=ws, env=west_env, check=False)
    # run from the workspace top: no application there
    assert proc.returncode == 2 and "not a Zephyr application" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_west(["extflash", "init", str(app), "-b", "nrf9160dk_nrf9160_ns",
                     "--layout", "child-image", "--ncs-version", "2.6.0"], cwd=ws, env=west_env)
    assert (app / "child_image/mcuboot.conf").is_file()
    overlay = (app / "boards/nrf9160dk_nrf9160_ns.overlay").read_text()
    assert 'status = "okay";' in overlay
    assert "west build -b nrf9160dk_nrf9160_ns@0.14.0 -p always" in proc.stdout


def test_west_init_reads_the_workspace_nrf_version(workspaces, west_env):
    ws = workspaces["project"]
    app = _app(ws, "versioned")
    nrf = ws / "nrf"
    nrf.mkdir(exist_ok=True)
    (nrf / "VERSION").write_text("2.6.0\n")
    try:
        proc = run_west(["extflash", "init", "-b", "nrf52840dk_nrf52840"], cwd=app, env=west_env)
    finally:
        shutil.rmtree(nrf)
    assert "NCS 2.6.0 (from" in proc.stdout and "layout child-image (auto)" in proc.stdout
    assert (app / "child_image/mcuboot.conf").is_file()
    assert not (app / "sysbuild.conf").exists()


def test_west_init_board_from_west_config(workspaces, west_env):
    ws = workspaces["import"]
    app = _app(ws, "configured")
    run_west(["config", "build.board", "nrf9151dk/nrf9151/ns"], cwd=ws, env=west_env)
    try:
        proc = run_west(["extflash", "init", "--dry-run"], cwd=app, env=west_env)
    finally:
        run_west(["config", "-d", "build.board"], cwd=ws, env=west_env)
    assert "board from west config build.board" in proc.stdout
    assert "+++ b/boards/nrf9151dk_nrf9151_ns.overlay" in proc.stdout
    assert not (app / "sysbuild.conf").exists()


def test_west_init_conflict_exit_code(workspaces, west_env):
    ws = workspaces["self"]
    app = _app(ws, "conflicting")
    (app / "prj.conf").write_text("CONFIG_NORDIC_QSPI_NOR=n\n")
    proc = run_west(["extflash", "init", "-b", "nrf52840dk/nrf52840"], cwd=app, env=west_env,
                    check=False)
    assert proc.returncode == 1
    assert "prj.conf:1: you have `CONFIG_NORDIC_QSPI_NOR=n`" in proc.stdout
    assert (app / "prj.conf").read_text() == "CONFIG_NORDIC_QSPI_NOR=n\n"
    assert not (app / "sysbuild.conf").exists()


@pytest.mark.parametrize("case", GOLDEN, ids=[c[0] for c in GOLDEN])
def test_west_init_matches_the_golden_files_for_every_board_and_layout(workspaces, west_env,
                                                                       case):
    """The real west writes, for every built-in board and both layouts, what
    the golden files of tests/test_init.py say; a second run changes nothing."""
    name, board, layout, version, netcore = case
    app = _app(workspaces["project"], f"golden-{name}")
    before = _snapshot(app)
    args = ["extflash", "init", "-b", board, "--layout", layout, "--ncs-version", version]
    args += ["--netcore"] if netcore else []
    run_west(args, cwd=app, env=west_env)
    after = _snapshot(app)
    written = sorted(p for p in after if before.get(p) != after[p])
    golden = GOLDEN_DIR / name
    assert written == sorted(p.relative_to(golden).as_posix()
                             for p in golden.rglob("*") if p.is_file())
    for rel in written:
        assert (app / rel).read_bytes() == (golden / rel).read_bytes(), rel
    again = run_west(args, cwd=app, env=west_env)
    assert "nothing to do" in again.stdout and _snapshot(app) == after
