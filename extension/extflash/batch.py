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
  core by default, in chunks, and returns one :class:`BuildResult` per
  build in input order. An error or a crash while verifying one build is
  that build's "could not verify", never the batch's.

Results carry only what a report needs (findings, board, notes), never the
parsed model, so memory stays flat however many builds there are.

This module raises ``extflash.errors`` types and never prints.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from extflash.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, BuildDirError, ExtflashError

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
        except OSError as e:
            raise BuildDirError(f"cannot read directory: {e.strerror or e}", path=root,
                                hint="give an existing folder to --all-under") from e
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


@dataclass
class BuildResult:
    """The outcome of verifying one build, small and picklable.

    path: the build directory as given
    board: the board target the build records, when known
    findings: the findings (``model.Finding``), sorted as the report shows them
    notes: what was (not) found, from the loaders
    error: why it could not be verified (the one-line message), else None
    exit_code: this build's own exit code (0, 1 or 2) before ``--strict``
    """

    path: str
    board: str | None = None
    findings: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    exit_code: int = EXIT_OK
    extra: dict = field(default_factory=dict)

    def count(self, severity_name: str) -> int:
        return sum(1 for f in self.findings if str(f.severity) == severity_name)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    def status(self, strict: bool = False) -> str:
        if self.error is not None:
            return "could not verify"
        if self.errors or (strict and self.warnings):
            return "failed"
        return "ok"

    def code(self, strict: bool = False) -> int:
        if self.error is not None:
            return EXIT_USAGE
        if self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        return EXIT_OK


def verify_one(path: str) -> BuildResult:
    """Verify one build; every failure becomes the result's ``error``."""
    try:
        from extflash.verify import verify_build  # heavy: loaders, checks, dtlib
        from extflash.model import Severity

        outcome = verify_build(Path(path))
        build, findings = _unpack(outcome)
        findings = sorted(findings, key=lambda f: (f.severity, f.image or "", f.code))
        errors = any(f.severity is Severity.ERROR for f in findings)
        return BuildResult(
            path=path,
            board=getattr(build, "board", None),
            findings=findings,
            notes=list(getattr(build, "notes", []) or []),
            exit_code=EXIT_FINDINGS if errors else EXIT_OK,
        )
    except ExtflashError as e:
        return BuildResult(path=path, error=str(e), exit_code=e.exit_code or EXIT_USAGE)
    except RecursionError:
        return BuildResult(path=path, error=f"{path}: input nested too deeply to read",
                           exit_code=EXIT_USAGE)
    except MemoryError:
        return BuildResult(path=path, error=f"{path}: out of memory while reading the build",
                           exit_code=EXIT_USAGE)
    except Exception as e:  # a bug: that build's problem, not the batch's
        return BuildResult(
            path=path,
            error=f"internal error: {type(e).__name__}: {e} (this is a bug in west extflash; "
            f"re-run verify -d {path} -vv for a traceback and report it)",
            exit_code=EXIT_USAGE,
        )


def _unpack(outcome):
    """``verify_build`` may return a report object or ``(build, findings)``."""
    if isinstance(outcome, tuple):
        return outcome[0], list(outcome[1])
    build = getattr(outcome, "build", outcome)
    return build, list(getattr(outcome, "findings", []))


def _run_chunk(task: Callable[[str], BuildResult], paths: Sequence[str]) -> list[BuildResult]:
    return [task(p) for p in paths]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def verify_many(
    paths: Sequence[Path | str],
    *,
    jobs: int | None = None,
    task: Callable[[str], BuildResult] = verify_one,
    progress: Callable[[int, int], None] | None = None,
) -> list[BuildResult]:
    """Verify every build of ``paths``; results in input order.

    jobs: worker processes (default: the cores this process may use);
        1, or a single build, runs in this process
    task: the per-build function (a module-level function, so it pickles)
    progress: called as ``progress(done, total)`` after each chunk
    """
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
    results_by_chunk: dict[int, list[BuildResult]] = {}
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
                        BuildResult(path=p, error=f"internal error: {type(e).__name__}: {e}",
                                    exit_code=EXIT_USAGE) for p in chunks[index]]
                done += len(chunks[index])
                if progress:
                    progress(done, total)
    ordered: list[BuildResult] = []
    for index, chunk in enumerate(chunks):
        chunk_results = results_by_chunk.get(index)
        if chunk_results is None:
            chunk_results = [_isolated(task, p) for p in chunk]
        ordered.extend(chunk_results)
    return ordered


def _isolated(task: Callable[[str], BuildResult], path: str) -> BuildResult:
    """Re-run one build of a chunk whose worker died, in its own process, so
    one build that kills its interpreter (stack overflow in a C extension,
    the OOM killer) does not take its neighbours with it."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(task, path).result()
    except BrokenProcessPool:
        return BuildResult(path=path, error=f"{path}: the worker verifying this build died "
                           "(killed, or out of memory)", exit_code=EXIT_USAGE)
    except Exception as e:
        return BuildResult(path=path, error=f"internal error: {type(e).__name__}: {e}",
                           exit_code=EXIT_USAGE)
