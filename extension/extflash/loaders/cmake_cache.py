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
import stat
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


def read_cmake_cache(path: Path) -> tuple[dict[str, str | bool] | None, str | None]:
    """``(entries, problem)``: entries None when the file does not exist;
    ``problem`` says why a present file gave no entries."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None, None
    except OSError as e:
        raise ArtefactError(f"cannot be read: {e.strerror or e}", path=path,
                            hint="check the file's permissions") from e
    if not stat.S_ISREG(st.st_mode):
        raise ArtefactError("is not a regular file, expected the CMake cache", path=path,
                            hint="point -d at a Zephyr build directory")
    if st.st_size > MAX_BYTES:
        raise ArtefactError("is larger than 16 MiB; this is not a CMake cache", path=path,
                            hint="point -d at a Zephyr build directory")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ArtefactError(f"cannot be read: {e.strerror or e}", path=path,
                            hint="check the file's permissions") from e
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
