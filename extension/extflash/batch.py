"""Verifying many build directories at once (CI scale).

- :func:`discover` finds every build directory under a folder, for example
  twister's output tree (``twister-out/<platform>/<suite>/<scenario>/``).
  A build directory has ``CMakeCache.txt`` and either ``domains.yaml``
  (sysbuild) or ``zephyr/.config`` (a single image or child-image build).
  The walk never follows symbolic links (so it cannot loop), never descends
  into a build it found (image subdirectories of a sysbuild build are part
  of that build), and is bounded in depth and in the number of directories
  it looks at.
- :func:`verify_many` verifies builds in parallel, one worker process per
  core by default, in chunks, and returns one item per build in input
  order: a ``verify.Report`` or a ``report.Failed``, which
  ``extflash.report`` renders (text, or one JSON document for all). An
  error or a crash while verifying one build is that build's "could not
  verify", never the batch's.

Items carry only what a report needs (findings and a build summary), never
the parsed model, so memory stays flat however many builds there are.

This module raises ``extflash.errors`` types and never prints.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from extflash.errors import BuildDirError, ExtflashError

#: how deep below a root :func:`discover` looks (twister needs 3)
MAX_DEPTH = 10
#: how many directories :func:`discover` may open under one root
MAX_DIRS = 200_000
#: directories that never hold builds and can be huge
_SKIP_NAMES = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv",
                         "CMakeFiles"})


def is_build_dir(path: Path) -> bool:
    """True if ``path`` looks like a Zephyr build directory (not following
    a symlinked CMakeCache.txt out of it is not required: it is only read)."""
    try:
        if not (path / "CMakeCache.txt").is_file():
            return False
        return (path / "domains.yaml").is_file() or (path / "zephyr" / ".config").is_file()
    except OSError:  # e.g. ENAMETOOLONG, ELOOP
        return False


def discover(roots: Iterable[Path | str], *, max_depth: int = MAX_DEPTH,
             max_dirs: int = MAX_DIRS) -> list[Path]:
    """Every build directory under each of ``roots``, sorted per root,
    each reported once even when roots overlap.

    A root that is itself a build directory is returned as is. Raises
    :class:`BuildDirError` if a root is not a directory, if the walk
    would open more than ``max_dirs`` directories under one root, or if
    no build directory is found under a root.
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for root in roots:
        root = Path(root)
        try:
            st = root.stat()
        except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
            raise BuildDirError(f"cannot read directory: {getattr(e, 'strerror', None) or e}",
                                path=root, hint="give an existing folder to --all-under") from None
        if not stat.S_ISDIR(st.st_mode):
            raise BuildDirError("not a directory", path=root,
                                hint="give the folder that holds the build directories")
        under = _walk(root, max_depth=max_depth, max_dirs=max_dirs)
        if not under:
            raise BuildDirError(
                "no build directory found under it (a build directory has CMakeCache.txt "
                "and domains.yaml or zephyr/.config)",
                path=root, hint="build first, or point --all-under at the build output folder")
        for path in under:
            try:
                st = path.stat()
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _walk(root: Path, *, max_depth: int, max_dirs: int) -> list[Path]:
    if is_build_dir(root):
        return [root]
    result: list[Path] = []
    opened = 0
    # iterative depth-first walk, sorted so the order is stable across runs
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        directory, depth = stack.pop()
        opened += 1
        if opened > max_dirs:
            raise BuildDirError(
                f"more than {max_dirs} directories under it; stopped looking for builds",
                path=root, hint="point --all-under at the build output folder itself "
                "(for example twister-out), not at a whole disk")
        try:
            with os.scandir(directory) as it:
                subdirs = sorted(e.name for e in it
                                 if e.name not in _SKIP_NAMES and _is_real_dir(e))
        except OSError:  # unreadable or vanished: nothing to verify there
            continue
        children = []
        for name in subdirs:
            child = directory / name
            if is_build_dir(child):
                result.append(child)
            elif depth + 1 < max_depth:
                children.append((child, depth + 1))
        stack.extend(reversed(children))
    result.sort()
    return result


def _is_real_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


# ----------------------------------------------------------------- verifying

# An item is what extflash.report renders: a ``verify.Report`` (picklable,
# plain dataclasses: findings and a build summary, no parsed model) or a
# ``report.Failed`` (the build's one-line "could not verify" error).


#: seconds one build may take in ``--all-under`` before it is reported as
#: stopped instead of waited on (issue 12); a real build takes well under a
#: second, the worst bounded hostile input about 10 s. EXTFLASH_BUILD_BUDGET
#: overrides it (seconds; 0 turns it off).
BUILD_TIME_BUDGET = 60.0


class _OverBudget(BaseException):  # not swallowed by an `except Exception`
    pass


def _budget() -> float:
    try:
        return float(os.environ.get("EXTFLASH_BUILD_BUDGET", BUILD_TIME_BUDGET))
    except ValueError:
        return BUILD_TIME_BUDGET


@contextlib.contextmanager
def _time_budget(seconds: float):
    """SIGALRM after ``seconds`` of wall time raises _OverBudget in this
    (main) thread; a no-op where there is no SIGALRM or off the main thread."""
    import signal
    import threading

    if seconds <= 0 or not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def verify_one(path: str, strict: bool = False):
    """Verify one build; every failure becomes a ``report.Failed``."""
    from extflash.report import Failed

    budget = _budget()
    try:
        from extflash.verify import verify_build  # heavy: loaders, checks, dtlib

        with _time_budget(budget):
            return verify_build(Path(path), strict=strict)
    except _OverBudget:
        return Failed(path, f"{path}: verifying it took longer than {budget:g} s and was "
                      f"stopped (verify it alone: west extflash verify -d {path})")
    except ExtflashError as e:
        return Failed(path, str(e))
    except RecursionError:
        return Failed(path, f"{path}: input nested too deeply to read")
    except MemoryError:
        return Failed(path, f"{path}: out of memory while reading the build")
    except Exception as e:  # a bug: that build's problem, not the batch's
        return Failed(path, f"internal error: {type(e).__name__}: {' '.join(str(e).split())} "
                      f"(this is a bug in west extflash; re-run verify -d {path} -vv for a "
                      "traceback and report it)")


def _failed(path: str, error: str):
    from extflash.report import Failed

    return Failed(path, error)


def _run_chunk(task: Callable[[str], object], paths: Sequence[str]) -> list:
    return [task(p) for p in paths]


def default_jobs() -> int:
    """The cores this process may run on (``os.cpu_count()`` where the
    affinity mask is unknown)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def verify_many(
    paths: Sequence[Path | str],
    *,
    jobs: int | None = None,
    strict: bool = False,
    task: Callable[[str], object] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list:
    """Verify every build of ``paths``; one item per path, in input order.

    jobs: worker processes (default: the cores this process may use);
        1, or a single build, runs in this process
    task: the per-build function, ``path -> item`` (module-level, so it
        pickles); default :func:`verify_one` with ``strict``
    progress: called as ``progress(done, total)`` after each chunk
    """
    if task is None:
        task = functools.partial(verify_one, strict=strict)
    items = [str(p) for p in paths]
    total = len(items)
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    jobs = min(jobs, total) if total else 1
    if jobs == 1:
        results = []
        for i, p in enumerate(items, start=1):
            results.append(task(p))
            if progress:
                progress(i, total)
        return results

    # chunks: big enough to amortise inter-process traffic, small enough to
    # balance the load and move the progress indicator
    size = max(1, min(16, total // (jobs * 4)))
    chunks = [items[i:i + size] for i in range(0, total, size)]
    results_by_chunk: dict[int, list | None] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        future2index = {pool.submit(_run_chunk, task, c): i for i, c in enumerate(chunks)}
        pending = set(future2index)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                index = future2index[fut]
                try:
                    results_by_chunk[index] = fut.result()
                except BrokenProcessPool:
                    results_by_chunk[index] = None  # retried below, one by one
                except Exception as e:  # e.g. a result that cannot be pickled
                    results_by_chunk[index] = [
                        _failed(p, f"internal error: {type(e).__name__}: {e}")
                        for p in chunks[index]]
                done += len(chunks[index])
                if progress:
                    progress(done, total)
    ordered: list = []
    for index, chunk in enumerate(chunks):
        chunk_results = results_by_chunk.get(index)
        if chunk_results is None:
            chunk_results = [_isolated(task, p) for p in chunk]
        ordered.extend(chunk_results)
    return ordered


def _isolated(task: Callable[[str], object], path: str):
    """Re-run one build of a chunk whose worker died, in its own process, so
    one build that kills its interpreter (a stack overflow in C code, the
    OOM killer) does not take its neighbours with it."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(task, path).result()
    except BrokenProcessPool:
        return _failed(path, f"{path}: the process verifying this build died "
                       "(killed, or out of memory)")
    except Exception as e:
        return _failed(path, f"internal error: {type(e).__name__}: {e}")
