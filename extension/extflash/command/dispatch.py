"""Run a parsed subcommand and turn every outcome into an exit code."""

from __future__ import annotations

import argparse
import traceback

from extflash.command.context import Context
from extflash.command.output import DBG_MORE
from extflash.errors import EXIT_USAGE, ExtflashError, OutputError


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Call the subcommand's handler. Never raises (except SystemExit from
    argparse, which already printed its usage error)."""
    try:
        return args.handler(args, ctx)
    except ExtflashError as e:
        _say(ctx, str(e))
        return e.exit_code
    except KeyboardInterrupt:
        ctx.out.err("interrupted", fatal=True)
        return 130
    except BrokenPipeError:
        return EXIT_USAGE
    except Exception as e:  # a bug in extflash: say so on one line, not a traceback
        if ctx.out.verbosity >= DBG_MORE:
            traceback.print_exc(file=ctx.out.stderr)
        _say(ctx, f"internal error: {type(e).__name__}: {e} "
                  "(this is a bug in west extflash; re-run with -vv for a traceback and report it)")
        return EXIT_USAGE


def _say(ctx: Context, message: str) -> None:
    """The one FATAL ERROR line; if stderr itself refuses it, the exit code
    is all that is left to say it."""
    try:
        ctx.out.err(message, fatal=True)
    except (OutputError, OSError):
        pass
