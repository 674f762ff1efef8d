"""Line numbers for findings: the line (and column) of the fact a finding
points at, read from the file its ``Location`` names.

Checks say *what* they point at (a file of the build and a detail inside
it); this loader says *where* that is, so CI systems can annotate the line
a user must read or change:

- YAML (``partitions.yml``, ``regions.yml``, ``pm_static.yml``,
  ``domains.yaml``): the detail is a YAML path (``/mcuboot_secondary/size``);
  the line and column are the start mark of the deepest key of that path
  that the file has (PyYAML node marks; the same strict, bounded loader as
  the partitions themselves).
- Kconfig output (``.config``) and ``pm.config``: the detail is a symbol;
  the line is its ``SYMBOL=value`` or ``# SYMBOL is not set`` line.
- ``pm_config.h``: the detail is a macro; the line is its ``#define``.
- ``zephyr.dts``: the detail is a node path (``/chosen``, ``/soc/qspi@...``);
  the line is the node's opening line in the file dtlib wrote (one node per
  ``name {`` line, tab-indented, ``};`` closes it).

For a Kconfig symbol in an image's ``.config`` the fragment it came from is
added as ``defined_in`` (``.../sysbuild/mcuboot.conf:3``) when the build
records its fragments and they exist on this machine: the image's
``CMakeCache.txt`` ``CONF_FILE`` / ``EXTRA_CONF_FILE`` / ``OVERLAY_CONFIG``,
the sysbuild cache's ``<image>_EXTRA_CONF_FILE`` (how sysbuild hands
``sysbuild/<image>.conf`` and NCS's own fragments to an image; NCS 2.7
``nrf/sysbuild/CMakeLists.txt``), and ``SB_CONF_FILE`` for ``SB_CONFIG_*``
symbols of the sysbuild ``zephyr/.config``. Kconfig merges them in that
order, last assignment wins (zephyr ``cmake/modules/kconfig.cmake``
``merge_config_files``), so the last assignment found is the one named.

For a partition of the application domain's ``partitions.yml`` the
``pm_static.yml`` entry it came from is named as ``defined_in`` when exactly
one static file the build could have used has that partition with the same
address and size: the ``PM_STATIC_YML_FILE`` / ``<image>_PM_STATIC_YML_FILE``
the caches record, and the ``pm_static*.yml`` files of the application
(``APP_DIR``, ``APPLICATION_CONFIG_DIR``, ``APPLICATION_SOURCE_DIR``) where
Partition Manager looks for them (NCS 2.7 ``nrf/cmake/sysbuild/
partition_manager.cmake``: the user's file, then the configuration
directory, then the board directory). The equal address and size are the
evidence; an ambiguous match names nothing.

The ``defined in`` of a devicetree node, which newer Zephyr writes
relative to the west workspace, is made absolute against the parent of the
build's ``ZEPHYR_BASE`` when that file exists here.

A location that cannot have a line gets ``no_line``, a sentence saying why
(the file is missing, the symbol is absent from ``.config`` because its
dependencies are not met, the finding is about the file as a whole). Each
file is read once per call. Nothing here judges anything.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from extflash.errors import ArtefactError
from extflash.loaders.files import read_text
from extflash.model import Finding, Location

_YAML_SUFFIXES = (".yml", ".yaml")
_KCONFIG_NAMES = (".config", "pm.config")
_DTS_NODE = re.compile(r"^\s*(?:[\w-]+:\s*)*(?P<name>/|[^\s:{}]+)\s*\{\s*$")


class _Index:
    """Lines of the files of one build, each read once."""

    def __init__(self, base: Path):
        self.base = base
        self.file2text: dict[str, str | None] = {}
        self.file2yaml: dict[str, object] = {}

    def text(self, file: str) -> str | None:
        if file not in self.file2text:
            path = self.base / file if not Path(file).is_absolute() else Path(file)
            try:  # regular files only, bounded (a FIFO or /dev/zero is never read)
                self.file2text[file] = read_text(path, file)
            except (ArtefactError, ValueError):
                self.file2text[file] = None
        return self.file2text[file]

    def yaml_root(self, file: str):
        return self._yaml(file)[0]

    def yaml_data(self, file: str):
        return self._yaml(file)[1]

    def _yaml(self, file: str):
        if file not in self.file2yaml:
            text = self.text(file)
            self.file2yaml[file] = _compose(text) if text is not None else (None, None)
        return self.file2yaml[file]


def _compose(text: str):
    """(node tree with marks, constructed data), (None, None) when the text
    is not YAML the strict loader accepts."""
    import yaml

    from extflash.loaders.pm_yaml import StrictLoader, _expanded_size

    try:
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, None
            _expanded_size(node)
            return node, loader.construct_document(node)
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError, ValueError, LookupError, TypeError,
            OverflowError, AttributeError):
        return None, None


def _yaml_place(root, detail: str) -> tuple[int, int] | None:
    """(line, column), 1-based, of the deepest key of ``detail`` in ``root``."""
    import yaml

    place = None
    node = root
    for key in (k for k in detail.split("/") if k):
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                place = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                node = value_node
                break
        else:
            break
    if place is None and root is not None and detail.strip("/") == "":
        place = (root.start_mark.line + 1, root.start_mark.column + 1)
    return place


def _symbol_line(text: str, symbol: str) -> tuple[int, int] | None:
    set_re = re.compile(rf"^\s*(?:#define\s+)?{re.escape(symbol)}(?:=|\s|$)")
    unset = f"# {symbol} is not set"
    for number, line in enumerate(text.splitlines(), start=1):
        if set_re.match(line) or line.strip() == unset:
            return number, line.index(symbol) + 1
    return None


def _dts_line(text: str, node_path: str) -> tuple[int, int] | None:
    stack: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _DTS_NODE.match(line)
        if m:
            name = m["name"]
            stack.append(name)
            path = "/" if stack == ["/"] else "/" + "/".join(s for s in stack[1:])
            if path == node_path:
                return number, line.index(name) + 1
        elif line.strip() == "};" and stack:
            stack.pop()
    return None


_FRAGMENT_VARS = ("CONF_FILE", "EXTRA_CONF_FILE", "OVERLAY_CONFIG")


def _cache(index: _Index, rel: str) -> dict:
    from extflash.loaders.cmake_cache import parse_cmake_cache

    text = index.text(rel)
    return parse_cmake_cache(text) if text is not None else {}


def _split_list(value) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v for part in value.split(";") for v in part.split() if v]


def _fragments(index: _Index, config_file: str, symbol: str) -> list[Path]:
    """The Kconfig fragments the build records for the image whose
    ``.config`` is ``config_file`` (relative to the build), in merge order."""
    image_dir = Path(config_file).parent.parent  # <image>/zephyr/.config
    prefix = "" if str(image_dir) == "." else f"{image_dir.as_posix()}/"
    top = _cache(index, "CMakeCache.txt")
    if symbol.startswith("SB_CONFIG_") and not prefix:
        return [Path(v) for v in _split_list(top.get("SB_CONF_FILE"))]
    own = _cache(index, f"{prefix}CMakeCache.txt")
    source_dir = own.get("APPLICATION_SOURCE_DIR")
    paths = [v for var in _FRAGMENT_VARS for v in _split_list(own.get(var))]
    if prefix:
        paths += _split_list(top.get(f"{image_dir.name}_EXTRA_CONF_FILE"))
    result = []
    for v in paths:
        path = Path(v)
        if not path.is_absolute() and isinstance(source_dir, str):
            path = Path(source_dir) / path
        result.append(path)
    return result


def _fragment_line(index: _Index, loc: Location) -> str | None:
    """``path:line`` of the last assignment of the symbol in the recorded
    fragments that exist here, None when none does."""
    found = None
    for path in _fragments(index, loc.file, loc.detail or ""):
        text = index.text(str(path)) if path.is_absolute() else None
        if text is None:
            continue
        place = None
        for number, line in enumerate(text.splitlines(), start=1):
            if _symbol_line(line, loc.detail or "") is not None:
                place = number
        if place is not None:
            found = f"{path}:{place}"
    return found


def _static_candidates(index: _Index) -> list[Path]:
    top = _cache(index, "CMakeCache.txt")
    files = [Path(v) for k, v in top.items()
             if k == "PM_STATIC_YML_FILE" or k.endswith("_PM_STATIC_YML_FILE")
             for v in _split_list(v)]
    for key in ("APP_DIR", "APPLICATION_CONFIG_DIR", "APPLICATION_SOURCE_DIR"):
        value = top.get(key)
        if isinstance(value, str) and value:
            try:
                files += sorted(Path(value).glob("pm_static*.yml"))
            except (OSError, ValueError):
                continue
    unique: list[Path] = []
    for f in files:
        if f.is_absolute() and f not in unique:
            unique.append(f)
    return unique


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _static_origin(index: _Index, loc: Location) -> str | None:
    """``path:line`` of the pm_static.yml entry a partition of the build's
    ``partitions.yml`` came from, when exactly one candidate file has it
    with the same address and size."""
    if Path(loc.file).name != "partitions.yml" or not loc.detail:
        return None
    keys = [k for k in loc.detail.split("/") if k]
    built = index.yaml_data(loc.file)
    entry = built.get(keys[0]) if isinstance(built, dict) and keys else None
    if not isinstance(entry, dict):
        return None
    want = (_int(entry.get("address")), _int(entry.get("size")))
    if None in want:
        return None
    matches = []
    for path in _static_candidates(index):
        data = index.yaml_data(str(path))
        other = data.get(keys[0]) if isinstance(data, dict) else None
        if (isinstance(other, dict)
                and (_int(other.get("address")), _int(other.get("size"))) == want):
            place = _yaml_place(index.yaml_root(str(path)), loc.detail)
            if place is not None:
                matches.append(f"{path}:{place[0]}")
    return matches[0] if len(matches) == 1 else None


def _dts_origin(index: _Index, loc: Location) -> str | None:
    """Newer Zephyr writes ``defined in`` paths relative to the west
    workspace (``zephyr/dts/...``, ``app/boards/x.overlay``): made absolute
    against the parent of the ``ZEPHYR_BASE`` the build records, when that
    file exists here, so an overlay in the checkout can be annotated."""
    if not loc.defined_in or not Path(loc.file).name.endswith(".dts"):
        return None
    file, sep, line = loc.defined_in.rpartition(":")
    if not sep or not line.isdigit() or Path(file).is_absolute():
        return None
    image_dir = Path(loc.file).parent.parent
    prefix = "" if str(image_dir) == "." else f"{image_dir.as_posix()}/"
    for cache in (_cache(index, f"{prefix}CMakeCache.txt"), _cache(index, "CMakeCache.txt")):
        base = cache.get("ZEPHYR_BASE")
        if isinstance(base, str) and base:
            candidate = Path(base).parent / file
            if index.text(str(candidate)) is not None:
                return f"{candidate}:{line}"
    return None


def _why_missing(loc: Location, text: str | None) -> str:
    if text is None:
        return f"{loc.file} is missing or unreadable, so there is no line to point at"
    if loc.detail is None:
        return f"the finding concerns {loc.file} as a whole"
    name = Path(loc.file).name
    if name == ".config":
        return (f"{loc.detail} has no line in {loc.file}: Kconfig writes no line for a symbol "
                "whose dependencies are not met")
    if name.endswith(_YAML_SUFFIXES):
        return f"{loc.file} has no {loc.detail}"
    if name.endswith(".dts"):
        return f"{loc.file} has no node {loc.detail}"
    return f"{loc.file} has no line for {loc.detail}"


def name_is_config(loc: Location) -> bool:
    return Path(loc.file).name == ".config" and bool(loc.detail)


def _locate(index: _Index, loc: Location) -> Location:
    if loc.line is not None:
        return loc
    text = index.text(loc.file)
    place = None
    if text is not None and loc.detail:
        name = Path(loc.file).name
        if name.endswith(_YAML_SUFFIXES):
            root = index.yaml_root(loc.file)
            place = _yaml_place(root, loc.detail) if root is not None else None
        elif name.endswith(".dts") and loc.detail.startswith("/"):
            place = _dts_line(text, loc.detail)
        elif name in _KCONFIG_NAMES or name.endswith((".h", ".conf", ".config")):
            place = _symbol_line(text, loc.detail)
    if loc.defined_in is None:
        origin = (_fragment_line(index, loc) if name_is_config(loc)
                  else _static_origin(index, loc))
        if origin is not None:
            loc = dataclasses.replace(loc, defined_in=origin)
    else:
        origin = _dts_origin(index, loc)
        if origin is not None:
            loc = dataclasses.replace(loc, defined_in=origin)
    if place is None:
        return dataclasses.replace(loc, no_line=_why_missing(loc, text))
    return dataclasses.replace(loc, line=place[0], column=place[1])


def locate(base: Path, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` with the line and column of each location filled in, or
    ``no_line`` saying why there is none. ``base``: the directory the
    locations' files are relative to (the build directory)."""
    index = _Index(Path(base))
    located = []
    for f in findings:
        if f.location is None:
            located.append(f)
            continue
        located.append(dataclasses.replace(f, location=_locate(index, f.location)))
    return tuple(located)
