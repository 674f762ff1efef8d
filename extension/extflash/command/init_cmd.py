"""``init``: options, and printing the plan that extflash.scaffold makes."""

from __future__ import annotations

import argparse

from extflash.command.context import Context

INIT_DESCRIPTION = """\
Write the files that put MCUboot's secondary slot in external flash, for one
board and NCS generation, into a Zephyr application. Existing files are
merged line by line: every line you wrote stays; a line that would change a
value you set is a conflict, and then nothing is written (use --force to
change it). A second run changes nothing.

layouts (--layout, default auto):
  sysbuild      NCS 2.7 and later with Partition Manager: sysbuild.conf,
                sysbuild/mcuboot.conf, sysbuild/mcuboot.overlay
  child-image   NCS 2.6 and older (or --no-sysbuild up to 2.9):
                child_image/mcuboot.conf, child_image/mcuboot.overlay
  dts           NCS 3.4 and later without Partition Manager: one shared
                devicetree memory map included by the application and MCUboot
  auto          from the workspace's NCS version (nrf/VERSION), else sysbuild

exit codes: 0 written or already up to date; 1 conflicts, nothing written;
2 bad usage, not an application, unknown board
"""


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "init",
        help="scaffold external-flash MCUboot configuration into an application",
        description=INIT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument(
        "app_dir",
        nargs="?",
        metavar="APP_DIR",
        help="the application directory (CMakeLists.txt + prj.conf); default: current directory",
    )
    p.add_argument("--app", dest="app_opt", metavar="DIR", help="same as APP_DIR")
    p.add_argument(
        "-b",
        "--board",
        help="board target, either scheme, with optional revision: nrf52840dk/nrf52840, "
        "nrf5340dk_nrf5340_cpuapp, nrf9160dk@0.14.0/nrf9160/ns "
        "(default: $BOARD, then west config build.board)",
    )
    p.add_argument(
        "--layout",
        choices=("auto", "sysbuild", "child-image", "dts"),
        default="auto",
        help="configuration layout (default: auto)",
    )
    p.add_argument(
        "--ncs-version",
        metavar="X.Y.Z",
        help="NCS version to write for (default: the workspace's nrf/VERSION)",
    )
    p.add_argument(
        "--netcore",
        action="store_true",
        help="nRF5340: also update the network core, its secondary slot in external flash",
    )
    custom = p.add_argument_group(
        "custom boards",
        "for boards not in the built-in data (all four are needed together, and --soc)"
    )
    custom.add_argument("--flash-node", metavar="LABEL",
                        help="devicetree label of the NOR flash node")
    custom.add_argument("--driver", choices=("qspi", "spi"),
                        help="qspi (nordic,qspi-nor) or spi (jedec,spi-nor)")
    custom.add_argument("--flash-size", metavar="SIZE",
                        help="external flash size in bytes (8M, 0x800000)")
    custom.add_argument("--erase-block", metavar="SIZE",
                        help="internal flash erase block (4096)")
    custom.add_argument("--soc", metavar="SOC",
                        help="the board's SoC, for its internal flash and MCUboot sizes, for "
                        "example nrf52840, nrf5340 or nrf54l15 (needed with the four options "
                        "above for a board init does not know)")
    p.add_argument(
        "--file-suffix",
        metavar="SUFFIX",
        help="the build's -DFILE_SUFFIX: write into prj_SUFFIX.conf, "
        "boards/<board>_SUFFIX.overlay, sysbuild_SUFFIX.conf ... where they exist, as "
        "Zephyr and sysbuild read them instead of the plain files",
    )
    p.add_argument("-n", "--dry-run", action="store_true",
                   help="print a unified diff, write nothing")
    p.add_argument("-f", "--force", action="store_true",
                   help="change lines that conflict with yours")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.command.init_report import run_init

    return run_init(args, ctx)
