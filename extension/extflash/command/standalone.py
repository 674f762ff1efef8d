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
    ctx = Context(out=Output(verbosity=verbosity), cwd=Path.cwd(), env=dict(os.environ))
    return dispatch.run(args, ctx)


if __name__ == "__main__":
    sys.exit(main())
