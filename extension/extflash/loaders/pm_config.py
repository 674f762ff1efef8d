"""``pm.config`` (``PM_X=value`` lines) and ``pm_config.h``
(``#define PM_X value``), as ``partition_manager_output.py`` writes them.

Values are kept as raw text (``0xf4000``, ``DT_CHOSEN(nordic_pm_ext_flash)``,
``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER``, ``"app mcuboot_pad"``); checks
decode what they need with ``macro_int``.
"""

from __future__ import annotations

import re
from pathlib import Path

from extflash.loaders.files import read_text

_CONFIG_RE = re.compile(r"^(PM_[A-Za-z0-9_]+)=(.*)$")
_DEFINE_RE = re.compile(r"^#\s*define\s+(PM_[A-Za-z0-9_]+)(?:\s+(.*?))?\s*$")


def parse_pm_config(text: str) -> dict[str, str]:
    return {m[1]: m[2].strip() for line in text.splitlines()
            if (m := _CONFIG_RE.match(line.strip()))}


def parse_pm_header(text: str) -> dict[str, str]:
    return {m[1]: (m[2] or "").strip() for line in text.splitlines()
            if (m := _DEFINE_RE.match(line.strip()))}


def load_pm_config(path: Path) -> dict[str, str]:
    return parse_pm_config(read_text(path, "Partition Manager pm.config"))


def load_pm_header(path: Path) -> dict[str, str]:
    return parse_pm_header(read_text(path, "Partition Manager header pm_config.h"))


def macro_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip().rstrip("uUlL"), 0)
    except ValueError:
        return None
