"""``verify``: options, and printing the report that extflash.verify makes."""

from __future__ import annotations

import argparse

from extflash.command.context import Context

VERIFY_DESCRIPTION = """\
Check a finished build directory for every known way an external-flash
secondary slot fails: Partition Manager output (partitions.yml,
regions.yml, pm.config) or devicetree partitions, and every image's
.config, pm_config.h and zephyr.dts, compared image against image.

The build directory is found as `west build` finds it: -d, then
build.dir-fmt, then the current directory.

exit codes: 0 no errors (warnings allowed unless --strict); 1 findings at
error level; 2 could not verify (usage, not a build directory, unreadable)
"""


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "verify",
        help="check a build directory for external-flash MCUboot failure modes",
        description=VERIFY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument(
        "-d",
        "--build-dir",
        dest="build_dirs",
        action="append",
        metavar="BUILD_DIR",
        help="build directory; repeat to verify several",
    )
    p.add_argument(
        "--all-under",
        dest="all_under",
        action="append",
        metavar="DIR",
        help="verify every build directory under DIR, e.g. twister-out; repeatable",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="verify up to N builds in parallel (default: one per core)",
    )
    p.add_argument(
        "--static",
        metavar="PM_STATIC_YML",
        help="lint a static Partition Manager file (pm_static.yml) instead of a build",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    p.add_argument("--strict", action="store_true", help="warnings also make the exit code 1")
    p.add_argument("--map", action="store_true",
                   help="print the text flash map (west extflash map) under the text report,"
                        " also on ok")
    p.add_argument("--list-checks", action="store_true", help="list every check and exit")
    p.add_argument("--explain", metavar="CODE|NAME", help="explain one check and exit")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.command.verify_report import run_verify

    return run_verify(args, ctx)
