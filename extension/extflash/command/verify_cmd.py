"""``verify``: options, and printing the report that extflash.verify makes."""

from __future__ import annotations

import argparse

from extflash.command.context import Context
from extflash.render import AUTO, FORMATS

VERIFY_DESCRIPTION = """\
Check a finished build directory for every known way an external-flash
secondary slot fails: Partition Manager output (partitions.yml,
regions.yml, pm.config) or devicetree partitions, and every image's
.config, pm_config.h and zephyr.dts, compared image against image.

The build directory is found as `west build` finds it: -d, then
build.dir-fmt, then the current directory.

exit codes: 0 no errors (warnings allowed unless --strict; any findings
with --exit-zero); 1 findings at error level; 2 could not verify (usage,
unknown check, invalid configuration, not a build directory, unreadable)
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
    p.add_argument(
        "--baseline",
        metavar="BUILD_OR_LAYOUT_JSON",
        help="also compare the flash layout with this build directory, saved layout "
        "(west extflash layout --format json -o FILE) or pm_static.yml: a moved or resized "
        "slot is an error",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=(AUTO, *FORMATS),
        default=None,
        help="report format (default: auto: github when GITHUB_ACTIONS=true and stdout is not "
        "a terminal, else text): "
        + "; ".join(f"{name}: {text}" for name, text in FORMATS.items()),
    )
    out.add_argument("-o", "--output-file", metavar="FILE",
                     help="write the report to FILE instead of stdout")
    out.add_argument("--exit-zero", action="store_true",
                     help="exit 0 even when there are error findings (2 still means a build "
                          "could not be verified)")
    sel = p.add_argument_group(
        "selection and configuration",
        "CHECKS: comma-separated codes (EXF201), names (driver-disabled),\n"
        "code prefixes (EXF2) or ALL; also read from extflash.yml / .extflash.yml\n"
        "and west config extflash.* (README.rst, 'Configuration')")
    sel.add_argument("--select", action="append", metavar="CHECKS",
                     help="report only these checks (replaces the configured selection)")
    sel.add_argument("--ignore", action="append", metavar="CHECKS",
                     help="never report these checks (added to the configured ones)")
    sel.add_argument("--severity", action="append", metavar="CHECK=LEVEL",
                     help="re-grade a check's findings: error, warning or info; repeatable")
    sel.add_argument("--strict", action="store_true", help="warnings also make the exit code 1")
    sel.add_argument("--config", metavar="FILE",
                     help="the project configuration file (default: extflash.yml or "
                          ".extflash.yml from the current directory upwards)")
    sel.add_argument("--no-config", action="store_true",
                     help="ignore configuration files and west config extflash.* keys")
    out.add_argument("--map", action="store_true",
                     help="print the text flash map (west extflash map) under the text report,"
                          " also on ok")
    p.add_argument("--list-checks", action="store_true", help="list every check and exit")
    p.add_argument("--explain", metavar="CODE|NAME", help="explain one check and exit")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.command.verify_report import run_verify

    return run_verify(args, ctx)
