"""Carry out a plan, all or nothing (``apply``), or show it as a unified
diff for ``--dry-run``.

Every write goes to a temporary file in the target's own directory, is
flushed and fsync'ed, gets the old file's permission bits, and replaces the
target with ``os.replace`` (atomic on POSIX and Windows) only after every
temporary file was written; a failure at any step puts back what was
replaced and removes what was created. Before the first write every target
and directory is checked (writable by the user, owned by them, room on the
disk), so "nothing was written" in a refusal is true.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import os
import secrets
import stat
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


class _Failed(Exception):
    """A write step failed; carries the AppDirError to raise after rollback."""

    def __init__(self, error: AppDirError):
        super().__init__(str(error))
        self.error = error


TMP_SUFFIX = ".extflash-tmp"
FREE_SPACE_MARGIN = 64 << 10  # metadata, a journal, a filesystem's reserve


def apply(plan: Plan) -> list[FileChange]:
    """Write every created or updated file, all or nothing; returns them.

    1. check (nothing written yet): every target is a regular file the user
       could write themselves, every directory to write in is writable, the
       filesystem has room for all new files;
    2. write every new content to a temporary file beside its target
       (``.<name>.<run token>.extflash-tmp``, created ``O_EXCL``; the token
       is 128 random bits, so no user file is ever taken for one), fsync;
    3. rename them over their targets, last step; if any step fails, the
       targets already replaced get their old bytes back, created files and
       directories are removed, temporaries are deleted: the application is
       exactly as it was, and the error says so.
    """
    root = plan.request.app_dir.resolve()
    _remove_stale_temporaries(root)
    todo = [(ch, resolve_target(root, ch.path)) for ch in plan.to_write]
    for ch, target in todo:
        _check_writable(root, ch.path, target)
    _check_free_space(root, todo)
    token = secrets.token_hex(16)
    journal = _Journal(root)
    created_dirs: list[Path] = []
    temps: dict[Path, Path] = {}
    done: list[tuple[FileChange, Path, int | None]] = []
    names = {target: target.parent / f".{target.name}.{token}{TMP_SUFFIX}" for _, target in todo}
    journal.record(list(names.values()))  # before any exists: a SIGKILL after this is covered
    try:
        for ch, target in todo:
            created_dirs += _make_dirs(root, ch.path, target.parent)
            temps[target] = names[target]
            _write_temp(root, ch, target, names[target])
        for ch, target in todo:
            mode = _mode_of(target)
            _step(root, ch.path, target.parent, os.replace, temps[target], target)
            del temps[target]
            done.append((ch, target, mode))
        for directory in {target.parent for _, target in todo}:
            _fsync_dir(directory)
    except BaseException as e:
        _rollback(done, temps, created_dirs)
        journal.close()
        if isinstance(e, _Failed):
            raise e.error from None
        raise
    journal.close()
    return [ch for ch, _ in todo]


def _rollback(done, temps, created_dirs) -> None:
    for tmp in temps.values():
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    for ch, target, mode in reversed(done):
        try:
            if ch.old is None:
                os.unlink(target)
            else:  # the exact old bytes: decoding was strict UTF-8, the BOM remembered
                _restore(target, encode(ch.old, ch.bom), mode)
        except OSError:
            pass
    for directory in reversed(created_dirs):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _restore(target: Path, data: bytes, mode: int | None) -> None:
    tmp = target.parent / f".{target.name}.{secrets.token_hex(16)}{TMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_of(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


class _Journal:
    """The temporary files of this run, listed outside the application
    (``$XDG_STATE_HOME/west-extflash/``, else ``~/.local/state/...``) so
    that the next run removes exactly those a SIGKILL left behind, and never
    a user file that only looks like one. Without a writable state
    directory, nothing is recorded (and nothing is ever removed)."""

    def __init__(self, root: Path):
        self.path = _journal_path(root)
        self.names: list[str] = []

    def record(self, temps: list[Path]) -> None:
        """One write, no fsync: the journal must survive the process (a
        SIGKILL), not a power loss, which at worst leaves a temporary file
        the user can see and delete."""
        self.names = [str(t) for t in temps]
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8", errors="surrogateescape") as f:
                f.write("".join(name + "\n" for name in self.names))
        except OSError:
            self.path = None

    def close(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()


def _journal_path(root: Path) -> Path | None:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"),
                                                            ".local", "state")
    if not os.path.isabs(base):
        return None
    key = hashlib.sha256(os.fsencode(str(root))).hexdigest()[:32]
    return Path(base) / "west-extflash" / f"{key}.pending"


def _remove_stale_temporaries(root: Path) -> None:
    """Temporary files a killed run (SIGKILL, power loss) could not remove,
    as its journal lists them: only names with this tool's random run token,
    inside this application. Safe because init holds the application's lock
    (``app_lock``) while it writes."""
    journal = _journal_path(root)
    if journal is None:
        return
    try:
        data = read_journal(journal)
    except OSError:
        return
    for line in data:
        path = Path(line)
        if not (path.name.endswith(TMP_SUFFIX) and path.name.startswith(".")
                and (path.parent == root or root in path.parents)):
            continue
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
        except OSError:
            pass
    with contextlib.suppress(OSError):
        journal.unlink()


def read_journal(path: Path) -> list[str]:
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_size > 1 << 20:
        return []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def _first_existing(path: Path) -> Path:
    while not os.path.lexists(path):
        path = path.parent
    return path


def _user_can_write(path: Path, st: os.stat_result, *, directory: bool) -> bool:
    """Whether the user could write ``path`` themselves. ``os.access`` says
    yes to root for everything, so as root the owner's write bit is
    honoured explicitly (a ``chmod 444`` file or ``chmod 555`` directory is
    the user saying "do not change this")."""
    if os.name != "posix":  # pragma: no cover
        return os.access(path, os.W_OK)
    if not os.access(path, os.W_OK | (os.X_OK if directory else 0)):
        return False
    if os.geteuid() == 0 and not st.st_mode & stat.S_IWUSR:
        return False
    return True


def _check_writable(root: Path, rel: str, target: Path) -> None:
    directory = _first_existing(target.parent)
    try:
        dst = directory.stat()
    except OSError as e:
        raise AppDirError(f"cannot check {rel}: {e.strerror or e}; nothing was written",
                          path=root, hint="check the directory's permissions") from None
    if not stat.S_ISDIR(dst.st_mode):
        raise AppDirError(f"cannot create {rel}: {directory} is not a directory; nothing was "
                          "written", path=root, hint="rename or move it")
    if not _user_can_write(directory, dst, directory=True):
        raise _read_only(root, rel, directory)
    try:
        st = target.stat()
    except FileNotFoundError:
        return
    except OSError as e:
        raise AppDirError(f"cannot check {rel}: {e.strerror or e}; nothing was written",
                          path=root, hint="check the file's permissions") from None
    if not stat.S_ISREG(st.st_mode):
        raise AppDirError(f"{rel} is not a regular file; nothing was written", path=root,
                          hint="replace it with a regular file or remove it")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise AppDirError(f"{rel} belongs to another user (uid {st.st_uid}); init does not "
                          "replace a file you do not own, and nothing was written", path=root,
                          hint="run init as its owner, or copy the file so that it is yours")
    if not _user_can_write(target, st, directory=False):
        raise AppDirError(f"{rel} is read-only; init does not replace a file you could not "
                          "write yourself, and nothing was written", path=root,
                          hint=f"make it writable (chmod u+w {rel}), or use --dry-run to see "
                               "the changes")
    if dst.st_mode & stat.S_ISVTX and st.st_uid != os.geteuid() != dst.st_uid:
        raise _read_only(root, rel, directory)  # sticky directory: cannot replace it


def _check_free_space(root: Path, todo) -> None:
    need: dict[int, int] = {}
    where: dict[int, Path] = {}
    for ch, target in todo:
        directory = _first_existing(target.parent)
        try:
            dev = directory.stat().st_dev
        except OSError:
            continue
        need[dev] = need.get(dev, 0) + len(encode(ch.new, ch.bom)) + 4096  # a block per file
        where[dev] = directory
    for dev, amount in need.items():
        try:
            vfs = os.statvfs(where[dev])
        except (OSError, AttributeError):
            continue
        free = vfs.f_bavail * vfs.f_frsize
        if free < amount + FREE_SPACE_MARGIN:
            raise AppDirError(f"not enough free space in {where[dev]}: {free} bytes free, init "
                              f"needs about {amount + FREE_SPACE_MARGIN}; nothing was written",
                              path=root, hint="free some space, then run init again")


def _read_only(root: Path, rel: str, directory: Path) -> AppDirError:
    where = "the application directory" if directory == root else str(directory.relative_to(root))
    return AppDirError(f"cannot write {rel}: {where} is read-only; nothing was written",
                       path=root, hint="make it writable, or use --dry-run to see the changes")


def _make_dirs(root: Path, rel: str, directory: Path) -> list[Path]:
    missing = []
    while not os.path.lexists(directory):
        missing.append(directory)
        directory = directory.parent
    created = []
    for d in reversed(missing):
        _step(root, rel, d.parent, os.mkdir, d)
        created.append(d)
    return created


def _step(root: Path, rel: str, directory: Path, fn, *args) -> None:
    """One file-system call; an OSError becomes the one-line refusal (after
    the caller's rollback, nothing was written)."""
    try:
        fn(*args)
    except OSError as e:
        raise _Failed(_failure(root, rel, directory, e)) from None


def _failure(root: Path, rel: str, directory: Path, e: OSError) -> AppDirError:
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _read_only(root, rel, directory)
    return AppDirError(f"cannot write {rel}: {e.strerror or e}; nothing was written (every "
                       "file init had written is back as it was)", path=root,
                       hint="check the disk and the directory's permissions")


def _write_temp(root: Path, ch: FileChange, target: Path, tmp: Path) -> None:
    data = encode(ch.new, ch.bom)
    mode = _mode_of(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
    except OSError as e:
        raise _Failed(_failure(root, ch.path, target.parent, e)) from None


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
