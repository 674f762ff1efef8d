"""Kconfig output of each image (``<image>/zephyr/.config``) and of sysbuild
(``<build>/zephyr/.config`` with ``SB_CONFIG_*``), via extflash.kconfig."""

from __future__ import annotations

from pathlib import Path

from extflash import kconfig
from extflash.loaders.files import read_text


def load_config(path: Path, prefix: str = "CONFIG_") -> dict[str, bool | int | str]:
    """symbol (prefix included) -> value; ``# X is not set`` -> False."""
    text = read_text(path, "Kconfig output (.config)")
    return kconfig.parse(text, prefixes=(prefix,)).values


def is_sysbuild_config(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(65536)
    except OSError:
        return False
    return "SB_CONFIG_" in head
