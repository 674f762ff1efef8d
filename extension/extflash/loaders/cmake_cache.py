"""``CMakeCache.txt``: ``NAME:TYPE=VALUE`` lines, as Zephyr's zcmake reads them.

Values stay strings except ``BOOL`` (-> bool). Lists (``;``) are not split:
the loaders need only single values (``CACHED_BOARD``, ``APP_DIR``,
``ZEPHYR_TOOLCHAIN_VARIANT``, ``CMAKE_PROJECT_NAME``).
"""

from __future__ import annotations

import re
from pathlib import Path

from extflash.errors import ArtefactError

_LINE_RE = re.compile(r"^(?P<name>[^#/:][^:]*):(?P<type>[A-Z]+)=(?P<value>.*)$")
_TRUE = {"1", "ON", "YES", "TRUE", "Y"}

MAX_BYTES = 16 << 20


def parse_cmake_cache(text: str) -> dict[str, str | bool]:
    entries: dict[str, str | bool] = {}
    for line in text.splitlines():
        m = _LINE_RE.match(line.strip())
        if not m:
            continue
        value: str | bool = m["value"]
        if m["type"] == "BOOL":
            value = m["value"].upper() in _TRUE
        entries[m["name"]] = value
    return entries


def load_cmake_cache(path: Path) -> dict[str, str | bool] | None:
    """The cache as a dict; None when the file does not exist."""
    if not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ArtefactError("is larger than 16 MiB; this is not a CMake cache", path=path,
                                hint="point -d at a Zephyr build directory")
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise ArtefactError(f"cannot be read: {e.strerror or e}", path=path,
                            hint="check the file's permissions") from e
    return parse_cmake_cache(text)
