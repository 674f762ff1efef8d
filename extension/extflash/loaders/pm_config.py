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


# a pm.config line as partition_manager_output.py writes it, including the
# PM_FOREACH_AFFILIATED_TO_<x>(fn)= macros (seen in real builds of the corpus)
_CONFIG_LINE_RE = re.compile(r"^PM_[A-Za-z0-9_]+(\([^)]*\))?=")
# sdk-nrf scripts/partition_manager_output.py (NCS v2.7.0) get_header_guard_end:
# every pm_config.h ends with this line (every real one in the corpus does)
HEADER_END = "#endif /* PM_CONFIG_H__ */"


def read_pm_config(path: Path) -> tuple[dict[str, str], str | None]:
    """``(values, problem)``: problem names the first line that is not a
    ``PM_X=value`` line (a file cut mid-line, or edited)."""
    text = read_text(path, "Partition Manager pm.config")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _CONFIG_LINE_RE.match(stripped):
            return parse_pm_config(text), (f"line {number} is not a PM_X=value line "
                                           f"(the file was cut or edited)")
    return parse_pm_config(text), None


def read_pm_header(path: Path) -> tuple[dict[str, str], str | None]:
    """``(defines, problem)``: problem when the file does not end with the
    header guard Partition Manager writes last (it was cut)."""
    text = read_text(path, "Partition Manager header pm_config.h")
    defines = parse_pm_header(text)
    if defines and not text.rstrip().endswith(HEADER_END):
        return defines, f"does not end with '{HEADER_END}' (the file was cut)"
    return defines, None


def macro_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip().rstrip("uUlL"), 0)
    except ValueError:
        return None
