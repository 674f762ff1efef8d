"""``explain``: name the cause of MCUboot boot-log and build-log messages.

``scan(text)`` finds every known message (``patterns.PATTERNS``) in a log
and returns ``Hit``s; ``render.render_text`` turns them, and optionally the
findings of the checks that confirm each cause in a build, into text.
Nothing here reads files or prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extflash.explain.patterns import PATTERNS, Pattern

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# which image a build-log line belongs to: sysbuild's CMake banner and ninja
# step (zephyr share/sysbuild/cmake/modules/sysbuild_extensions.cmake), and
# the child-image banner of NCS's multi-image builds (nrf/cmake/multi_image.cmake)
_IMAGE_MARKERS = (
    re.compile(r"\*\s+Running CMake for (?P<image>[\w.-]+)\s+\*"),
    re.compile(r"Performing build step for '(?P<image>[\w.-]+)'"),
    re.compile(r"=== child image (?P<image>[\w.-]+) -"),
)
_WARNING_START = "warning: "
_MAX_WRAPPED = 30  # a Kconfig warning wraps over a handful of lines (kconfig.py, textwrap)


@dataclass
class Hit:
    pattern: Pattern
    line: int  # 1-based line of the first occurrence
    text: str  # the matched message
    groups: dict[str, str] = field(default_factory=dict)
    image: str | None = None  # build logs: the image being configured or built
    count: int = 1


def _records(text: str):
    """(line number, text, image) per log record; a Kconfig warning that the
    build output wraps over several lines is joined into one record."""
    lines = _ANSI.sub("", text).splitlines()
    image = None
    i = 0
    while i < len(lines):
        line = lines[i]
        for marker in _IMAGE_MARKERS:
            m = marker.search(line)
            if m:
                image = m.group("image")
        start = i
        if line.startswith(_WARNING_START):
            parts = [line.strip()]
            while i + 1 < len(lines) and lines[i + 1].strip() and len(parts) < _MAX_WRAPPED:
                i += 1
                parts.append(lines[i].strip())
            line = " ".join(parts)
        yield start + 1, line, image
        i += 1


def scan(text: str) -> list[Hit]:
    key2hit: dict[tuple, Hit] = {}
    for number, line, image in _records(text):
        for pattern in PATTERNS:
            m = pattern.regex.search(line)
            if m is None:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            key = (pattern.name, tuple(sorted(groups.items())), image)
            if key in key2hit:
                key2hit[key].count += 1
            else:
                key2hit[key] = Hit(pattern, number, m.group(0), groups, image)
    return sorted(key2hit.values(), key=lambda h: h.line)
