"""``CMakeCache.txt``: ``NAME:TYPE=VALUE`` lines, as Zephyr's zcmake reads them.

Values stay strings except ``BOOL`` (-> bool). Lists (``;``) are not split:
the loaders need only single values (``CACHED_BOARD``, ``APP_DIR``,
``ZEPHYR_TOOLCHAIN_VARIANT``, ``CMAKE_PROJECT_NAME``).

``read_cmake_cache`` also says when a present file holds nothing a CMake
cache holds (empty, binary, UTF-16, no entry line), so that the caller can
report it instead of treating the file as an empty cache.
"""

from __future__ import annotations

import re
from pathlib import Path

from extflash.loaders.files import present, read_bytes

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


def read_cmake_cache(path: Path) -> tuple[dict[str, str | bool] | None, str | None]:
    """``(entries, problem)``: entries None when there is nothing at
    ``path``; ``problem`` says why a present file gave no entries. Read like
    every build file (loaders.files): regular files only, bounded, and never
    from outside the directory it describes."""
    if not present(path):
        return None, None
    data = read_bytes(path, "CMake cache", max_bytes=MAX_BYTES, inside=path.parent)
    if not data.strip():
        return {}, "is empty"
    if b"\0" in data[:4096]:
        return {}, "is binary data or UTF-16 text, not a CMake cache (CMake writes UTF-8)"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, "is not UTF-8 text, not a CMake cache (CMake writes UTF-8)"
    entries = parse_cmake_cache(text)
    if not entries:
        return {}, "has no NAME:TYPE=VALUE entry: it is not a CMake cache"
    return entries, None


def load_cmake_cache(path: Path) -> dict[str, str | bool] | None:
    """The cache as a dict; None when the file does not exist."""
    return read_cmake_cache(path)[0]
