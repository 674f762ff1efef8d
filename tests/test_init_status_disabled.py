"""A ``status = "disabled"`` the user wrote on the external flash node is a
conflict on every board (issue: init corrections), also where the board's
devicetree has the node okay and init itself writes no status: the MCUboot
slot would be on a disabled device (checks/devicetree EXF301 on the build).
The nRF52840 DK's mx25r64 is okay in zephyr
boards/nordic/nrf52840dk/nrf52840dk_nrf52840.dts (data/boards.yml)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from conftest import FIXTURES, run_cli

HELLO = FIXTURES / "apps" / "hello"
DISABLED = "&mx25r64 {\n\tstatus = \"disabled\";\n};\n"


def snapshot(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("layout,version", [("sysbuild", "2.9.0"), ("dts", "3.4.0")])
@pytest.mark.parametrize("where", ["boards/nrf52840dk_nrf52840.overlay",
                                   "sysbuild/mcuboot.overlay"])
def test_disabled_flash_node_is_a_conflict(tmp_path, layout, version, where):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / where).parent.mkdir(parents=True, exist_ok=True)
    (app / where).write_text(DISABLED)
    before = snapshot(app)
    code, out, err = run_cli(["init", str(app), "-b", "nrf52840dk/nrf52840", "--layout", layout,
                              "--ncs-version", version])
    assert code == 1 and "nothing was written" in err
    assert f'{where}:2: you have `status = "disabled";`' in out
    assert snapshot(app) == before


def test_an_okay_user_overlay_is_left_as_it_is(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    overlay = app / "boards" / "nrf52840dk_nrf52840.overlay"
    overlay.parent.mkdir()
    overlay.write_text("&mx25r64 {\n\tstatus = \"okay\";\n};\n")
    code, out, _ = run_cli(["init", str(app), "-b", "nrf52840dk/nrf52840",
                            "--ncs-version", "2.9.0"])
    assert code == 0
    text = overlay.read_text()
    assert text.startswith("&mx25r64 {\n\tstatus = \"okay\";\n};\n")
    assert text.count("status") == 1  # the guard checks, it writes no status
