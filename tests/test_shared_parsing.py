"""Unit tests of the shared building blocks: Kconfig text, NCS versions and
generations, number formatting."""

from __future__ import annotations

import pytest

from extflash import kconfig, ncs, units
from extflash.errors import UsageError


def test_kconfig_parse_config_file_values_and_lines():
    text = (
        "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
        'CONFIG_BOARD="nrf52840dk"\n'
        "CONFIG_BOOT_MAX_IMG_SECTORS=256\n"
        "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096\n"
        "CONFIG_PM_EXTERNAL_FLASH_BASE=0x0\n"
        "# CONFIG_SPI_NOR is not set\n"
        "CONFIG_NORDIC_QSPI_NOR=y\n"
        'CONFIG_PM_EXTERNAL_FLASH_PATH="/soc/qspi@40029000/mx25r6435f@0"\n'
    )
    parsed = kconfig.parse(text)
    values = parsed.values
    assert values["CONFIG_BOARD"] == "nrf52840dk"
    assert values["CONFIG_BOOT_MAX_IMG_SECTORS"] == 256
    assert values["CONFIG_PM_EXTERNAL_FLASH_BASE"] == 0
    assert values["CONFIG_SPI_NOR"] is False
    assert parsed.is_y("CONFIG_NORDIC_QSPI_NOR")
    assert values["CONFIG_PM_EXTERNAL_FLASH_PATH"] == "/soc/qspi@40029000/mx25r6435f@0"
    assert parsed.malformed == []
    assert [a.line for a in parsed.assignments][:2] == [4, 5]


def test_kconfig_parse_sysbuild_prefix_and_duplicates_last_wins():
    parsed = kconfig.parse("SB_CONFIG_BOOTLOADER_MCUBOOT=y\nSB_CONFIG_PM_MCUBOOT_PAD=0x200\n"
                           "SB_CONFIG_PM_MCUBOOT_PAD=0x800\n")
    assert parsed.values["SB_CONFIG_PM_MCUBOOT_PAD"] == 0x800
    assert [a.line for a in parsed.duplicates["SB_CONFIG_PM_MCUBOOT_PAD"]] == [2, 3]


def test_kconfig_parse_crlf_no_final_newline_and_malformed_lines():
    parsed = kconfig.parse("CONFIG_FLASH=y\r\nCONFIG SPI=y\r\nnonsense\r\nCONFIG_SPI_NOR=y")
    assert parsed.values == {"CONFIG_FLASH": True, "CONFIG_SPI_NOR": True}
    assert [n for n, _ in parsed.malformed] == [2, 3]


def test_kconfig_string_escapes_round_trip():
    raw = kconfig.encode('a "quoted" \\ path')
    assert kconfig.decode(raw) == 'a "quoted" \\ path'
    assert kconfig.encode(True) == "y" and kconfig.encode(4096) == "4096"


@pytest.mark.parametrize("text, expected", [
    ("2.9.0", ncs.NcsVersion(2, 9, 0)),
    ("v3.4.0", ncs.NcsVersion(3, 4, 0)),
    ("3.2.99\n", ncs.NcsVersion(3, 2, 99)),
    ("2.2.0-rc1", ncs.NcsVersion(2, 2, 0)),
    ("3.1", ncs.NcsVersion(3, 1, 0)),
])
def test_ncs_version_parse(text, expected):
    assert ncs.NcsVersion.parse(text) == expected


def test_ncs_version_rejects_garbage_with_a_hint():
    with pytest.raises(UsageError, match="not an NCS version"):
        ncs.NcsVersion.parse("latest")


@pytest.mark.parametrize("version, layout", [
    (None, ncs.Layout.SYSBUILD),
    ("2.6.2", ncs.Layout.CHILD_IMAGE),
    ("2.6.99", ncs.Layout.SYSBUILD),  # main after 2.6 leads to 2.7
    ("2.7.0", ncs.Layout.SYSBUILD),
    ("3.3.0", ncs.Layout.SYSBUILD),
    ("3.3.99", ncs.Layout.DTS),
    ("3.4.0", ncs.Layout.DTS),
])
def test_default_layout_follows_the_ncs_generation(version, layout):
    v = ncs.NcsVersion.parse(version) if version else None
    assert ncs.default_layout(v) is layout


def test_child_image_refused_from_ncs_3_0_with_reason():
    with pytest.raises(UsageError, match="removed in NCS 3.0.0"):
        ncs.check_layout(ncs.Layout.CHILD_IMAGE, ncs.NcsVersion(3, 0, 0))
    ncs.check_layout(ncs.Layout.CHILD_IMAGE, ncs.NcsVersion(2, 9, 0))


def test_sysbuild_refused_before_2_7_and_dts_before_3_3():
    with pytest.raises(UsageError, match="SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"):
        ncs.check_layout(ncs.Layout.SYSBUILD, ncs.NcsVersion(2, 6, 0))
    with pytest.raises(UsageError, match="devicetree"):
        ncs.check_layout(ncs.Layout.DTS, ncs.NcsVersion(3, 1, 0))


def test_version_from_workspace_reads_nrf_version(tmp_path):
    (tmp_path / "nrf").mkdir()
    (tmp_path / "nrf" / "VERSION").write_text("3.2.99\n")
    assert ncs.version_from_workspace(tmp_path) == ncs.NcsVersion(3, 2, 99)
    assert ncs.version_from_workspace(tmp_path / "elsewhere") is None


@pytest.mark.parametrize("n, text", [
    (0xF4000, "0xf4000 (976 KiB)"),
    (0x800000, "0x800000 (8 MiB)"),
    (0x200, "0x200 (512 B)"),
    (0x61000, "0x61000 (388 KiB)"),
    (0x1E00, "0x1e00 (7.5 KiB)"),
])
def test_hex_size(n, text):
    assert units.hex_size(n) == text
