"""Plan first, write later: turn a ``Request`` into a ``Plan`` listing every
target file with its new content and its status (created / updated /
unchanged / conflict). Reads the application's files; writes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from extflash.errors import BoardError, UsageError
from extflash.scaffold import geometry as geometry_mod
from extflash.scaffold import kconfig_merge, overlay_merge
from extflash.scaffold import layouts as layouts_mod
from extflash.scaffold.model import (
    Conflict,
    FileChange,
    KconfigSpec,
    OverlaySpec,
    Plan,
    RawSpec,
    Request,
    Spec,
    Status,
)
from extflash.scaffold.paths import check_app_dir, file_read_by_build, resolve_target, suffixes_in
from extflash.scaffold.textfile import lines, read_text


def make_plan(request: Request, app_arg: str = "") -> Plan:
    """``app_arg``: how the application directory is named in the next command
    (empty when it is the current directory)."""
    root = check_app_dir(request.app_dir)
    layout = layouts_mod.get(request.layout)
    _check_board(request)
    layout.check(request)
    geometry = (layout.geometry(request) if hasattr(layout, "geometry")  # dts: its own map
                else geometry_mod.compute(request.board, request.page_size, request.netcore))
    specs = [_for_this_build(root, spec, request) for spec in layout.specs(request, geometry)]
    changes = [change for spec in specs
               if (change := _plan_file(root, spec, request.force)) is not None]
    plan = Plan(request=request, changes=changes, geometry=geometry,
                generation=layout.generation(request),
                next_command=layout.next_command(request, app_arg),
                board_spelling=request.board.spelling(layout.uses_hwmv2(request)))
    plan.warnings += layout.warnings(request)
    plan.notes += _notes(root, request)
    plan.notes += layout.notes(request) if hasattr(layout, "notes") else []
    plan.notes += _suffix_notes(root, request)
    return plan


def _notes(root, request: Request) -> list[str]:
    notes = []
    soc = request.board.soc
    if request.board.flash.driver == "spi" and request.layout.value != "dts" and not (
            soc is not None and soc.mcuboot_spi_nor_partition_size):  # dts: in the .dtsi
        notes.append(
            "MCUboot grows with the SPI NOR driver; if its link fails with \"region `FLASH' "
            "overflowed\", raise CONFIG_PM_PARTITION_SIZE_MCUBOOT in the MCUboot fragment "
            "(sdk-mcuboot's nrf54l15dk external-flash configuration uses 0x14000); the sector "
            "count written stays large enough"
        )
    if request.netcore:
        conf = root / ("prj.conf" if request.layout.value == "child-image" else "sysbuild.conf")
        text = conf.read_text(encoding="utf-8", errors="replace") if conf.is_file() else ""
        if request.layout.value in ("sysbuild", "dts") and "SB_CONFIG_NETCORE_" not in text.replace(
                "SB_CONFIG_NETCORE_APP_UPDATE", ""):
            notes.append(
                "--netcore: the network core needs an image of its own; choose it in "
                "sysbuild.conf (for example SB_CONFIG_NETCORE_IPC_RADIO=y for Bluetooth LE, or "
                "SB_CONFIG_NETCORE_EMPTY=y) unless the board or application already does"
            )
        elif request.layout.value == "child-image" and "CONFIG_BT=y" not in text and \
                "CPUNET" not in text:
            notes.append(
                "--netcore: the network core needs a child image of its own (CONFIG_BT=y adds "
                "hci_ipc; sdk-nrf's external-flash test uses CONFIG_BOARD_ENABLE_CPUNET=y)"
            )
    return notes


def _for_this_build(root, spec: Spec, request: Request) -> Spec:
    """The spec aimed at the file the build reads (``--file-suffix``); every
    overlay also checks the user's status on the external flash node, in every
    layout (issue 9: a ``status = "disabled"`` there is a conflict on every board)."""
    spec = replace(spec, path=file_read_by_build(root, spec.path, request.file_suffix))
    if isinstance(spec, OverlaySpec) and spec.flash_node is None:
        spec = replace(spec, flash_node=request.board.flash.node)
    return spec


def _suffix_notes(root, request: Request) -> list[str]:
    found = suffixes_in(root)
    if request.file_suffix or not found:
        return []
    shown = ", ".join(f"prj_{s}.conf" for s in found)
    return [f"{shown} found: a build with -DFILE_SUFFIX={found[0]} reads the *_{found[0]} "
            f"files instead of these; run init again with --file-suffix {found[0]} for it"]


def _check_board(request: Request) -> None:
    board, v = request.board, request.version
    if board.min_ncs is not None and v is not None and v.release < board.min_ncs:
        raise BoardError(f"{board.name} ({board.hwmv2}) exists from NCS {board.min_ncs}; "
                         f"this is NCS {v}",
                         hint="use --ncs-version for the SDK you build with")
    if request.netcore:
        nrf5340 = board.soc is not None and board.soc.id == "nrf5340_cpuapp"
        if not (board.netcore or (board.custom and nrf5340)):
            raise UsageError(
                f"--netcore is the nRF5340 network core update (nRF5340 DK, Thingy:53); "
                f"{board.name} has no network core to update",
                hint="leave out --netcore",
            )


def _plan_file(root, spec: Spec, force: bool) -> FileChange | None:
    """None for an overlay with nothing to add that does not exist (it is
    only planned to check the user's existing file)."""
    target = resolve_target(root, spec.path)
    existing = read_text(target, spec.path)
    old = existing.text if existing else None
    if old is None and isinstance(spec, OverlaySpec) and spec.empty:
        return None
    newline = existing.newline if existing else "\n"
    bom = existing.bom if existing else False
    if isinstance(spec, KconfigSpec):
        new, conflicts, forced = kconfig_merge.merge(spec, old, newline, force)
    elif isinstance(spec, OverlaySpec):
        new, conflicts, forced = overlay_merge.merge(spec, old, newline, force)
    elif isinstance(spec, RawSpec):
        new, conflicts, forced = _merge_raw(spec, old, newline, force)
    else:  # pragma: no cover - a layout returned something unknown
        raise TypeError(f"unknown spec {spec!r}")
    if conflicts:
        status = Status.CONFLICT
        new = old or ""
    elif old is None:
        status = Status.CREATE
    elif new == old:
        status = Status.UNCHANGED
    else:
        status = Status.UPDATE
    return FileChange(spec.path, status, old, new, newline, bom, conflicts, forced)


def _merge_raw(spec: RawSpec, old: str | None, newline: str, force: bool):
    text = spec.text if newline == "\n" else spec.text.replace("\n", newline)
    if old is None or old == text:
        return text, [], []
    old_lines, new_lines = lines(old), lines(text)
    pairs = enumerate(zip(old_lines, new_lines, strict=False), 1)
    number = next((i for i, (a, b) in pairs if a != b), min(len(old_lines), len(new_lines)) + 1)
    have = old_lines[number - 1].strip() if number <= len(old_lines) else "(end of file)"
    need = new_lines[number - 1].strip() if number <= len(new_lines) else "(end of file)"
    conflict = Conflict(spec.path, number, "file content", have, need)
    if force:
        return text, [], [conflict]
    return old, [conflict], []

