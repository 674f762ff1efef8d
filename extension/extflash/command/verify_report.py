"""``verify``'s handler: the only code that prints a verify report or
decides its exit code.

One path for one build and for many: collect the items (a ``Report`` per
build, or a ``Failed``), apply the user's policy (selection, severities,
suppressions), render the chosen format (extflash.render) to stdout or
``--output-file``, and return the exit code of extflash.report's policy.

Exit codes: 0 no error findings (warnings allowed unless --strict; any
findings with --exit-zero); 1 error findings (or warnings with --strict);
2 could not verify: usage, invalid configuration, not a build directory,
unreadable input, or a build with neither Partition Manager output nor
devicetree slots (one sentence says what was found and what was not
checked).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extflash.command.context import Context
from extflash.command.options import VerifyOptions
from extflash.command.output import write_text_atomic
from extflash.errors import EXIT_FINDINGS, EXIT_OK, ExtflashError, UsageError


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    return verify(VerifyOptions.resolve(args, ctx), ctx)


def verify(opts: VerifyOptions, ctx: Context) -> int:
    # the checks are imported only when they run (-h and argument errors stay light)
    from extflash.render import RenderContext, render
    from extflash.report import Report, Results

    if opts.list_checks:
        from extflash import checks
        from extflash.render.text import render_list_checks

        ctx.out.write(render_list_checks(checks.CHECKS))
        return EXIT_OK
    if opts.explain:
        from extflash import checks
        from extflash.render.text import render_explain

        check = checks.find(opts.explain)
        if check is None:
            raise UsageError(f"no check named '{opts.explain}'",
                             hint="see west extflash verify --list-checks for codes and names")
        ctx.out.write(render_explain(check))
        return EXIT_OK
    if opts.static and (opts.build_dirs or opts.all_under):
        other = "-d" if opts.build_dirs else "--all-under"
        raise UsageError(f"--static lints one pm_static.yml; it cannot be combined with {other}",
                         hint="run verify --static FILE and verify -d BUILD_DIR separately")
    if opts.config_file is not None:
        ctx.out.dbg(f"configuration: {opts.config_file}")
    if opts.baseline and (opts.batch or opts.static):
        raise UsageError("--baseline compares one build with its baseline; it cannot be "
                         "combined with --static, several -d or --all-under",
                         hint="run verify -d BUILD --baseline FILE once per build")

    maps: list[str] = []  # verify --map: the text map of each build, after the report
    items = _batch_items(opts, ctx) if opts.batch else _single_items(opts, ctx, maps)
    from extflash import __version__, checks

    items = [opts.policy.apply(i) for i in items]
    results = Results(tuple(items), strict=opts.strict, batch=opts.batch)
    to_file = opts.output_file is not None
    rctx = RenderContext(base=ctx.cwd, color=ctx.out.color and not to_file,
                         checks=checks.CHECKS, version=__version__)
    document = render(opts.format, results, rctx)
    if to_file:
        _write_file(opts.output_file, document)
    else:
        ctx.out.write(document)
        for map_text in maps:
            ctx.out.write("\n" + map_text)
    for s in opts.policy.unused(results.items):
        ctx.out.wrn(f"{s.source}: suppression of {s.check} matched no finding "
                    f"(remove it if the problem is fixed)")
    if not opts.batch:
        for item in items:  # exit 2: the one line on stderr says what was not checked
            if isinstance(item, Report) and not item.verified:
                ctx.out.err(f"{item.build.path}: {item.unverified_reason}", fatal=True)
    code = results.exit_code
    if opts.exit_zero and code == EXIT_FINDINGS:
        return EXIT_OK
    return code


def _single_items(opts: VerifyOptions, ctx: Context, maps: list[str]) -> list:
    """The items of ``-d`` / the default build; with ``--map`` (text) the
    text map of each build is appended to ``maps``."""
    from extflash.report import Failed
    from extflash.verify import lint_static, verify_build

    if opts.static:
        return [lint_static(ctx.cwd / opts.static, strict=opts.strict)]
    baseline = _baseline(opts, ctx)  # loaded before any build
    items: list = []
    found = ctx.find_build_dirs(list(opts.build_dirs) or None)
    for candidate in found:
        ctx.out.dbg(f"verifying {candidate.path} (chosen by {candidate.reason})")
        try:
            if opts.map and opts.format == "text" and opts.output_file is None:
                from extflash.command.map_cmd import verify_map_text

                item, map_text = verify_map_text(candidate.path, strict=opts.strict,
                                                 color=ctx.out.color, baseline=baseline)
                items.append(item)
                maps.append(map_text)
                continue
            items.append(verify_build(candidate.path, strict=opts.strict, baseline=baseline))
        except ExtflashError as e:
            if len(found) == 1 and opts.format == "text":
                raise
            items.append(Failed(str(candidate.path), str(e)))
            ctx.out.err(str(e))
    return items


def _baseline(opts: VerifyOptions, ctx: Context):
    """The ``--baseline`` layout document."""
    if not opts.baseline:
        return None
    from extflash.loaders.layout_json import load_baseline

    return load_baseline(Path(ctx.cwd) / opts.baseline)


def _batch_items(opts: VerifyOptions, ctx: Context) -> list:
    from extflash import batch
    from extflash.command.batch_report import Progress, build_paths, is_terminal
    from extflash.command.output import QUIET

    paths = build_paths(opts.build_dirs, opts.all_under, ctx.cwd)
    progress = Progress(ctx.out.stderr,
                        is_terminal(ctx.out.stderr) and ctx.out.verbosity > QUIET)
    try:
        return batch.verify_many(paths, jobs=opts.jobs, strict=opts.strict, progress=progress)
    finally:
        progress.clear()


def _write_file(path: Path, text: str) -> None:
    """Write the report atomically: a reader never sees half a report."""
    directory = path.parent
    if not directory.is_dir():
        raise UsageError("--output-file: the folder does not exist", path=path,
                         hint="create the folder first, or write to an existing one")
    try:
        write_text_atomic(path, text)
    except OSError as e:
        raise UsageError(f"--output-file: cannot write: {e.strerror or e}", path=path,
                         hint="choose a writable path") from None
