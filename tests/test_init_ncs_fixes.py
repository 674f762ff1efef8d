"""issue 9 item 4: init corrections found by checking against NCS.

Expected values are hand-written from the NCS sources cited next to them,
never produced by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from extflash.ncs import NcsVersion, parse_version_text

HELLO = FIXTURES / "apps" / "hello"

# ------------------------------------------------------------ f. nrf/VERSION

# (file text, version) - the one-line format is what sdk-nrf shipped up to 3.3
# (NCS 2.7.0's nrf/VERSION is `2.7.0-rc3`; share/ncs-package/cmake/NcsConfig.cmake
# reads its first line); the keyed format is Zephyr's VERSION format (zephyr/VERSION
# in the NCS 2.7.0 tree: VERSION_MAJOR = 3 / VERSION_MINOR = 6 / PATCHLEVEL = 99 /
# VERSION_TWEAK = 0 / EXTRAVERSION =), which sdk-nrf adopted for 3.4 with an added
# VERSION_METADATA field (sdk-nrf PR #29478, v3.4-branch, head 5e134939).
VERSION_FILES = [
    ("2.7.0-rc3\n", NcsVersion(2, 7, 0)),
    ("3.2.99\n", NcsVersion(3, 2, 99)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 6\nPATCHLEVEL = 99\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION =\n", NcsVersion(3, 6, 99)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 4\nPATCHLEVEL = 1\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION =\nVERSION_METADATA = lts\n", NcsVersion(3, 4, 1)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 5\nPATCHLEVEL = 0\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION = preview3\nVERSION_METADATA =\n", NcsVersion(3, 5, 0)),
]


@pytest.mark.parametrize("text,expected", VERSION_FILES)
def test_nrf_version_file_both_formats(text, expected):
    assert parse_version_text(text) == expected


@pytest.mark.parametrize("text", [
    "VERSION_MAJOR = 3\nVERSION_MINOR = 4\n",            # PATCHLEVEL missing
    "VERSION_MAJOR = 3\nVERSION_MINOR = x\nPATCHLEVEL = 0\n",
    "",
])
def test_undecodable_version_file_is_not_guessed(text):
    assert parse_version_text(text) is None


def test_auto_layout_from_the_keyed_version_file(tmp_path):
    from test_init import _run_with_context, fresh_app

    app = fresh_app(tmp_path)
    (tmp_path / "nrf").mkdir()
    (tmp_path / "nrf" / "VERSION").write_text(VERSION_FILES[3][0])
    code, out, _ = _run_with_context(app, ["init", "-b", "nrf52840dk/nrf52840", "-n"])
    assert code == 0 and "NCS 3.4.1 (from " in out and "layout dts (auto)" in out


# --------------------------------------- g. python -m extflash in a workspace


def _python_m_extflash(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("ZEPHYR_BASE", "BOARD")}
    return subprocess.run([sys.executable, "-m", "extflash", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_python_m_extflash_finds_the_workspace_version(tmp_path):
    """west finds the workspace as the first directory upwards with a `.west`
    directory (west.util.west_topdir, west 1.5.0); `nrf/VERSION` is then read
    as `west extflash` reads it."""
    import shutil

    ws = tmp_path / "ws"
    app = ws / "apps" / "deep" / "app"
    shutil.copytree(HELLO, app)
    (ws / ".west").mkdir()
    (ws / ".west" / "config").write_text("[manifest]\npath = nrf\nfile = west.yml\n")
    (ws / "nrf").mkdir()
    (ws / "nrf" / "VERSION").write_text("2.6.0\n")
    r = _python_m_extflash(app, "init", "-b", "nrf52840dk_nrf52840", "-n")
    assert r.returncode == 0, r.stderr
    assert "NCS 2.6.0 (from " + str(ws / "nrf" / "VERSION") in r.stdout
    assert "layout child-image (auto)" in r.stdout
    # outside any workspace: unknown, sysbuild (the documented default)
    shutil.rmtree(ws / ".west")
    r = _python_m_extflash(app, "init", "-b", "nrf52840dk/nrf52840", "-n")
    assert r.returncode == 0, r.stderr
    assert "NCS version unknown" in r.stdout and "layout sysbuild (auto)" in r.stdout


# ------------------------- e. status = "disabled" on the flash node, every board

# (board target, overlay init reads, flash node label) - the label is the node of
# the board devicetree (data/boards.yml sources), with the status the board gives it:
# nRF52840 DK / nRF5340 DK / Thingy:53 / nRF7002 DK okay (no status under &qspi),
# nRF9160 DK disabled, nRF54L15 DK varies. Thingy:53 also chooses nordic,pm-ext-flash
# in its board DTS from NCS 2.3 (sdk-nrf db0b1af3b6), so init has nothing to add there.
DISABLED_CASES = [
    ("nrf52840dk/nrf52840", "boards/nrf52840dk_nrf52840.overlay", "mx25r64"),
    ("nrf5340dk/nrf5340/cpuapp", "boards/nrf5340dk_nrf5340_cpuapp.overlay", "mx25r64"),
    ("thingy53/nrf5340/cpuapp", "boards/thingy53_nrf5340_cpuapp.overlay", "mx25r64"),
    ("nrf7002dk/nrf5340/cpuapp", "boards/nrf7002dk_nrf5340_cpuapp.overlay", "mx25r64"),
    ("nrf9160dk@0.14.0/nrf9160/ns", "boards/nrf9160dk_nrf9160_ns_0_14_0.overlay", "mx25r64"),
    ("nrf54l15dk/nrf54l15/cpuapp", "boards/nrf54l15dk_nrf54l15_cpuapp.overlay", "mx25r64"),
    ("thingy53/nrf5340/cpuapp", "sysbuild/mcuboot.overlay", "mx25r64"),
]


@pytest.mark.parametrize("board,overlay,node", DISABLED_CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in DISABLED_CASES])
def test_user_disabled_flash_node_is_a_conflict_on_every_board(tmp_path, board, overlay, node):
    from test_init import fresh_app, init, snapshot

    app = fresh_app(tmp_path)
    user = f"/* mine */\n&{node} {{\n\tstatus = \"disabled\";\n}};\n"
    (app / overlay).parent.mkdir(parents=True, exist_ok=True)
    (app / overlay).write_text(user)
    before = snapshot(app)
    code, out, err = init(app, "-b", board, "--ncs-version", "3.0.0")
    assert code == 1, out + err
    assert f"{overlay}:3" in out + err and 'status = "disabled"' in out + err
    assert snapshot(app) == before
    code, out, err = init(app, "-b", board, "--ncs-version", "3.0.0", "--force")
    assert code == 0, out + err
    assert '\tstatus = "okay";' in (app / overlay).read_text()
    assert "/* mine */" in (app / overlay).read_text()


def test_user_okay_flash_node_on_a_board_with_everything_is_unchanged(tmp_path):
    """Thingy:53 on NCS 3.0: chosen and status from the board, so the user's
    overlay is read, found fine and left byte-identical; no overlay is created."""
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    text = "&mx25r64 {\n\tstatus = \"okay\";\n};\n"
    (app / "boards").mkdir(exist_ok=True)
    (app / "boards" / "thingy53_nrf5340_cpuapp.overlay").write_text(text)
    code, out, err = init(app, "-b", "thingy53/nrf5340/cpuapp", "--ncs-version", "3.0.0")
    assert code == 0, out + err
    assert (app / "boards" / "thingy53_nrf5340_cpuapp.overlay").read_text() == text
    assert not (app / "sysbuild" / "mcuboot.overlay").exists()


# ------------------------------- a. nRF54L15 with Partition Manager: MCUboot size

# Hand-written from NCS:
# - sdk-mcuboot@0b2b291 boot/zephyr/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf:
#   CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x14000 (MCUboot with CONFIG_SPI_NOR=y)
# - sdk-nrf@1fbdd8d tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/
#   nrf54l15dk_nrf54l15_cpuapp.conf: CONFIG_FPROTECT=n
# - sector count: (1524 KiB RRAM 0x17d000 - 0x14000) / 4096 = 0x169000 / 0x1000 = 361
NRF54L15_MCUBOOT = ["CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x14000", "CONFIG_FPROTECT=n",
                    "CONFIG_BOOT_MAX_IMG_SECTORS=361"]


@pytest.mark.parametrize("version", ["2.8.0", "3.1.0", "3.3.0"])
def test_nrf54l15_mcuboot_partition_holds_the_spi_nor_driver(tmp_path, version):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    code, out, err = init(app, "-b", "nrf54l15dk/nrf54l15/cpuapp", "--layout", "sysbuild",
                          "--ncs-version", version)
    assert code == 0, out + err
    lines = (app / "sysbuild" / "mcuboot.conf").read_text().splitlines()
    for line in NRF54L15_MCUBOOT:
        assert line in lines
    assert "raise CONFIG_PM_PARTITION_SIZE_MCUBOOT" not in out


def test_nrf54l15_a_larger_user_mcuboot_partition_stays(tmp_path):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    (app / "sysbuild").mkdir()
    (app / "sysbuild" / "mcuboot.conf").write_text("CONFIG_PM_PARTITION_SIZE_MCUBOOT=0x18000\n")
    code, out, err = init(app, "-b", "nrf54l15dk/nrf54l15/cpuapp", "--ncs-version", "3.1.0")
    assert code == 0, out + err
    text = (app / "sysbuild" / "mcuboot.conf").read_text()
    assert text.count("CONFIG_PM_PARTITION_SIZE_MCUBOOT") == 1 and "=0x18000" in text
    # a user's CONFIG_FPROTECT=y is a conflict: nothing written
    (app / "sysbuild" / "mcuboot.conf").write_text("CONFIG_FPROTECT=y\n")
    code, out, err = init(app, "-b", "nrf54l15dk/nrf54l15/cpuapp", "--ncs-version", "3.1.0")
    assert code == 1 and "CONFIG_FPROTECT=n" in out + err


def test_qspi_boards_keep_the_default_mcuboot_partition(tmp_path):
    """nRF52840 DK (QSPI): no partition size or fprotect line (sdk-nrf's external
    flash test sets neither for it)."""
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "3.1.0")
    assert code == 0, out + err
    text = (app / "sysbuild" / "mcuboot.conf").read_text()
    assert "CONFIG_PM_PARTITION_SIZE_MCUBOOT" not in text and "CONFIG_FPROTECT" not in text


# ---------------------------------------- b. an existing sysbuild/mcuboot/ folder

# Expected targets, hand-written from zephyr share/sysbuild/cmake/modules/
# sysbuild_extensions.cmake (NCS 2.7.0 l.261-291: sysbuild/mcuboot/ becomes
# mcuboot_APPLICATION_CONFIG_DIR; sysbuild/mcuboot.conf -> mcuboot_EXTRA_CONF_FILE;
# sysbuild/mcuboot.overlay -> mcuboot_DTC_OVERLAY_FILE) and zephyr cmake/modules/
# configuration_files.cmake (l.47 prj.conf REQUIRED; l.77-92 a set DTC_OVERLAY_FILE
# or a boards/<board>.overlay means app.overlay is not read).
# (files the user has, target of MCUboot's Kconfig lines, target of its overlay lines)
B = "nrf52840dk_nrf52840"


def _mine(rel: str) -> str:
    return "/* mine */\n" if rel.endswith(".overlay") else "# mine\n"

FOLDER_CASES = [
    (["sysbuild/mcuboot/prj.conf"],
     f"sysbuild/mcuboot/boards/{B}.conf", f"sysbuild/mcuboot/boards/{B}.overlay"),
    (["sysbuild/mcuboot/prj.conf", "sysbuild/mcuboot/app.overlay"],
     f"sysbuild/mcuboot/boards/{B}.conf", "sysbuild/mcuboot/app.overlay"),
    (["sysbuild/mcuboot/prj.conf", "sysbuild/mcuboot/app.overlay",
      f"sysbuild/mcuboot/boards/{B}.overlay", f"sysbuild/mcuboot/boards/{B}.conf"],
     f"sysbuild/mcuboot/boards/{B}.conf", f"sysbuild/mcuboot/boards/{B}.overlay"),
    (["sysbuild/mcuboot/prj.conf", "sysbuild/mcuboot.conf"],
     "sysbuild/mcuboot.conf", f"sysbuild/mcuboot/boards/{B}.overlay"),
    (["sysbuild/mcuboot/prj.conf", "sysbuild/mcuboot/app.overlay", "sysbuild/mcuboot.overlay"],
     f"sysbuild/mcuboot/boards/{B}.conf", "sysbuild/mcuboot.overlay"),
]


@pytest.mark.parametrize("have,conf,overlay", FOLDER_CASES, ids=[str(i) for i in range(5)])
def test_existing_mcuboot_folder_is_mcubootss_configuration(tmp_path, have, conf, overlay):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    for rel in have:
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(_mine(rel))
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.7.0")
    assert code == 0, out + err
    assert "CONFIG_NORDIC_QSPI_NOR=y" in (app / conf).read_text()
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=244" in (app / conf).read_text()  # (1 MiB - 48 KiB) / 4096
    text = (app / overlay).read_text()
    assert "nordic,pm-ext-flash = &mx25r64;" in text
    assert text.startswith(_mine(overlay)) == (overlay in have)
    for rel in ("sysbuild/mcuboot.conf", "sysbuild/mcuboot.overlay"):
        assert (app / rel).exists() == (rel in have), rel  # never created next to the folder
    if "sysbuild/mcuboot.overlay" in have:
        assert "mcuboot_DTC_OVERLAY_FILE" in out + err


def test_mcuboot_folder_without_prj_conf_is_refused(tmp_path):
    from test_init import fresh_app, init, snapshot

    app = fresh_app(tmp_path)
    (app / "sysbuild" / "mcuboot" / "boards").mkdir(parents=True)
    before = snapshot(app)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.7.0")
    assert code == 2 and "sysbuild/mcuboot/ has no prj.conf" in err
    assert snapshot(app) == before


# --------------------------------------------------------- c. FILE_SUFFIX

# zephyr cmake/modules/extensions.cmake zephyr_file_suffix() (NCS 2.7.0 l.2886-2925):
# <name>_<S>.<ext> is read instead of <name>.<ext> when it exists, else <name>.<ext>;
# sysbuild/<image>.overlay is looked up without SUFFIX (sysbuild_extensions.cmake l.287).
SUFFIX_CASES = [
    # (files the user has, file -> where init's lines must be)
    (["prj_release.conf", "sysbuild_release.conf", "boards/nrf52840dk_nrf52840_release.overlay",
      "sysbuild/mcuboot_release.conf"],
     {"prj_release.conf": "CONFIG_NORDIC_QSPI_NOR=y",
      "sysbuild_release.conf": "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y",
      "boards/nrf52840dk_nrf52840_release.overlay": "nordic,pm-ext-flash = &mx25r64;",
      "sysbuild/mcuboot_release.conf": "CONFIG_BOOT_MAX_IMG_SECTORS=244",
      "sysbuild/mcuboot.overlay": "nordic,pm-ext-flash = &mx25r64;"}),
    (["prj_release.conf"],  # only prj has a variant: the others fall back to the plain files
     {"prj_release.conf": "CONFIG_NORDIC_QSPI_NOR=y",
      "sysbuild.conf": "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y",
      "boards/nrf52840dk_nrf52840.overlay": "nordic,pm-ext-flash = &mx25r64;",
      "sysbuild/mcuboot.conf": "CONFIG_BOOT_MAX_IMG_SECTORS=244"}),
]


@pytest.mark.parametrize("have,where", SUFFIX_CASES, ids=["all", "prj-only"])
def test_file_suffix_writes_the_files_the_build_reads(tmp_path, have, where):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    plain_prj = (app / "prj.conf").read_text()
    for rel in have:
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(_mine(rel))
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.7.0",
                          "--file-suffix", "release")
    assert code == 0, out + err
    for rel, line in where.items():
        assert line in (app / rel).read_text(), rel
    assert (app / "prj.conf").read_text() == plain_prj  # not read by this build: unchanged


def test_suffixed_files_without_file_suffix_get_a_note(tmp_path):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    (app / "prj_release.conf").write_text("# mine\n")
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.7.0", "-n")
    assert code == 0 and "--file-suffix release" in out + err


@pytest.mark.parametrize("argv,message", [
    (["--file-suffix", "a/b"], "is not a file suffix"),
    (["--file-suffix", "release", "--layout", "child-image", "--ncs-version", "2.6.0"],
     "not the child-image layout"),
])
def test_bad_file_suffix_is_a_usage_error(tmp_path, argv, message):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    code, _, err = init(app, "-b", "nrf52840dk/nrf52840", *argv)
    assert code == 2 and message in err


# ------------------------------------------------- d. custom boards need --soc

# (--soc, CONFIG_BOOT_MAX_IMG_SECTORS) hand-written from the SoC devicetrees and
# NCS's MCUboot partition default (sdk-nrf modules/mcuboot/boot/zephyr/Kconfig:
# PM_PARTITION_SIZE_MCUBOOT default 0xc000; 0x14000 with the SPI NOR driver on
# nRF54L15, sdk-mcuboot nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf):
# - nrf52833: flash0 DT_SIZE_K(512) (nrf52833_qiaa.dtsi): (0x80000 - 0xc000) / 4096 = 116
# - nrf52840: flash0 DT_SIZE_K(1024) (nrf52840_qiaa.dtsi): (0x100000 - 0xc000) / 4096 = 244
# - nrf5340: flash0 DT_SIZE_K(1024) (nrf5340_cpuapp_qkaa.dtsi): 244
# - nrf9160: flash0 DT_SIZE_K(1024) (nrf9160_sica.dtsi): 244
# - nrf54l15: 1524 KiB RRAM (nrf54l15.dtsi): (0x17d000 - 0x14000) / 4096 = 361
SOC_CASES = [("nrf52833", 116), ("nrf52840", 244), ("nrf5340", 244), ("nrf5340_cpuapp", 244),
             ("nrf9160", 244), ("nrf54l15", 361)]


@pytest.mark.parametrize("soc,sectors", SOC_CASES)
def test_custom_board_sizes_come_from_its_soc(tmp_path, soc, sectors):
    from test_init import fresh_app, init

    app = fresh_app(tmp_path)
    code, out, err = init(app, "-b", "myboard/mysoc", "--flash-node", "w25q128", "--driver",
                          "spi", "--flash-size", "16M", "--erase-block", "4096", "--soc", soc,
                          "--ncs-version", "3.1.0")
    assert code == 0, out + err
    assert f"CONFIG_BOOT_MAX_IMG_SECTORS={sectors}\n" in (app / "sysbuild/mcuboot.conf").read_text()


def test_custom_board_without_soc_is_refused_not_guessed(tmp_path):
    from test_init import fresh_app, init, snapshot

    app = fresh_app(tmp_path)
    before = snapshot(app)
    code, _, err = init(app, "-b", "myboard/nrf52840", "--flash-node", "w25q128", "--driver",
                        "spi", "--flash-size", "16M", "--erase-block", "4096")
    assert code == 2 and "--soc missing" in err and "nrf52840" in err
    assert len(err.strip().splitlines()) <= 2 and snapshot(app) == before
    code, _, err = init(app, "-b", "myboard/nrf52840", "--flash-node", "w25q128", "--driver",
                        "spi", "--flash-size", "16M", "--erase-block", "4096", "--soc", "esp32")
    assert code == 2 and "--soc 'esp32' is not a SoC init knows" in err


def test_soc_that_contradicts_a_known_board_is_refused(tmp_path):
    from test_init import fresh_app, init

    code, _, err = init(fresh_app(tmp_path), "-b", "nrf52840dk/nrf52840", "--soc", "nrf5340")
    assert code == 2 and "nRF52840" in err
    code, _, err = init(fresh_app(tmp_path, "b"), "-b", "nrf52840dk/nrf52840", "--soc",
                        "nrf52840", "-n")
    assert code == 0, err


def test_user_disabled_flash_node_is_a_conflict_in_the_dts_layout_too(tmp_path):
    from test_init import fresh_app, init, snapshot

    app = fresh_app(tmp_path)
    (app / "boards").mkdir(exist_ok=True)
    (app / "boards" / "nrf52840dk_nrf52840.overlay").write_text(
        "&mx25r64 {\n\tstatus = \"disabled\";\n};\n")
    before = snapshot(app)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--layout", "dts",
                          "--ncs-version", "3.4.0")
    assert code == 1 and "boards/nrf52840dk_nrf52840.overlay:2" in out + err
    assert snapshot(app) == before
