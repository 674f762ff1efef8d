"""Finding the build directory the way ``west build`` does, and telling a
sysbuild build from a child/parent-image one.

Order (zephyr ``scripts/west_commands/build_helpers.py``, 2026 behaviour):

1. ``-d BUILD_DIR`` when given (each of several);
2. ``build.dir-fmt`` (default ``build``) formatted with ``west_topdir``,
   ``source_dir`` (relative to the cwd, ``""`` inside it),
   ``source_dir_workspace``, ``app``, ``board``, ``normalized_board``; an
   unresolvable format (unknown key, no board) falls back to ``build``;
3. that directory if it is a Zephyr build, else the cwd if the cwd is one,
   else that directory (which then fails with a clear error).

``is_zephyr_build``: zephyr checks ``ZEPHYR_TOOLCHAIN_VARIANT`` in
``CMakeCache.txt``. A sysbuild top-level cache does not have it (the
top-level project enables no language), so a cache whose
``CMAKE_PROJECT_NAME`` is ``sysbuild``/``sysbuild_toplevel``, or a
``domains.yaml`` beside it, counts as a build too.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path

from extflash.errors import ExtflashError, UsageError
from extflash.loaders.cmake_cache import load_cmake_cache

SYSBUILD_PROJECTS = ("sysbuild", "sysbuild_toplevel")


@dataclass(frozen=True)
class FoundBuildDir:
    path: Path
    reason: str  # which rule chose it, for -v output


def is_zephyr_build(path: Path) -> bool:
    try:
        cache = load_cmake_cache(path / "CMakeCache.txt")
    except ExtflashError:
        return False
    if not cache:
        # committed builds often lack the cache (it is machine-specific):
        # Kconfig output beside Partition Manager or sysbuild output is a build
        return (path / "zephyr" / ".config").is_file() and any(
            (path / name).is_file() for name in ("domains.yaml", "partitions.yml"))
    return ("ZEPHYR_TOOLCHAIN_VARIANT" in cache
            or cache.get("CMAKE_PROJECT_NAME") in SYSBUILD_PROJECTS
            or (path / "domains.yaml").is_file())


def _dir_fmt_context(cwd: Path, topdir: Path | None, board: str | None) -> dict[str, str]:
    source = cwd
    ctx = {"app": source.name, "source_dir": ""}
    if topdir is not None:
        ctx["west_topdir"] = str(topdir)
        try:
            ctx["source_dir_workspace"] = str(source.relative_to(topdir))
        except ValueError:
            ctx["source_dir_workspace"] = str(source.relative_to(source.anchor))
    else:
        ctx["source_dir_workspace"] = str(source.relative_to(source.anchor))
    if board:
        ctx["board"] = board
        ctx["normalized_board"] = board.replace("/", "_")
    return ctx


DIR_FMT_FIELDS = ("app", "board", "normalized_board", "source_dir", "source_dir_workspace",
                  "west_topdir")
_SPEC_RE = re.compile(r"(?:.?[<>=^])?[-+ ]?#?0?(?P<width>\d*),?(?:\.\d+)?s?")
MAX_FMT_WIDTH = 4096  # PATH_MAX on Linux; a wider field cannot name a directory


def check_dir_fmt(fmt: str) -> None:
    """Refuse a ``build.dir-fmt`` that ``str.format`` would turn into an
    attribute lookup (``{app.foo}``), an index (``{app[0]}``), a nested or
    gigantic field (``{app:>2000000000}`` allocates 2 GB) or a syntax error.
    west formats the option with ``fmt.format(**kwargs)`` and the fields of
    ``DIR_FMT_FIELDS`` (zephyr scripts/west_commands/build_helpers.py,
    ``_resolve_build_dir``); an unknown field name stays what west makes of
    it (unresolvable, so ``build``)."""
    bad = "is not a usable build.dir-fmt"
    hint = ("set it to a path with the fields " + ", ".join(f"{{{f}}}" for f in DIR_FMT_FIELDS)
            + ", e.g. west config build.dir-fmt \"build/{board}/{app}\"")
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError as e:
        raise UsageError(f"'{fmt}' {bad}: {e}", hint=hint) from None
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier():
            raise UsageError(f"'{fmt}' {bad}: field '{{{name}}}' is not a plain name", hint=hint)
        if conversion not in (None, "s"):
            raise UsageError(f"'{fmt}' {bad}: conversion '!{conversion}' in '{{{name}}}'",
                             hint=hint)
        m = _SPEC_RE.fullmatch(spec or "")
        if m is None or "{" in (spec or ""):
            raise UsageError(f"'{fmt}' {bad}: format '{spec}' in '{{{name}}}'", hint=hint)
        if m["width"] and (len(m["width"]) > 5 or int(m["width"]) > MAX_FMT_WIDTH):
            raise UsageError(f"'{fmt}' {bad}: field width {m['width']} in '{{{name}}}' is "
                             f"wider than any path ({MAX_FMT_WIDTH})", hint=hint)


def resolve_dir_fmt(fmt: str | None, cwd: Path, topdir: Path | None,
                    board: str | None) -> Path:
    fmt = fmt or "build"
    check_dir_fmt(fmt)
    try:
        text = fmt.format(**_dir_fmt_context(cwd, topdir, board))
    except (KeyError, IndexError, ValueError):
        text = "build"  # west: unresolvable (a field it does not know, no board)
    if "\0" in text:
        raise UsageError(f"build.dir-fmt '{fmt}' gives a path with a NUL byte",
                         hint="remove it from the option (west config build.dir-fmt)")
    return Path(os.path.normpath(cwd / text))


def find_build_dirs(build_dirs: list[str] | None, *, cwd: Path, dir_fmt: str | None = None,
                    topdir: Path | None = None, board: str | None = None) -> list[FoundBuildDir]:
    if build_dirs:
        for d in build_dirs:
            if "\0" in d:
                raise UsageError(f"-d {d}: a path cannot contain a NUL byte",
                                 hint="give the build directory's real path")
        return [FoundBuildDir(Path(os.path.normpath(cwd / d)), "-d") for d in build_dirs]
    default = resolve_dir_fmt(dir_fmt, cwd, topdir, board)
    if is_zephyr_build(default):
        return [FoundBuildDir(default, f"build.dir-fmt ({dir_fmt or 'build'})")]
    if is_zephyr_build(cwd):
        return [FoundBuildDir(cwd, "the current directory")]
    return [FoundBuildDir(default, f"build.dir-fmt ({dir_fmt or 'build'})")]


def is_sysbuild(path: Path, cache: dict | None) -> bool:
    """west-conventions §8.3: domains.yaml plus one more sysbuild signal."""
    from extflash.loaders.kconfig_files import is_sysbuild_config

    if cache and cache.get("CMAKE_PROJECT_NAME") in SYSBUILD_PROJECTS:
        return True
    if not (path / "domains.yaml").is_file():
        return False
    return (path / "_sysbuild").is_dir() or is_sysbuild_config(path / "zephyr" / ".config")
