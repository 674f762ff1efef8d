"""``verify``'s handler: the only code that prints a verify report or
decides its exit code.

Exit codes: 0 no error findings (warnings allowed unless --strict); 1 error
findings (or warnings with --strict); 2 could not verify: usage, not a
build directory, unreadable input, or a build with neither Partition
Manager output nor devicetree slots (one sentence says what was found and
what was not checked).
"""

from __future__ import annotations

import argparse

from extflash.command.context import Context
from extflash.errors import EXIT_OK, ExtflashError, UsageError


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    from extflash import checks, report
    from extflash.loaders.build_dir import find_build_dirs
    from extflash.verify import lint_static, verify_build

    if args.list_checks:
        ctx.out.write(report.render_list_checks(checks.CHECKS))
        return EXIT_OK
    if args.explain:
        check = checks.find(args.explain)
        if check is None:
            raise UsageError(f"no check named '{args.explain}'",
                             hint="see west extflash verify --list-checks for codes and names")
        ctx.out.write(report.render_explain(check))
        return EXIT_OK
    if args.static and args.build_dirs:
        raise UsageError("--static lints one pm_static.yml; it cannot be combined with -d",
                         hint="run verify --static FILE and verify -d BUILD_DIR separately")

    if args.all_under or len(args.build_dirs or ()) > 1:  # many builds: in parallel
        if args.static:
            raise UsageError("--static lints one pm_static.yml; it cannot be combined with "
                             "--all-under", hint="run verify --static FILE separately")
        from extflash.command.batch_report import run_batch

        return run_batch(args, ctx)

    items: list = []
    maps: list[str] = []  # verify --map: the text map of the build, printed after the report
    if args.static:
        items.append(lint_static(ctx.cwd / args.static, strict=args.strict))
    else:
        board = ctx.env.get("BOARD") or ctx.config("build.board")
        found = find_build_dirs(args.build_dirs, cwd=ctx.cwd, dir_fmt=ctx.config("build.dir-fmt"),
                                topdir=ctx.topdir, board=board)
        for candidate in found:
            ctx.out.dbg(f"verifying {candidate.path} (chosen by {candidate.reason})")
            try:
                if getattr(args, "map", False) and args.format == "text":
                    from extflash.command.map_cmd import verify_map_text

                    item, map_text = verify_map_text(candidate.path, strict=args.strict,
                                                     color=ctx.out.color)
                    items.append(item)
                    maps.append(map_text)
                    continue
                items.append(verify_build(candidate.path, strict=args.strict))
            except ExtflashError as e:
                if len(found) == 1 and args.format == "text":
                    raise
                items.append(report.Failed(str(candidate.path), str(e)))
                ctx.out.err(str(e))
    if args.format == "json":
        ctx.out.write(report.render_json(items, strict=args.strict))
    else:
        ctx.out.write(report.render_text(items, color=ctx.out.color))
        for map_text in maps:
            ctx.out.write("\n" + map_text)
    for item in items:  # exit 2: the one line on stderr says what was not checked
        if isinstance(item, report.Report) and not item.verified:
            ctx.out.err(f"{item.build.path}: {item.unverified_reason}", fatal=True)
    return report.exit_code(items)
