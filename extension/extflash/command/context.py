"""What a subcommand handler may know about where it runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from extflash.command.output import Output


@dataclass
class Context:
    """Everything a handler needs besides its parsed arguments.

    out: where to print
    cwd: the user's working directory (west does not chdir)
    topdir: the west workspace top directory, None when run standalone
    config: west configuration lookup (``build.board``, ``build.dir-fmt``);
        returns None for unset options and always None outside west
    nrf_path: the ``nrf`` project's directory when the manifest has one
    env: the environment (``BOARD``)
    """

    out: Output
    cwd: Path
    topdir: Path | None = None
    config: Callable[[str], str | None] = lambda option: None
    nrf_path: Path | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def find_build_dirs(self, dirs):
        """``loaders.build_dir.find_build_dirs`` as ``west build`` would pick:
        ``-d`` dirs, else by ``build.dir-fmt`` with ``$BOARD`` / ``build.board``."""
        from extflash.loaders.build_dir import find_build_dirs

        return find_build_dirs(dirs, cwd=self.cwd, dir_fmt=self.config("build.dir-fmt"),
                               topdir=self.topdir,
                               board=self.env.get("BOARD") or self.config("build.board"))


def find_topdir(start: Path, env: Mapping[str, str]) -> Path | None:
    """The west workspace around ``start``, found as west finds it: the first
    directory, from ``start`` upwards, that holds a ``.west`` directory; at the
    root, the same search from ``$ZEPHYR_BASE`` (west ``west.util.west_topdir``,
    west 1.5.0). None outside a workspace."""
    for first in (start, Path(env["ZEPHYR_BASE"]) if env.get("ZEPHYR_BASE") else None):
        if first is None:
            continue
        current = first.absolute()
        while True:
            if (current / ".west").is_dir():
                return current
            if current.parent == current:
                break
            current = current.parent
    return None


def nrf_project_path(topdir: Path) -> Path | None:
    """The ``nrf`` project's directory in that workspace's manifest, read
    with west's own manifest loader (as ``west extflash`` does); None when
    west is not installed, the manifest does not load or has no ``nrf``."""
    try:
        from west.manifest import Manifest

        (project,) = Manifest.from_topdir(topdir=str(topdir)).get_projects(
            ["nrf"], allow_paths=False)
        return Path(project.abspath)
    except Exception:  # no west, no such project, or a manifest west could not load
        return None
