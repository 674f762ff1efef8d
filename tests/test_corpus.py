"""The real-world corpus (../shared/corpus): every Partition Manager file
passes the schemas, every real build directory loads and verifies without
a traceback, and each build reports exactly the findings recorded (and
justified) here. Skipped when the corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from extflash.errors import ArtefactError
from extflash.loaders.pm_yaml import load_yaml
from extflash.loaders.problems import schema_findings
from extflash.verify import verify_build

REAL_PM = CORPUS / "real-pm"
REAL_BUILDS = CORPUS / "real-builds"
pytestmark = pytest.mark.skipif(not REAL_BUILDS.is_dir(), reason="shared corpus not present")

# The one corpus file that is not YAML at all (FORMAT.md §1): PyYAML, and
# therefore Partition Manager, fail on it too.
NOT_YAML = {"Noy0908_delta_dfu__pm_static_nrf9160dk_nrf9160_ns.yml": "undefined alias"}

# build folder -> (codes, why). Every other build verifies clean, including
# the known-good external-flash builds (Botz nRF5340 + netcore, aHaugl
# smp_ble_feat_spi, justanotherkendrik Matter, manu897/soluwadara/taifur20
# Thingy:53 child images with hci_rpmsg/empty_net_core + b0n, BORUS
# Thingy:53 sysbuild, mitch680l Thingy:91 X).
EXPECTED = {
    "FinnWBiggs__MCUBoot_ExFat__build_dk": (
        ["EXF201", "EXF204", "EXF301"],
        "NCS 2.5 child image: MCUboot has no nordic,pm-ext-flash chosen and "
        "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER off (its board conf turns QSPI NOR off, F4), and "
        "CONFIG_BOOT_MAX_IMG_SECTORS=128 for a 976 KiB primary (244 sectors, U14)"),
    "HamdanAli98__Zephyr__build": (
        ["EXF103", "EXF201"],
        "NCS 1.7 legacy external flash: mcuboot_secondary has size 0x0 in the PM output "
        "(CONFIG_PM_PARTITION_SIZE_MCUBOOT_SECONDARY default 0, pre-1.8) and MCUboot has no "
        "CONFIG_SPI_NOR for its W25Q32JV (U16, U24)"),
    "abdullahjaved06__W25Q128JV-ZephyrRTOS__build": (
        ["EXF102"],
        "the W25Q128 node's size is 0x1000000 bits = 2 MiB while the static layout uses 16 MiB: "
        "PM's own output has a negative free external_flash partition (F11)"),
    "epietrowicz__nvs_mcuboot_sample__build": (
        ["EXF102"],
        "user_storage at 0x80000-0x82000 on an nRF52832 with 512 KiB flash (FORMAT.md §7.10)"),
    "mitch680l__thingy__build_1": (
        ["EXF101", "EXF103"],
        "hand-written layout: encrypted_blob_end_pad overlaps tlv_pad by 0x400, and "
        "mcuboot_secondary 0xd0000 is larger than mcuboot_primary 0xcfc00 (warning)"),
    "wischmi2__pouch-node-ws__build": (
        ["EXF104"],
        "mcuboot_secondary placed in external_flash by pm_static.yml while "
        "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY is not set (warning, F9)"),
}


def _pm_files() -> list[Path]:
    return sorted(p for p in REAL_PM.glob("*.y*ml")) if REAL_PM.is_dir() else []


@pytest.mark.parametrize("path", _pm_files(), ids=lambda p: p.name)
def test_every_real_pm_file_passes_the_partitions_schema(path):
    try:
        data = load_yaml(path, "pm_static.yml")
    except ArtefactError as e:
        assert path.name in NOT_YAML and NOT_YAML[path.name] in str(e)
        return
    assert path.name not in NOT_YAML
    assert schema_findings(data, "partitions", path.name) == []


def _builds() -> list[Path]:
    return sorted(p for p in REAL_BUILDS.iterdir() if p.is_dir()) if REAL_BUILDS.is_dir() else []


@pytest.mark.parametrize("build", _builds(), ids=lambda p: p.name)
def test_real_build_files_pass_their_schemas(build):
    for path in build.glob("partitions*.yml"):
        assert schema_findings(load_yaml(path, "x"), "partitions", path.name) == []
    for path in build.glob("regions*.yml"):
        assert schema_findings(load_yaml(path, "x"), "regions", path.name) == []
    if (build / "domains.yaml").is_file():
        assert schema_findings(load_yaml(build / "domains.yaml", "x"), "domains", "d") == []


@pytest.mark.parametrize("build", _builds(), ids=lambda p: p.name)
def test_real_build_verifies_with_the_recorded_findings(build):
    report = verify_build(build)
    assert report.verified
    # EXF012 mcuboot-absent / EXF013 secondary-internal: held against SOURCES.md
    # in tests/test_evidence.py
    codes = sorted({f.code for f in report.findings} - {"EXF012", "EXF013"})
    expected, _why = EXPECTED.get(build.name, ([], ""))
    assert codes == expected, [f"{f.code} {f.image}: {f.message}" for f in report.findings]


def test_expected_findings_name_real_builds():
    assert set(EXPECTED) <= {b.name for b in _builds()}


@pytest.mark.parametrize("path", _pm_files(), ids=lambda p: p.name)
def test_every_real_pm_file_lints_as_static(path):
    """``verify --static`` on real static files: a report, or one clear error."""
    from extflash.verify import lint_static

    try:
        report = lint_static(path)
    except ArtefactError as e:
        assert path.name in NOT_YAML and str(e).startswith(str(path))
        return
    assert all(f.code.startswith("EXF") and f.message for f in report.findings)
