"""The model of Partition Manager and MCUboot (checks/pm_rules.py,
checks/mcuboot_modes.py) and the checks built on it: requested-slot-missing
(EXF109), static-file-invalid (EXF110), slot-device-unresolved (EXF306), and
the PM semantics of partition-overlap / partition-out-of-region /
slot-size-mismatch.

Expected values come from the NCS and MCUboot sources each table cites, from
a real NCS 2.7.0 build made with ../shared/tools/ncs-real (facts transcribed
below), or from real corpus files read at test time; never from the code
under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from extflash import checks
from extflash.checks import mcuboot_modes, pm_rules
from extflash.checks.mcuboot_modes import Mode
from extflash.loaders.pm_yaml import parse_yaml, partitions_from_data, undecoded_from_data
from extflash.model import (
    EXTERNAL_FLASH,
    Build,
    Devicetree,
    DtNode,
    Image,
    Location,
    MemoryMap,
    Partition,
    Partitioning,
    Region,
    Role,
    Severity,
)
from extflash.verify import lint_static, verify_build

REAL_BUILDS = CORPUS / "real-builds"
needs_corpus = pytest.mark.usefixtures("corpus")  # conftest: fails under CI when missing


def _codes(findings, severity=None):
    return sorted({f.code for f in findings if severity is None or f.severity is severity})


# ------------------------------------------------------------ MCUboot modes

# (mode, primary sectors, secondary sectors) -> accepted by MCUboot's
# boot_slots_compatible, transcribed from the sources:
# swap-move: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/swap_move.c
#   (pri == sec || pri == sec + 1 || usable_pri == sec + 1)
# swap-offset: sdk-mcuboot main boot/bootutil/src/swap_offset.c
#   (pri == sec || pri + 1 == sec)
# swap-scratch / overwrite-only: swap_scratch.c (both slots end together)
# compressed: swap_scratch.c under MCUBOOT_DECOMPRESS_IMAGES breaks at the end
#   of a smaller secondary; mcuboot_image_compression.rst: slot 1 ~70% of slot 0
MODE_TABLE = [
    (Mode.SWAP_MOVE, 244, 244, True),
    (Mode.SWAP_MOVE, 245, 244, True),     # primary one sector larger
    (Mode.SWAP_MOVE, 244, 245, False),    # secondary larger: "not a compatible amount"
    (Mode.SWAP_MOVE, 244, 200, False),
    (Mode.SWAP_OFFSET, 244, 245, True),   # secondary one sector larger: the optimum
    (Mode.SWAP_OFFSET, 245, 244, False),
    (Mode.SWAP_SCRATCH, 244, 244, True),
    (Mode.SWAP_SCRATCH, 245, 244, False),
    (Mode.OVERWRITE, 244, 243, False),
    (Mode.COMPRESSED, 145, 78, True),     # sdk-nrf nrf_compress test: 0x91000 vs 0x4e000
    (Mode.COMPRESSED, 145, 145, True),
]


@pytest.mark.parametrize("mode,pri,sec,accepted", MODE_TABLE)
def test_slot_sizes_per_mcuboot_mode(mode, pri, sec, accepted):
    verdict = mcuboot_modes.judge(mode, pri, sec)
    assert (verdict is None) is accepted
    if not accepted:
        assert verdict.severity is Severity.ERROR


# (CONFIG_BOOT_MAX_IMG_SECTORS, primary write size, sector) -> trailer sectors,
# by hand from sdk-mcuboot v2.1.0-ncs1 bootutil_misc.c boot_trailer_sz:
# sectors * 3 * write + BOOT_MAX_ALIGN (8, or a larger write size) * 4 + magic 16
TRAILER_TABLE = [
    (256, 4, 4096, 1),   # 3072 + 32 + 16 = 3120 bytes: nRF52840/nRF5340/nRF91 internal flash
    (512, 4, 4096, 2),   # 6144 + 48 = 6192 bytes
    (128, 4, 4096, 1),   # 1536 + 48
    (256, 16, 4096, 4),  # nRF54L RRAM: 12288 + 64 + 16 = 12368 bytes
]


@pytest.mark.parametrize("limit,write,sector,expected", TRAILER_TABLE)
def test_trailer_sectors(limit, write, sector, expected):
    assert mcuboot_modes.trailer_sectors(limit, write, sector) == expected


@pytest.mark.parametrize("pri,sec,trailer,accepted", [
    (244, 242, 1, True),    # app_max_sectors() = 243 == 242 + 1: MCUboot's optimal distribution
    (244, 241, 1, False),
    (244, 241, 2, True),    # two trailer sectors (CONFIG_BOOT_MAX_IMG_SECTORS=512)
    (244, 242, None, False),  # trailer not known (encrypted image): not accepted on a guess
])
def test_swap_move_accepts_the_sectors_before_the_trailer(pri, sec, trailer, accepted):
    """swap_move.c v2.1.0-ncs1 boot_slots_compatible: ``num_usable_sectors_pri
    != num_sectors_sec + 1`` is the third accepted case."""
    verdict = mcuboot_modes.judge(Mode.SWAP_MOVE, pri, sec, trailer=trailer)
    assert (verdict is None) is accepted


def test_b0_patch_skips_the_swap_move_count_check_for_a_larger_secondary():
    """swap_move.c v2.1.0-ncs1: '#ifdef PM_S1_ADDRESS ... return 1'."""
    verdict = mcuboot_modes.judge(Mode.SWAP_MOVE, 207, 208, b0_patch=True)
    assert verdict is not None and verdict.severity is Severity.WARNING


def test_network_core_image_skips_the_slot_check():
    """sdk-mcuboot main swap_scratch.c / swap_offset.c: 'if (BOOT_CURR_IMG(state)
    == CONFIG_MCUBOOT_NETWORK_CORE_IMAGE_NUMBER) return 1;'."""
    verdict = mcuboot_modes.judge(Mode.OVERWRITE, 64, 256, skipped="image 1 is the network core:")
    assert verdict.severity is Severity.WARNING


@pytest.mark.parametrize("symbols,mode", [
    ({"CONFIG_BOOT_SWAP_USING_MOVE": True}, Mode.SWAP_MOVE),
    ({"CONFIG_BOOT_UPGRADE_ONLY": True}, Mode.OVERWRITE),
    ({"CONFIG_BOOT_UPGRADE_ONLY": True, "CONFIG_BOOT_DECOMPRESSION": True}, Mode.COMPRESSED),
    ({"CONFIG_BOOT_DIRECT_XIP": True}, Mode.DIRECT_XIP),
    ({"CONFIG_BOOT_RAM_LOAD": True}, Mode.RAM_LOAD),
    ({"CONFIG_BOOT_SWAP_USING_SCRATCH": True}, Mode.SWAP_SCRATCH),
    ({"CONFIG_BOOT_SWAP_USING_OFFSET": True}, Mode.SWAP_OFFSET),
    ({}, Mode.UNKNOWN),
])
def test_mode_from_mcuboot_kconfig(symbols, mode):
    """Symbol names: sdk-mcuboot boot/zephyr/Kconfig, choice BOOT_IMAGE_UPGRADE_MODE."""
    image = Image("mcuboot", Role.MCUBOOT, "mcuboot", symbols)
    assert mcuboot_modes.mode_of(image)[0] is mode


def _static(text: str, tmp_path: Path):
    path = tmp_path / "pm_static.yml"
    path.write_text(text)
    return lint_static(path)


def test_static_file_one_sector_smaller_secondary_is_not_an_error(tmp_path):
    """Without a build the mode is unknown; NCS's default swap-using-move
    accepts a secondary one 4 KiB sector smaller."""
    report = _static("mcuboot_primary: {address: 0xc000, size: 0xf4000, span: [mcuboot_pad, app]}\n"
                     "mcuboot_pad: {address: 0xc000, size: 0x200}\n"
                     "mcuboot_secondary: {address: 0x0, size: 0xf3000, region: external_flash}\n",
                     tmp_path)
    assert report.findings == ()


def test_static_file_compressed_layout_only_warns(tmp_path):
    report = _static("mcuboot: {address: 0x0, size: 0xc000}\n"
                     "mcuboot_primary: {address: 0xc000, size: 0x91000, span: [mcuboot_pad, app]}\n"
                     "mcuboot_pad: {address: 0xc000, size: 0x200}\n"
                     "mcuboot_secondary: {address: 0x9d000, size: 0x4e000}\n", tmp_path)
    assert [(f.code, f.severity) for f in report.findings] == [("EXF103", Severity.WARNING)]
    assert report.exit_code == 0


# --------------------------------------------------- Partition Manager rules


def test_app_in_a_static_file_is_ignored(tmp_path):
    """partition_manager.py v2.7.0: get_dynamic_area_start_and_size leaves the
    dynamic partition out, solve_complex_region merges 'if name != dp'. This
    is sdk-nrf's mesh dfu target file's situation (app at 0x1000 over mcuboot)."""
    report = _static("nrf5_mbr: {address: 0x0, size: 0x1000}\n"
                     "mcuboot: {address: 0x1000, size: 0x10000}\n"
                     "mcuboot_pad: {address: 0x11000, size: 0x200}\n"
                     "app: {address: 0x1000, size: 0xd7000}\n"
                     "mcuboot_primary: {address: 0x11000, size: 0x66000, "
                     "span: [mcuboot_pad, app]}\n"
                     "mcuboot_secondary: {address: 0x77000, size: 0x66000}\n", tmp_path)
    assert _codes(report.findings) == []


def test_containers_hold_their_children_but_a_foreign_partition_overlaps(tmp_path):
    """solve_inside / set_sub_partition_address_and_size: span children are
    inside; a static container keeps its written extent, so storage placed in
    it later is rewritten with the slot (sdk-nrf pelion nRF5340 ns file)."""
    base = ("mcuboot: {address: 0x0, size: 0xc000}\n"
            "mcuboot_pad: {address: 0xc000, size: 0x200}\n"
            "mcuboot_primary: {address: 0xc000, size: 0x74000, span: [mcuboot_pad, app]}\n"
            "mcuboot_primary_app: {address: 0xc200, size: 0x73e00, span: [app]}\n"
            "mcuboot_secondary: {address: 0x80000, size: 0x74000}\n")
    assert _codes(_static(base, tmp_path).findings) == []
    inside = base + "settings_storage: {address: 0x7e000, size: 0x2000}\n"
    findings = _static(inside, tmp_path).findings
    assert [(f.code, f.severity) for f in findings] == [("EXF101", Severity.ERROR)]
    assert "settings_storage" in findings[0].message and "mcuboot_primary" in findings[0].message


def test_pm_gap_search_needs_exactly_one_gap(tmp_path):
    """get_dynamic_area_start_and_size: 'Incorrect amount of gaps found in
    static configuration' with two gaps before the last partition."""
    report = _static("mcuboot: {address: 0x0, size: 0xc000}\n"
                     "settings_storage: {address: 0x80000, size: 0x2000}\n"
                     "storage: {address: 0xf0000, size: 0x10000}\n", tmp_path)
    assert _codes(report.findings) == ["EXF110"]


def test_kconfig_name_as_size_is_refused(tmp_path):
    """load_static_configuration: yaml.safe_load, no C preprocessor. A real NCS
    2.7.0 configure with this external_flash entry in -DPM_STATIC_YML_FILE
    (nrf/tests/modules/mcuboot/external_flash, nrf52840dk/nrf52840) fails in
    verify_static_conf_simple: "TypeError: unsupported operand type(s) for +:
    'int' and 'str'", then "Partition Manager failed, aborting"."""
    report = _static("external_flash: {address: 0x0, size: CONFIG_PM_EXTERNAL_FLASH_SIZE, "
                     "region: external_flash}\n", tmp_path)
    assert [(f.code, f.severity) for f in report.findings] == [("EXF110", Severity.ERROR)]
    assert "CONFIG_PM_EXTERNAL_FLASH_SIZE" in report.findings[0].message


def test_undecoded_values_are_recorded_not_guessed():
    data = parse_yaml("a: {address: 0x0, size: CONFIG_X}\nb: {size: 0x1000}\n", "f.yml", "x")
    assert "a" not in partitions_from_data(data, "f.yml")
    assert [(u.partition, u.key, u.raw) for u in undecoded_from_data(data, "f.yml")] == [
        ("a", "size", "CONFIG_X"), ("b", "address", None)]


def test_children_follow_nested_spans_and_inside():
    mm = MemoryMap("", {
        "mcuboot_primary": Partition("mcuboot_primary", 0, 0x100, span=("mcuboot_pad",
                                                                          "mcuboot_primary_app")),
        "mcuboot_primary_app": Partition("mcuboot_primary_app", 0x10, 0xf0, span=("app",)),
        "tfm_its": Partition("tfm_its", 0x200, 0x10, inside=("tfm_storage",)),
        "tfm_storage": Partition("tfm_storage", 0x200, 0x20, span=("tfm_ps",)),
    })
    assert pm_rules.children(mm, "mcuboot_primary") == {"mcuboot_pad", "mcuboot_primary_app",
                                                        "app"}
    assert pm_rules.children(mm, "tfm_storage") == {"tfm_ps", "tfm_its"}


# ------------------------------------------------------- requested, absent


def _headline_build(with_chosen: bool) -> Build:
    """The facts of a real NCS 2.7.0 build (ncs-real build.sh
    nrf/tests/modules/mcuboot/external_flash nrf52840dk/nrf52840 --cmake-only
    -- -Dexternal_flash_EXTRA_DTC_OVERLAY_FILE=<overlay deleting the
    nordic,pm-ext-flash chosen>): zephyr/.config has
    SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y; mcuboot/zephyr/.config
    CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y and CONFIG_BOOT_SWAP_USING_MOVE=y;
    external_flash/zephyr/.config has no CONFIG_PM_EXTERNAL_FLASH_ENABLED;
    regions.yml has flash_primary and sram_primary only; partitions.yml has
    mcuboot 0x0+0xc000, mcuboot_pad, mcuboot_primary 0xc000+0xf4000,
    mcuboot_primary_app, app, sram_primary and no mcuboot_secondary."""
    flash = DtNode("/soc/flash-controller@4001e000/flash@0", ("flash0",), ("soc-nv-flash",),
                   None, ((0, 0x100000),), {"erase-block-size": 4096})
    chosen = {"zephyr,flash": flash.path}
    if with_chosen:
        chosen["nordic,pm-ext-flash"] = "/soc/qspi@40029000/mx25r6435f@0"
    app_tree = Devicetree(chosen, {flash.path: flash}, Location("external_flash/zephyr/zephyr.dts"))
    mm = MemoryMap("", {
        "mcuboot": Partition("mcuboot", 0, 0xc000),
        "mcuboot_pad": Partition("mcuboot_pad", 0xc000, 0x200),
        "mcuboot_primary": Partition("mcuboot_primary", 0xc000, 0xf4000,
                                     span=("mcuboot_pad", "mcuboot_primary_app")),
        "mcuboot_primary_app": Partition("mcuboot_primary_app", 0xc200, 0xf3e00, span=("app",)),
        "app": Partition("app", 0xc200, 0xf3e00),
    }, {"flash_primary": Region("flash_primary", 0, 0x100000, location=Location("regions.yml")),
        "sram_primary": Region("sram_primary", 0x20000000, 0x40000,
                               location=Location("regions.yml"))},
        source=Location("partitions.yml"))
    app = Image("external_flash", Role.APP, "external_flash", {"CONFIG_BOOTLOADER_MCUBOOT": True},
                Location("external_flash/zephyr/.config"), app_tree)
    boot = Image("mcuboot", Role.MCUBOOT, "mcuboot",
                 {"CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True,
                  "CONFIG_BOOT_SWAP_USING_MOVE": True, "CONFIG_BOOT_MAX_IMG_SECTORS": 256},
                 Location("mcuboot/zephyr/.config"), app_tree)
    return Build(Path("/x"), "sysbuild", Partitioning.PM,
                 {"SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True},
                 {"external_flash": app, "mcuboot": boot}, {"": mm})


def test_secondary_dropped_without_the_chosen_is_an_error():
    findings = [f for f in checks.run(_headline_build(with_chosen=False)) if f.code == "EXF109"]
    assert len(findings) == 1 and findings[0].severity is Severity.ERROR
    message = findings[0].message
    assert "mcuboot_secondary" in message
    assert "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y" in message
    assert "nordic,pm-ext-flash" in message and "external_flash" in message


def test_orphan_network_core_secondary_in_a_build_is_an_error():
    build = _headline_build(with_chosen=True)
    mm = build.domain2map[""]
    mm.name2region[EXTERNAL_FLASH] = Region(EXTERNAL_FLASH, 0, 0x800000)
    mm.name2partition["mcuboot_secondary"] = Partition("mcuboot_secondary", 0, 0xf4000,
                                                       EXTERNAL_FLASH)
    assert "EXF109" not in _codes(checks.run(build))
    mm.name2partition["mcuboot_secondary_1"] = Partition("mcuboot_secondary_1", 0xf4000,
                                                         0x40000, EXTERNAL_FLASH)
    findings = [f for f in checks.run(build) if f.code == "EXF109"]
    assert len(findings) == 1 and "mcuboot_primary_1" in findings[0].message


def test_chosen_only_in_mcuboot_warns_that_the_secondary_stayed_internal():
    """cmake/partition_manager.cmake v2.7.0 reads the chosen from the
    application only; MCUboot's own chosen makes no region."""
    build = _headline_build(with_chosen=False)
    boot = build.mcuboot
    boot.devicetree = Devicetree(dict(boot.devicetree.chosen,
                                      **{"nordic,pm-ext-flash": "/soc/qspi@40029000/mx25r6435f@0"}),
                                 boot.devicetree.path2node, Location("mcuboot/zephyr/zephyr.dts"))
    boot.config = {"CONFIG_BOOT_SWAP_USING_MOVE": True, "CONFIG_BOOT_MAX_IMG_SECTORS": 256}
    build.sysbuild_config = {}
    mm = build.domain2map[""]
    mm.name2partition["mcuboot_secondary"] = Partition("mcuboot_secondary", 0x100000 - 0xf4000,
                                                       0xf4000)
    found = [f for f in checks.run(build) if f.code == "EXF109"]
    assert [(f.severity, f.image) for f in found] == [(Severity.WARNING, "mcuboot")]


# ------------------------------------------------------ device per image


@needs_corpus
def test_non_secure_node_path_in_a_secure_mcuboot_resolves_to_nothing():
    """Real NCS 2.1.0 build (taifur20/nrf_automation, thingy53_nrf5340_cpuapp_ns):
    MCUboot's pm_config.h names DT_N_S_soc_S_peripheral_40000000_..., its
    zephyr.dts has the chip under /soc/peripheral@50000000."""
    report = verify_build(REAL_BUILDS / "taifur20__nrf_automation__build")
    found = [f for f in report.findings if f.code == "EXF306"]
    assert len(found) == 1 and found[0].image == "mcuboot"
    assert "peripheral@50000000" in found[0].message


@needs_corpus
def test_secure_node_path_resolves_in_both_images():
    """Real NCS 2.1.0 build for thingy53_nrf5340_cpuapp (secure app): the
    path DT_N_S_soc_S_peripheral_50000000_... exists in both devicetrees."""
    report = verify_build(REAL_BUILDS /
                          "ElijahMaluleke__Smart_Water_Tap_Leakage_Controller_IoT_Project__build")
    assert "EXF306" not in _codes(report.findings)


def test_every_new_check_explains_itself_with_its_sources():
    for code in ("EXF109", "EXF110", "EXF306"):
        text = checks.find(code).explanation
        for section in ("What it checks", "Why it matters", "How to fix", "See also"):
            assert section in text
        assert "``" not in text and "U1" not in text
