"""init (sysbuild layout) with an existing ``sysbuild/mcuboot/`` directory:
that directory is MCUboot's configuration directory, so the MCUboot
devicetree settings go into the overlay Zephyr uses there, never into a
``sysbuild/mcuboot.overlay`` that would switch it off.

Rules (NCS 2.7.0 zephyr): share/sysbuild/cmake/modules/sysbuild_extensions.cmake
l.262-291 (``sysbuild/<image>/`` is the image's APPLICATION_CONFIG_DIR;
``sysbuild/<image>.overlay`` becomes ``<image>_DTC_OVERLAY_FILE``) and
cmake/modules/configuration_files.cmake l.77-95 (boards/<board>.overlay, else
app.overlay, only when DTC_OVERLAY_FILE is unset)."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, run_cli

HELLO = FIXTURES / "apps" / "hello"
MINE = "/ {\n\tchosen {\n\t\tzephyr,code-partition = &boot_partition;\n\t};\n};\n"


def app_with(tmp_path, files: dict[str, str]):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    for rel, text in files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(text)
    return app


def init(app, board="nrf54l15dk/nrf54l15/cpuapp"):
    return run_cli(["init", str(app), "-b", board, "--ncs-version", "2.9.0"])


def test_without_the_directory_sysbuild_mcuboot_overlay(tmp_path):
    app = app_with(tmp_path, {})
    assert init(app)[0] == 0
    assert (app / "sysbuild" / "mcuboot.overlay").is_file()


def test_app_overlay_of_the_directory_is_merged_not_replaced(tmp_path):
    app = app_with(tmp_path, {"sysbuild/mcuboot/app.overlay": MINE})
    code, out, err = init(app)
    assert code == 0, err
    assert not (app / "sysbuild" / "mcuboot.overlay").exists()
    assert not (app / "sysbuild" / "mcuboot" / "boards").exists()
    text = (app / "sysbuild" / "mcuboot" / "app.overlay").read_text()
    assert text.startswith(MINE) and "nordic,pm-ext-flash = &mx25r64;" in text


def test_board_overlay_of_the_directory_is_used(tmp_path):
    board_overlay = "sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp.overlay"
    app = app_with(tmp_path, {"sysbuild/mcuboot/app.overlay": MINE, board_overlay: MINE})
    assert init(app)[0] == 0
    assert not (app / "sysbuild" / "mcuboot.overlay").exists()
    assert (app / "sysbuild" / "mcuboot" / "app.overlay").read_text() == MINE
    assert "nordic,pm-ext-flash" in (app / board_overlay).read_text()


def test_ns_board_uses_the_secure_targets_overlay_name(tmp_path):
    app = app_with(tmp_path, {"sysbuild/mcuboot/prj.conf": "CONFIG_MCUBOOT=y\n"})
    assert init(app, "nrf9160dk@0.14.0/nrf9160/ns")[0] == 0
    assert (app / "sysbuild" / "mcuboot" / "boards" / "nrf9160dk_nrf9160_0_14_0.overlay").is_file()
