"""Devicetree-partition build trees (NCS >= 3.4, sysbuild, no Partition
Manager) on top of the fixturegen ``BuildSpec`` writer:
``tests/fixtures/builds/<name>-dts/`` and their negative cases
``tests/cases/<CODE>-<name>-dts/`` (same ``case.yml`` format as
``fixturegen.cases``).

Such a build directory has ``domains.yaml``, the sysbuild ``zephyr/.config``
with ``# SB_CONFIG_PARTITION_MANAGER is not set``, and per image
``zephyr/.config`` and ``zephyr/zephyr.dts``, but **no** ``partitions.yml`` /
``regions.yml`` / ``pm.config`` / ``pm_config.h`` (``BuildSpec.domains`` is
empty). The slots are in each image's zephyr.dts, from the hand-written
memory maps ``MAPS`` below, each copied from an NCS file it cites (never from
what ``west extflash init`` plans: init must not be the oracle for verify):
internal partitions as ``zephyr,mapped-partition`` children of the
flash/RRAM node's ``partitions`` group, the secondary slot(s) in a
``fixed-partitions`` node under ``&mx25r64``, attributed in the ``defined in``
comments to the shared ``.dtsi``. MCUboot computes its sector count
(``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y``).

Written by the one fixture writer, ``python -m fixturegen`` (from ``tests/``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fixturegen.cases import Case
from fixturegen.dts import DtsSources, FixedPartitions, PartitionEntry, load_model
from fixturegen.fixtures import QSPI_DRIVER, SPI_NOR_DRIVER, _soc_kconfig
from fixturegen.spec import BuildSpec, ImageSpec

NCS = "3.4.0"
ZEPHYR = "4.4.0"
WS = f"/home/dev/ncs/v{NCS}"
APP_DIR = f"{WS}/nrf/samples/dfu/smp_svr"
SIM_FLASH_SOURCE = "nrf/modules/mcuboot/flash_sim.overlay"


@dataclass(frozen=True)
class Board:
    key: str
    target: str
    file: str  # board file stem, also the overlay name
    symbol: str  # CONFIG_BOARD_<...>
    model: str  # fixturegen.boards module
    soc: str  # dts_memmap.SOC2DTS / fixtures._soc_kconfig key
    soc_dtsi: str
    board_dir: str
    pinctrl: str
    internal_size: int
    driver: dict
    qualifiers: str


BOARDS = {
    "nrf52840dk": Board("nrf52840dk", "nrf52840dk/nrf52840", "nrf52840dk_nrf52840", "NRF52840DK",
                        "nrf52840dk", "nrf52840", "zephyr/dts/vendor/nordic/nrf52840.dtsi",
                        "nrf52840dk", "nrf52840dk_nrf52840-pinctrl.dtsi", 0x100000, QSPI_DRIVER,
                        "nrf52840"),
    "nrf5340dk": Board("nrf5340dk", "nrf5340dk/nrf5340/cpuapp", "nrf5340dk_nrf5340_cpuapp",
                       "NRF5340DK_NRF5340_CPUAPP", "nrf5340dk_cpuapp", "nrf5340_cpuapp",
                       "zephyr/dts/vendor/nordic/nrf5340_cpuapp.dtsi", "nrf5340dk",
                       "nrf5340_cpuapp_common-pinctrl.dtsi", 0x100000, QSPI_DRIVER,
                       "nrf5340/cpuapp"),
    "nrf54l15dk": Board("nrf54l15dk", "nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk_nrf54l15_cpuapp",
                        "NRF54L15DK_NRF54L15_CPUAPP", "nrf54l15dk_cpuapp", "nrf54l15_cpuapp",
                        "zephyr/dts/vendor/nordic/nrf54l_05_10_15.dtsi", "nrf54l15dk",
                        "nrf54l15dk_nrf54l_05_10_15-pinctrl.dtsi", 0x17D000,
                        SPI_NOR_DRIVER | {"CONFIG_SPI_NRFX_RAM_BUFFER_SIZE": 32},
                        "nrf54l15/cpuapp"),
}


@dataclass(frozen=True)
class Slot:
    label: str
    name: str
    offset: int
    size: int


@dataclass(frozen=True)
class MemoryMap:
    """One board's devicetree memory map, as an NCS file writes it."""
    internal_node: str  # label of the SoC flash / RRAM node
    node_size: int | None  # a new size for that node, when the source file sets one
    internal: tuple[Slot, ...]
    external: tuple[Slot, ...]  # under &mx25r64
    source: str  # the NCS file(s) the numbers are copied from


_NRF53_TEST = ("sdk-nrf tests/modules/mcuboot/external_flash/boards/"
               "nrf5340dk_nrf5340_cpuapp.overlay @9d8cdbae73fce43721c048b10c8febc93b50fac2")
MAPS: dict[tuple[str, bool], MemoryMap] = {
    # The nRF5340 DK table of NCS's own external-flash test, without slot3 (no network
    # core): the nRF52840 has the same 1 MiB of flash, and these are the very slots
    # NCS 2.7.0's Partition Manager placed on the nRF52840 DK for that test
    # (tests/fixtures/ncs-real/nrf52840dk-ncs-test/partitions.yml: mcuboot 0x0+0xc000,
    # mcuboot_primary 0xc000+0xf4000, mcuboot_secondary external_flash 0x0+0xf4000).
    ("nrf52840dk", False): MemoryMap(
        "flash0", None,
        (Slot("boot_partition", "mcuboot", 0x0, 0xc000),
         Slot("slot0_partition", "image-0", 0xc000, 0xf4000)),
        (Slot("slot1_partition", "image-1", 0x0, 0xf4000),),
        f"{_NRF53_TEST} (slot0/slot1 table, on the nRF52840's equal 1 MiB flash); "
        "NCS 2.7.0 Partition Manager output for nrf52840dk (tests/fixtures/ncs-real/"
        "nrf52840dk-ncs-test/partitions.yml)"),
    ("nrf5340dk", False): MemoryMap(
        "flash0", None,
        (Slot("boot_partition", "mcuboot", 0x0, 0xc000),
         Slot("slot0_partition", "image-0", 0xc000, 0xf4000)),
        (Slot("slot1_partition", "image-1", 0x0, 0xf4000),),
        f"{_NRF53_TEST} without slot3_partition (no network-core update)"),
    ("nrf5340dk", True): MemoryMap(
        "flash0", None,
        (Slot("boot_partition", "mcuboot", 0x0, 0xc000),
         Slot("slot0_partition", "image-0", 0xc000, 0xf4000)),
        (Slot("slot1_partition", "image-1", 0x0, 0xf4000),
         Slot("slot3_partition", "image-3", 0xf4000, 0x40000)),
        _NRF53_TEST),
    # smp_svr's external-flash map for the nRF54L15 DK: the RRAM node grown to
    # 1524 KiB, MCUboot 80 KiB, storage 36 KiB at the end.
    ("nrf54l15dk", False): MemoryMap(
        "cpuapp_rram", 0x17d000,
        (Slot("boot_partition", "mcuboot", 0x0, 0x14000),
         Slot("slot0_partition", "image-0", 0x14000, 0x15a000),
         Slot("storage_partition", "storage", 0x16e000, 0x9000)),
        (Slot("slot1_partition", "image-1", 0x0, 0x15a000),),
        "sdk-nrf samples/dfu/smp_svr/dts/nrf54l15dk_nrf54l15_memory_map_ext_flash.dtsi "
        "@29d8478f534d14a14e183c87d7956b0edf475439 (included by boards/"
        "nrf54l15dk_nrf54l15_cpuapp_ext_flash_pure_dts.overlay at the same commit)"),
}

# An older map a user's MCUboot overlay may still carry: sdk-mcuboot v2.1.0-ncs1 (the
# MCUboot of NCS 2.7.0) boot/zephyr/boards/nrf52840dk_qspi_nor_secondary.overlay:
# boot_partition 0x0+0x10000, slot0_partition 0x10000+0xe8000, slot1_partition in
# the MX25R64 0x0+0xe8000.
MCUBOOT_2_1_NRF52840_MAP = MemoryMap(
    "flash0", None,
    (Slot("boot_partition", "mcuboot", 0x0, 0x10000),
     Slot("slot0_partition", "image-0", 0x10000, 0xe8000)),
    (Slot("slot1_partition", "image-1", 0x0, 0xe8000),),
    "sdk-mcuboot v2.1.0-ncs1 boot/zephyr/boards/nrf52840dk_qspi_nor_secondary.overlay")


def memory_map(board: Board, netcore: bool) -> MemoryMap:
    return MAPS[(board.key, netcore)]


def dtsi_source(board: Board) -> str:
    """Where the shared map lives in the app, named as sdk-nrf's smp_svr names its
    maps (samples/dfu/smp_svr/dts/<board>_memory_map_ext_flash.dtsi @29d8478)."""
    return f"nrf/samples/dfu/smp_svr/dts/{board.file}_memory_map_ext_flash.dtsi"


def _label_path(model: str, label: str) -> str:
    return next(path for path, labels, _ in load_model(model) if label in labels)


def map_nodes(board: Board, mm: MemoryMap, source: str) -> dict:
    """``ImageSpec`` fields that put ``mm`` into an image's zephyr.dts."""
    base = f"{_label_path(board.model, mm.internal_node)}/partitions"
    extra = [(base, (), (("ranges", None), ("#address-cells", "< 0x1 >"),
                         ("#size-cells", "< 0x1 >")))]
    for p in mm.internal:
        extra.append((f"{base}/partition@{p.offset:x}", (p.label,), (
            ("compatible", '"zephyr,mapped-partition"'), ("label", f'"{p.name}"'),
            ("reg", f"< {p.offset:#x} {p.size:#x} >"))))
    props = {}
    if mm.node_size is not None:
        props[mm.internal_node] = {"reg": f"< 0x0 {mm.node_size:#x} >",
                                   "ranges": f"< 0x0 0x0 {mm.node_size:#x} >"}
    external = FixedPartitions("mx25r64", tuple(PartitionEntry(p.label, p.name, p.offset, p.size)
                                                for p in mm.external), source)
    return {"extra_nodes": tuple(extra), "props": props, "partitions": (external,),
            "status": {"mx25r64": "okay"}}


def sim_flash() -> tuple[tuple, FixedPartitions]:
    """The nRF5340 network core's RAM 'flash' in MCUboot (sdk-nrf
    modules/mcuboot/flash_sim_pm.overlay, enabled by flash_sim_mcuboot.overlay)."""
    base = "/soc/nordic_ram-flash-controller@0"
    nodes = ((base, ("nordic_ram_flash_controller",),
              (("compatible", '"zephyr,sim-flash"'), ("reg", "< 0x0 0x1000 >"),
               ("#address-cells", "< 0x1 >"), ("#size-cells", "< 0x1 >"),
               ("erase-value", "< 0xff >"), ("status", '"okay"'))),
             (f"{base}/flash_sim@0", ("flash_sim0",),
              (("status", '"okay"'), ("compatible", '"soc-nv-flash"'),
               ("erase-block-size", "< 0x1000 >"), ("write-block-size", "< 0x4 >"),
               ("reg", "< 0x0 0x40000 >"))))
    table = FixedPartitions("flash_sim0", (PartitionEntry("slot2_partition", "image-2", 0,
                                                          0x40000),), SIM_FLASH_SOURCE)
    return nodes, table


def _kconfig(board: Board) -> dict:
    cfg = {"CONFIG_BOARD": board.key, f"CONFIG_BOARD_{board.symbol}": True}
    cfg |= _soc_kconfig(board.soc)
    cfg |= {"CONFIG_FLASH": True, "CONFIG_FLASH_MAP": True, "CONFIG_FLASH_PAGE_LAYOUT": True,
            "CONFIG_PARTITION_MANAGER_ENABLED": False,
            "CONFIG_DT_HAS_ZEPHYR_MAPPED_PARTITION_ENABLED": True}
    return cfg | board.driver


def fixture(key: str, netcore: bool = False) -> BuildSpec:
    board = BOARDS[key]
    name = f"{key}{'-netcore' if netcore else ''}-dts"
    origin = f"{APP_DIR}/build_{key}"
    mm = memory_map(board, netcore)
    app_overlay = f"nrf/samples/dfu/smp_svr/boards/{board.file}.overlay"
    mcuboot_overlay = "nrf/samples/dfu/smp_svr/sysbuild/mcuboot.overlay"

    def sources(overlay: str) -> DtsSources:
        board_dir = f"zephyr/boards/nordic/{board.board_dir}"
        return DtsSources(board.soc_dtsi, f"{board_dir}/{board.file}.dts",
                          f"zephyr/boards/nordic/{board.board_dir}/{board.pinctrl}", overlay)

    nrf54 = board.soc.startswith("nrf54l")
    chosen = {"zephyr,console": "uart20" if nrf54 else "uart0",
              "zephyr,flash": mm.internal_node,
              "zephyr,sram": "cpuapp_sram" if nrf54 else "sram0"}
    images_updated = 2 if netcore else 1
    app = ImageSpec(
        "smp_svr", "app", "smp_svr", board.target, board.model, sources(dtsi_source(board)),
        kconfig=_kconfig(board) | {
            "CONFIG_BOOTLOADER_MCUBOOT": True, "CONFIG_MCUMGR": True,
            "CONFIG_MCUMGR_GRP_IMG": True, "CONFIG_IMG_MANAGER": True,
            "CONFIG_STREAM_FLASH": True, "CONFIG_UPDATEABLE_IMAGE_NUMBER": images_updated,
            "CONFIG_MCUBOOT_BOOTLOADER_MODE_SWAP_USING_MOVE": not netcore,
            "CONFIG_MCUBOOT_BOOTLOADER_MODE_OVERWRITE_ONLY": netcore},
        chosen=chosen | {"zephyr,code-partition": "slot0_partition"},
        chosen_sources={"zephyr,code-partition": app_overlay},
        source_dir=APP_DIR, **map_nodes(board, mm, dtsi_source(board)))
    mcuboot_kconfig = _kconfig(board) | {
        "CONFIG_MCUBOOT": True, "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": True,
        "CONFIG_BOOT_SWAP_USING_MOVE": not netcore, "CONFIG_BOOT_UPGRADE_ONLY": netcore,
        "CONFIG_BOOT_SWAP_USING_SCRATCH": False, "CONFIG_UPDATEABLE_IMAGE_NUMBER": images_updated,
        "CONFIG_MULTITHREADING": False, "CONFIG_MAIN_STACK_SIZE": 10240,
        "CONFIG_BOOT_ERASE_PROGRESSIVELY": True,
        "CONFIG_BOOT_SIGNATURE_TYPE_ED25519" if nrf54 else "CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256":
            True}
    if nrf54:
        mcuboot_kconfig["CONFIG_FPROTECT"] = False
    mcuboot_fields = map_nodes(board, mm, dtsi_source(board))
    if netcore:
        mcuboot_kconfig |= {
            "CONFIG_NRF53_MULTI_IMAGE_UPDATE": True, "CONFIG_BOOT_IMAGE_ACCESS_HOOKS": True,
            "CONFIG_FLASH_SIMULATOR": True, "CONFIG_FLASH_SIMULATOR_DOUBLE_WRITES": True,
            "CONFIG_FLASH_SIMULATOR_STATS": False, "CONFIG_NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH": True,
            "CONFIG_NRF53_RAM_FLASH_SIZE": 0x40000, "CONFIG_PCD_APP": True}
        nodes, table = sim_flash()
        mcuboot_fields["extra_nodes"] += nodes
        mcuboot_fields["partitions"] += (table,)
    mcuboot = ImageSpec(
        "mcuboot", "mcuboot", "mcuboot", board.target, board.model, sources(dtsi_source(board)),
        kconfig=mcuboot_kconfig, chosen=chosen | {"zephyr,code-partition": "boot_partition"},
        chosen_sources={"zephyr,code-partition": mcuboot_overlay},
        source_dir=f"{WS}/bootloader/mcuboot/boot/zephyr", **mcuboot_fields)
    images = [app, mcuboot]
    if netcore:
        images += _netcore_images()
    return BuildSpec(
        name=name, layout="sysbuild", ncs_version=NCS, zephyr_version=ZEPHYR, board=board.target,
        origin=origin, app_dir=APP_DIR, workspace=WS, images=images, domains=[],
        sysbuild=_sysbuild(board, netcore), provenance=_provenance(name, board, mm, netcore))


def _netcore_images() -> list[ImageSpec]:
    cpunet = DtsSources("zephyr/dts/vendor/nordic/nrf5340_cpunet.dtsi",
                        "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpunet.dts",
                        "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpunet-pinctrl.dtsi",
                        "nrf/samples/dfu/smp_svr/sysbuild/ipc_radio.overlay")
    kconfig = {"CONFIG_BOARD": "nrf5340dk", "CONFIG_BOARD_NRF5340DK_NRF5340_CPUNET": True}
    kconfig |= _soc_kconfig("nrf5340_cpunet") | {"CONFIG_PARTITION_MANAGER_ENABLED": False}
    chosen = {"zephyr,flash": "flash1", "zephyr,sram": "sram1"}
    return [
        ImageSpec("ipc_radio", "netcore", "ipc_radio", "nrf5340dk/nrf5340/cpunet",
                  "nrf5340dk_cpunet", cpunet, kconfig=kconfig | {"CONFIG_IPC_RADIO_BT": True},
                  chosen=chosen, domain="CPUNET", sram=(0x21000000, 0x10000),
                  source_dir=f"{WS}/nrf/applications/ipc_radio"),
        ImageSpec("b0n", "netcore", "b0n", "nrf5340dk/nrf5340/cpunet", "nrf5340dk_cpunet",
                  cpunet, kconfig=kconfig | {"CONFIG_IS_SECURE_BOOTLOADER": True,
                                             "CONFIG_PCD_NET": True},
                  chosen=chosen, domain="CPUNET", sram=(0x21000000, 0x10000),
                  source_dir=f"{WS}/nrf/samples/nrf5340/netboot"),
    ]


def _sysbuild(board: Board, netcore: bool) -> dict:
    soc = board.soc.split("_")[0]
    sb = {"SB_CONFIG_BOARD": board.key, f"SB_CONFIG_BOARD_{board.symbol}": True,
          "SB_CONFIG_BOARD_QUALIFIERS": board.qualifiers, "SB_CONFIG_SOC": soc,
          "SB_CONFIG_PARTITION_MANAGER": False, "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
          "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE": not netcore,
          "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY": netcore,
          "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 2 if netcore else 1}
    if netcore:
        sb |= {"SB_CONFIG_SUPPORT_NETCORE": True, "SB_CONFIG_NETCORE_REMOTE_DOMAIN": "CPUNET",
               "SB_CONFIG_NETCORE_IPC_RADIO": True, "SB_CONFIG_SECURE_BOOT_NETCORE": True,
               "SB_CONFIG_NETCORE_APP_UPDATE": True,
               "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE": True}
    else:
        sb["SB_CONFIG_NETCORE_NONE"] = True
    return sb


def _provenance(name: str, board: Board, mm: MemoryMap, netcore: bool) -> dict:
    slots = ", ".join(f"{p.label} {p.offset:#x}+{p.size:#x}" for p in (*mm.internal, *mm.external))
    modelled = [
        f"memory map (hand-written table fixturegen.dts_builds.MAPS, not init's plan): {slots}; "
        f"copied from {mm.source}",
        "MCUboot Kconfig: CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y (sdk-mcuboot boot/zephyr/Kconfig: "
        "default y if !PARTITION_MANAGER_ENABLED), flash driver with the 4096-byte layout page as "
        "sdk-nrf tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/"
        "nrf54l15dk_nrf54l15_cpuapp.conf @1fbdd8d",
        "no Partition Manager output: SB_CONFIG_PARTITION_MANAGER off, the NCS 3.4 default "
        "(sdk-nrf PRs #30488/#30494 'Partition Manager is disabled by default now')",
        f"devicetree: node model fixturegen/boards/{board.model}.py",
    ]
    if netcore:
        modelled.append(
            "network core: slot2_partition in MCUboot's zephyr,sim-flash (sdk-nrf "
            "modules/mcuboot/flash_sim_pm.overlay @1a2ad49), slot3_partition after "
            "slot1_partition in external flash, overwrite-only (sdk-nrf tests/modules/mcuboot/"
            "external_flash/Kconfig.sysbuild @9d8cdba), ipc_radio + b0n network-core images")
    return {
        "name": name,
        "ncs_version": f"{NCS} (Zephyr {ZEPHYR})",
        "board": f"{board.target}, MX25R6435F "
                 f"({'SPI NOR' if board.soc.startswith('nrf54l') else 'QSPI'})",
        "layout": "sysbuild with devicetree partitions, no Partition Manager (generation G4)",
        "west_build": f"west build -b {board.target} --sysbuild nrf/samples/dfu/smp_svr "
                      f"-d build_{board.key}",
        "modelled_on": modelled,
        "generated_by": "python -m fixturegen (tests/fixturegen/dts_builds.py)",
    }


DTS_FIXTURES = {
    "nrf52840dk-dts": lambda: fixture("nrf52840dk"),
    "nrf5340dk-netcore-dts": lambda: fixture("nrf5340dk", netcore=True),
    "nrf54l15dk-dts": lambda: fixture("nrf54l15dk"),
}


# ---------------------------------------------------------------- negative cases


def _mcuboot_older_map(spec: BuildSpec) -> None:
    """MCUboot's overlay keeps its own copy of an older map (the one sdk-mcuboot
    v2.1.0-ncs1 ships for this board) instead of including the application's."""
    board = BOARDS["nrf52840dk"]
    image = spec.image("mcuboot")
    source = "nrf/samples/dfu/smp_svr/sysbuild/mcuboot.overlay"
    image.sources = replace(image.sources, overlay=source)
    for key, value in map_nodes(board, MCUBOOT_2_1_NRF52840_MAP, source).items():
        setattr(image, key, value)


def _mcuboot_without_qspi(spec: BuildSpec) -> None:
    kconfig = spec.image("mcuboot").kconfig
    for symbol in ("CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
                   "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE"):
        kconfig.pop(symbol, None)
    kconfig |= {"CONFIG_NORDIC_QSPI_NOR": False, "CONFIG_NRFX_QSPI": False}


def _short_slot1(spec: BuildSpec) -> None:
    board = BOARDS["nrf54l15dk"]
    mm = memory_map(board, False)
    short = replace(mm, external=(replace(mm.external[0], size=0x150000),))
    for name in ("smp_svr", "mcuboot"):
        image = spec.image(name)
        image.partitions = map_nodes(board, short, dtsi_source(board))["partitions"]


def _spi_nor_64k(spec: BuildSpec) -> None:
    spec.image("mcuboot").kconfig["CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE"] = 65536


def _mcuboot_code_partition_from_board(spec: BuildSpec) -> None:
    image = spec.image("mcuboot")
    board = BOARDS["nrf54l15dk"]
    image.chosen = image.chosen | {"zephyr,code-partition": "slot0_partition"}
    image.chosen_sources = image.chosen_sources | {
        "zephyr,code-partition": f"zephyr/boards/nordic/{board.board_dir}/{board.file}.dts"}


DTS_CASES = (
    Case("EXF107-layout-mismatch-dts", "nrf52840dk-dts", ("EXF107",),
         "sysbuild/mcuboot.overlay carries its own, older memory map (sdk-mcuboot v2.1.0-ncs1 "
         "boards/nrf52840dk_qspi_nor_secondary.overlay: boot_partition 0x10000, slots 0xe8000) "
         "instead of including the application's (boot_partition 0xc000, slots 0xf4000) "
         "(NCS troubleshooting: partition layout mismatch; F17)", _mcuboot_older_map),
    Case("EXF201-driver-disabled-dts", "nrf52840dk-dts", ("EXF201",),
         "MCUboot built without the QSPI NOR driver: sdk-mcuboot boards/nrf52840dk_nrf52840.conf "
         "sets CONFIG_NORDIC_QSPI_NOR=n and sysbuild/mcuboot.conf does not turn it back on "
         "(F4, U10)", _mcuboot_without_qspi),
    Case("EXF103-slot-size-mismatch-dts", "nrf54l15dk-dts", ("EXF103",),
         "the shared memory map gives slot1_partition 0x150000, smaller than slot0_partition "
         "0x15a000 (F8)", _short_slot1),
    Case("EXF205-sector-layout-mismatch-dts", "nrf54l15dk-dts", ("EXF205",),
         "sysbuild/mcuboot.conf lacks CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096: 64 KiB "
         "external sectors against 4 KiB RRAM sectors with swap-move (F7, U18)", _spi_nor_64k),
    Case("EXF305-code-partition-mismatch-dts", "nrf54l15dk-dts", ("EXF305",),
         "sysbuild/mcuboot.overlay replaces MCUboot's app.overlay but does not choose "
         "zephyr,code-partition = &boot_partition: MCUboot keeps the board's slot0_partition",
         _mcuboot_code_partition_from_board),
)
