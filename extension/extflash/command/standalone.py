"""``extflash`` / ``python -m extflash``: the commands without a west
workspace (CI images often have none)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from extflash.command import dispatch
from extflash.command.context import Context
from extflash.command.output import INF, Output
from extflash.command.parser import standalone_parser


def main(argv: list[str] | None = None) -> int:
    parser = standalone_parser()
    args = parser.parse_args(argv)
    verbosity = max(0, INF + args.verbose - args.quiet)
    cwd = Path.cwd()
    ctx = Context(out=Output(verbosity=verbosity), cwd=cwd, env=dict(os.environ),
                  topdir=west_topdir(cwd))
    return dispatch.run(args, ctx)


def west_topdir(cwd: Path) -> Path | None:
    """The west workspace around ``cwd`` (the directory holding ``.west/``, as
    west itself finds it), so that ``python -m extflash`` reads the
    workspace's ``nrf/VERSION`` like ``west extflash`` does."""
    for directory in (cwd, *cwd.parents):
        try:
            if (directory / ".west").is_dir():
                return directory
        except OSError:
            return None
    return None


if __name__ == "__main__":
    sys.exit(main())
