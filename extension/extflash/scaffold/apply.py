"""Carry out a plan: atomic writes, or a unified diff for ``--dry-run``.

Every write goes to a temporary file in the target's own directory, is
flushed and fsync'ed, gets the old file's permission bits, and replaces the
target with ``os.replace`` (atomic on POSIX and Windows); the directory is
fsync'ed afterwards where the platform allows it. Before the first write,
every directory that will be written to is checked, so that a read-only
application directory fails before anything changed.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path

from extflash.errors import AppDirError
from extflash.scaffold.model import FileChange, Plan, Status
from extflash.scaffold.paths import resolve_target
from extflash.scaffold.textfile import encode, split_lines
from extflash.textsafe import printable

LOCK_TIMEOUT = 60.0  # seconds to wait for another init on the same application


@contextlib.contextmanager
def app_lock(app_dir: Path, timeout: float = LOCK_TIMEOUT):
    """Hold an exclusive advisory lock (``flock``) on the application
    directory itself, so no lock file is left in the user's tree. A no-op
    where ``fcntl`` is missing (Windows) or the directory cannot be opened
    (the plan then reports the real problem)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(app_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise AppDirError(
                        f"another west extflash init has been running on this application "
                        f"for {timeout:.0f} s; nothing was written", path=app_dir,
                        hint="wait for it to finish, then run init again") from None
                time.sleep(0.02)
            except OSError:  # a filesystem without flock: go on unlocked
                break
        yield
    finally:
        os.close(fd)  # releases the lock


def diff(plan: Plan) -> str:
    """A unified diff of every file the plan creates or changes, for the
    terminal: control characters in a line (a form feed, an escape) are
    shown as escapes (textsafe.printable), one diff line per file line."""
    out = []
    for ch in plan.to_write:
        old = split_lines(ch.old or "")
        new = split_lines(ch.new)
        fromfile = "/dev/null" if ch.status is Status.CREATE else f"a/{ch.path}"
        for line in difflib.unified_diff(old, new, fromfile, f"b/{ch.path}"):
            body = line.rstrip("\r\n")
            shown = printable(body) + ("\r" if line.endswith("\r\n") else "")
            out.append(shown + "\n" if line.endswith("\n") or line.endswith("\r") else
                       shown + "\n\\ No newline at end of file\n")
    return "".join(out)


def apply(plan: Plan) -> list[FileChange]:
    """Write every created or updated file; returns them."""
    root = plan.request.app_dir.resolve()
    _remove_stale_temporaries(root, plan)
    todo = [(ch, resolve_target(root, ch.path)) for ch in plan.to_write]
    for ch, target in todo:
        _check_writable(root, ch.path, target)
    for ch, target in todo:
        _write(root, ch, target)
    return [ch for ch, _ in todo]


def _remove_stale_temporaries(root: Path, plan: Plan) -> None:
    """Temporary files a killed run (SIGKILL, power loss) could not remove:
    ``.<target>.<random>.extflash-tmp`` beside each target. Safe because
    init holds the application's lock (``app_lock``) while it writes."""
    for ch in plan.changes:
        target = resolve_target(root, ch.path)
        try:
            stale = list(target.parent.glob(f".{target.name}.*.extflash-tmp"))
        except OSError:
            continue
        for path in stale:
            try:
                if path.is_file() and not path.is_symlink():
                    path.unlink()
            except OSError:
                pass


def _first_existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _check_writable(root: Path, rel: str, target: Path) -> None:
    directory = _first_existing(target.parent)
    if not directory.is_dir():
        raise AppDirError(f"cannot create {rel}: {directory} is not a directory", path=root,
                          hint="rename or move it")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _read_only(root, rel, directory)


def _read_only(root: Path, rel: str, directory: Path) -> AppDirError:
    where = "the application directory" if directory == root else str(directory.relative_to(root))
    return AppDirError(f"cannot write {rel}: {where} is read-only; nothing was written",
                       path=root, hint="make it writable, or use --dry-run to see the changes")


def _write(root: Path, ch: FileChange, target: Path) -> None:
    data = encode(ch.new, ch.bom)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".extflash-tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except PermissionError as e:
        raise _read_only(root, ch.path, target.parent) from e
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise _read_only(root, ch.path, target.parent) from e
        raise AppDirError(f"cannot write {ch.path}: {e.strerror or e}", path=root,
                          hint="check the disk and the directory's permissions") from e
    _fsync_dir(target.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
