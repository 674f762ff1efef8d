"""Layout ``dts``: sysbuild with devicetree partitions and no Partition
Manager, the NCS default from 3.4 (Partition Manager deprecated in 3.3, off
by default in 3.4, removal planned for 3.5).

Files (what the NCS partitioning guide asks for: "Share the same layout
between the application and the MCUboot sysbuild image (for example, include
a common ``*.dtsi`` from both ...)"):

- ``boards/<board>_memory_map_ext_flash.dtsi``: the whole memory map, named
  like the smp_svr sample's ``<board>_memory_map_ext_flash.dtsi``
  (``dts_memmap``). It lives next to the board overlay, where Zephyr does not
  pick it up by itself.
- ``boards/<board>.overlay`` (application): ``#include`` of the map and
  ``zephyr,code-partition = &slot0_partition``, as NCS's
  ``tests/modules/mcuboot/external_flash/boards/nrf54l15dk_nrf54l15_cpuapp.overlay``
  does after replacing the partitions.
- ``sysbuild/mcuboot.overlay`` (MCUboot; ``sysbuild/mcuboot/boards/<board>.overlay``
  when the application already has a ``sysbuild/mcuboot/`` directory): the same ``#include`` and
  ``zephyr,code-partition = &boot_partition``. NCS's own test and sample use
  ``sysbuild/mcuboot/boards/<board>.overlay`` instead, but a
  ``sysbuild/mcuboot/`` directory *replaces* MCUboot's configuration
  directory (it then needs a complete ``prj.conf``, and MCUboot's own
  ``prj.conf`` and ``app.overlay`` are no longer used). The single overlay
  file becomes ``mcuboot_DTC_OVERLAY_FILE`` and leaves MCUboot's
  configuration alone; like the directory form it replaces MCUboot's
  ``app.overlay``, which is why it repeats ``zephyr,code-partition``. It is
  also the file the ``sysbuild`` layout writes, so moving between the two
  layouts touches the same files.
- ``sysbuild/mcuboot.conf``: the flash driver with the 4096-byte layout page
  (the NCS test's ``sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp.conf``:
  ``CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096``), and
  ``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y``: without Partition Manager MCUboot
  computes the sector count from the slot sizes itself (sdk-mcuboot
  ``boot/zephyr/Kconfig``: ``default y if !PARTITION_MANAGER_ENABLED``), so
  ``CONFIG_BOOT_MAX_IMG_SECTORS`` is not written.
- ``sysbuild.conf``: ``SB_CONFIG_BOOTLOADER_MCUBOOT=y`` and
  ``SB_CONFIG_PARTITION_MANAGER=n`` (the 3.4 default, written so that the
  files also build on 3.3, where Partition Manager is still on, and so that
  the choice is visible), plus the nRF5340 network-core update settings with
  ``--netcore``.
- ``prj.conf``: the application's flash driver (it writes the update).
"""

from __future__ import annotations

import re
from pathlib import Path

from extflash import kconfig
from extflash.errors import BoardError, UsageError
from extflash.ncs import V3_4
from extflash.scaffold.layouts import common
from extflash.scaffold.layouts.dts_memmap import SOC2DTS, MemoryMapPlan, dts_soc, plan_memory_map
from extflash.scaffold.model import (
    Geometry,
    KconfigSpec,
    OverlaySpec,
    RawSpec,
    Request,
    Setting,
    Spec,
)
from extflash.units import hex_size

PM_SYMBOL = "SB_CONFIG_PARTITION_MANAGER"
NS_QUALIFIER = "ns"


# Boards whose devicetree memory map was checked against NCS's own files
# (README.rst, "NCS generations"). Others (Thingy:53, whose NCS board devicetree
# already places slot1/slot3 in external flash behind a larger MCUboot;
# nRF7002 DK; nRF91 Series, which NCS keeps on Partition Manager) stay on the
# sysbuild layout; a custom board (--flash-node ...) with a known SoC may use it.
DTS_BOARDS = ("nrf52840dk", "nrf5340dk", "nrf54l15dk")


def supports(board) -> bool:
    """Can this board get a devicetree memory map (secure target, known SoC)?"""
    return (board.hwmv2.split("/")[-1] != NS_QUALIFIER and board.soc is not None
            and board.soc.id in SOC2DTS and (board.custom or board.id in DTS_BOARDS))


def stays_on_partition_manager(app_dir: Path, board) -> bool:
    """``--layout auto`` on NCS >= 3.4 keeps the ``sysbuild`` layout when the
    project keeps Partition Manager (``SB_CONFIG_PARTITION_MANAGER=y`` in its
    sysbuild.conf) or the board has no devicetree map here (nRF91 Series:
    NCS keeps Partition Manager for it; TF-M ``/ns`` targets)."""
    return keeps_partition_manager(app_dir) or not supports(board)


def check(request: Request) -> None:
    board = request.board
    if board.hwmv2.split("/")[-1] == NS_QUALIFIER:
        raise UsageError(
            f"{board.hwmv2}: non-secure targets (TF-M) have their own devicetree partition "
            "layout, which --layout dts does not write",
            hint=f"use the secure target {board.hwmv2.rsplit('/', 1)[0]}, or --layout sysbuild")
    dts_soc(board.soc.id if board.soc else None, board.name)
    if not supports(board):
        raise BoardError(
            f"{board.name}: --layout dts writes memory maps only for the nRF52840 DK, "
            "nRF5340 DK and nRF54L15 DK (checked against NCS's own maps), or a custom board "
            "given with --flash-node/--driver/--flash-size/--erase-block",
            hint="use --layout sysbuild (SB_CONFIG_PARTITION_MANAGER=y) for this board")
    if request.netcore and not board.netcore:
        raise UsageError(f"--netcore: {board.name} has no nRF5340 network core",
                         hint="leave out --netcore")


def uses_hwmv2(request: Request) -> bool:
    return True


def generation(request: Request) -> str:
    v = request.version
    what = "sysbuild with devicetree partitions (no Partition Manager)"
    return f"NCS {v}, {what}" if v is not None else f"NCS 3.4 and later, {what}"


def memory_map(request: Request) -> MemoryMapPlan:
    board = request.board
    soc = board.soc
    return plan_memory_map(
        board_title=board.name, target=board.spelling(True), soc_id=soc.id if soc else None,
        internal_size=soc.internal_flash_size if soc else 0,
        erase_block=request.page_size, flash_node=board.flash.node,
        flash_size=board.flash.size, netcore=request.netcore)


def geometry(request: Request) -> Geometry:
    """The slots of the memory map, and the sector count MCUboot will compute
    (``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO``: the largest slot / erase block)."""
    plan = memory_map(request)
    slot0 = plan.part("slot0_partition")
    slot3 = plan.part("slot3_partition")
    largest = max(slot0.size, slot3.size if slot3 else 0)
    sectors = -(-largest // request.page_size)
    explanation = (
        f"slot0_partition = &{plan.internal_node} {hex_size(plan.internal_size)} - "
        f"boot_partition {hex_size(plan.part('boot_partition').size)} - storage_partition "
        f"{hex_size(plan.part('storage_partition').size)} = {hex_size(slot0.size)}",
        f"slot1_partition on &{plan.flash_node} = {hex_size(slot0.size)}",
        f"CONFIG_BOOT_MAX_IMG_SECTORS_AUTO: MCUboot computes {hex_size(largest)} / "
        f"{request.page_size} = {sectors}",
    )
    return Geometry(slot0.size, slot3.size if slot3 else None, request.page_size, sectors,
                    explanation)


def dtsi_name(request: Request) -> str:
    """``nrf54l15dk_nrf54l15_cpuapp_memory_map_ext_flash.dtsi``."""
    return request.board.overlay_name(True).removesuffix(".overlay") + "_memory_map_ext_flash.dtsi"


def _mcuboot_settings(request: Request) -> list[Setting]:
    settings = common.driver_settings(request, for_mcuboot=True)
    soc_id = request.board.soc.id if request.board.soc else ""
    if request.board.flash.driver == "spi" and soc_id.startswith("nrf54l"):
        settings += [
            Setting("CONFIG_SPI_NRFX_RAM_BUFFER_SIZE", 32,
                    ("as NCS tests/modules/mcuboot/external_flash does for the nRF54L15 DK",)),
            Setting("CONFIG_FPROTECT", False,
                    ("MCUboot with the SPI NOR driver needs the larger boot_partition of the",
                     "memory map; NCS's external-flash test disables fprotect for it too")),
        ]
    settings.append(Setting(
        "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO", True,
        ("MCUboot computes the sector count from slot0/slot1_partition and the",
         "erase block; no CONFIG_BOOT_MAX_IMG_SECTORS by hand")))
    return settings


def _sysbuild_settings(request: Request) -> list[Setting]:
    sb = [
        Setting("SB_CONFIG_BOOTLOADER_MCUBOOT", True, exclusive=("SB_CONFIG_BOOTLOADER_NONE",)),
        Setting(PM_SYMBOL, False,
                ("devicetree partitions: Partition Manager off (the default from NCS 3.4)",)),
    ]
    if request.netcore:
        sb += common.sysbuild_netcore_settings()
    return sb


def specs(request: Request, geometry=None) -> list[Spec]:
    board = request.board
    spelling = board.spelling(True)
    gen = generation(request)
    plan = memory_map(request)
    dtsi = dtsi_name(request)
    mcuboot_overlay, mcuboot_include = mcuboot_overlay_path(request)
    header = common.header(request, gen, spelling, "{}")
    return [
        RawSpec(f"boards/{dtsi}", _dtsi_text(request, plan, spelling, gen, mcuboot_overlay)),
        KconfigSpec("sysbuild.conf", _header(header, "sysbuild"),
                    tuple(_sysbuild_settings(request))),
        KconfigSpec("sysbuild/mcuboot.conf", _header(header, "MCUboot image"),
                    tuple(_mcuboot_settings(request))),
        KconfigSpec("prj.conf", _header(header, "application image"),
                    tuple(common.driver_settings(request, for_mcuboot=False))),
        OverlaySpec(f"boards/{board.overlay_name(True)}", _header(header, "application image"),
                    None, None, code_partition=True, code_partition_label="slot0_partition",
                    include=dtsi),
        OverlaySpec(mcuboot_overlay, _header(header, "MCUboot image"), None, None,
                    code_partition=True, code_partition_label="boot_partition",
                    include=mcuboot_include),
    ]


def mcuboot_overlay_path(request: Request) -> tuple[str, str]:
    """MCUboot's overlay and how it includes the map. When the application
    already has a ``sysbuild/mcuboot/`` configuration directory, a
    ``sysbuild/mcuboot.overlay`` would become ``mcuboot_DTC_OVERLAY_FILE`` and
    switch off that directory's ``boards/<board>.overlay`` and ``app.overlay``,
    so the board overlay inside it is used, as NCS's own test does."""
    dtsi = dtsi_name(request)
    if (request.app_dir / "sysbuild" / "mcuboot").is_dir():
        return (f"sysbuild/mcuboot/boards/{request.board.overlay_name(True)}",
                f"../../../boards/{dtsi}")
    return "sysbuild/mcuboot.overlay", f"../boards/{dtsi}"


def _header(template: tuple[str, ...], what: str) -> tuple[str, ...]:
    return tuple(line.replace("{}", what) for line in template)


def _dtsi_text(request: Request, plan: MemoryMapPlan, spelling: str, gen: str,
               mcuboot_overlay: str) -> str:
    from extflash.scaffold.layouts.dts_memmap import render_dtsi

    return render_dtsi(plan, f"Written by `west extflash init` for {spelling}, {gen}.",
                       mcuboot_overlay)


def notes(request: Request) -> list[str]:
    """What the user should know about the memory map written."""
    out = []
    if request.netcore:
        out.append(
            "--netcore: the network core's images (b0n and the radio image) need their own "
            "flash1 partitions in devicetree (b0n_partition, provision_partition, s0_partition), "
            "as sdk-nrf tests/modules/mcuboot/external_flash/sysbuild/empty_net_core/boards/"
            "nrf5340dk_nrf5340_cpunet.overlay defines them; init writes the application core's "
            "map only")
    return out


# Partition Manager options of an image (CONFIG_PM_DEVICE & co. are power management)
_PM_IMAGE = ("CONFIG_PM_EXTERNAL_FLASH", "CONFIG_PM_PARTITION_SIZE_",
             "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=")
_PARTITION_RE = re.compile(r"\bpartition@[0-9a-fA-F]+\s*\{|/delete-node/\s*&\w*partition")


def warnings(request: Request) -> list[str]:
    """What the user's own files say that the memory map will override."""
    out = []
    dtsi = dtsi_name(request)
    for rel, include in ((f"boards/{request.board.overlay_name(True)}", dtsi),
                         mcuboot_overlay_path(request)):
        text = _read(request.app_dir / rel)
        end = text.find(f'#include "{include}"')
        if _PARTITION_RE.search(text, 0, end if end >= 0 else len(text)):
            out.append(f"{rel} defines partitions before the memory map's #include, which "
                       f"replaces &{memory_map(request).internal_node}'s partitions: move "
                       f"yours into boards/{dtsi} or below the #include line")
    for rel, prefixes in (("sysbuild.conf", ("SB_CONFIG_PM_",)),
                          ("sysbuild/mcuboot.conf", ("CONFIG_BOOT_MAX_IMG_SECTORS=",) + _PM_IMAGE),
                          ("prj.conf", _PM_IMAGE)):
        for a in kconfig.parse(_read(request.app_dir / rel)).assignments:
            if f"{a.symbol}=".startswith(prefixes) and a.value is not False:
                out.append(f"{rel}:{a.line}: {a.symbol}={a.raw} has no effect without Partition "
                           "Manager" + (" (MCUboot computes the sector count)"
                                        if "SECTORS" in a.symbol else "")
                           + "; Kconfig will warn about it, remove the line")
    for static in sorted(request.app_dir.glob("pm_static*.yml")):
        out.append(f"{static.name} is ignored without Partition Manager "
                   f"({PM_SYMBOL}=n); the slots are now in boards/{dtsi}")
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def next_command(request: Request, app_arg: str) -> str:
    spelling = request.board.spelling(True)
    if app_arg:
        return f"west build -b {spelling} --sysbuild -p always {app_arg}"
    return f"west build -b {spelling} --sysbuild -p"


# ------------------------------------------------- Partition Manager kept on 3.4


def keeps_partition_manager(app_dir: Path) -> bool:
    """Does the application's ``sysbuild.conf`` say ``SB_CONFIG_PARTITION_MANAGER=y``?

    Such a project stays on the ``sysbuild`` layout even on NCS >= 3.4 (``--layout
    auto``); ``init`` then warns that Partition Manager is deprecated there.
    """
    path = app_dir / "sysbuild.conf"
    if not path.is_file():  # issue 12: a FIFO or /dev/zero link is never opened
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return kconfig.parse(text).values.get(PM_SYMBOL) is True


def pm_kept_warning(version) -> str:
    v = f"NCS {version}" if version is not None else "this NCS version"
    return (f"sysbuild.conf sets {PM_SYMBOL}=y, so {v} builds with Partition Manager: "
            f"it is deprecated from NCS 3.3.0, off by default from {V3_4} and planned for "
            "removal in 3.5; --layout dts writes the devicetree-partition layout instead")
