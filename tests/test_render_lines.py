"""loaders.lines: the line of each kind of location, on small hand-written
files whose line numbers are written here by hand, and the reason given
when there is no line."""

from __future__ import annotations

from pathlib import Path

import pytest

from extflash.loaders.lines import locate
from extflash.model import Finding, Location, Severity

PARTITIONS = """\
app:
  address: 0x10000
  size: 0xe0000
mcuboot_secondary:
  address: 0x0
  device: DT_CHOSEN(nordic_pm_ext_flash)
  region: external_flash
  size: 0xf0000
"""
CONFIG = """\
# Automatically generated file; DO NOT EDIT.
CONFIG_SOC_NRF52840=y
# CONFIG_SPI_NOR is not set
CONFIG_BOOT_MAX_IMG_SECTORS=128
"""
PM_CONFIG_H = """\
#include <autoconf.h>
#define PM_MCUBOOT_SECONDARY_ADDRESS 0x0
#define PM_MCUBOOT_SECONDARY_DEFAULT_DRIVER_KCONFIG CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER
"""
DTS = """\
/dts-v1/;

/ {
\tchosen {
\t\tzephyr,flash = &flash0;
\t};
\tsoc {
\t\tqspi: qspi@40029000 {
\t\t\tstatus = "disabled";
\t\t\tmx25r64: mx25r6435f@0 {
\t\t\t\tcompatible = "nordic,qspi-nor";
\t\t\t};
\t\t};
\t};
};
"""


@pytest.fixture
def build(tmp_path) -> Path:
    (tmp_path / "mcuboot" / "zephyr" / "include" / "generated").mkdir(parents=True)
    (tmp_path / "partitions.yml").write_text(PARTITIONS)
    (tmp_path / "mcuboot" / "zephyr" / ".config").write_text(CONFIG)
    (tmp_path / "mcuboot" / "zephyr" / "zephyr.dts").write_text(DTS)
    (tmp_path / "mcuboot" / "zephyr" / "include" / "generated" / "pm_config.h").write_text(
        PM_CONFIG_H)
    (tmp_path / "zephyr").mkdir()
    (tmp_path / "zephyr" / ".config").write_text("SB_CONFIG_BOOTLOADER_MCUBOOT=y\n")
    return tmp_path


def where(build: Path, file: str, detail: str | None) -> Location:
    f = Finding("EXF000", "x", Severity.ERROR, "m", "h", Location(file, detail))
    (located,) = locate(build, [f])
    return located.location


@pytest.mark.parametrize("file, detail, line, column", [
    ("partitions.yml", "/mcuboot_secondary", 4, 1),
    ("partitions.yml", "/mcuboot_secondary/size", 8, 3),
    ("partitions.yml", "/mcuboot_secondary/placement/align", 4, 1),  # deepest key present
    ("mcuboot/zephyr/.config", "CONFIG_BOOT_MAX_IMG_SECTORS", 4, 1),
    ("mcuboot/zephyr/.config", "CONFIG_SPI_NOR", 3, 3),
    ("mcuboot/zephyr/zephyr.dts", "/chosen", 4, 2),
    ("mcuboot/zephyr/zephyr.dts", "/soc/qspi@40029000", 8, 9),
    ("mcuboot/zephyr/zephyr.dts", "/soc/qspi@40029000/mx25r6435f@0", 10, 13),
    ("mcuboot/zephyr/zephyr.dts", "/", 3, 1),
    ("mcuboot/zephyr/include/generated/pm_config.h",
     "PM_MCUBOOT_SECONDARY_DEFAULT_DRIVER_KCONFIG", 3, 9),
])
def test_line_and_column_of_each_kind(build, file, detail, line, column):
    loc = where(build, file, detail)
    assert (loc.line, loc.column, loc.no_line) == (line, column, None)


@pytest.mark.parametrize("file, detail, why", [
    ("mcuboot/zephyr/.config", "CONFIG_NORDIC_QSPI_NOR",
     "CONFIG_NORDIC_QSPI_NOR has no line in mcuboot/zephyr/.config: Kconfig writes no line for "
     "a symbol whose dependencies are not met"),
    ("mcuboot/zephyr/.config", None, "the finding concerns mcuboot/zephyr/.config as a whole"),
    ("app/zephyr/zephyr.dts", "/chosen",
     "app/zephyr/zephyr.dts is missing or unreadable, so there is no line to point at"),
    ("partitions.yml", "/mcuboot_primary", "partitions.yml has no /mcuboot_primary"),
    ("mcuboot/zephyr/zephyr.dts", "/soc/spi@4002f000",
     "mcuboot/zephyr/zephyr.dts has no node /soc/spi@4002f000"),
    ("mcuboot/zephyr/include/generated/pm_config.h", "PM_APP_ADDRESS",
     "mcuboot/zephyr/include/generated/pm_config.h has no line for PM_APP_ADDRESS"),
])
def test_no_line_says_why(build, file, detail, why):
    loc = where(build, file, detail)
    assert loc.line is None and loc.no_line == why


def test_unparsable_yaml_has_no_line_and_no_error(build):
    (build / "partitions.yml").write_text("a: [\n")
    loc = where(build, "partitions.yml", "/a")
    assert loc.line is None and loc.no_line == "partitions.yml has no /a"


def test_sysbuild_symbols_come_from_sb_conf_file(build, tmp_path_factory):
    app = tmp_path_factory.mktemp("app")
    (app / "sysbuild.conf").write_text("# sysbuild\nSB_CONFIG_BOOTLOADER_MCUBOOT=y\n")
    (build / "CMakeCache.txt").write_text(f"SB_CONF_FILE:INTERNAL={app / 'sysbuild.conf'}\n")
    loc = where(build, "zephyr/.config", "SB_CONFIG_BOOTLOADER_MCUBOOT")
    assert (loc.line, loc.defined_in) == (1, f"{app / 'sysbuild.conf'}:2")


def test_relative_conf_file_is_relative_to_the_image_source(build, tmp_path_factory):
    src = tmp_path_factory.mktemp("mcuboot-src")
    (src / "prj.conf").write_text("CONFIG_BOOT_MAX_IMG_SECTORS=128\n")
    (build / "mcuboot" / "CMakeCache.txt").write_text(
        f"APPLICATION_SOURCE_DIR:PATH={src}\nCONF_FILE:STRING=prj.conf\n")
    loc = where(build, "mcuboot/zephyr/.config", "CONFIG_BOOT_MAX_IMG_SECTORS")
    assert loc.defined_in == f"{src / 'prj.conf'}:1"


def test_a_known_line_is_kept(build):
    f = Finding("EXF000", "x", Severity.ERROR, "m", "h", Location("partitions.yml", "/app", 9))
    assert locate(build, [f])[0].location.line == 9


def test_findings_without_location_pass_through(build):
    f = Finding("EXF000", "x", Severity.ERROR, "m", "h")
    assert locate(build, [f]) == (f,)


STATIC = """\
# the application's static layout (hand-written)
mcuboot_secondary:
  address: 0x0
  region: external_flash
  size: 0xe0000
"""


def _case_with_static(tmp_path, static_text: str | None, extra: dict | None = None):
    from conftest import TESTS_DIR
    from test_checks import materialize

    app = tmp_path / "app"
    build = materialize(TESTS_DIR / "cases" / "EXF103-slot-size-mismatch", app)
    if static_text is not None:
        (app / "pm_static.yml").write_text(static_text)
    for name, text in (extra or {}).items():
        (app / name).write_text(text)
    with (build / "CMakeCache.txt").open("a") as f:
        f.write(f"APP_DIR:PATH={app}\n")
    return app, build


def test_partition_names_the_pm_static_entry_with_equal_address_and_size(tmp_path):
    from conftest import run_cli

    app, build = _case_with_static(tmp_path, STATIC)
    loc = where(build, "partitions.yml", "/mcuboot_secondary")
    assert loc.defined_in == f"{app / 'pm_static.yml'}:2"
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "github"], cwd=app)
    assert out.startswith("::error file=pm_static.yml,line=2,title=EXF103 slot-size-mismatch::")


@pytest.mark.parametrize("static_text, extra", [
    (STATIC.replace("0xe0000", "0xf4000"), None),  # another size: not where it came from
    (STATIC, {"pm_static_nrf52840dk_nrf52840.yml": STATIC}),  # two candidates: ambiguous
    (None, None),  # no static file
])
def test_no_pm_static_origin_without_unambiguous_evidence(tmp_path, static_text, extra):
    _, build = _case_with_static(tmp_path, static_text, extra)
    loc = where(build, "partitions.yml", "/mcuboot_secondary")
    assert loc.defined_in is None and loc.line == 46


def test_relative_defined_in_resolved_against_the_recorded_workspace(build, tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    (ws / "zephyr").mkdir()
    (ws / "app" / "boards").mkdir(parents=True)
    (ws / "app" / "boards" / "nrf52840dk_nrf52840.overlay").write_text("&qspi { };\n")
    (build / "mcuboot" / "CMakeCache.txt").write_text(f"ZEPHYR_BASE:PATH={ws / 'zephyr'}\n")
    f = Finding("EXF302", "x", Severity.ERROR, "m", "h",
                Location("mcuboot/zephyr/zephyr.dts", "/soc/qspi@40029000",
                         defined_in="app/boards/nrf52840dk_nrf52840.overlay:1"))
    (loc,) = (x.location for x in locate(build, [f]))
    assert loc.defined_in == f"{ws / 'app' / 'boards' / 'nrf52840dk_nrf52840.overlay'}:1"
    assert loc.line == 8
    gone = Finding("EXF302", "x", Severity.ERROR, "m", "h",
                   Location("mcuboot/zephyr/zephyr.dts", "/soc/qspi@40029000",
                            defined_in="app/boards/other.overlay:3"))
    assert locate(build, [gone])[0].location.defined_in == "app/boards/other.overlay:3"
