"""The real-world corpus (../shared/corpus): every Partition Manager file
passes the schemas, every real build directory loads and verifies without a
traceback, and every real build and every real static file gets exactly the
verdict recorded (and justified) here.

The verdicts were reached by reading each build's files (partitions.yml,
regions.yml, each image's .config, pm_config.h and zephyr.dts; SOURCES.md
for provenance) and each static file against Partition Manager's and
MCUboot's code, never from this tool's output. For static files, the gap
rule was checked with the real NCS 2.7.0 ``partition_manager.py``
(``get_dynamic_area_start_and_size``) run over each file's flash_primary
partitions. Without the corpus these tests are skipped, except under CI (env
``CI`` set), where they fail (conftest.require_corpus).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, corpus_params, require_corpus
from extflash.errors import ArtefactError
from extflash.loaders.pm_yaml import load_yaml
from extflash.loaders.problems import schema_findings
from extflash.verify import verify_build

REAL_PM = CORPUS / "real-pm"
REAL_BUILDS = CORPUS / "real-builds"


def test_corpus_is_present_under_ci():
    """CI has ../shared beside the clone: a missing corpus is a failure there
    (conftest.require_corpus), never a silent skip of every verdict below."""
    require_corpus(REAL_BUILDS)
    require_corpus(REAL_PM)


# The one corpus file that is not YAML at all (FORMAT.md §1): PyYAML, and
# therefore Partition Manager, fail on it too.
NOT_YAML = {"Noy0908_delta_dfu__pm_static_nrf9160dk_nrf9160_ns.yml": "undefined alias"}

SWAP_MOVE_OK = ("the slot pair is equal, as swap-using-move (CONFIG_BOOT_SWAP_USING_MOVE=y in "
                "MCUboot) accepts")
NO_MCUBOOT = ("no MCUboot image and no mcuboot_* partition in partitions.yml "
              "(SB_CONFIG_BOOTLOADER_NONE or no MCUboot child image): no update slot to judge")
THINGY53 = ("Thingy:53 network-core update: mcuboot_secondary (0xe0000) and mcuboot_secondary_1 "
            "(0x40000) in external_flash equal mcuboot_primary and mcuboot_primary_1 (ram_flash), "
            "as overwrite-only (CONFIG_BOOT_UPGRADE_ONLY=y) needs; CONFIG_NORDIC_QSPI_NOR=y and "
            "CONFIG_FLASH_SIMULATOR=y in MCUboot; CONFIG_BOOT_MAX_IMG_SECTORS=2048 >= 224")

# build folder -> (codes, exit code, why). Every real build has an entry.
EXPECTED = {
    "Acakua__Provisioner-for-nrf54l15__build": ([], 0, f"NCS 3.0.1 nRF54L15 ns: {NO_MCUBOOT}"),
    "Botz-Limited__sensing_system-Zephyr__build": ([], 0, (
        "NCS 3.0.2 nRF5340 sysbuild: SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y and "
        "partitions.yml has mcuboot_secondary (0xe0000 at 0x6e0000) and mcuboot_secondary_1 "
        "(0x40000) in external_flash, equal to mcuboot_primary and mcuboot_primary_1 (ram_flash) "
        "as overwrite-only needs; region gated on CONFIG_NORDIC_QSPI_NOR, =y in MCUboot and "
        "sensing_fw; both devicetrees choose mx25r64 (okay); 224 sectors <= 2048")),
    "ElijahMaluleke__Smart_Water_Tap_Leakage_Controller_IoT_Project__build": ([], 0, (
        "NCS 2.1.0 child image, thingy53_nrf5340_cpuapp (secure application): pm_config.h names "
        "DT_N_S_soc_S_peripheral_50000000_S_qspi_2b000_S_mx25r6435f_0, a node both the app's "
        "and MCUboot's (secure) devicetrees have; " + THINGY53)),
    "ElijahMaluleke__a_smart_water_tap_v1__build": ([], 0, (
        "NCS 2.3.0 thingy91_nrf9160_ns: mcuboot_secondary internal, 0x69000 like the primary; "
        f"{SWAP_MOVE_OK}; 105 sectors <= 256")),
    "FinnWBiggs__MCUBoot_ExFat__build_dk": (["EXF201", "EXF204", "EXF301"], 1, (
        "NCS 2.5 child image: MCUboot has no nordic,pm-ext-flash chosen and "
        "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER off (its board conf turns QSPI NOR off), and "
        "CONFIG_BOOT_MAX_IMG_SECTORS=128 for a 976 KiB primary (244 sectors)")),
    "FinnWBiggs__mass_pm__build": ([], 0, f"NCS 2.5 nRF52840: {NO_MCUBOOT}; external_flash "
                                          "only holds fatfs_storage"),
    "FinnWBiggs__mini_desktop__build": ([], 0, (
        "NCS 2.5 nRF52840: MCUboot's CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY is not set, so "
        "its pm.yml asks for an internal mcuboot_secondary, and partitions.yml has it at 0x85000, "
        f"0x79000 like the primary; {SWAP_MOVE_OK}; 121 sectors <= 256")),
    "HamdanAli98__Zephyr__build": (["EXF103", "EXF201"], 1, (
        "NCS 1.7 legacy external flash: mcuboot_secondary has size 0x0 in the PM output "
        "(CONFIG_PM_PARTITION_SIZE_MCUBOOT_SECONDARY default 0, pre-1.8), which swap-using-move "
        "rejects, and MCUboot has no CONFIG_SPI_NOR for its W25Q32JV")),
    "Pierre3474__sdk-hsm-thingy53__samples__imu_udp_thingy53__build": ([], 0, (
        "child image thingy53_nrf5340_cpuapp, PM names DT_CHOSEN(nordic_pm_ext_flash) and both "
        "images choose mx25r64; " + THINGY53)),
    "Sailesh-003__Vitals_Monitoring_System_stage_5__build": ([], 0, (
        f"NCS 2.9.1 nRF52832: {NO_MCUBOOT}; littlefs_storage fills the 2 MiB external region")),
    "WesC-sys__ML_demo__build": ([], 0, (
        "child image thingy53 with TF-M (non-secure app) on NCS >= 2.2: DT_CHOSEN device, chosen "
        "present in MCUboot's devicetree; " + THINGY53)),
    "aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1": ([], 0, (
        "NCS 2.6 nRF52840 with the MX25R64 on SPI (jedec,spi-nor): CONFIG_SPI_NOR=y and "
        "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y in MCUboot, chosen in both images; "
        f"mcuboot_secondary 0xf0000 in external_flash; {SWAP_MOVE_OK}; 240 <= 2048")),
    "aHaugl__samples_for_NCS__bootloader__sysbuild__1_basic__2_chain__build52840": ([], 0, (
        "NCS 3.0.2 b0 + MCUboot on nRF52840: CONFIG_UPDATEABLE_IMAGE_NUMBER=2 is MCUboot's own "
        "s0/s1 update (CONFIG_MCUBOOT_MCUBOOT_IMAGE_NUMBER=1), not a network core; internal "
        f"mcuboot_secondary 0x6f000; {SWAP_MOVE_OK}; 111 sectors <= 128")),
    "abdullahjaved06__W25Q128JV-ZephyrRTOS__build": (["EXF102"], 1, (
        "the W25Q128 node's size is 0x1000000 bits = 2 MiB, so regions.yml's external_flash is "
        "2 MiB, while the static layout puts storagefs (16 MiB) and littlefs_storage beyond it; "
        "PM's own external_flash free partition gets a negative size")),
    "apcave__zephyr-xiao-nRF52840__build": ([], 0, (
        f"NCS 2.9.0 xiao_ble: internal mcuboot_secondary 0x7a000; {SWAP_MOVE_OK}; 122 <= 128")),
    "br4inn__CSSE4011__build": ([], 0, (
        "upstream Zephyr 4.1 devicetree partitions (no PM): slot0_partition and slot1_partition "
        "both 0x32000 in internal flash, swap-using-move, CONFIG_BOOT_MAX_IMG_SECTORS_AUTO")),
    "ds-dian-song__Zephyr-HOWTOs__smp_svr__build": ([], 0, (
        "NCS 2.0.2 child image for bl653_dvk whose CMakeCache.txt was not committed: no check "
        "needs the cache, so it is a note, not a finding (board from CONFIG_BOARD, images found "
        "from their zephyr/.config files; tests/test_evidence.py). "
        "The slot facts are all there and consistent: "
        "mcuboot_secondary 0x4c000 in external_flash on PM_MCUBOOT_SECONDARY_DEV_NAME "
        "\"W25Q128\", the label of w25q128jvsiq@0 on spi1 (okay) in MCUboot's devicetree; "
        "CONFIG_SPI_NOR=y in both images; primary 0x4c000; swap-using-scratch with a 0x1e000 "
        "mcuboot_scratch; 76 sectors <= 512")),
    "epietrowicz__nvs_mcuboot_sample__build": (["EXF102"], 1, (
        "user_storage at 0x80000-0x82000 on an nRF52832 with 512 KiB flash (regions.yml "
        "flash_primary size 0x80000)")),
    "ese5180__iot-venture-f25-helldivers__l9_e1__build": ([], 0, (
        "NCS 3.x nRF9151 DK with a GD25WB256 on SPI: CONFIG_SPI_NOR=y and the override in "
        "MCUboot, chosen (okay) in both images; mcuboot_secondary 0xf0000 external; "
        f"{SWAP_MOVE_OK}; 240 <= 512")),
    "joaodullius__asset_tracker_eseye__build": ([], 0, (
        f"NCS 1.5.1 nRF9160 DK ns: internal mcuboot_secondary 0x70000; {SWAP_MOVE_OK}; "
        "112 <= 128")),
    "justanotherkendrik__matter-sensor-example__build": ([], 0, (
        "NCS 2.2.0-rc1 nRF52840 Matter: mcuboot_secondary 0xf4000 in external_flash, chosen "
        "mx25r64 in both images, CONFIG_NORDIC_QSPI_NOR and CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER "
        f"=y in MCUboot; {SWAP_MOVE_OK}; 244 <= 256")),
    "kapcina69__Smart_watch__build": ([], 0, (
        f"NCS 2.9.1 nRF52840 DK: internal mcuboot_secondary 0x7a000; {SWAP_MOVE_OK}; 122 <= 128")),
    "kpath1999__bus-rtos__build": ([], 0, (
        f"NCS 2.7.0 actinius_icarus ns: internal mcuboot_secondary 0x78000; {SWAP_MOVE_OK}; "
        "120 <= 256 (the W25Q64 is not a slot device here)")),
    "krupis__Thingy91_learning__app_nrf52840__build": ([], 0, (
        f"NCS 2.5 thingy91_nrf52840: internal mcuboot_secondary 0x76000; {SWAP_MOVE_OK}; "
        "118 <= 128")),
    "manu897__Project-Carl__build": ([], 0, (
        "NCS 2.6.1 child image thingy53_nrf5340_cpuapp, DT_CHOSEN device with the chosen in both "
        "images; " + THINGY53)),
    "mitch680l__npm1300_testground__build": ([], 0, f"NCS 3.0.2 nRF9151: {NO_MCUBOOT}"),
    "mitch680l__thingy__build": ([], 0, (
        "NCS 3.0.2 thingy91x ns with b0: mcuboot_secondary 0xd0000 in external_flash equals "
        "mcuboot_primary; GD25LE255E (jedec,spi-nor, okay) chosen in every image, CONFIG_SPI_NOR "
        "and the override =y in MCUboot and its s1 copy; swap-using-move; 208 <= 512")),
    "mitch680l__thingy__build_1": (["EXF101", "EXF110"], 1, (
        "hand-written layout: mcuboot_primary is written without span (0x30000-0xffc00) although "
        "MCUboot's pm.yml makes it the container of mcuboot_pad and mcuboot_primary_app; "
        "mcuboot_primary_app runs to 0x100000 over encrypted_blob_*, tlv_pad and the TF-M storage "
        "partitions, which the next swap rewrites; encrypted_blob_end_pad overlaps tlv_pad. The "
        "secondary (0xd0000) and primary (0xcfc00) are both 208 sectors of 4 KiB: swap-using-move "
        "accepts that")),
    "nofrialhadi__thingy53__03_battery__build": ([], 0, (
        "thingy53 ns child image on NCS >= 2.2 (DT_CHOSEN, chosen in both images); " + THINGY53)),
    "nofrialhadi__thingy53__usb_network_interface__build": ([], 0, (
        "thingy53 ns child image on NCS >= 2.2 (DT_CHOSEN, chosen in both images); " + THINGY53)),
    "olofjohnsson__car-heater__build": ([], 0, (
        "NCS 3.1.1 thingy91x ns with b0: mcuboot_secondary 0xd0000 external equals the primary; "
        "GD25LE255E chosen (okay) in every image; CONFIG_SPI_NOR=y; swap-using-move; 208 <= 512")),
    "piyushalways__spi_flash_mx25u6432f__build": ([], 0, f"NCS 3.0.1 nRF54L15: {NO_MCUBOOT}"),
    "rs-muggino__peripheral-lbs-sysbuild__build": ([], 0, (
        f"NCS 2.7.0 nRF52832: internal mcuboot_secondary 0x39000; {SWAP_MOVE_OK}; 57 <= 128")),
    "shuhao-dong__BORUS__build": ([], 0, (
        "NCS 2.7.0 sysbuild thingy53 ns: region gated on CONFIG_NORDIC_QSPI_NOR (=y in MCUboot "
        "and BORUS), DT_CHOSEN device with the chosen in both images; " + THINGY53)),
    "soluwadara__nrf_less2_exer1__build": ([], 0, (
        "NCS 2.4.2 thingy53 ns child image (DT_CHOSEN, chosen in both images); " + THINGY53)),
    "taifur20__nrf_automation__build": (["EXF306"], 1, (
        "NCS 2.1.0 thingy53_nrf5340_cpuapp_ns: PM wrote the application's non-secure node path "
        "DT_N_S_soc_S_peripheral_40000000_S_qspi_2b000_S_mx25r6435f_0 as the device of both "
        "external slots into MCUboot's pm_config.h, but the secure MCUboot's devicetree has the "
        "chip at /soc/peripheral@50000000/qspi@2b000/mx25r6435f@0 (and no nordic,pm-ext-flash "
        "chosen): its flash map gets no device, so MCUboot cannot read any update")),
    "umts__embedded-departure-board__build": ([], 0, (
        f"NCS 2.2.0 feather nRF9160 ns: internal mcuboot_secondary 0x78000; {SWAP_MOVE_OK}; "
        "120 <= 256")),
    "vilaneuf__tek-app__build": ([], 0, (
        f"NCS <= 2.0 nRF5340 DK: internal mcuboot_secondary 0x78000; {SWAP_MOVE_OK}; 120 <= 128")),
    "wischmi2__pouch-node-ws__build": (["EXF102", "EXF104"], 1, (
        "the static layout's external_flash free-space partition runs to 0x1010000 while the "
        "P25Q16H region is 2 MiB (CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS=16777216): written for a "
        "16 MiB chip; and mcuboot_secondary is placed in external_flash by pm_static.yml while "
        "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY is not set (warning: the slot works, "
        "MCUboot has the QSPI driver)")),
}

# static file -> ({"severity:CODE"}, why) for `verify --static`. A static file
# does not say MCUboot's mode or the chip's flash size: rules that need them
# warn at most (slot sizes) or cannot run (the gap after the last partition).
STATIC_EXPECTED = {
    "AlexMihai1804_AutoWatering__pm_static.yml": ({"warning:EXF103"}, (
        "mcuboot_secondary 0x100000 vs mcuboot_primary 0xc4000: only some modes accept a larger "
        "secondary (swap-using-offset by one sector only); the mode is not in the file")),
    "Jagadeepram_App_Net_Core_FOTA_NCS_EXT_MEM__pm_static.yml": (
        {"error:EXF101", "warning:EXF103"}, (
            "settings_storage 0xf8000-0xfe000 overlaps nvs_storage and config_storage in "
            "flash_primary (two storage backends erasing each other); mcuboot_secondary_1 "
            "0x100000 vs mcuboot_primary_1 0x40000 is mode-dependent")),
    "Kumaillx_nrf_ota_demo__pm_static.yml": ({"error:EXF110"}, (
        "mcuboot_primary is a plain partition 0x10000-0x80000 (no span): nothing can be placed "
        "in it; with mcuboot, mcuboot_secondary and storage the file fills the nRF52840's 1 MiB, "
        "and the real partition_manager.py finds no gap for app (PartitionError)")),
    "S-Sushka_nrf_ble_mobile__pm_static.yml": ({"error:EXF110"}, (
        "not Partition Manager format: everything is nested under one top-level 'partitions' "
        "key, which PM reads as a partition with no address and no size")),
    "edgeimpulse_firmware-nordic-nrf54l15dk__pm_static_nrf54l15dk_nrf54l15_cpuapp.yml": (
        {"warning:EXF103"}, ("mcuboot_secondary 0xe0000 vs primary 0x145000: valid only for "
                             "compressed images; the file does not say the mode")),
    "pirun_delta_dfu__pm_static_nrf54l15pdk_nrf54l15_cpuapp.yml": ({"warning:EXF103"}, (
        "delta DFU layout with a deliberately smaller secondary (0x70000 vs 0x100000): "
        "mode-dependent")),
    "pirun_delta_dfu__pm_static_nrf9160dk_nrf9160_ns.yml": ({"warning:EXF103"}, (
        "delta DFU layout with a deliberately smaller secondary (0x50000 vs 0xa0000): "
        "mode-dependent")),
    "sdk-nrf__applications__nrf_desktop__configuration__nrf52820dongle_nrf52820__pm_static_"
    "ZReleaseMCUBoot.yml": ({"warning:EXF103"}, (
        "app's static address/size (past the 256 KiB chip) are ignored by PM, which gives app "
        "the one gap 0xd200-0x3d000 inside mcuboot_primary; mcuboot_secondary is a 4 KiB stub, "
        "which only a single-slot configuration tolerates: mode-dependent")),
    "sdk-nrf__applications__pelion_client__configuration__nrf5340dk_nrf5340_cpuapp_ns__"
    "pm_static.yml": ({"error:EXF101"}, (
        "the frozen mcuboot_primary/mcuboot_primary_app containers run to 0x102000, over "
        "pelion_storage and settings_storage (and past the 1 MiB flash): the next swap rewrites "
        "both storage partitions")),
    "sdk-nrf__boards__nordic__thingy91x__thingy91x_nrf5340_pm_static_ext_flash.yml": (
        {"error:EXF101"}, (
            "tfm_nonsecure is a plain partition 0x38000-0x100000 lying in the frozen "
            "mcuboot_primary (ends 0xfc000) and over settings_storage; the real "
            "partition_manager.py (v2.7.0, same code on main) finds no gap for app in this file")),
    "sdk-nrf__tests__subsys__nrf_compress__decompression__mcuboot_update__pm_static_nrf52840dk_"
    "nrf52840.yml": ({"warning:EXF103"}, (
        "compressed-image test layout: secondary 0x4e000 vs primary 0x91000 is valid with "
        "CONFIG_BOOT_DECOMPRESSION, which the file cannot show")),
    "theIdeaMen_datadisc__pm_static.yaml": ({"error:EXF110"}, (
        "external_flash has size: CONFIG_PM_EXTERNAL_FLASH_SIZE, a Kconfig name PM does not "
        "expand in static files")),
    "vitalthings_nrf53_update__pm_static.yml": ({"warning:EXF101"}, (
        "mcuboot_secondary_1 is deliberately placed inside mcuboot_secondary (the file's comment "
        "says so): two update slots sharing bytes can never hold pending updates together, which "
        "is a limitation, not a broken boot")),
}

# Every other static file has no finding. Why, in groups (checked by hand and
# with the real partition_manager.py gap search on each file):
STATIC_CLEAN_REASON = (
    "leaf partitions of each region are disjoint once containers (span/inside), region "
    "placeholders (external_flash, sram_primary, ram_flash), EMPTY_n alignment gaps and app "
    "(ignored by PM in static files) are set aside; every mcuboot_secondary[_n] has the size of "
    "its primary (or the primary is left to PM); every address and size is a number; the "
    "flash_primary partitions leave one gap for app. Files naming a part in 'device' (MX25U32 "
    "with partitions to 8 MiB in theIdeaMen's boards file) or ending before the chip's end "
    "(Botz's hand-written file) would need the chip's size, which a static file does not give")


def _pm_files() -> list[Path]:
    return sorted(p for p in REAL_PM.glob("*.y*ml")) if REAL_PM.is_dir() else []


@pytest.mark.parametrize("path", corpus_params("real-pm", pattern="*.y*ml"))
def test_every_real_pm_file_passes_the_partitions_schema(path):
    require_corpus(path)
    try:
        data = load_yaml(path, "pm_static.yml")
    except ArtefactError as e:
        assert path.name in NOT_YAML and NOT_YAML[path.name] in str(e)
        return
    assert path.name not in NOT_YAML
    assert schema_findings(data, "partitions", path.name) == []


def _builds() -> list[Path]:
    return sorted(p for p in REAL_BUILDS.iterdir() if p.is_dir()) if REAL_BUILDS.is_dir() else []


@pytest.mark.parametrize("build", corpus_params("real-builds", dirs=True))
def test_real_build_files_pass_their_schemas(build):
    require_corpus(build)
    for path in build.glob("partitions*.yml"):
        assert schema_findings(load_yaml(path, "x"), "partitions", path.name) == []
    for path in build.glob("regions*.yml"):
        assert schema_findings(load_yaml(path, "x"), "regions", path.name) == []
    if (build / "domains.yaml").is_file():
        assert schema_findings(load_yaml(build / "domains.yaml", "x"), "domains", "d") == []


@pytest.mark.parametrize("build", corpus_params("real-builds", dirs=True))
def test_real_build_verifies_with_the_recorded_findings(build):
    require_corpus(build)
    report = verify_build(build)
    assert report.verified
    # EXF012 mcuboot-absent / EXF013 secondary-internal: held against SOURCES.md
    # in tests/test_evidence.py
    codes = sorted({f.code for f in report.findings} - {"EXF012", "EXF013"})
    expected, exit_code, _why = EXPECTED[build.name]
    assert codes == expected, [f"{f.code} {f.image}: {f.message}" for f in report.findings]
    assert report.exit_code == exit_code


def test_every_real_build_has_a_reasoned_verdict():
    require_corpus(REAL_BUILDS)
    assert set(EXPECTED) == {b.name for b in _builds()}
    assert all(why for _codes, _exit, why in EXPECTED.values())


def test_every_static_verdict_names_a_real_file():
    require_corpus(REAL_PM)
    assert set(STATIC_EXPECTED) <= {p.name for p in _pm_files()}


@pytest.mark.parametrize("path", corpus_params("real-pm", pattern="*.y*ml"))
def test_every_real_pm_file_lints_with_its_verdict(path):
    """``verify --static`` on real static files: the recorded verdict, or one
    clear error for the file that is not YAML."""
    from extflash.verify import lint_static

    require_corpus(path)
    try:
        report = lint_static(path)
    except ArtefactError as e:
        assert path.name in NOT_YAML and str(e).startswith(str(path))
        return
    found = {f"{f.severity}:{f.code}" for f in report.findings}
    expected, _why = STATIC_EXPECTED.get(path.name, (set(), STATIC_CLEAN_REASON))
    assert found == expected, [f"{f.severity} {f.code}: {f.message}" for f in report.findings]
    assert report.exit_code == (1 if any(e.startswith("error") for e in expected) else 0)


# One root cause, one finding (re-judged for issue 8): what an NCS developer
# fixes with one edit is reported once, naming every partition it moves.
ONE_CAUSE = {
    # the W25Q128's node says 0x1000000 bits (2 MiB, CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS=16777216
    # in the application's .config) while pm_static.yml was written for the 16 MiB chip:
    # storagefs, littlefs_storage and PM's free external_flash all lie beyond 0x200000
    "abdullahjaved06__W25Q128JV-ZephyrRTOS__build": (
        "partition-out-of-region",
        ("storagefs", "littlefs_storage", "external_flash", "CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS")),
    # the static mcuboot_primary_app runs to 0x100000 over the TF-M storage, encrypted_blob_*
    # and tlv_pad partitions added below the end of flash: one container, one fix
    "mitch680l__thingy__build_1": (
        "partition-overlap",
        ("tfm_its", "tfm_otp_nv_counters", "tfm_ps", "encrypted_blob_slot0", "encrypted_blob_pad",
         "encrypted_blob_slot1", "encrypted_blob_end_pad", "tlv_pad", "mcuboot_primary_app",
         "0xe0000")),
}


@pytest.mark.parametrize("name", sorted(ONE_CAUSE))
def test_one_cause_is_one_finding(name):
    require_corpus(REAL_BUILDS)
    check, words = ONE_CAUSE[name]
    found = [f for f in verify_build(REAL_BUILDS / name).findings
             if f.name == check and all(w in f.message + f.hint for w in words)]
    assert len(found) == 1, [f.message for f in verify_build(REAL_BUILDS / name).findings]
