"""nRF5340 DK with a simultaneous network-core update, the secondary slots
(``mcuboot_secondary`` and ``mcuboot_secondary_1``) in the MX25R6435F on
QSPI, ``mcuboot_primary_1`` staged in the ``ram_flash`` region (NCS 3.1
sysbuild; ncs-facts §7)."""

from __future__ import annotations

from fixturegen.dts import DtsSources
from fixturegen.fixtures import (
    EXT,
    HAS_DRIVER,
    QSPI_DRIVER,
    WS,
    _app_kconfig,
    _board_partitions,
    _mcuboot_kconfig,
    _soc_kconfig,
)
from fixturegen.pm import Part, PmDomain, Reg
from fixturegen.spec import BuildSpec, ImageSpec


def _sim_flash_nodes() -> tuple:
    """sdk-nrf modules/mcuboot/flash_sim.overlay: the RAM 'flash' for the
    network-core update, 256 KiB, erase block 4096, write block 4."""
    base = "/soc/nordic_ram-flash-controller@0"
    return ((base, ("nordic_ram_flash_controller",),
             (("compatible", '"zephyr,sim-flash"'), ("#address-cells", "< 0x1 >"),
              ("#size-cells", "< 0x1 >"), ("erase-value", "< 0xff >"),
              ("reg", "< 0x0 0xa000 >"))),
            (f"{base}/flash_sim@0", ("flash_sim0",),
             (("compatible", '"soc-nv-flash"'), ("reg", "< 0x0 0x40000 >"),
              ("erase-block-size", "< 0x1000 >"), ("write-block-size", "< 0x4 >"))))


def nrf5340dk_netcore() -> BuildSpec:
    ws = WS.format(v="3.1.0")
    app_dir = f"{ws}/nrf/tests/modules/mcuboot/external_flash"
    origin = f"{app_dir}/build_nrf5340dk"
    board_file = "nrf5340dk_nrf5340_cpuapp"
    app_overlay = "nrf/tests/modules/mcuboot/external_flash/boards/nrf5340dk_nrf5340_cpuapp.overlay"
    mcuboot_overlay = ("nrf/tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/"
                       "nrf5340dk_nrf5340_cpuapp.overlay")
    cpuapp = lambda overlay: DtsSources(  # noqa: E731
        "zephyr/dts/arm/nordic/nrf5340_cpuapp.dtsi",
        f"zephyr/boards/nordic/nrf5340dk/{board_file}.dts",
        "zephyr/boards/nordic/nrf5340dk/nrf5340_cpuapp_common-pinctrl.dtsi", overlay)
    cpunet = DtsSources("zephyr/dts/arm/nordic/nrf5340_cpunet.dtsi",
                        "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpunet.dts",
                        "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpunet-pinctrl.dtsi",
                        None)
    app_parts = _board_partitions("flash0",
                                  "zephyr/boards/nordic/nrf5340dk/nrf5340_cpuapp_partition.dtsi", (
        ("boot_partition", "mcuboot", 0x0, 0x10000), ("slot0_partition", "image-0", 0x10000,
                                                      0x40000),
        ("slot0_ns_partition", "image-0-nonsecure", 0x50000, 0x30000),
        ("slot1_partition", "image-1", 0x80000, 0x40000),
        ("slot1_ns_partition", "image-1-nonsecure", 0xc0000, 0x30000),
        ("storage_partition", "storage", 0xf8000, 0x8000)))
    net_parts = _board_partitions("flash1",
                                  "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpunet.dts", (
        ("boot_partition", "mcuboot", 0x0, 0xc000), ("slot0_partition", "image-0", 0xc000, 0x12000),
        ("slot1_partition", "image-1", 0x1e000, 0x12000),
        ("storage_partition", "storage", 0x3a000, 0x6000)))
    chosen = {"zephyr,entropy": "cryptocell", "zephyr,flash-controller": "flash_controller",
              "zephyr,console": "uart0", "zephyr,sram": "sram0_image", "zephyr,flash": "flash0",
              "zephyr,ipc_shm": "sram0_shared", "nordic,pm-ext-flash": "mx25r64"}
    board = "nrf5340dk:NRF5340DK_NRF5340_CPUAPP"
    multi = {"CONFIG_UPDATEABLE_IMAGE_NUMBER": 2, "CONFIG_NRF53_MULTI_IMAGE_UPDATE": True,
             "CONFIG_BOOT_IMAGE_ACCESS_HOOKS": True, "CONFIG_FLASH_SIMULATOR": True,
             "CONFIG_FLASH_SIMULATOR_DOUBLE_WRITES": True, "CONFIG_FLASH_SIMULATOR_STATS": False,
             "CONFIG_NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH": True,
                 "CONFIG_NRF53_RAM_FLASH_SIZE": 0x40000,
             "CONFIG_PCD_APP": True, "CONFIG_DT_HAS_ZEPHYR_SIM_FLASH_ENABLED": True}
    app = ImageSpec(
        "external_flash", "app", "external_flash", "nrf5340dk/nrf5340/cpuapp", "nrf5340dk_cpuapp",
        cpuapp(app_overlay),
        kconfig=_app_kconfig(board, "nrf5340_cpuapp", QSPI_DRIVER)
        | {"CONFIG_SOC_NRF53_CPUNET_ENABLE": True, "CONFIG_UPDATEABLE_IMAGE_NUMBER": 2},
        chosen=chosen | {"zephyr,code-partition": "slot0_partition"},
        partitions=(app_parts,), pm_partition="app", sram=(0x20000000, 0x70000),
        source_dir=app_dir)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", "nrf5340dk/nrf5340/cpuapp", "nrf5340dk_cpuapp",
        cpuapp(mcuboot_overlay),
        kconfig=_mcuboot_kconfig(board, "nrf5340_cpuapp", QSPI_DRIVER, 256, "overwrite") | multi,
        chosen=chosen | {"zephyr,code-partition": "boot_partition"},
        chosen_sources={"zephyr,code-partition": mcuboot_overlay},
        extra_nodes=_sim_flash_nodes(), partitions=(app_parts,), pm_partition="mcuboot",
        sram=(0x20000000, 0x70000), source_dir=f"{ws}/bootloader/mcuboot/boot/zephyr")
    net_kconfig = {"CONFIG_BOARD": "nrf5340dk", "CONFIG_BOARD_NRF5340DK_NRF5340_CPUNET": True} | \
        _soc_kconfig("nrf5340_cpunet")
    empty = ImageSpec(
        "empty_net_core", "netcore", "empty_net_core", "nrf5340dk/nrf5340/cpunet",
            "nrf5340dk_cpunet",
        cpunet, kconfig=net_kconfig | {"CONFIG_SECURE_BOOT": True, "CONFIG_FLASH": False},
        chosen={"zephyr,flash": "flash1", "zephyr,sram": "sram1",
                "zephyr,code-partition": "slot0_partition"},
        partitions=(net_parts,), domain="CPUNET", pm_partition="app",
        sram=(0x21000000, 0x10000), source_dir=f"{ws}/nrf/samples/nrf5340/empty_net_core")
    b0n = ImageSpec(
        "b0n", "netcore", "b0n", "nrf5340dk/nrf5340/cpunet", "nrf5340dk_cpunet", cpunet,
        kconfig=net_kconfig | {"CONFIG_IS_SECURE_BOOTLOADER": True, "CONFIG_PCD_NET": True,
                               "CONFIG_FLASH": True},
        chosen={"zephyr,flash": "flash1", "zephyr,sram": "sram1",
                "zephyr,code-partition": "boot_partition"},
        partitions=(net_parts,), domain="CPUNET", pm_partition="b0n",
        sram=(0x21000000, 0x10000), source_dir=f"{ws}/nrf/samples/nrf5340/netboot")
    app_domain = PmDomain("", [
        Part("app", 0xc200, 0xf3e00),
        Part("external_flash", 0x134000, 0x6cc000, "external_flash"),
        Part("mcuboot", 0x0, 0xc000, placement={"before": ["mcuboot_primary"]}),
        Part("mcuboot_pad", 0xc000, 0x200, placement={"align": {"start": 0x4000},
                                                         "before": ["mcuboot_primary_app"]}),
        Part("mcuboot_primary", 0xc000, 0xf4000, span=("app", "mcuboot_pad")),
        Part("mcuboot_primary_1", 0x0, 0x40000, "ram_flash", device="nordic_ram_flash_controller"),
        Part("mcuboot_primary_app", 0xc200, 0xf3e00, span=("app",)),
        Part("mcuboot_secondary", 0x0, 0xf4000, "external_flash", device=EXT,
             placement={"align": {"start": 0x4}}, share_size=("mcuboot_primary",)),
        Part("mcuboot_secondary_1", 0xf4000, 0x40000, "external_flash", device=EXT),
        Part("otp", 0xff8100, 0x2fc, "otp"),
        Part("pcd_sram", 0x20000000, 0x2000, "sram_primary"),
        Part("ram_flash", 0x40000, 0x0, "ram_flash"),
        Part("sram_primary", 0x20002000, 0x7e000, "sram_primary"),
    ], [
        Reg("external_flash", 0x0, 0x800000, EXT, HAS_DRIVER, "start_to_end"),
        Reg("flash_primary", 0x0, 0x100000, "flash_controller", "CONFIG_SOC_FLASH_NRF"),
        Reg("otp", 0xff8100, 0x2fc, strategy="start_to_end"),
        Reg("ram_flash", 0x0, 0x40000, "nordic_ram_flash_controller", "CONFIG_FLASH_SIMULATOR",
            "start_to_end"),
        Reg("sram_primary", 0x20000000, 0x80000, dynamic_partition="sram_primary"),
    ])
    net_domain = PmDomain("CPUNET", [
        Part("app", 0x1008800, 0x37800, span=("empty_net_core",)),
        Part("b0n", 0x1000000, 0x8580, placement={"after": ["start"]}),
        Part("b0n_container", 0x1000000, 0x8800, span=("b0n", "provision")),
        Part("empty_net_core", 0x1008800, 0x37800),
        Part("provision", 0x1008580, 0x280, placement={"after": ["b0n"]}),
        Part("sram_primary", 0x21000000, 0x10000, "sram_primary"),
    ], [
        Reg("flash_primary", 0x1000000, 0x40000, "flash_controller", "CONFIG_SOC_FLASH_NRF",
            dynamic_partition="empty_net_core"),
        Reg("sram_primary", 0x21000000, 0x10000, dynamic_partition="sram_primary"),
    ])
    return BuildSpec(
        name="nrf5340dk-netcore", layout="sysbuild", ncs_version="3.1.0", zephyr_version="4.1.99",
        board="nrf5340dk/nrf5340/cpuapp", origin=origin, app_dir=app_dir, workspace=ws,
        images=[app, mcuboot, empty, b0n], domains=[app_domain, net_domain],
        sysbuild={"SB_CONFIG_BOARD": "nrf5340dk", "SB_CONFIG_BOARD_NRF5340DK_NRF5340_CPUAPP": True,
                  "SB_CONFIG_BOARD_QUALIFIERS": "nrf5340/cpuapp", "SB_CONFIG_SOC": "nrf5340",
                  "SB_CONFIG_SOC_SERIES": "nrf53", "SB_CONFIG_SOC_NRF5340_CPUAPP": True,
                  "SB_CONFIG_PARTITION_MANAGER": True, "SB_CONFIG_PM_MCUBOOT_PAD": "0x200",
                  "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": True,
                  "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": False,
                  "SB_CONFIG_SUPPORT_NETCORE": True, "SB_CONFIG_NETCORE_REMOTE_DOMAIN": "CPUNET",
                  "SB_CONFIG_NETCORE_EMPTY": True, "SB_CONFIG_NETCORE_APP_UPDATE": True,
                  "SB_CONFIG_SECURE_BOOT_NETCORE": True, "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
                  "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY": True,
                  "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE": True,
                  "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 2},
        provenance={
            "name": "nrf5340dk-netcore",
            "ncs_version": "3.1.0 (Zephyr 4.1.99)",
            "board": "nrf5340dk/nrf5340/cpuapp + cpunet (nRF5340 DK, PCA10095), MX25R6435F on QSPI",
            "layout": "sysbuild with Partition Manager, network-core domain CPUNET "
                      "(partitions_CPUNET.yml), simultaneous multi-image update",
            "west_build": "west build -b nrf5340dk/nrf5340/cpuapp "
                          "nrf/tests/modules/mcuboot/external_flash "
                          "-d build_nrf5340dk",
            "modelled_on": [
                "sdk-nrf tests/modules/mcuboot/external_flash (NCS 2.8+ Kconfig.sysbuild: "
                "MCUBOOT_MODE "
                "overwrite-only, NETCORE_EMPTY, SECURE_BOOT_NETCORE, NETCORE_APP_UPDATE on "
                "nRF5340)",
                "sdk-mcuboot boot/zephyr/pm.yml: mcuboot_primary_1 in ram_flash "
                "(CONFIG_NRF53_RAM_FLASH_SIZE 0x40000), mcuboot_secondary_1 in external_flash "
                "after "
                "mcuboot_secondary; sdk-nrf modules/mcuboot/flash_sim.overlay (zephyr,sim-flash)",
                "netcore domain layout (b0n, provision, b0n_container, app) as in public NCS 3.0 "
                "nRF5340 DK builds",
                "NCS doc simultaneous_multi_image_dfu_nrf5340"],
            "generated_by": "python -m fixturegen (tests/fixturegen)",
        })
