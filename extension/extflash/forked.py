"""Run one pure function in a forked child while this process goes on.

``verify`` on a single build spends most of its time parsing two
``zephyr.dts`` files with dtlib (about 20 ms each for NCS-sized files);
parsing MCUboot's in a child while the application's is parsed here makes
one build's wall time shorter on any machine with two cores. The result
(plain, picklable dataclasses) comes back through a pipe.

Used only where it cannot hurt: Linux ``fork``, more than one core, no
other thread in this process, and not inside a worker process of a batch
(those already keep every core busy). Otherwise, or if ``fork`` fails, the
call simply runs here. An ``ExtflashError`` in the child is raised again
here with its message, path and hint; anything else becomes a
``RuntimeError`` naming the original exception (a bug either way).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable

from extflash.errors import ExtflashError


def _call(fn: Callable, args: tuple):
    try:
        return "ok", fn(*args)
    except ExtflashError as e:
        return "error", (type(e), e.message, e.path, e.hint)
    except Exception as e:
        return "bug", f"{type(e).__name__}: {e}"


def usable() -> bool:
    # Linux only: on macOS, fork without exec is unsafe once system
    # frameworks are loaded (CPython's own default there is spawn)
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return False
    if threading.active_count() != 1:
        return False
    import multiprocessing

    return multiprocessing.parent_process() is None


class Forked:
    """``Forked(fn, *args).result()`` is ``fn(*args)``, computed in a child."""

    def __init__(self, fn: Callable, *args):
        self._pid: int | None = None
        self._outcome = None
        if not usable():
            self._outcome = _call(fn, args)
            return
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            self._outcome = _call(fn, args)
            return
        if pid == 0:  # the child: compute, send, leave without cleanup handlers
            status = 0
            try:
                os.close(read_fd)
                try:
                    data = pickle.dumps(_call(fn, args))
                except Exception as e:  # an unpicklable result
                    data = pickle.dumps(("bug", f"{type(e).__name__}: {e}"))
                view = memoryview(data)
                while view:
                    view = view[os.write(write_fd, view):]
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def _collect(self) -> None:
        if self._pid is None:
            return
        chunks = []
        try:
            while True:
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            os.waitpid(self._pid, 0)
            self._pid = None
        try:
            self._outcome = pickle.loads(b"".join(chunks))
        except Exception:
            self._outcome = ("bug", "the child process died before it sent its result")

    def result(self):
        self._collect()
        kind, value = self._outcome
        if kind == "ok":
            return value
        if kind == "error":
            cls, message, path, hint = value
            raise cls(message, path=path, hint=hint)
        raise RuntimeError(value)

    def discard(self) -> None:
        """Stop the child if its result is not wanted (an error elsewhere)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            os.close(self._fd)
            os.waitpid(self._pid, 0)
            self._pid = None
