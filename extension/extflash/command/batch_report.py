"""``verify`` over many builds (several ``-d``, ``--all-under DIR``): runs
``extflash.batch`` and prints the result. The only place that prints for a
batch.

- a progress indicator on stderr, one line rewritten in place, only when
  stderr is a terminal (nothing at all when piped or in CI logs);
- text: the full report of every build that has findings or could not be
  verified, then a summary table (build, board, errors, warnings, status)
  and one summary line;
- ``--format json``: one JSON document for all builds (extflash.report).

The exit code is the worst of all builds: 0, 1 (error findings, or
warnings with ``--strict``), 2 (a build could not be verified).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from extflash.command.context import Context
from extflash.errors import UsageError


def build_paths(args: argparse.Namespace, ctx: Context) -> list[Path]:
    """``-d`` directories (as given, in order), then every build found under
    each ``--all-under`` folder; each build once."""
    from extflash import batch

    paths: list[Path] = [Path(os.path.normpath(ctx.cwd / d)) for d in args.build_dirs or ()]
    if getattr(args, "all_under", None):
        paths += batch.discover([ctx.cwd / d for d in args.all_under])
    unique, seen = [], set()
    for p in paths:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


class Progress:
    """``verifying 37/120 builds, 4 s`` on a terminal's stderr, rewritten."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        self.stream.write(f"\r\x1b[Kverifying {done}/{total} builds, "
                          f"{now - self.start:.0f} s")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_batch(args: argparse.Namespace, ctx: Context) -> int:
    from extflash import batch, report
    from extflash.command.output import QUIET

    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise UsageError(f"-j {jobs}: the number of parallel jobs must be at least 1",
                         hint="leave out -j to use every core")
    paths = build_paths(args, ctx)
    progress = Progress(ctx.out.stderr,
                        _is_terminal(ctx.out.stderr) and ctx.out.verbosity > QUIET)
    try:
        items = batch.verify_many(paths, jobs=jobs, strict=args.strict, progress=progress)
    finally:
        progress.clear()

    if args.format == "json":
        ctx.out.write(report.render_json(items, strict=args.strict))
        return report.exit_code(items)

    cwd = ctx.cwd
    lines: list[str] = []
    for item in items:
        if isinstance(item, report.Failed):
            continue  # in the table, with its one-line reason below it
        if item.findings or not item.verified:
            lines += report.render_build(item, ctx.out.color)
            lines.append("")
    lines += render_table(items, cwd, color=ctx.out.color)
    ctx.out.write("\n".join(lines) + "\n")
    return report.exit_code(items)


def _shown(path: str, cwd: Path) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith(os.pardir + os.sep + os.pardir) else rel


def status_of(item) -> tuple[str, int, int, str | None]:
    """(status, errors, warnings, reason) of one item."""
    from extflash import report

    if isinstance(item, report.Failed):
        return "could not verify", 0, 0, item.error
    if not item.verified:
        return "not verified", item.errors, item.warnings, item.unverified_reason
    return ("ok" if item.ok else "failed"), item.errors, item.warnings, None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_table(items, cwd: Path, color: bool = False) -> list[str]:
    from extflash import report

    rows = []
    for item in items:
        path = item.path if isinstance(item, report.Failed) else item.build.path
        board = None if isinstance(item, report.Failed) else item.build.board
        status, errors, warnings, reason = status_of(item)
        rows.append((_shown(path, cwd), board or "-", str(errors), str(warnings), status, reason))
    header = ("build", "board", "errors", "warnings", "status")
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(5)]

    def fmt(cells) -> str:
        return "  ".join(c.rjust(w) if i in (2, 3) else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=False))).rstrip()

    style = {"ok": "\x1b[92m", "failed": "\x1b[91m", "could not verify": "\x1b[93m",
             "not verified": "\x1b[93m"}
    out = [fmt(header), fmt(["-" * w for w in widths])]
    for r in rows:
        line = fmt(r[:5])
        if color and line.endswith(r[4]):
            line = line[: -len(r[4])] + f"{style[r[4]]}{r[4]}\x1b[0m"
        out.append(line)
        if r[5]:
            out.append(f"    {r[5]}")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[4]] = counts.get(r[4], 0) + 1
    errors = sum(int(r[2]) for r in rows)
    warnings = sum(int(r[3]) for r in rows)
    code = report.exit_code(items)
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    out.append("")
    out.append(f"summary: {_plural(len(rows), 'build')} ({parts}); {_plural(errors, 'error')}, "
               f"{_plural(warnings, 'warning')} (exit {code})")
    return out
