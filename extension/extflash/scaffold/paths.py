"""Where init may read and write: inside the application directory only.

Every target is a relative, ``/``-separated path chosen by a layout. It is
refused when it is absolute, contains ``..`` or would, through a symlink
anywhere on the way, end outside the (resolved) application directory. A
symlink that stays inside is followed: the file it points to is edited and
the link itself is kept.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from extflash.errors import AppDirError

APP_FILES = ("CMakeLists.txt", "prj.conf")


def check_app_dir(app_dir: Path) -> Path:
    """The resolved application directory, or AppDirError."""
    if "\0" in str(app_dir):
        raise AppDirError("a path cannot contain a NUL byte", path=app_dir,
                          hint="give the application directory's real path")
    try:
        st = os.stat(app_dir)
    except FileNotFoundError:
        raise AppDirError("the application directory does not exist", path=app_dir,
                          hint="give the directory with CMakeLists.txt and prj.conf "
                               "(APP_DIR or --app)") from None
    except OSError as e:  # ENAMETOOLONG, ELOOP, EACCES on the way
        raise AppDirError(f"cannot use the application directory: {e.strerror or e}",
                          path=app_dir, hint="give the directory with CMakeLists.txt and "
                                             "prj.conf (APP_DIR or --app)") from None
    if not stat.S_ISDIR(st.st_mode):
        raise AppDirError("is not a directory", path=app_dir,
                          hint="give the application directory, not a file")
    root = app_dir.resolve()
    odd = [name for name in APP_FILES if os.path.lexists(root / name)
           and not (root / name).is_file()]
    if odd:
        raise AppDirError(f"{' and '.join(odd)} is not a regular file (a directory, FIFO, device "
                          "or broken link)", path=app_dir,
                          hint="replace it with the application's own file")
    missing = [name for name in APP_FILES if not (root / name).is_file()]
    if missing:
        raise AppDirError(
            f"not a Zephyr application: {' and '.join(missing)} missing", path=app_dir,
            hint="run init in the application directory (the one with CMakeLists.txt and "
                 "prj.conf), or give it as APP_DIR or --app",
        )
    return root


def resolve_target(root: Path, rel: str) -> Path:
    """The real path init reads and writes for ``rel`` inside ``root``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel:
        raise AppDirError(f"refusing to write {rel}: the path leaves the application directory",
                          path=root, hint="this is a bug in a layout; report it")
    candidate = root.joinpath(*pure.parts)
    real = Path(os.path.realpath(candidate))
    if real != root and root not in real.parents:
        link = _first_symlink(root, pure)
        where = f"{link.relative_to(root)} is a symlink to {os.path.realpath(link)}" if link \
            else f"{rel} resolves to {real}"
        raise AppDirError(
            f"refusing to write {rel}: {where}, outside the application directory",
            path=root, hint="replace the symlink with a regular file or directory",
        )
    return real


def _first_symlink(root: Path, pure: PurePosixPath) -> Path | None:
    current = root
    for part in pure.parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


# ---------------------------------------------------------------- FILE_SUFFIX
#
# With -DFILE_SUFFIX=S, Zephyr and sysbuild read `<name>_S.<ext>` *instead of*
# `<name>.<ext>` when that file exists, and fall back to `<name>.<ext>` when it does
# not (zephyr cmake/modules/extensions.cmake, zephyr_file(... SUFFIX) and
# zephyr_file_suffix(), NCS 2.7.0 tree l.2576-2580 and l.2886-2925). Files read that
# way: prj.conf, boards/<board>.conf/.overlay, app.overlay (cmake/modules/
# configuration_files.cmake l.47-92, also inside sysbuild/<image>/, which becomes the
# image's APPLICATION_CONFIG_DIR), sysbuild.conf (share/sysbuild/cmake/modules/
# sysbuild_kconfig.cmake l.46) and sysbuild/<image>.conf (sysbuild_extensions.cmake
# l.274). sysbuild/<image>.overlay is looked up without the suffix (l.287), the
# child-image files and our own .dtsi are not zephyr_file lookups at all.

def takes_file_suffix(rel: str) -> bool:
    """Is ``rel`` a file Zephyr/sysbuild looks up with ``FILE_SUFFIX``?"""
    pure = PurePosixPath(rel)
    if pure.suffix not in (".conf", ".overlay") or pure.parts[0] == "child_image":
        return False
    return not (len(pure.parts) == 2 and pure.parts[0] == "sysbuild" and pure.suffix == ".overlay")


def suffixed(rel: str, suffix: str) -> str:
    pure = PurePosixPath(rel)
    return str(pure.with_name(f"{pure.stem}_{suffix}{pure.suffix}"))


def file_read_by_build(root: Path, rel: str, suffix: str | None) -> str:
    """The file the build reads for ``rel``: ``<name>_<suffix>.<ext>`` when the
    build uses that suffix, the file takes it and it exists; else ``rel``."""
    if suffix and takes_file_suffix(rel) and (root / suffixed(rel, suffix)).is_file():
        return suffixed(rel, suffix)
    return rel


def suffixes_in(root: Path) -> list[str]:
    """The S of every ``prj_S.conf`` in the application (a FILE_SUFFIX the
    application is prepared for, as NCS samples ship ``prj_release.conf``)."""
    return sorted(p.name[len("prj_"):-len(".conf")] for p in root.glob("prj_?*.conf")
                  if p.is_file())
