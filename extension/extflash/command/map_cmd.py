"""``map``: the flash map of a build (text, JSON or a self-contained HTML
page), and the map that ``verify --map`` prints under its report."""

from __future__ import annotations

import argparse
from pathlib import Path

from extflash.command.context import Context

MAP_DESCRIPTION = """\
Show every memory of a build (internal flash or RRAM, external NOR, the
nRF5340's RAM flash and network-core flash) with every partition, address
range, size, device and gap, as each image sees it, side by side, with
every difference between images marked.

Partition Manager builds: partitions.yml (and partitions_CPUNET.yml) and
the pm_config.h each image was compiled with. Devicetree builds (NCS 3.4+):
every image's zephyr.dts.

formats: text (default, for a terminal), json (schemas/map-schema.yml),
html (one self-contained page drawn to scale; use -o map.html)

exit codes: 0 map written; 2 could not read the build (usage, not a build
directory, unreadable input)
"""

FORMATS = ("text", "json", "html")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "map",
        help="show the flash map of a build: every memory, partition and gap, per image",
        description=MAP_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("-d", "--build-dir", dest="build_dir", metavar="BUILD_DIR",
                   help="build directory (default: as west build finds it)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of standard output")
    p.set_defaults(handler=run)
    return p


def render(build, fmt: str, *, color: bool = False) -> str:
    from extflash.flashmap import build_map

    fm = build_map(build)
    if fmt == "json":
        from extflash.flashmap.render_json import render_json

        return render_json(fm)
    if fmt == "html":
        from extflash.flashmap.render_html import render_html

        return render_html(fm)
    from extflash.flashmap.render_text import render_text

    return render_text(fm, color=color)


def _write(path: Path, text: str) -> None:
    from extflash.errors import UsageError

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write: {e.strerror or e}", path=path,
                         hint="pass -o a writable file path") from None


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.errors import EXIT_OK
    from extflash.loaders import load_build

    found = ctx.find_build_dirs([args.build_dir] if args.build_dir else None)
    candidate = found[0]
    ctx.out.dbg(f"mapping {candidate.path} (chosen by {candidate.reason})")
    build = load_build(candidate.path)
    to_file = args.output is not None
    text = render(build, args.format, color=ctx.out.color and not to_file)
    if to_file:
        target = ctx.cwd / args.output
        _write(target, text)
        if args.format != "json":
            ctx.out.inf(f"flash map of {candidate.path} written to {target}")
    else:
        ctx.out.write(text)
    return EXIT_OK


def verify_map_text(path, *, strict: bool, color: bool, baseline=None):
    """``verify --map``: the report and the text map of one build, from one load."""
    from extflash.loaders import load_build
    from extflash.verify import verify_loaded

    build = load_build(Path(path))
    return (verify_loaded(build, strict=strict, baseline=baseline),
            render(build, "text", color=color))
