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
