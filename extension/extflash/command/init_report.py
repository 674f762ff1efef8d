"""``init``: resolve the options, make the plan, print it, write it.

The only place that prints for ``init``. Exit codes: 0 written or already up
to date (or a dry run), 1 conflicts (nothing written), 2 bad usage or input
(raised as ``extflash.errors`` exceptions; ``dispatch`` prints them).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
from pathlib import Path

from extflash.command.context import Context
from extflash.command.output import Styled
from extflash.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from extflash.ncs import Layout, NcsVersion, check_layout, default_layout, version_from_file
from extflash.units import hex_size

_STATUS_WIDTH = 10


def run_init(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.scaffold.apply import app_lock

    # one init at a time per application: plan (read) and apply (write) of
    # two concurrent runs must not interleave, or one run's lines are lost
    with app_lock(_app_dir(args, ctx)):
        return _run_init(args, ctx)


def _run_init(args: argparse.Namespace, ctx: Context) -> int:
    from extflash import boards
    from extflash.scaffold.model import Request
    from extflash.scaffold.plan import make_plan

    out = ctx.out
    app_dir = _app_dir(args, ctx)
    board_text, board_from = _board_text(args, ctx)
    custom = boards.custom_flash(args.flash_node, args.driver, args.flash_size, args.erase_block)
    board = boards.resolve_board(board_text, custom, soc=args.soc)
    version, version_from = _version(args, ctx)
    layout = default_layout(version) if args.layout == "auto" else Layout(args.layout)
    if args.layout == "auto" and layout is Layout.DTS:
        from extflash.scaffold.layouts.dts import stays_on_partition_manager

        if stays_on_partition_manager(app_dir, board):
            layout = Layout.SYSBUILD  # its warnings say Partition Manager is deprecated
    check_layout(layout, version)
    suffix = _file_suffix(args.file_suffix, layout)
    request = Request(app_dir=app_dir, board=board, layout=layout, version=version,
                      netcore=args.netcore, force=args.force,
                      page_size=boards.erase_block(board, custom), file_suffix=suffix)
    plan = make_plan(request, _app_arg(app_dir, ctx.cwd))

    out.banner(f"west extflash init: {plan.board_spelling} ({board.name}), {plan.generation}")
    out.inf(f"board from {board_from}; {version_from}; layout {layout}"
            + (" (auto)" if args.layout == "auto" else ""))
    f = board.flash
    out.inf(f"external flash &{f.node}: {f.compatible} on {f.bus}, {hex_size(f.size)}; "
            f"secondary slot {hex_size(plan.geometry.app_slot)}"
            + (f" + network core slot {hex_size(plan.geometry.net_slot)}"
               if plan.geometry.net_slot else "")
            + (f"; CONFIG_BOOT_MAX_IMG_SECTORS_AUTO (MCUboot computes {plan.geometry.max_sectors})"
               if layout is Layout.DTS
               else f"; CONFIG_BOOT_MAX_IMG_SECTORS={plan.geometry.max_sectors}"))
    for line in plan.geometry.explanation:
        out.dbg(f"  {line}")
    for warning in plan.warnings:
        out.wrn(warning)
    for note in plan.notes:
        out.inf(f"note: {note}")

    code = carry_out(plan, out, dry_run=args.dry_run, tool="init",
                     advice="change those lines yourself, or run again with --force to "
                            "replace exactly them")
    if code != EXIT_OK or args.dry_run:
        return code
    out.inf(f"next: {plan.next_command}")
    return EXIT_OK


def carry_out(plan, out, *, dry_run: bool, tool: str, advice: str) -> int:
    """What init and migrate do with a plan: list the conflicts (exit 1, nothing
    written), or show the --dry-run diff, or write the files and list them."""
    from extflash.scaffold import apply as apply_mod
    from extflash.scaffold.model import Status

    if plan.conflicts:
        for ch in plan.changes:
            if not ch.conflicts:
                continue
            _print_change(out, ch.status, ch.path)
            for c in ch.conflicts:
                more = " (or more)" if c.at_least else ""
                out.inf(f"{'':{_STATUS_WIDTH + 2}}{c.path}:{c.line}: you have `{c.have}`, "
                        f"{tool} needs `{c.need}`{more}")
        n = len(plan.conflicts)
        out.err(f"{n} conflicting line{'s' if n != 1 else ''} in "
                f"{len({c.path for c in plan.conflicts})} file(s); nothing was written "
                f"({advice})")
        return EXIT_FINDINGS

    counts = {s: sum(1 for ch in plan.changes if ch.status is s) for s in Status}
    if dry_run:
        for ch in plan.changes:
            _print_change(out, ch.status, ch.path, prefix="would be ")
        text = apply_mod.diff(plan)
        if text:
            out.write(text)
        out.inf(f"dry run: {counts[Status.CREATE]} to create, {counts[Status.UPDATE]} to update, "
                f"{counts[Status.UNCHANGED]} unchanged; nothing was written")
        return EXIT_OK

    apply_mod.apply(plan)
    for ch in plan.changes:
        _print_change(out, ch.status, ch.path)
        for c in ch.forced:
            out.inf(f"{'':{_STATUS_WIDTH + 2}}{c.path}:{c.line}: replaced `{c.have}` with "
                    f"`{c.need}` (--force)")
    if counts[Status.CREATE] or counts[Status.UPDATE]:
        out.inf(f"done: {counts[Status.CREATE]} created, {counts[Status.UPDATE]} updated, "
                f"{counts[Status.UNCHANGED]} unchanged")
    else:
        out.inf(f"nothing to do: all {counts[Status.UNCHANGED]} files are up to date")
    return EXIT_OK


def _print_change(out, status, path: str, prefix: str = "") -> None:
    label = f"{prefix}{status}" if prefix and status.value != "unchanged" else str(status)
    what = "error" if status.value == "conflict" else "info"
    out.inf(Styled("  " + out.style(f"{label:{_STATUS_WIDTH}}", what)), path)


def _app_dir(args: argparse.Namespace, ctx: Context) -> Path:
    if args.app_dir and args.app_opt and Path(args.app_dir) != Path(args.app_opt):
        raise UsageError(f"two application directories given: {args.app_dir} and --app "
                         f"{args.app_opt}", hint="give only one")
    given = args.app_dir or args.app_opt
    return (ctx.cwd / given) if given else ctx.cwd


def _board_text(args: argparse.Namespace, ctx: Context) -> tuple[str, str]:
    if args.board:
        return args.board, "-b"
    env = ctx.env.get("BOARD")
    if env:
        return env, "$BOARD"
    configured = ctx.config("build.board")
    if configured:
        return configured, "west config build.board"
    raise UsageError(
        "no board given",
        hint="pass -b, for example -b nrf52840dk/nrf52840, or set BOARD, "
             "or run west config build.board <board>",
    )


_SUFFIX_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _file_suffix(text: str | None, layout: Layout) -> str | None:
    if text is None:
        return None
    if not _SUFFIX_RE.match(text):
        raise UsageError(f"--file-suffix {text!r} is not a file suffix",
                         hint="give the FILE_SUFFIX as you pass it to the build, for example "
                              "--file-suffix release for prj_release.conf")
    if layout is Layout.CHILD_IMAGE:
        raise UsageError("--file-suffix is supported for sysbuild builds only (the files "
                         "sysbuild and Zephyr look up with FILE_SUFFIX), not the child-image "
                         "layout",
                         hint="use --layout sysbuild (NCS 2.7 and later), or leave out "
                              "--file-suffix")
    return text


def _version(args: argparse.Namespace, ctx: Context) -> tuple[NcsVersion | None, str]:
    if args.ncs_version:
        v = NcsVersion.parse(args.ncs_version)
        return v, f"NCS {v} (--ncs-version)"
    candidates = []
    if ctx.nrf_path is not None:
        candidates.append(ctx.nrf_path / "VERSION")
    if ctx.topdir is not None:
        candidates.append(ctx.topdir / "nrf" / "VERSION")
    for path in candidates:
        v = version_from_file(path)
        if v is not None:
            return v, f"NCS {v} (from {path})"
    return None, "NCS version unknown (no --ncs-version, no nrf/VERSION in a west workspace)"


def _app_arg(app_dir: Path, cwd: Path) -> str:
    app, here = app_dir.resolve(), cwd.resolve()
    if app == here:
        return ""
    try:
        text = os.path.relpath(app, here) if here in app.parents else str(app)
    except ValueError:  # another drive on Windows
        text = str(app)
    return shlex.quote(text)
