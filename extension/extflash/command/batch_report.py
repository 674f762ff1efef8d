"""``verify`` over many builds (several ``-d``, ``--all-under``): which
builds, and the progress indicator. Rendering is extflash.render's, as for
one build (verify_report.py runs both).

- a progress indicator on stderr, one line rewritten in place, only when
  stderr is a terminal (nothing at all when piped or in CI logs).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path


def build_paths(build_dirs: Sequence[str], all_under: Sequence[str], cwd: Path) -> list[Path]:
    """``-d`` directories (as given, in order), then every build found under
    each ``--all-under`` folder; each build once."""
    from extflash import batch

    paths: list[Path] = [Path(os.path.normpath(cwd / d)) for d in build_dirs]
    if all_under:
        paths += batch.discover([cwd / d for d in all_under])
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


def is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
