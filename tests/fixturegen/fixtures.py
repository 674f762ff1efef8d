"""The committed clean fixtures: each function returns a fresh BuildSpec.

Modelled on sdk-nrf ``tests/modules/mcuboot/external_flash`` (the test NCS
keeps for exactly this setup) and on sdk-nrf/sdk-mcuboot facts recorded in
shared/reference/ncs-facts.md (sections 2, 4, 5, 7, 8); see each spec's
``provenance``.
"""

from __future__ import annotations

from fixturegen.dts import DtsSources, FixedPartitions, PartitionEntry
from fixturegen.pm import Part, PmDomain, Reg
from fixturegen.spec import BuildSpec, ImageSpec

EXT = "DT_CHOSEN(nordic_pm_ext_flash)"
HAS_DRIVER = "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER"
WS = "/home/dev/ncs/v{v}"


def _sources(soc: str, board_dir: str, board_file: str, overlay: str) -> DtsSources:
    return DtsSources(soc=f"zephyr/dts/arm/nordic/{soc}.dtsi",
                      board=f"zephyr/boards/nordic/{board_dir}/{board_file}.dts",
                      pinctrl=f"zephyr/boards/nordic/{board_dir}/{board_file}-pinctrl.dtsi",
                      overlay=overlay)


def _board_partitions(parent: str, source: str, table) -> FixedPartitions:
    return FixedPartitions(parent, tuple(PartitionEntry(*e) for e in table), source)


NRF52840DK_PARTITIONS = (("boot_partition", "mcuboot", 0x0, 0xc000),
                         ("slot0_partition", "image-0", 0xc000, 0x77000),
                         ("slot1_partition", "image-1", 0x83000, 0x75000),
                         ("storage_partition", "storage", 0xf8000, 0x8000))


def _soc_kconfig(soc: str) -> dict:
    return {
        "nrf52840": {"CONFIG_SOC": "nrf52840", "CONFIG_SOC_SERIES_NRF52X": True,
                     "CONFIG_SOC_NRF52840": True, "CONFIG_SOC_NRF52840_QIAA": True,
                     "CONFIG_FLASH_SIZE": 1024, "CONFIG_FLASH_BASE_ADDRESS": "0x0",
                     "CONFIG_SOC_FLASH_NRF": True, "CONFIG_ARM": True,
                         "CONFIG_CPU_CORTEX_M4": True},
        "nrf5340_cpuapp": {"CONFIG_SOC": "nrf5340", "CONFIG_SOC_SERIES_NRF53X": True,
                           "CONFIG_SOC_NRF5340_CPUAPP": True,
                               "CONFIG_SOC_NRF5340_CPUAPP_QKAA": True,
                           "CONFIG_FLASH_SIZE": 1024, "CONFIG_FLASH_BASE_ADDRESS": "0x0",
                           "CONFIG_SOC_FLASH_NRF": True, "CONFIG_ARM": True,
                           "CONFIG_CPU_CORTEX_M33": True},
        "nrf5340_cpunet": {"CONFIG_SOC": "nrf5340", "CONFIG_SOC_SERIES_NRF53X": True,
                           "CONFIG_SOC_NRF5340_CPUNET": True,
                               "CONFIG_SOC_NRF5340_CPUNET_QKAA": True,
                           "CONFIG_FLASH_SIZE": 256, "CONFIG_FLASH_BASE_ADDRESS": "0x1000000",
                           "CONFIG_SOC_FLASH_NRF": True, "CONFIG_ARM": True,
                           "CONFIG_CPU_CORTEX_M33": True},
        "nrf54l15_cpuapp": {"CONFIG_SOC": "nrf54l15", "CONFIG_SOC_SERIES_NRF54LX": True,
                            "CONFIG_SOC_NRF54L15": True, "CONFIG_SOC_NRF54L15_CPUAPP": True,
                            "CONFIG_FLASH_SIZE": 1524, "CONFIG_FLASH_BASE_ADDRESS": "0x0",
                            "CONFIG_SOC_FLASH_NRF_RRAM": True, "CONFIG_ARM": True,
                            "CONFIG_CPU_CORTEX_M33": True},
    }[soc]


def _app_kconfig(board_symbol: str, soc: str, driver: dict, ext_secondary: bool = True) -> dict:
    cfg = {"CONFIG_BOARD": board_symbol.split(":")[0],
           f"CONFIG_BOARD_{board_symbol.split(':')[1]}": True}
    cfg |= _soc_kconfig(soc)
    cfg |= {"CONFIG_BOOTLOADER_MCUBOOT": True, "CONFIG_MCUBOOT_BOOTUTIL_LIB": True,
            "CONFIG_FLASH": True, "CONFIG_FLASH_MAP": True,
            "CONFIG_PM_EXTERNAL_FLASH_ENABLED": True,
            "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": ext_secondary,
            HAS_DRIVER: True, "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": False,
            "CONFIG_ZTEST": True, "CONFIG_MAIN_STACK_SIZE": 1024}
    return cfg | driver


def _mcuboot_kconfig(board_symbol: str, soc: str, driver: dict, sectors: int, mode: str) -> dict:
    cfg = {"CONFIG_BOARD": board_symbol.split(":")[0],
           f"CONFIG_BOARD_{board_symbol.split(':')[1]}": True}
    cfg |= _soc_kconfig(soc)
    cfg |= {"CONFIG_MCUBOOT": True, "CONFIG_BOOT_MAX_IMG_SECTORS": sectors,
            "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": False,
            "CONFIG_BOOT_SWAP_USING_MOVE": mode == "move",
            "CONFIG_BOOT_UPGRADE_ONLY": mode == "overwrite",
            "CONFIG_BOOT_SWAP_USING_SCRATCH": False,
            "CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256": True, "CONFIG_FLASH": True,
            "CONFIG_FLASH_MAP": True, "CONFIG_PM_EXTERNAL_FLASH_ENABLED": True,
            "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True, HAS_DRIVER: True,
            "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": False, "CONFIG_MULTITHREADING": False,
            "CONFIG_MAIN_STACK_SIZE": 10240, "CONFIG_MCUBOOT_SERIAL": True,
            "CONFIG_UPDATEABLE_IMAGE_NUMBER": 1, "CONFIG_BOOT_ERASE_PROGRESSIVELY": True}
    return cfg | driver


QSPI_DRIVER = {"CONFIG_NORDIC_QSPI_NOR": True,
               "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 4096,
               "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE": 16, "CONFIG_NRFX_QSPI": True,
               "CONFIG_FLASH_JESD216": True, "CONFIG_SPI_NOR": False,
               "CONFIG_DT_HAS_NORDIC_QSPI_NOR_ENABLED": True}
SPI_NOR_DRIVER = {"CONFIG_SPI": True, "CONFIG_SPI_NOR": True,
                  "CONFIG_SPI_NOR_SFDP_DEVICETREE": True,
                  "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 4096, "CONFIG_NORDIC_QSPI_NOR": False,
                  "CONFIG_FLASH_JESD216": True, "CONFIG_DT_HAS_JEDEC_SPI_NOR_ENABLED": True}


def _nrf52840_domain(kconfig: str, with_end_address=True) -> PmDomain:
    return PmDomain("", [
        Part("app", 0xc200, 0xf3e00),
        Part("external_flash", 0xf4000, 0x70c000, "external_flash"),
        Part("mcuboot", 0x0, 0xc000, placement={"before": ["mcuboot_primary"]}),
        Part("mcuboot_pad", 0xc000, 0x200, placement={"align": {"start": 0x1000},
                                                         "before": ["mcuboot_primary_app"]}),
        Part("mcuboot_primary", 0xc000, 0xf4000, span=("app", "mcuboot_pad")),
        Part("mcuboot_primary_app", 0xc200, 0xf3e00, span=("app",)),
        Part("mcuboot_secondary", 0x0, 0xf4000, "external_flash", device=EXT,
             placement={"align": {"start": 0x4}}, share_size=("mcuboot_primary",)),
        Part("sram_primary", 0x20000000, 0x40000, "sram_primary"),
    ], [
        Reg("external_flash", 0x0, 0x800000, EXT, kconfig, "start_to_end"),
        Reg("flash_primary", 0x0, 0x100000, "flash_controller", "CONFIG_SOC_FLASH_NRF"),
        Reg("sram_primary", 0x20000000, 0x40000, dynamic_partition="sram_primary"),
    ])


def nrf52840dk_sysbuild() -> BuildSpec:
    ws = WS.format(v="3.1.0")
    app_dir = f"{ws}/nrf/tests/modules/mcuboot/external_flash"
    origin = f"{app_dir}/build_nrf52840dk"
    board_file = "nrf52840dk_nrf52840"
    app_overlay = "nrf/tests/modules/mcuboot/external_flash/boards/nrf52840dk_nrf52840.overlay"
    mcuboot_overlay = ("nrf/tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/"
                       "nrf52840dk_nrf52840.overlay")
    board_parts = _board_partitions("flash0", f"zephyr/boards/nordic/nrf52840dk/{board_file}.dts",
                                    NRF52840DK_PARTITIONS)
    chosen = {"zephyr,entropy": "cryptocell", "zephyr,flash-controller": "flash_controller",
              "zephyr,console": "uart0", "zephyr,shell-uart": "uart0",
                  "zephyr,uart-mcumgr": "uart0",
              "zephyr,sram": "sram0", "zephyr,flash": "flash0", "nordic,pm-ext-flash": "mx25r64"}
    app = ImageSpec(
        "external_flash", "app", "external_flash", "nrf52840dk/nrf52840", "nrf52840dk",
        _sources("nrf52840", "nrf52840dk", board_file, app_overlay),
        kconfig=_app_kconfig("nrf52840dk:NRF52840DK", "nrf52840", QSPI_DRIVER),
        chosen=chosen | {"zephyr,code-partition": "slot0_partition"},
        partitions=(board_parts,), pm_partition="app", source_dir=app_dir)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", "nrf52840dk/nrf52840", "nrf52840dk",
        _sources("nrf52840", "nrf52840dk", board_file, mcuboot_overlay),
        kconfig=_mcuboot_kconfig("nrf52840dk:NRF52840DK", "nrf52840", QSPI_DRIVER, 256, "move"),
        chosen=chosen | {"zephyr,code-partition": "boot_partition"},
        chosen_sources={"zephyr,code-partition": mcuboot_overlay},
        partitions=(board_parts,), pm_partition="mcuboot",
        source_dir=f"{ws}/bootloader/mcuboot/boot/zephyr")
    return BuildSpec(
        name="nrf52840dk-sysbuild", layout="sysbuild", ncs_version="3.1.0",
        zephyr_version="4.1.99", board="nrf52840dk/nrf52840", origin=origin, app_dir=app_dir,
        workspace=ws, images=[app, mcuboot],
        domains=[_nrf52840_domain(HAS_DRIVER)],
        sysbuild={"SB_CONFIG_BOARD": "nrf52840dk", "SB_CONFIG_BOARD_NRF52840DK": True,
                  "SB_CONFIG_BOARD_QUALIFIERS": "nrf52840", "SB_CONFIG_SOC": "nrf52840",
                  "SB_CONFIG_SOC_SERIES": "nrf52", "SB_CONFIG_SOC_SERIES_NRF52X": True,
                  "SB_CONFIG_PARTITION_MANAGER": True, "SB_CONFIG_PM_MCUBOOT_PAD": "0x200",
                  "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True,
                  "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": False,
                  "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
                      "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE": True,
                  "SB_CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256": True,
                  "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 1, "SB_CONFIG_NETCORE_NONE": True},
        provenance={
            "name": "nrf52840dk-sysbuild",
            "ncs_version": "3.1.0 (Zephyr 4.1.99)",
            "board": "nrf52840dk/nrf52840 (nRF52840 DK, PCA10056), MX25R6435F on QSPI",
            "layout": "sysbuild with Partition Manager (generation G3: region gated on "
                      "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER)",
            "west_build": "west build -b nrf52840dk/nrf52840 "
                          "nrf/tests/modules/mcuboot/external_flash "
                          "-d build_nrf52840dk",
            "modelled_on": [
                "sdk-nrf tests/modules/mcuboot/external_flash (Era C, NCS 3.0-3.3): "
                "Kconfig.sysbuild "
                "defaults SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y on nrf52840dk; "
                "sysbuild/mcuboot/prj.conf with CONFIG_BOOT_MAX_IMG_SECTORS=256; board overlays "
                "with nordic,pm-ext-flash = &mx25r64 in app and MCUboot",
                "Partition Manager output format as reproduced from partition_manager.py / "
                "partition_manager_output.py (ncs-facts 4.2-4.4)",
                "devicetree: nRF52840 DK node model (fixturegen/boards/nrf52840dk.py)"],
            "generated_by": "python -m fixturegen (tests/fixturegen)",
        })


def nrf52840dk_child_image() -> BuildSpec:
    ws = WS.format(v="2.6.0")
    app_dir = f"{ws}/nrf/tests/modules/mcuboot/external_flash"
    origin = f"{app_dir}/build"
    board_file = "nrf52840dk_nrf52840"
    app_overlay = "nrf/tests/modules/mcuboot/external_flash/boards/nrf52840dk_nrf52840.overlay"
    mcuboot_overlay = ("nrf/tests/modules/mcuboot/external_flash/child_image/mcuboot/boards/"
                       "nrf52840dk_nrf52840.overlay")
    board_parts = _board_partitions("flash0",
                                    f"zephyr/boards/arm/nrf52840dk_nrf52840/{board_file}.dts",
                                    NRF52840DK_PARTITIONS)
    chosen = {"zephyr,entropy": "cryptocell", "zephyr,flash-controller": "flash_controller",
              "zephyr,console": "uart0", "zephyr,sram": "sram0", "zephyr,flash": "flash0",
              "nordic,pm-ext-flash": "mx25r64"}
    sources = DtsSources(soc="zephyr/dts/arm/nordic/nrf52840.dtsi",
                         board=f"zephyr/boards/arm/nrf52840dk_nrf52840/{board_file}.dts",
                         pinctrl=f"zephyr/boards/arm/nrf52840dk_nrf52840/{board_file}-pinctrl.dtsi",
                         overlay=app_overlay)
    app_kconfig = _app_kconfig("nrf52840dk_nrf52840:NRF52840DK_NRF52840", "nrf52840", QSPI_DRIVER)
    app = ImageSpec("external_flash", "app", "", "nrf52840dk_nrf52840", "nrf52840dk", sources,
                    kconfig=app_kconfig,
                        chosen=chosen | {"zephyr,code-partition": "slot0_partition"},
                    partitions=(board_parts,), pm_partition="app", source_dir=app_dir)
    mcuboot_sources = DtsSources(sources.soc, sources.board, sources.pinctrl, mcuboot_overlay)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", "nrf52840dk_nrf52840", "nrf52840dk", mcuboot_sources,
        kconfig=_mcuboot_kconfig("nrf52840dk_nrf52840:NRF52840DK_NRF52840", "nrf52840",
                                 QSPI_DRIVER, 256, "move"),
        chosen=chosen | {"zephyr,code-partition": "boot_partition"},
        partitions=(board_parts,), pm_partition="mcuboot",
        source_dir=f"{ws}/bootloader/mcuboot/boot/zephyr")
    return BuildSpec(
        name="nrf52840dk-child-image", layout="child-image", ncs_version="2.6.0",
        zephyr_version="3.5.99", board="nrf52840dk_nrf52840", origin=origin, app_dir=app_dir,
        workspace=ws, images=[app, mcuboot], domains=[_nrf52840_domain(HAS_DRIVER)],
        dts_comments=False,
        provenance={
            "name": "nrf52840dk-child-image",
            "ncs_version": "2.6.0 (Zephyr 3.5.99)",
            "board": "nrf52840dk_nrf52840 (HWMv1 name), MX25R6435F on QSPI",
            "layout": "parent/child image with Partition Manager (generation G1); no domains.yaml, "
                      "application at the top level, MCUboot in mcuboot/",
            "west_build": "west build -b nrf52840dk_nrf52840 "
                          "nrf/tests/modules/mcuboot/external_flash",
            "modelled_on": [
                "sdk-nrf tests/modules/mcuboot/external_flash at NCS 2.6.0 (Era A): "
                "child_image/mcuboot/prj.conf (CONFIG_BOOT_MAX_IMG_SECTORS=256), "
                "child_image/mcuboot/boards/nrf52840dk_nrf52840.overlay with the chosen",
                "zephyr.dts without 'defined in' comments (Zephyr 3.5 does not write them)",
                "region external_flash gated on CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER (child image, "
                "NCS >= 2.2)"],
            "generated_by": "python -m fixturegen (tests/fixturegen)",
        })


def nrf54l15dk_spi_nor() -> BuildSpec:
    ws = WS.format(v="3.1.0")
    app_dir = f"{ws}/nrf/samples/dfu/smp_svr"
    origin = f"{app_dir}/build_nrf54l15dk"
    board_file = "nrf54l15dk_nrf54l15_cpuapp"
    app_overlay = "nrf/samples/dfu/smp_svr/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash.overlay"
    mcuboot_overlay = "nrf/samples/dfu/smp_svr/sysbuild/mcuboot_ext_flash.overlay"
    src = lambda overlay: DtsSources(  # noqa: E731
        "zephyr/dts/arm/nordic/nrf54l15_cpuapp.dtsi",
        f"zephyr/boards/nordic/nrf54l15dk/{board_file}.dts",
        "zephyr/boards/nordic/nrf54l15dk/nrf54l15dk_nrf54l_05_10_15-pinctrl.dtsi", overlay)
    parts = _board_partitions("cpuapp_rram",
                              "zephyr/boards/nordic/nrf54l15dk/nrf54l15dk_nrf54l15_cpuapp.dts", (
        ("boot_partition", "mcuboot", 0x0, 0x10000), ("slot0_partition", "image-0", 0x10000,
                                                      0xa2000),
        ("slot1_partition", "image-1", 0xb2000, 0xa2000),
        ("storage_partition", "storage", 0x15c000, 0x9000)))
    chosen = {"zephyr,console": "uart20", "zephyr,shell-uart": "uart20",
              "zephyr,sram": "cpuapp_sram",
              "zephyr,flash": "cpuapp_rram", "zephyr,flash-controller": "rram_controller",
              "zephyr,entropy": "psa_rng", "nordic,pm-ext-flash": "mx25r64"}
    board = "nrf54l15dk:NRF54L15DK_NRF54L15_CPUAPP"
    app = ImageSpec(
        "smp_svr", "app", "smp_svr", "nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk_cpuapp",
        src(app_overlay), kconfig=_app_kconfig(board, "nrf54l15_cpuapp", SPI_NOR_DRIVER)
        | {"CONFIG_ZTEST": False, "CONFIG_MCUMGR": True, "CONFIG_MCUMGR_GRP_IMG": True},
        chosen=chosen | {"zephyr,code-partition": "slot0_partition"}, status={"mx25r64": "okay"},
        partitions=(parts,), pm_partition="app", sram=(0x20000000, 0x2f000), source_dir=app_dir,
        peripheral_base=0x50000000)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", "nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk_cpuapp",
        src(mcuboot_overlay),
        kconfig=_mcuboot_kconfig(board, "nrf54l15_cpuapp", SPI_NOR_DRIVER, 512, "move")
        | {"CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256": False,
           "CONFIG_BOOT_SIGNATURE_TYPE_ED25519": True,
           "CONFIG_SPI_NRFX_RAM_BUFFER_SIZE": 32, "CONFIG_FPROTECT": True,
           "CONFIG_MAIN_STACK_SIZE": 20480},
        chosen=chosen | {"zephyr,code-partition": "boot_partition"}, status={"mx25r64": "okay"},
        chosen_sources={"zephyr,code-partition": mcuboot_overlay},
        partitions=(parts,), pm_partition="mcuboot", sram=(0x20000000, 0x2f000),
        source_dir=f"{ws}/bootloader/mcuboot/boot/zephyr", peripheral_base=0x50000000)
    domain = PmDomain("", [
        Part("app", 0xd800, 0x16d800),
        Part("bootconf", 0xffd080, 0x4, "bootconf"),
        Part("external_flash", 0x16e000, 0x692000, "external_flash"),
        Part("mcuboot", 0x0, 0xd000, placement={"before": ["mcuboot_primary"]}),
        Part("mcuboot_pad", 0xd000, 0x800, placement={"before": ["mcuboot_primary_app"]}),
        Part("mcuboot_primary", 0xd000, 0x16e000, span=("app", "mcuboot_pad")),
        Part("mcuboot_primary_app", 0xd800, 0x16d800, span=("app",)),
        Part("mcuboot_secondary", 0x0, 0x16e000, "external_flash", device=EXT,
             placement={"align": {"start": 0x4}}, share_size=("mcuboot_primary",)),
        Part("otp", 0xffd500, 0x480, "otp"),
        Part("settings_storage", 0x17b000, 0x2000, placement={"before": ["end"]}),
        Part("sram_primary", 0x20000000, 0x2f000, "sram_primary"),
    ], [
        Reg("bootconf", 0xffd080, 0x4, strategy="start_to_end"),
        Reg("external_flash", 0x0, 0x800000, EXT, HAS_DRIVER, "start_to_end"),
        Reg("flash_primary", 0x0, 0x17d000, "rram_controller", "CONFIG_SOC_FLASH_NRF_RRAM"),
        Reg("otp", 0xffd500, 0x480, strategy="start_to_end"),
        Reg("sram_primary", 0x20000000, 0x2f000, dynamic_partition="sram_primary"),
    ])
    return BuildSpec(
        name="nrf54l15dk-spi-nor", layout="sysbuild", ncs_version="3.1.0", zephyr_version="4.1.99",
        board="nrf54l15dk/nrf54l15/cpuapp", origin=origin, app_dir=app_dir, workspace=ws,
        images=[app, mcuboot], domains=[domain],
        sysbuild={"SB_CONFIG_BOARD": "nrf54l15dk",
                  "SB_CONFIG_BOARD_NRF54L15DK_NRF54L15_CPUAPP": True,
                  "SB_CONFIG_BOARD_QUALIFIERS": "nrf54l15/cpuapp", "SB_CONFIG_SOC": "nrf54l15",
                  "SB_CONFIG_SOC_SERIES": "nrf54l", "SB_CONFIG_SOC_SERIES_NRF54LX": True,
                  "SB_CONFIG_PARTITION_MANAGER": True, "SB_CONFIG_PM_MCUBOOT_PAD": "0x800",
                  "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True,
                  "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": False,
                  "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
                      "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE": True,
                  "SB_CONFIG_BOOT_SIGNATURE_TYPE_ED25519": True,
                  "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 1},
        provenance={
            "name": "nrf54l15dk-spi-nor",
            "ncs_version": "3.1.0 (Zephyr 4.1.99)",
            "board": "nrf54l15dk/nrf54l15/cpuapp (nRF54L15 DK, PCA10156), MX25R6435F on SPI "
                     "(spi00, "
                     "jedec,spi-nor)",
            "layout": "sysbuild with Partition Manager (G3: CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER "
                      "covers "
                      "SPI NOR, no override needed)",
            "west_build": "west build -b nrf54l15dk/nrf54l15/cpuapp nrf/samples/dfu/smp_svr "
                          "-d build_nrf54l15dk -- -DFILE_SUFFIX=ext_flash",
            "modelled_on": [
                "sdk-mcuboot nrf54l15dk_ext_flash.conf: CONFIG_SPI=y CONFIG_SPI_NOR=y "
                "CONFIG_BOOT_MAX_IMG_SECTORS=512 CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096 "
                "CONFIG_NORDIC_QSPI_NOR=n (ncs-facts 8)",
                "PM regions of nRF54L: flash_primary rram_controller / CONFIG_SOC_FLASH_NRF_RRAM, "
                "otp 0xffd500, bootconf 0xffd080, SB_CONFIG_PM_MCUBOOT_PAD=0x800 (ncs-facts 4.3, "
                "5)",
                "devicetree: nRF54L15 DK node model (mx25r64 on spi00, RRAM erase 4096 / write 16) "
                "in the secure address map (peripheral@50000000, zephyr nrf54l_05_10_15.dtsi)"],
            "generated_by": "python -m fixturegen (tests/fixturegen)",
        })


def nrf5340dk_netcore() -> BuildSpec:
    from fixturegen.fixtures_nrf53 import nrf5340dk_netcore as make

    return make()


def _nrf9160dk_spi_nor() -> BuildSpec:
    from fixturegen.fixtures_nrf91 import nrf9160dk_spi_nor

    return nrf9160dk_spi_nor()


FIXTURES = {
    "nrf52840dk-sysbuild": nrf52840dk_sysbuild,
    "nrf52840dk-child-image": nrf52840dk_child_image,
    "nrf5340dk-netcore": nrf5340dk_netcore,
    "nrf54l15dk-spi-nor": nrf54l15dk_spi_nor,
    "nrf9160dk-spi-nor": _nrf9160dk_spi_nor,
}


def all_fixtures() -> dict:
    """Every generated clean build: these Partition Manager builds and the
    devicetree-partition builds of fixturegen.dts_builds."""
    from fixturegen.dts_builds import DTS_FIXTURES

    return FIXTURES | DTS_FIXTURES
