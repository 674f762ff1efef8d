"""The argparse tree shared by ``west extflash`` and ``python -m extflash``."""

from __future__ import annotations

import argparse

from extflash.command import explain_cmd, init_cmd, layout_cmd, map_cmd, migrate_cmd, verify_cmd

DESCRIPTION = """\
Put MCUboot's secondary (update) slot in external QSPI/SPI NOR flash on
nRF Connect SDK, and check that every image agrees about it.

  init     write the configuration for a board and NCS generation into an
           application (sysbuild, child image or devicetree partitions),
           merging with what is already there
  verify   check a finished build directory (Partition Manager output or
           devicetree partitions, every image's .config, pm_config.h and
           zephyr.dts) for every known external-flash failure mode
  layout   print or save a build's flash layout; verify --baseline compares
           a build with a saved one (a moved slot is an error)
  migrate  move a Partition Manager layout to devicetree partitions without
           moving a byte
  map      show every memory, partition and gap of a build as each image
           sees it (text, json, or a self-contained html page)
  explain  name the cause of MCUboot boot-log and build-log messages, and
           confirm it against a build with -d

exit codes: 0 ok; 1 verify found errors / init refused because of
conflicts; 2 could not run (usage, bad or unreadable input)

examples:
  west extflash init -b nrf52840dk/nrf52840
  west extflash init -b nrf9160dk@0.14.0/nrf9160/ns --layout child-image --dry-run
  west build -b nrf52840dk/nrf52840 --sysbuild && west extflash verify
  west extflash verify -d build_a -d build_b --format json
"""


# Every subcommand: a module with ``add_parser(sub)`` that sets ``handler``.
# Adding a subcommand is one module and one entry here.
SUBCOMMANDS = (
    init_cmd,
    verify_cmd,
    layout_cmd,
    migrate_cmd,
    map_cmd,
    explain_cmd,
)


def add_subcommands(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sub = parser.add_subparsers(dest="subcommand", metavar="<subcommand>")
    sub.required = True
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def standalone_parser(prog: str = "extflash") -> argparse.ArgumentParser:
    from extflash import __version__

    parser = argparse.ArgumentParser(
        prog=prog,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more output; repeat for more"
    )
    parser.add_argument("-q", "--quiet", action="count", default=0, help="less output")
    return add_subcommands(parser)
