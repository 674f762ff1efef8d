"""Run a parsed subcommand and turn every outcome into an exit code."""

from __future__ import annotations

import argparse
import traceback

from extflash.command.context import Context
from extflash.command.output import DBG_MORE
from extflash.errors import EXIT_USAGE, ExtflashError


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Call the subcommand's handler. Never raises (except SystemExit from
    argparse, which already printed its usage error)."""
    try:
        return args.handler(args, ctx)
    except ExtflashError as e:
        ctx.out.err(str(e), fatal=True)
        return e.exit_code
    except KeyboardInterrupt:
        ctx.out.err("interrupted", fatal=True)
        return 130
    except BrokenPipeError:
        return EXIT_USAGE
    except Exception as e:  # a bug in extflash: say so on one line, not a traceback
        if ctx.out.verbosity >= DBG_MORE:
            traceback.print_exc(file=ctx.out.stderr)
        ctx.out.err(
            f"internal error: {type(e).__name__}: {e} "
            "(this is a bug in west extflash; re-run with -vv for a traceback and report it)",
            fatal=True,
        )
        return EXIT_USAGE
