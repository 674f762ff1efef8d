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
from dataclasses import dataclass
from pathlib import Path

from extflash.errors import ExtflashError
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


def resolve_dir_fmt(fmt: str | None, cwd: Path, topdir: Path | None,
                    board: str | None) -> Path:
    fmt = fmt or "build"
    try:
        text = fmt.format(**_dir_fmt_context(cwd, topdir, board))
    except (KeyError, IndexError, ValueError):
        text = "build"
    return Path(os.path.normpath(cwd / text))


def find_build_dirs(build_dirs: list[str] | None, *, cwd: Path, dir_fmt: str | None = None,
                    topdir: Path | None = None, board: str | None = None) -> list[FoundBuildDir]:
    if build_dirs:
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
