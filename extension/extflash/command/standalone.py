"""``extflash`` / ``python -m extflash``: the commands without a west
workspace (CI images often have none)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from extflash.command import dispatch
from extflash.command.context import Context, find_topdir, nrf_project_path
from extflash.command.output import INF, Output
from extflash.command.parser import standalone_parser


def main(argv: list[str] | None = None) -> int:
    parser = standalone_parser()
    args = parser.parse_args(argv)
    verbosity = max(0, INF + args.verbose - args.quiet)
    env, cwd = dict(os.environ), Path.cwd()
    # inside a west workspace, the same NCS version as `west extflash` (issue 9)
    topdir = find_topdir(cwd, env)
    ctx = Context(out=Output(verbosity=verbosity), cwd=cwd, env=env, topdir=topdir,
                  nrf_path=nrf_project_path(topdir) if topdir is not None else None)
    return dispatch.run(args, ctx)


if __name__ == "__main__":
    sys.exit(main())
