"""nRF9160 DK (board revision 0.14.0) with the MX25R6435F on the Arduino SPI
bus: sysbuild NCS 2.8, the generation (G2) whose sysbuild external region is
gated on CONFIG_NORDIC_QSPI_NOR, so SPI-NOR boards need
SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK (ncs-facts §1, §5, §8, F5)."""

from __future__ import annotations

from fixturegen.dts import DtsSources, FixedPartitions, PartitionEntry
from fixturegen.pm import Part, PmDomain, Reg
from fixturegen.spec import BuildSpec, ImageSpec

EXT = "DT_CHOSEN(nordic_pm_ext_flash)"
OVERRIDE = "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK"
BOARD_DTSI = "zephyr/boards/nordic/nrf9160dk/nrf9160dk_nrf9160_common_0_14_0.dtsi"


def _mx25r64(peripheral: str = "peripheral@40000000") -> tuple:
    """The board revision 0.14.0 node: on spi3 (arduino_spi), disabled."""
    return (f"/soc/{peripheral}/spi@b000/mx25r6435f@1", ("mx25r64",), (
        ("compatible", '"jedec,spi-nor"'), ("status", '"disabled"'), ("reg", "< 0x1 >"),
        ("spi-max-frequency", "< 0x7a1200 >"), ("jedec-id", "[ C2 28 17 ]"),
        ("sfdp-bfp", "[ E5 20 F1 FF FF FF FF 03 44 EB 08 6B 08 3B 04 BB EE FF FF FF FF FF "
                     "00 FF FF FF 00 FF 0C 20 0F 52 10 D8 00 FF 23 72 F5 00 82 ED 04 CC 44 "
                     "83 48 44 30 B0 30 B0 F7 C4 D5 5C 00 BE 29 FF F0 D0 FF FF ]"),
        ("size", "< 0x4000000 >"), ("has-dpd", None), ("t-enter-dpd", "< 0x2710 >"),
        ("t-exit-dpd", "< 0x88b8 >")), BOARD_DTSI)


def nrf9160dk_spi_nor() -> BuildSpec:
    ws = "/home/dev/ncs/v2.8.0"
    app_dir = f"{ws}/nrf/samples/cellular/modem_shell"
    origin = f"{app_dir}/build"
    board_file = "nrf9160dk_nrf9160_ns"
    app_overlay = "nrf/samples/cellular/modem_shell/boards/nrf9160dk_nrf9160_ns_0_14_0.overlay"
    mcuboot_overlay = "nrf/samples/cellular/modem_shell/sysbuild/mcuboot.overlay"

    def sources(overlay):
        return DtsSources("zephyr/dts/arm/nordic/nrf9160ns_laca.dtsi",
                          f"zephyr/boards/nordic/nrf9160dk/{board_file}.dts",
                          "zephyr/boards/nordic/nrf9160dk/nrf9160dk_nrf9160-pinctrl.dtsi", overlay)

    parts = FixedPartitions("flash0", tuple(PartitionEntry(*e) for e in (
        ("boot_partition", "mcuboot", 0x0, 0x10000), ("slot0_partition", "image-0", 0x10000,
                                                      0x40000),
        ("slot0_ns_partition", "image-0-nonsecure", 0x50000, 0x30000),
        ("slot1_partition", "image-1", 0x80000, 0x40000),
        ("slot1_ns_partition", "image-1-nonsecure", 0xc0000, 0x30000),
        ("storage_partition", "storage", 0xfa000, 0x6000))),
        "zephyr/dts/common/nordic/nrf91xx_partition.dtsi")
    chosen = {"zephyr,flash": "flash0", "zephyr,sram": "sram0_ns_app", "zephyr,console": "uart0",
              "zephyr,flash-controller": "flash_controller", "nordic,pm-ext-flash": "mx25r64"}
    soc = {"CONFIG_SOC": "nrf9160", "CONFIG_SOC_SERIES_NRF91X": True, "CONFIG_SOC_NRF9160": True,
           "CONFIG_SOC_NRF9160_SICA": True, "CONFIG_FLASH_SIZE": 1024,
           "CONFIG_FLASH_BASE_ADDRESS": "0x0", "CONFIG_SOC_FLASH_NRF": True, "CONFIG_ARM": True,
           "CONFIG_CPU_CORTEX_M33": True, "CONFIG_BOARD": "nrf9160dk",
           "CONFIG_BOARD_REVISION": "0.14.0"}
    spi_nor = {"CONFIG_SPI": True, "CONFIG_SPI_NOR": True, "CONFIG_SPI_NOR_SFDP_DEVICETREE": True,
               "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 4096, "CONFIG_NORDIC_QSPI_NOR": False,
               OVERRIDE: True, "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER": True,
               "CONFIG_PM_EXTERNAL_FLASH_ENABLED": True,
               "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True, "CONFIG_FLASH": True,
               "CONFIG_FLASH_MAP": True, "CONFIG_DT_HAS_JEDEC_SPI_NOR_ENABLED": True}
    app = ImageSpec(
        "modem_shell", "app", "modem_shell", "nrf9160dk@0.14.0/nrf9160/ns", "nrf91x1_ns",
        sources(app_overlay),
        kconfig=soc | spi_nor | {"CONFIG_BOARD_NRF9160DK_NRF9160_NS": True,
                                 "CONFIG_BOOTLOADER_MCUBOOT": True, "CONFIG_BUILD_WITH_TFM": True,
                                 "CONFIG_TRUSTED_EXECUTION_NONSECURE": True,
                                 "CONFIG_NRF_MODEM_LIB": True},
        chosen=chosen | {"zephyr,code-partition": "slot0_ns_partition"},
        status={"mx25r64": "okay"}, extra_nodes=(_mx25r64(),), partitions=(parts,),
        pm_partition="app", sram=(0x2000c4e8, 0x33b18), source_dir=app_dir)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", "nrf9160dk@0.14.0/nrf9160", "nrf91x1_ns",
        sources(mcuboot_overlay),
        kconfig=soc | spi_nor | {"CONFIG_BOARD_NRF9160DK_NRF9160": True, "CONFIG_MCUBOOT": True,
                                 "CONFIG_BOOT_MAX_IMG_SECTORS": 256,
                                 "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": False,
                                 "CONFIG_BOOT_SWAP_USING_MOVE": True, "CONFIG_MULTITHREADING": True,
                                 "CONFIG_UPDATEABLE_IMAGE_NUMBER": 1,
                                 "CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256": True},
        chosen=chosen | {"zephyr,code-partition": "boot_partition"},
        chosen_sources={"zephyr,code-partition": mcuboot_overlay},
        status={"mx25r64": "okay"}, extra_nodes=(_mx25r64("peripheral@50000000"),),
        partitions=(parts,), pm_partition="mcuboot",
        source_dir=f"{ws}/bootloader/mcuboot/boot/zephyr", peripheral_base=0x50000000)
    domain = PmDomain("", [
        Part("EMPTY_0", 0xf2000, 0xe000),
        Part("app", 0x14000, 0xd4000),
        Part("external_flash", 0xdc000, 0x724000, "external_flash"),
        Part("mcuboot", 0x0, 0xc000, placement={"before": ["mcuboot_primary"]}),
        Part("mcuboot_pad", 0xc000, 0x200, placement={"align": {"start": 0x8000},
                                                         "before": ["mcuboot_primary_app"]}),
        Part("mcuboot_primary", 0xc000, 0xdc000, span=("mcuboot_pad", "tfm", "app")),
        Part("mcuboot_primary_app", 0xc200, 0xdbe00, span=("tfm", "app")),
        Part("mcuboot_secondary", 0x0, 0xdc000, "external_flash", device=EXT,
             placement={"align": {"start": 0x4}}, share_size=("mcuboot_primary",)),
        Part("nonsecure_storage", 0xf0000, 0x2000, span=("settings_storage",)),
        Part("nrf_modem_lib_ctrl", 0x20008000, 0x4e8, "sram_primary", inside=("sram_nonsecure",)),
        Part("nrf_modem_lib_rx", 0x2000a4e8, 0x2000, "sram_primary", inside=("sram_nonsecure",)),
        Part("nrf_modem_lib_sram", 0x20008000, 0x44e8, "sram_primary",
             span=("nrf_modem_lib_ctrl", "nrf_modem_lib_tx", "nrf_modem_lib_rx")),
        Part("nrf_modem_lib_tx", 0x200084e8, 0x2000, "sram_primary", inside=("sram_nonsecure",)),
        Part("otp", 0xff8108, 0x2f4, "otp"),
        Part("settings_storage", 0xf0000, 0x2000, inside=("nonsecure_storage",)),
        Part("sram_nonsecure", 0x20008000, 0x38000, "sram_primary",
             span=("sram_primary", "nrf_modem_lib_sram")),
        Part("sram_primary", 0x2000c4e8, 0x33b18, "sram_primary"),
        Part("sram_secure", 0x20000000, 0x8000, "sram_primary", span=("tfm_sram",)),
        Part("tfm", 0xc200, 0x7e00, inside=("mcuboot_primary_app",)),
        Part("tfm_its", 0xe8000, 0x2000, inside=("tfm_storage",)),
        Part("tfm_nonsecure", 0x14000, 0xd4000, span=("app",)),
        Part("tfm_otp_nv_counters", 0xea000, 0x2000, inside=("tfm_storage",)),
        Part("tfm_ps", 0xec000, 0x4000, inside=("tfm_storage",)),
        Part("tfm_secure", 0xc000, 0x8000, span=("mcuboot_pad", "tfm")),
        Part("tfm_sram", 0x20000000, 0x8000, "sram_primary", inside=("sram_secure",)),
        Part("tfm_storage", 0xe8000, 0x8000, span=("tfm_its", "tfm_otp_nv_counters", "tfm_ps")),
    ], [
        Reg("external_flash", 0x0, 0x800000, EXT, OVERRIDE, "start_to_end"),
        Reg("flash_primary", 0x0, 0x100000, "flash_controller", "CONFIG_SOC_FLASH_NRF"),
        Reg("otp", 0xff8108, 0x2f4, strategy="start_to_end"),
        Reg("sram_primary", 0x20000000, 0x40000, dynamic_partition="sram_primary"),
    ])
    return BuildSpec(
        name="nrf9160dk-spi-nor", layout="sysbuild", ncs_version="2.8.0", zephyr_version="3.7.99",
        board="nrf9160dk@0.14.0/nrf9160/ns", origin=origin, app_dir=app_dir, workspace=ws,
        images=[app, mcuboot], domains=[domain],
        sysbuild={"SB_CONFIG_BOARD": "nrf9160dk", "SB_CONFIG_BOARD_REVISION": "0.14.0",
                  "SB_CONFIG_BOARD_NRF9160DK_NRF9160_NS": True,
                  "SB_CONFIG_BOARD_QUALIFIERS": "nrf9160/ns", "SB_CONFIG_SOC": "nrf9160",
                  "SB_CONFIG_SOC_SERIES": "nrf91", "SB_CONFIG_PARTITION_MANAGER": True,
                  "SB_CONFIG_PM_MCUBOOT_PAD": "0x200",
                  "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True,
                  "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": True,
                  "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
                  "SB_CONFIG_MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH": True,
                  "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 1},
        provenance={
            "name": "nrf9160dk-spi-nor",
            "ncs_version": "2.8.0 (Zephyr 3.7.99)",
            "board": "nrf9160dk@0.14.0/nrf9160/ns (nRF9160 DK, PCA10090, revision 0.14.0): "
                     "MX25R6435F on spi3 (Arduino SPI), disabled in the board, enabled by overlays",
            "layout": "sysbuild with Partition Manager, generation G2: the external region is "
                      "gated on CONFIG_NORDIC_QSPI_NOR, so this SPI-NOR board sets "
                      "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y (region gate becomes "
                      "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK)",
            "west_build": "west build -b nrf9160dk@0.14.0/nrf9160/ns "
                          "nrf/samples/cellular/modem_shell "
                          "-- -DSB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y "
                          "-DSB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y",
            "modelled_on": [
                "NCS doc nrf9160_external_flash: CONFIG_SPI, CONFIG_SPI_NOR, "
                "CONFIG_SPI_NOR_SFDP_DEVICETREE, CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK, "
                "&mx25r64 { status = \"okay\"; } and the chosen in app and MCUboot (ncs-facts 8)",
                "sysbuild partition_manager.cmake 2.5-3.0 region gate (ncs-facts 4.3, F5)",
                "nRF91 non-secure TF-M layout (tfm_secure/tfm_nonsecure/tfm_storage, "
                "nrf_modem_lib_* in sram_nonsecure) as PM writes it for *_ns builds",
                "devicetree: nRF91x1 node model (application: non-secure peripheral@40000000; "
                "MCUboot: secure peripheral@50000000) plus the board revision 0.14.0 flash "
                "node (nrf9160dk_nrf9160_common_0_14_0.dtsi)"],
            "generated_by": "python -m fixturegen (tests/fixturegen)",
        })
