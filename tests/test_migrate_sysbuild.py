"""``migrate --to sysbuild``: child_image/ -> sysbuild/ with the same
guarantees as init. Expected values: the hand-written table of sdk-nrf
doc/nrf/config_and_build/configuring_app/sysbuild_forced_options.rst (NCS
2.7.0) and migration_sysbuild.rst's file mapping, and real NCS 2.7 builds
(tests/fixtures/ncs27-migrate, PROVENANCE.yml)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, run_cli

CASE = FIXTURES / "ncs27-migrate"
MCUBOOT_CONF = "# mine\nCONFIG_BOOT_UPGRADE_ONLY=y\nCONFIG_NORDIC_QSPI_NOR=y\n"
MCUBOOT_OVERLAY = "/ {\n\tchosen {\n\t\tnordic,pm-ext-flash = &mx25r64;\n\t};\n};\n"


def child_image_app(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    (app / "child_image" / "mcuboot" / "boards").mkdir(parents=True)
    (app / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.20.0)\n")
    (app / "prj.conf").write_text("CONFIG_BOOTLOADER_MCUBOOT=y\n")
    (app / "child_image" / "mcuboot.conf").write_text(MCUBOOT_CONF)
    (app / "child_image" / "mcuboot.overlay").write_text(MCUBOOT_OVERLAY)
    (app / "child_image" / "mcuboot" / "boards" / "nrf5340dk_nrf5340_cpuapp.conf").write_text(
        "CONFIG_PCD_APP=y\n")
    return app


def test_child_image_files_move_and_forced_options_go_to_sysbuild_conf(tmp_path):
    app = child_image_app(tmp_path)
    code, out, err = run_cli(["migrate", "--to", "sysbuild", str(app)])
    assert code == 0, err
    assert (app / "sysbuild" / "mcuboot.conf").read_text() == MCUBOOT_CONF
    assert (app / "sysbuild" / "mcuboot.overlay").read_text() == MCUBOOT_OVERLAY
    assert (app / "sysbuild" / "mcuboot" / "boards" / "nrf5340dk_nrf5340_cpuapp.conf").is_file()
    sysbuild = (app / "sysbuild.conf").read_text()
    # forced options: CONFIG_BOOTLOADER_MCUBOOT -> SB_CONFIG_BOOTLOADER_MCUBOOT,
    # CONFIG_BOOT_UPGRADE_ONLY -> SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY
    assert "SB_CONFIG_BOOTLOADER_MCUBOOT=y" in sysbuild
    assert "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y" in sysbuild
    # a board's fragment is not made global: CONFIG_PCD_APP -> a warning only
    assert "SB_CONFIG_NETCORE_APP_UPDATE" not in sysbuild
    assert "SB_CONFIG_NETCORE_APP_UPDATE=y" in err
    assert (app / "child_image" / "mcuboot.conf").read_text() == MCUBOOT_CONF  # left in place
    before = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
    code, out, _ = run_cli(["migrate", "--to", "sysbuild", str(app)])
    assert code == 0 and "nothing to do" in out
    assert before == {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}


def test_a_different_existing_sysbuild_file_is_a_conflict(tmp_path):
    app = child_image_app(tmp_path)
    (app / "sysbuild").mkdir()
    (app / "sysbuild" / "mcuboot.overlay").write_text("/* mine */\n")
    code, out, err = run_cli(["migrate", "--to", "sysbuild", str(app)])
    assert code == 1 and "nothing was written" in err
    assert (app / "sysbuild" / "mcuboot.overlay").read_text() == "/* mine */\n"
    assert not (app / "sysbuild.conf").exists()


def test_no_child_image_folder_is_usage_error(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "CMakeLists.txt").write_text("x\n")
    (app / "prj.conf").write_text("")
    code, _, err = run_cli(["migrate", "--to", "sysbuild", str(app)])
    assert code == 2 and "no child_image/ folder" in err


def test_real_ncs27_child_image_build_and_its_sysbuild_migration_have_one_layout(tmp_path):
    ci = shutil.copytree(CASE / "child-image-build", tmp_path / "ci")
    sb = shutil.copytree(CASE / "to-sysbuild-build", tmp_path / "sb")
    config = (Path(sb) / "zephyr" / ".config").read_text()
    # what migrate --to sysbuild -d <child-image build> wrote, as real sysbuild Kconfig kept it
    assert "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y" in config
    assert "SB_CONFIG_MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH=y" in config
    code, out, err = run_cli(["verify", "-d", str(sb), "--baseline", str(ci), "--format", "json"])
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []
