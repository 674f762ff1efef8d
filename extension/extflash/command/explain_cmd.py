"""``explain``: read an MCUboot boot log or a build log, name the cause of
every known message, and with ``-d BUILD`` run the checks that confirm it."""

from __future__ import annotations

import argparse

from extflash.command.context import Context

EXPLAIN_DESCRIPTION = """\
Read a boot log (MCUboot's UART/RTT output) or a build log (west build,
CMake, linker) and, for every message it knows, say what causes it, what
to look at and which MCUboot/Zephyr source prints it. With -d BUILD, run
the verify checks that confirm each cause against that build and print
their findings. LOG may be - for standard input.

exit codes: 0 at least one known message explained; 1 no known message in
the log; 2 could not run (usage, unreadable log, not a build directory)
"""

MAX_LOG_BYTES = 64 << 20


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "explain",
        help="name the cause of MCUboot boot-log and build-log messages",
        description=EXPLAIN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("log", metavar="LOG", help="boot or build log file, or - for stdin")
    p.add_argument("-d", "--build-dir", dest="build_dir", metavar="BUILD_DIR",
                   help="confirm each cause with the checks of this build directory")
    p.set_defaults(handler=run)
    return p


def _read_log(name: str, ctx: Context) -> str:
    import sys

    from extflash.errors import ArtefactError

    if name == "-":
        return sys.stdin.read(MAX_LOG_BYTES)
    path = ctx.cwd / name
    try:
        if not path.is_file():
            what = "does not exist" if not path.exists() else "is not a regular file"
            raise ArtefactError(what, path=path, hint="pass the saved boot or build log")
        with open(path, "rb") as f:
            data = f.read(MAX_LOG_BYTES)
        if len(data) == MAX_LOG_BYTES and path.stat().st_size > MAX_LOG_BYTES:
            ctx.out.wrn(f"{path}: larger than {MAX_LOG_BYTES >> 20} MiB; only the first "
                        f"{MAX_LOG_BYTES >> 20} MiB were read")
    except OSError as e:
        raise ArtefactError(f"cannot be read: {e.strerror or e}", path=path,
                            hint="check the file's permissions") from None
    return data.decode("utf-8", errors="replace")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from extflash.errors import EXIT_FINDINGS, EXIT_OK
    from extflash.explain import scan
    from extflash.explain.render import Confirmation, render_text

    text = _read_log(args.log, ctx)
    hits = scan(text)
    confirmation = None
    if args.build_dir and hits:
        from extflash import checks
        from extflash.loaders import load_build
        from extflash.verify import verify_loaded

        path = ctx.cwd / args.build_dir
        report = verify_loaded(load_build(path))
        confirmation = Confirmation(str(args.build_dir), report.findings,
                                    {c.name: c.code for c in checks.CHECKS})
    log = "stdin" if args.log == "-" else args.log
    ctx.out.write(render_text(hits, log, confirmation=confirmation, color=ctx.out.color))
    return EXIT_OK if hits else EXIT_FINDINGS
