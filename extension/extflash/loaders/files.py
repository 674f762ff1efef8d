"""Reading text files of a build directory with bounded size and one clear
error per failure.

Rules (issue 12), for every file any loader reads:

- only regular files are opened: a FIFO would block, a device (``/dev/zero``,
  a tty, a tape) never ends or has side effects on open, so the type is
  checked with ``stat`` before the file is opened, and again with ``fstat``
  on the descriptor (opened ``O_NONBLOCK``) in case it was swapped meanwhile;
- reads are bounded (``max_bytes``);
- while a build is loaded (``confined_to(build)``), a file whose real path
  (symlinks resolved) is outside the build directory is refused by its path,
  before it is opened, so no byte of it can reach a message or a CI log.
"""

from __future__ import annotations

import contextlib
import os
import stat
from contextvars import ContextVar
from pathlib import Path

from extflash.errors import ArtefactError

# Generated NCS artefacts are small: partitions.yml a few KiB, zephyr.dts
# 10-60 KiB, .config 50-150 KiB. Anything far larger is not what we expect.
MAX_BYTES = 8 << 20

_ROOT: ContextVar[Path | None] = ContextVar("extflash_build_root", default=None)

_REBUILD = "rebuild the build directory (west build -p)"


@contextlib.contextmanager
def confined_to(root: Path):
    """Within this block, ``read_text``/``read_bytes`` refuse files that
    resolve outside ``root``."""
    token = _ROOT.set(Path(os.path.realpath(root)))
    try:
        yield
    finally:
        _ROOT.reset(token)


def present(path: Path) -> bool:
    """Whether there is something at ``path`` (even a dangling link or a
    file in a directory we may not search). ``os.path.lexists`` answers
    False when a directory on the way denies access, which would make an
    unreadable file look missing (a warning) instead of unreadable."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except ValueError:  # a NUL byte: no such file can exist
        return False
    except OSError:
        return True  # EACCES, ELOOP...: reading it says what is wrong
    return True


def outside(path: Path, root: Path | None = None) -> Path | None:
    """The real path of ``path`` when it lies outside ``root`` (default: the
    build being loaded), else None."""
    root = root if root is not None else _ROOT.get()
    if root is None:
        return None
    root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real == root or root in real.parents:
        return None
    return real


def read_bytes(path: Path, what: str, *, max_bytes: int = MAX_BYTES,
               inside: Path | None = None) -> bytes:
    """The file's bytes, or ArtefactError naming the file. ``inside``
    confines this one read to a directory (else the current build, if any)."""
    try:
        real_outside = outside(path, inside)
        if real_outside is not None:
            raise ArtefactError(
                f"resolves to {real_outside}, outside the build directory; the {what} is not "
                "read from there", path=path,
                hint="use a build directory whose files are its own (copy the build with "
                     "symlinks resolved, or rebuild with west build -p)")
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ArtefactError(f"is a directory, expected the {what}", path=path,
                                hint="remove it and rebuild (west build -p)")
        if not stat.S_ISREG(st.st_mode):
            raise ArtefactError(f"is not a regular file (a device, FIFO or socket), expected "
                                f"the {what}", path=path, hint=_REBUILD)
        if st.st_size > max_bytes:
            raise ArtefactError(_too_large(st.st_size, max_bytes, what), path=path, hint=_REBUILD)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped after stat()
                raise ArtefactError(f"is not a regular file (a device, FIFO or socket), "
                                    f"expected the {what}", path=path, hint=_REBUILD)
            data = f.read(max_bytes + 1)  # the file may grow after stat()
        if len(data) > max_bytes:
            raise ArtefactError(_too_large(len(data), max_bytes, what), path=path, hint=_REBUILD)
    except ArtefactError:
        raise
    except OSError as e:
        raise ArtefactError(f"cannot read the {what}: {e.strerror or e}", path=path,
                            hint="check the file's and its directories' permissions, or "
                                 "rebuild (west build -p)") from None
    return data


def _too_large(size: int, max_bytes: int, what: str) -> str:
    amount = f"{size / (1 << 20):.1f} MiB" if size >= 1 << 20 else f"{size} bytes"
    limit = f"{max_bytes >> 20} MiB" if max_bytes >= 1 << 20 else f"{max_bytes} bytes"
    return f"is {amount}, more than any {what} (at most {limit}); refusing to read it"


def read_text(path: Path, what: str, *, max_bytes: int = MAX_BYTES,
              inside: Path | None = None) -> str:
    """The file's text (UTF-8, undecodable bytes replaced).

    Raises ArtefactError naming the file when it cannot be read, is not a
    regular file, lies outside the build or is larger than ``max_bytes``.
    """
    data = read_bytes(path, what, max_bytes=max_bytes, inside=inside)
    if b"\0" in data[:4096]:
        raise ArtefactError(f"is binary data, not the {what}", path=path, hint=_REBUILD)
    return data.decode("utf-8-sig", errors="replace")  # a BOM from a Windows editor is dropped
