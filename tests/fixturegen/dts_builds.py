"""Devicetree-partition build trees (NCS >= 3.4, sysbuild, no Partition
Manager): ``tests/fixtures/builds/<name>-dts/``.

What such a build directory holds (sysbuild layout, west-conventions §8.1;
ncs-facts §1 "G4"): ``CMakeCache.txt`` (``CMAKE_PROJECT_NAME=sysbuild_toplevel``),
``domains.yaml``, the sysbuild ``zephyr/.config`` with
``# SB_CONFIG_PARTITION_MANAGER is not set``, ``_sysbuild/autoconf.h``, and per
image ``<image>/CMakeCache.txt``, ``zephyr/.config`` and ``zephyr/zephyr.dts``;
there is **no** ``partitions.yml`` / ``regions.yml`` / ``pm.config`` /
``pm_config.h``. The slots live in each image's zephyr.dts, from the memory
map ``west extflash init --layout dts`` writes
(``extflash.scaffold.layouts.dts_memmap``): internal partitions as
``zephyr,mapped-partition`` children of the flash/RRAM node's ``partitions``
group, the secondary slot(s) under the NOR flash node's ``fixed-partitions``,
attributed in the comments to the shared ``.dtsi`` as NCS 3.4 writes them.

The board nodes come from ``fixturegen.boards`` and the zephyr.dts text from
``fixturegen.dts.render_zephyr_dts``; faulty variants are the clean spec
with one fact changed (``variant``). Regenerate with
``/tmp/probe/bin/python -m fixturegen.dts_builds`` from ``tests/``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from fixturegen.dts import DtsSources, FixedPartitions, PartitionEntry, render_zephyr_dts

from extflash.scaffold.layouts.dts_memmap import MemoryMapPlan, plan_memory_map

APP = "smp_svr"
SRC = "/home/dev/ncs/v3.4.0"
APP_DIR = f"{SRC}/nrf/samples/dfu/smp_svr"
BUILD_DIR = f"{APP_DIR}/build"
NCS_VERSION = "3.4.0"

DRIVER2PAGE = {"CONFIG_NORDIC_QSPI_NOR": "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
               "CONFIG_SPI_NOR": "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE"}


@dataclass(frozen=True)
class Board:
    target: str  # nrf54l15dk/nrf54l15/cpuapp
    file: str  # nrf54l15dk_nrf54l15_cpuapp
    name: str  # CONFIG_BOARD
    model: str  # fixturegen.boards module
    soc_id: str  # extflash.scaffold.layouts.dts_memmap.SOC2DTS key
    soc_dtsi: str
    board_dts: str
    pinctrl: str
    internal_size: int
    driver: str  # CONFIG_NORDIC_QSPI_NOR / CONFIG_SPI_NOR
    soc_symbols: tuple[str, ...]
    flash_size_kb: int


BOARDS = {
    "nrf52840dk": Board(
        "nrf52840dk/nrf52840", "nrf52840dk_nrf52840", "nrf52840dk", "nrf52840dk", "nrf52840",
        "zephyr/dts/vendor/nordic/nrf52840.dtsi",
        "zephyr/boards/nordic/nrf52840dk/nrf52840dk_nrf52840.dts",
        "zephyr/boards/nordic/nrf52840dk/nrf52840dk_nrf52840-pinctrl.dtsi", 0x100000,
        "CONFIG_NORDIC_QSPI_NOR",
        ("CONFIG_SOC_SERIES_NRF52X", "CONFIG_SOC_NRF52840", "CONFIG_SOC_NRF52840_QIAA"), 1024),
    "nrf5340dk": Board(
        "nrf5340dk/nrf5340/cpuapp", "nrf5340dk_nrf5340_cpuapp", "nrf5340dk", "nrf5340dk_cpuapp",
        "nrf5340_cpuapp", "zephyr/dts/vendor/nordic/nrf5340_cpuapp.dtsi",
        "zephyr/boards/nordic/nrf5340dk/nrf5340dk_nrf5340_cpuapp.dts",
        "zephyr/boards/nordic/nrf5340dk/nrf5340_cpuapp_common-pinctrl.dtsi", 0x100000,
        "CONFIG_NORDIC_QSPI_NOR",
        ("CONFIG_SOC_SERIES_NRF53X", "CONFIG_SOC_NRF5340_CPUAPP", "CONFIG_SOC_NRF5340_CPUAPP_QKAA"),
        1024),
    "nrf54l15dk": Board(
        "nrf54l15dk/nrf54l15/cpuapp", "nrf54l15dk_nrf54l15_cpuapp", "nrf54l15dk",
        "nrf54l15dk_cpuapp", "nrf54l15_cpuapp", "zephyr/dts/vendor/nordic/nrf54l_05_10_15.dtsi",
        "zephyr/boards/nordic/nrf54l15dk/nrf54l15dk_nrf54l15_cpuapp.dts",
        "zephyr/boards/nordic/nrf54l15dk/nrf54l15dk_nrf54l_05_10_15-pinctrl.dtsi", 0x17D000,
        "CONFIG_SPI_NOR",
        ("CONFIG_SOC_SERIES_NRF54LX", "CONFIG_SOC_NRF54L15", "CONFIG_SOC_NRF54L15_CPUAPP"), 1524),
}


@dataclass(frozen=True)
class Spec:
    """One build directory. ``app``/``mcuboot`` maps are what each image's
    overlays produced; the dicts are Kconfig overrides (None removes)."""

    name: str
    board: str
    netcore: bool = False
    provenance: str = ""
    app_map: MemoryMapPlan | None = None
    mcuboot_map: MemoryMapPlan | None = None
    app_config: dict = field(default_factory=dict)
    mcuboot_config: dict = field(default_factory=dict)
    mcuboot_status: str | None = None  # status of the NOR node in MCUboot's zephyr.dts
    mcuboot_map_source: str | None = None  # MCUboot's slots from another file than the .dtsi


def plan(board: Board, netcore: bool) -> MemoryMapPlan:
    return plan_memory_map(board_title=board.name, target=board.target, soc_id=board.soc_id,
                           internal_size=board.internal_size, erase_block=4096,
                           flash_node="mx25r64", flash_size=0x800000, netcore=netcore)


def clean(key: str, netcore: bool = False) -> Spec:
    board = BOARDS[key]
    mm = plan(board, netcore)
    return Spec(name=f"{key}{'-netcore' if netcore else ''}-dts", board=key, netcore=netcore,
                app_map=mm, mcuboot_map=mm)


def resize(mm: MemoryMapPlan, label: str, size: int) -> MemoryMapPlan:
    """The map with one partition's size changed (a hand-edited overlay)."""
    def fix(parts):
        return tuple(replace(p, size=size) if p.label == label else p for p in parts)
    return replace(mm, internal=fix(mm.internal), external=fix(mm.external))


# ---------------------------------------------------------------- text


def _kconfig(header: str, values: dict) -> str:
    lines = ["#", "# Automatically generated file; DO NOT EDIT.", f"# {header}", "#"]
    for symbol, value in values.items():
        if value is False:
            lines.append(f"# {symbol} is not set")
        elif value is True:
            lines.append(f"{symbol}=y")
        elif isinstance(value, int):
            lines.append(f"{symbol}={value:#x}" if symbol.endswith(("_ADDRESS", "_BASE"))
                         else f"{symbol}={value}")
        else:
            lines.append(f'{symbol}="{value}"')
    return "\n".join(lines) + "\n"


def _merge(base: dict, overrides: dict) -> dict:
    out = dict(base)
    for k, v in overrides.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def sysbuild_config(spec: Spec, board: Board) -> dict:
    values = {
        "SB_CONFIG_BOARD": board.name,
        "SB_CONFIG_BOARD_QUALIFIERS": board.target.split("/", 1)[1],
        "SB_CONFIG_SOC": board.soc_symbols[1].removeprefix("CONFIG_SOC_").lower(),
        "SB_CONFIG_BOOTLOADER_MCUBOOT": True,
        "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE": not spec.netcore,
        "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY": spec.netcore,
        "SB_CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256": not board.soc_id.startswith("nrf54l"),
        "SB_CONFIG_BOOT_SIGNATURE_TYPE_ED25519": board.soc_id.startswith("nrf54l"),
        "SB_CONFIG_PARTITION_MANAGER": False,
        "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES": 2 if spec.netcore else 1,
    }
    if spec.netcore:
        values |= {"SB_CONFIG_SECURE_BOOT_NETCORE": True, "SB_CONFIG_NETCORE_APP_UPDATE": True,
                   "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE": True,
                   "SB_CONFIG_NETCORE_IPC_RADIO": True, "SB_CONFIG_NETCORE_REMOTE_DOMAIN": "CPUNET"}
    return values


def _common(board: Board) -> dict:
    values = {"CONFIG_BOARD": board.name, "CONFIG_BOARD_TARGET": board.target}
    values |= {s: True for s in board.soc_symbols}
    values |= {"CONFIG_FLASH_SIZE": board.flash_size_kb, "CONFIG_FLASH_BASE_ADDRESS": 0,
               "CONFIG_FLASH": True, "CONFIG_FLASH_MAP": True, "CONFIG_FLASH_PAGE_LAYOUT": True,
               "CONFIG_SOC_FLASH_NRF_RRAM" if board.soc_id.startswith("nrf54l")
               else "CONFIG_SOC_FLASH_NRF": True,
               "CONFIG_PARTITION_MANAGER_ENABLED": False}
    driver = board.driver
    if driver == "CONFIG_SPI_NOR":
        values |= {"CONFIG_SPI": True, "CONFIG_SPI_NOR": True, "CONFIG_SPI_NOR_SFDP_DEVICETREE": True,
                   "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 4096, "CONFIG_NORDIC_QSPI_NOR": False}
    else:
        values |= {"CONFIG_NORDIC_QSPI_NOR": True,
                   "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 4096,
                   "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE": 16, "CONFIG_SPI_NOR": False}
    return values


def app_config(spec: Spec, board: Board) -> dict:
    values = _common(board) | {
        "CONFIG_BOOTLOADER_MCUBOOT": True, "CONFIG_MCUBOOT_BOOTLOADER_MODE_SWAP_USING_MOVE":
            not spec.netcore, "CONFIG_MCUBOOT_BOOTLOADER_MODE_OVERWRITE_ONLY": spec.netcore,
        "CONFIG_MCUMGR": True, "CONFIG_MCUMGR_GRP_IMG": True, "CONFIG_IMG_MANAGER": True,
        "CONFIG_STREAM_FLASH": True, "CONFIG_UPDATEABLE_IMAGE_NUMBER": 2 if spec.netcore else 1,
    }
    return _merge(values, spec.app_config)


def mcuboot_config(spec: Spec, board: Board) -> dict:
    values = _common(board) | {
        "CONFIG_MCUBOOT": True, "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": True,
        "CONFIG_BOOT_SWAP_USING_MOVE": not spec.netcore, "CONFIG_BOOT_UPGRADE_ONLY": spec.netcore,
        "CONFIG_UPDATEABLE_IMAGE_NUMBER": 2 if spec.netcore else 1,
        "CONFIG_MULTITHREADING": False, "CONFIG_MAIN_STACK_SIZE": 10240,
    }
    if spec.netcore:
        values |= {"CONFIG_NRF53_MULTI_IMAGE_UPDATE": True, "CONFIG_BOOT_IMAGE_ACCESS_HOOKS": True,
                   "CONFIG_PCD_APP": True, "CONFIG_FLASH_SIMULATOR": True,
                   "CONFIG_FLASH_SIMULATOR_DOUBLE_WRITES": True,
                   "CONFIG_FLASH_SIMULATOR_STATS": False}
    return _merge(values, spec.mcuboot_config)


def _dtsi_path(board: Board) -> str:
    return f"{APP_DIR}/boards/{board.file}_memory_map_ext_flash.dtsi"


def _internal_props(board: Board, mm: MemoryMapPlan) -> dict:
    if mm.node_size is None:
        return {}
    return {mm.internal_node: {"reg": f"< 0x0 {mm.node_size:#x} >",
                               "ranges": f"< 0x0 0x0 {mm.node_size:#x} >"}}


def _internal_nodes(board: Board, mm: MemoryMapPlan, flash_path: str) -> tuple:
    base = f"{flash_path}/partitions"
    nodes = [(base, (), (("ranges", None), ("#address-cells", "< 0x1 >"),
                         ("#size-cells", "< 0x1 >")))]
    for p in mm.internal:
        nodes.append((f"{base}/partition@{p.offset:x}", (p.label,), (
            ("compatible", '"zephyr,mapped-partition"'), ("label", f'"{p.name}"'),
            ("reg", f"< {p.offset:#x} {p.size:#x} >"))))
    return tuple(nodes)


_SIM_FLASH_SRC = "nrf/modules/mcuboot/flash_sim.overlay"
SIM_FLASH_NODES = (
    ("/soc/nordic_ram-flash-controller@0", ("nordic_ram_flash_controller",), (
        ("compatible", '"zephyr,sim-flash"'), ("reg", "< 0x0 0x1000 >"),
        ("#address-cells", "< 0x1 >"), ("#size-cells", "< 0x1 >"), ("erase-value", "< 0xff >"),
        ("status", '"okay"'))),
    ("/soc/nordic_ram-flash-controller@0/flash_sim@0", ("flash_sim0",), (
        ("status", '"okay"'), ("compatible", '"soc-nv-flash"'),
        ("erase-block-size", "< 0x1000 >"), ("write-block-size", "< 0x4 >"),
        ("reg", "< 0x0 0x40000 >"))),
)
SIM_FLASH_PARTITIONS = FixedPartitions("flash_sim0", (
    PartitionEntry("slot2_partition", "image-2", 0, 0x40000),), _SIM_FLASH_SRC)


def _flash_path(model: str, label: str) -> str:
    from fixturegen.dts import load_model

    for path, labels, _ in load_model(model):
        if label in labels:
            return path
    raise KeyError(label)


def zephyr_dts(spec: Spec, board: Board, role: str) -> str:
    mm = spec.app_map if role == "app" else spec.mcuboot_map
    overlay = (f"{APP_DIR}/boards/{board.file}.overlay" if role == "app"
               else f"{APP_DIR}/sysbuild/mcuboot.overlay")
    map_source = _dtsi_path(board)
    if role == "mcuboot" and spec.mcuboot_map_source:
        map_source = f"{APP_DIR}/{spec.mcuboot_map_source}"
    sources = DtsSources(soc=board.soc_dtsi, board=board.board_dts, pinctrl=board.pinctrl,
                         overlay=map_source)
    flash_path = _flash_path(board.model, mm.internal_node)
    status = {"mx25r64": "okay"}
    if role == "mcuboot" and spec.mcuboot_status is not None:
        status["mx25r64"] = spec.mcuboot_status
    extra = _internal_nodes(board, mm, flash_path)
    partitions = (FixedPartitions("mx25r64", tuple(
        PartitionEntry(p.label, p.name, p.offset, p.size) for p in mm.external), map_source),)
    if role == "mcuboot" and spec.netcore:
        extra += SIM_FLASH_NODES
        partitions += (SIM_FLASH_PARTITIONS,)
    text = render_zephyr_dts(
        board.model, sources=sources,
        chosen={"zephyr,flash": mm.internal_node,
                "zephyr,code-partition": "slot0_partition" if role == "app" else "boot_partition",
                "zephyr,console": "uart20" if board.soc_id.startswith("nrf54l") else "uart0"},
        chosen_sources={"zephyr,code-partition": overlay, "zephyr,flash": board.board_dts,
                        "zephyr,console": board.board_dts},
        status=status, props=_internal_props(board, mm), extra_nodes=extra,
        partitions=partitions)
    if role == "mcuboot" and spec.netcore:
        text = _attribute_sim_flash(text, map_source)
    return text


def _attribute_sim_flash(text: str, dtsi: str) -> str:
    """The RAM flash nodes come from NCS's flash_sim overlay, not the app."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if "/* node '/soc/nordic_ram-flash-controller@0" in line:
            inside = True
        elif "/* node '" in line:
            inside = False
        out.append(line.replace(dtsi, _SIM_FLASH_SRC) if inside else line)
    return "".join(out)


def _cmake_cache(entries: dict) -> str:
    lines = ["# This is the CMakeCache file.", "# For build in directory: " + entries.pop("_dir"),
             "# It was generated by CMake: /usr/bin/cmake", ""]
    lines += [f"{k}={v}" for k, v in entries.items()]
    return "\n".join(lines) + "\n"


def _domains(spec: Spec) -> str:
    images = [APP, "mcuboot"] + (["ipc_radio", "b0n"] if spec.netcore else [])
    lines = [f"default: {APP}", f"build_dir: {BUILD_DIR}", "domains:"]
    for image in images:
        lines += [f"- name: {image}", f"  build_dir: {BUILD_DIR}/{image}"]
    order = ["mcuboot", APP] + (["b0n", "ipc_radio"] if spec.netcore else [])
    lines += ["flash_order:"] + [f"- {image}" for image in order]
    return "\n".join(lines) + "\n"


def files(spec: Spec) -> dict[str, str]:
    """Every file of the build directory, by relative path."""
    board = BOARDS[spec.board]
    sb = sysbuild_config(spec, board)
    out = {
        "CMakeCache.txt": _cmake_cache({
            "_dir": BUILD_DIR, "APP_DIR:PATH": APP_DIR, "BOARD:STRING": board.target,
            "CMAKE_PROJECT_NAME:STATIC": "sysbuild_toplevel",
            "SB_CONF_FILE:INTERNAL": f"{APP_DIR}/sysbuild.conf",
            "ZEPHYR_BASE:PATH": f"{SRC}/zephyr"}),
        "domains.yaml": _domains(spec),
        "zephyr/.config": _kconfig("Sysbuild Configuration", sb),
        "_sysbuild/autoconf.h": "".join(
            f"#define {k} {1 if v is True else (f'{v!r}' if isinstance(v, str) else v)}\n"
            .replace("'", '"') for k, v in sb.items() if v is not False),
        f"{APP}/zephyr/.config": _kconfig("Zephyr Kernel Configuration", app_config(spec, board)),
        f"{APP}/zephyr/zephyr.dts": zephyr_dts(spec, board, "app"),
        f"{APP}/zephyr/include/generated/ncs_version.h":
            f'#define NCS_VERSION_STRING "{NCS_VERSION}"\n',
        f"{APP}/CMakeCache.txt": _cmake_cache({
            "_dir": f"{BUILD_DIR}/{APP}", "APPLICATION_SOURCE_DIR:PATH": APP_DIR,
            "CACHED_BOARD:INTERNAL": board.target}),
        "mcuboot/zephyr/.config": _kconfig("Zephyr Kernel Configuration",
                                           mcuboot_config(spec, board)),
        "mcuboot/zephyr/zephyr.dts": zephyr_dts(spec, board, "mcuboot"),
        "mcuboot/CMakeCache.txt": _cmake_cache({
            "_dir": f"{BUILD_DIR}/mcuboot",
            "APPLICATION_SOURCE_DIR:PATH": f"{SRC}/bootloader/mcuboot/boot/zephyr",
            "CACHED_BOARD:INTERNAL": board.target}),
        "PROVENANCE": spec.provenance or provenance(spec, board),
    }
    if spec.netcore:
        for image in ("ipc_radio", "b0n"):
            out[f"{image}/zephyr/.config"] = _kconfig("Zephyr Kernel Configuration", {
                "CONFIG_BOARD": "nrf5340dk", "CONFIG_BOARD_TARGET": "nrf5340dk/nrf5340/cpunet",
                "CONFIG_SOC_SERIES_NRF53X": True, "CONFIG_SOC_NRF5340_CPUNET": True,
                "CONFIG_SOC_NRF5340_CPUNET_QKAA": True, "CONFIG_PARTITION_MANAGER_ENABLED": False,
                "CONFIG_PCD_NET": image == "b0n"})
            out[f"{image}/CMakeCache.txt"] = _cmake_cache({
                "_dir": f"{BUILD_DIR}/{image}", "CACHED_BOARD:INTERNAL": "nrf5340dk/nrf5340/cpunet"})
    return out


def provenance(spec: Spec, board: Board) -> str:
    mm = spec.app_map
    lines = [
        f"{spec.name}: sysbuild build of {APP} for {board.target}, NCS {NCS_VERSION}, "
        "devicetree partitions (SB_CONFIG_PARTITION_MANAGER=n), no Partition Manager output.",
        "",
        "Generated by tests/fixturegen/dts_builds.py; modelled on:",
        f"- board nodes: tests/fixturegen/boards/{board.model}.py (see its docstring)",
        "- memory map: what `west extflash init --layout dts` writes for this board",
        "  (extflash/scaffold/layouts/dts_memmap.py), shaped like sdk-nrf",
        "  tests/modules/mcuboot/external_flash/boards/nrf5340dk_nrf5340_cpuapp.overlay @9d8cdba,",
        "  .../nrf54l15dk_nrf54l15_cpuapp.overlay @bbb065b and",
        "  samples/dfu/smp_svr/sysbuild/nrf54l15dk_nrf54l10_memory_map_ext_flash.dtsi @b270c7e",
        "  (zephyr,mapped-partition internal slots, fixed-partitions under &mx25r64);",
        f"  slots here: {', '.join(f'{p.label} {p.offset:#x}+{p.size:#x}' for p in (*mm.internal, *mm.external))}",
        "- MCUboot Kconfig: CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y (sdk-mcuboot boot/zephyr/Kconfig,",
        "  default y if !PARTITION_MANAGER_ENABLED), driver and 4096-byte layout page as",
        "  sdk-nrf tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/*.conf",
        "- layout: sysbuild build directory (domains.yaml, zephyr/.config with SB_CONFIG_*,",
        "  <image>/zephyr/{.config,zephyr.dts}); zephyr.dts comments in the NCS 3.4 form",
    ]
    if spec.netcore:
        lines += [
            "- network core: slot2_partition in MCUboot's zephyr,sim-flash (sdk-nrf",
            "  modules/mcuboot/flash_sim_pm.overlay @1a2ad49), slot3_partition after",
            "  slot1_partition in external flash, overwrite-only (sdk-nrf",
            "  tests/modules/mcuboot/external_flash/Kconfig.sysbuild @9d8cdba)",
        ]
    return "\n".join(lines) + "\n"


def write(spec: Spec, root: Path) -> Path:
    target = root / spec.name
    for rel, text in files(spec).items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


CLEAN = (clean("nrf52840dk"), clean("nrf5340dk", netcore=True), clean("nrf54l15dk"))


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "fixtures" / "builds"
    for spec in CLEAN:
        print(write(spec, root))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# ---------------------------------------------------------------- faulty variants


def _older_map(mm: MemoryMapPlan) -> MemoryMapPlan:
    """The map with a 96 KiB storage partition: slot0/slot1 0x10000 smaller
    (what MCUboot was built with when its overlay kept an older copy)."""
    grow = 0x10000
    boot, slot0, storage = mm.internal
    slot0 = replace(slot0, size=slot0.size - grow)
    storage = replace(storage, offset=storage.offset - grow, size=storage.size + grow)
    external = tuple(replace(p, size=slot0.size) if p.label == "slot1_partition" else p
                     for p in mm.external)
    return replace(mm, internal=(boot, slot0, storage), external=external)


def variants() -> dict[str, tuple[Spec, str]]:
    """name -> (spec, what is wrong), one per check that must fire."""
    n52, n54 = clean("nrf52840dk"), clean("nrf54l15dk")
    short = resize(n54.app_map, "slot1_partition", 0x150000)
    return {
        "layout-mismatch": (replace(n52, name="layout-mismatch-dts",
                                    mcuboot_map=_older_map(n52.app_map),
                                    mcuboot_map_source="sysbuild/mcuboot.overlay"),
                            "sysbuild/mcuboot.overlay kept its own older memory map "
                            "(storage_partition 96 KiB), so MCUboot's slot0/slot1_partition "
                            "are 0x10000 smaller than the application's"),
        "driver-disabled": (replace(n52, name="driver-disabled-dts", mcuboot_config={
            "CONFIG_NORDIC_QSPI_NOR": False,
            "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": None,
            "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE": None}),
                            "MCUboot built without the QSPI NOR driver: sdk-mcuboot "
                            "boot/zephyr/boards/nrf52840dk_nrf52840.conf sets "
                            "CONFIG_NORDIC_QSPI_NOR=n and sysbuild/mcuboot.conf does not turn "
                            "it back on"),
        "slot-size-mismatch": (replace(n54, name="slot-size-mismatch-dts", app_map=short,
                                       mcuboot_map=short),
                               "the shared memory map gives slot1_partition 0x150000, "
                               "smaller than slot0_partition 0x163000"),
        "sector-layout-mismatch": (replace(n54, name="sector-layout-mismatch-dts",
                                           mcuboot_config={
                                               "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": 65536}),
                                   "sysbuild/mcuboot.conf lacks "
                                   "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096, so MCUboot "
                                   "sees 64 KiB external sectors against 4 KiB RRAM sectors in "
                                   "swap-move"),
    }
