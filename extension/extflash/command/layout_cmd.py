"""``layout``: print or save every slot and partition of a build, with device,
absolute address and size, from either partitioning scheme
(``extflash.layoutdoc``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from extflash.command.context import Context
from extflash.command.output import write_text_atomic
from extflash.errors import EXIT_OK, ArtefactError, UsageError

LAYOUT_DESCRIPTION = """\
Print (or save with -o) the flash layout of a finished build: every MCUboot
slot and partition with its device, absolute address and size, read from
Partition Manager's partitions.yml or from the devicetree partitions in each
image's zephyr.dts. Partitions carry their Partition Manager name and the
devicetree label (slot1_partition is mcuboot_secondary).

Keep the JSON form of your first release in version control and run
`west extflash verify --baseline that.json` in CI: a slot that moved, shrank
or changed device is then an error (layout-changed) before it reaches a
device.

exit codes: 0 printed or saved; 2 not a build directory, no partitions found,
or the output file cannot be written
"""


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "layout",
        help="print or save a build's flash layout (slots and partitions)",
        description=LAYOUT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("-d", "--build-dir", dest="build_dir", metavar="BUILD_DIR",
                   help="build directory (default: as west build finds it)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text table (default) or the JSON document verify --baseline reads")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of standard output (replaced atomically)")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash import layoutdoc
    from extflash.loaders import load_build

    found = ctx.find_build_dirs([args.build_dir] if args.build_dir else None)
    if len(found) != 1:
        raise UsageError("layout reads one build directory",
                         hint="pass it with -d BUILD_DIR")
    build = load_build(found[0].path)
    doc = layoutdoc.from_build(build)
    if doc.empty:
        raise ArtefactError(
            "has no flash partitions: no Partition Manager output (partitions.yml) and no "
            "devicetree partitions in the application's zephyr.dts", path=found[0].path,
            hint="build the application first (west build), then run layout on its build "
                 "directory")
    text = layoutdoc.to_json(doc) if args.format == "json" else layoutdoc.render_text(doc)
    if args.output:
        target = Path(ctx.cwd) / args.output
        _write_atomic(target, text)
        count = sum(len(m.name2partition) for m in doc.domain2map.values())
        ctx.out.inf(f"wrote {args.output}: {count} partitions of {found[0].path}")
    else:
        ctx.out.write(text)
    return EXIT_OK


def _write_atomic(target: Path, text: str) -> None:
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such directory for -o",
                         hint="create the directory first, or give another path")
    if target.is_dir():
        raise UsageError(f"{target}: is a directory", hint="give a file name to -o")
    try:
        write_text_atomic(target, text)
    except OSError as e:
        raise ArtefactError(f"cannot be written: {e.strerror or e}", path=target,
                            hint="check the directory's permissions") from None

