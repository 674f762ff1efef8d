"""`init` never loses a user's data (issue #4, "Never lose a user's data").

- property tests (hypothesis): for arbitrary existing Kconfig fragments and
  overlays, every line the user had is still there afterwards, in order, or
  the run refused (exit 1/2) and no byte changed; a second run changes no
  byte;
- crash tests: a write interrupted at any point (the k-th os.replace,
  fsync, chmod, or a write that fails half-way, for every k; a SIGKILL of a
  real process at random moments) leaves each file fully old or fully new;
  an interrupted run leaves no temporary file behind;
- concurrency: two real `init` processes started together on one
  application, repeated, never corrupt a file, and no run that reported
  success has its lines lost by the other.
"""

from __future__ import annotations

import codecs
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO_ROOT, run_cli

HELLO = FIXTURES / "apps" / "hello"
BOARD = ["-b", "nrf52840dk/nrf52840", "--layout", "sysbuild", "--ncs-version", "2.9.0"]
KCONFIG_FILES = ("prj.conf", "sysbuild.conf", "sysbuild/mcuboot.conf")
OVERLAY_FILES = ("boards/nrf52840dk_nrf52840.overlay", "sysbuild/mcuboot.overlay")
TMP_SUFFIX = ".extflash-tmp"


def snapshot(app: Path) -> dict[str, bytes]:
    return {p.relative_to(app).as_posix(): p.read_bytes()
            for p in sorted(app.rglob("*")) if p.is_file()}


def user_lines(data: bytes) -> list[str]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data.decode("utf-8").splitlines()


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == h for h in it) for line in needle)


def new_app(base: Path, files: dict[str, bytes] | None = None) -> Path:
    app = base / "app"
    shutil.copytree(HELLO, app)
    for rel, data in (files or {}).items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_bytes(data)
    return app


# ------------------------------------------------------------- strategies

SYMBOLS = ("CONFIG_FLASH", "CONFIG_NORDIC_QSPI_NOR",
           "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
           "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE", "CONFIG_BOOT_MAX_IMG_SECTORS",
           "CONFIG_SPI_NOR", "CONFIG_PRINTK", "CONFIG_MCUMGR", "SB_CONFIG_BOOTLOADER_MCUBOOT",
           "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY", "SB_CONFIG_BOOTLOADER_NONE",
           "CONFIG_BOOT_SWAP_USING_MOVE", "CONFIG_BOOT_UPGRADE_ONLY", "CONFIG_MY_OWN_THING")
VALUES = ("y", "n", "4096", "65536", "16", "244", "512", "0x1000", '"text"', '"a \\" b"', "")

kconfig_line = st.one_of(
    st.builds(lambda s, v, sp: f"{s}{sp}={sp}{v}" if sp else f"{s}={v}",
              st.sampled_from(SYMBOLS), st.sampled_from(VALUES), st.sampled_from(["", " "])),
    st.builds(lambda s: f"# {s} is not set", st.sampled_from(SYMBOLS)),
    st.sampled_from(["", "#", "# a comment", "   ", "\t# indented comment",
                     "this is not kconfig", "CONFIG_=y", "=y", "CONFIG_X", "é ünïcode",
                     "# Written by `west extflash init` (a user copy)"]),
)

overlay_line = st.sampled_from([
    "", "/* a comment */", "// line comment", "/ {", "};", "\tchosen {", "\t};",
    "\t\tnordic,pm-ext-flash = &mx25r64;", "\t\tnordic,pm-ext-flash = &other_flash;",
    "\t\tzephyr,code-partition = &boot_partition;", "&mx25r64 {", '\tstatus = "disabled";',
    '\tstatus = "okay";', "&qspi {", "#include <mem.h>", '#include "common.dtsi"',
    "/* unterminated comment start", "*/", "&uart0 { current-speed = <115200>; };",
    '\tlabel = "a;b{c}";',
])


@st.composite
def text_file(draw, line_strategy):
    lines = draw(st.lists(line_strategy, max_size=14))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if lines and draw(st.booleans()):
        text += newline  # with or without the final newline
    data = text.encode("utf-8")
    if draw(st.integers(0, 5)) == 0:
        data = codecs.BOM_UTF8 + data
    return data


@st.composite
def app_files(draw):
    files = {"prj.conf": draw(text_file(kconfig_line))}
    for rel in KCONFIG_FILES[1:]:
        if draw(st.booleans()):
            files[rel] = draw(text_file(kconfig_line))
    for rel in OVERLAY_FILES:
        if draw(st.booleans()):
            files[rel] = draw(text_file(overlay_line))
    return files


SAFETY = settings(max_examples=300, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# every generation's layout, and the nRF5340 with its network core
TARGETS = [
    BOARD,
    ["-b", "nrf52840dk/nrf52840", "--layout", "child-image", "--ncs-version", "2.6.0"],
    ["-b", "nrf52840dk/nrf52840", "--layout", "dts", "--ncs-version", "3.4.0"],
    ["-b", "nrf5340dk/nrf5340/cpuapp", "--netcore", "--layout", "sysbuild",
     "--ncs-version", "2.9.0"],
]


def check_run_keeps_user_data(files: dict[str, bytes], extra: list[str],
                              target: list[str] = BOARD) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = new_app(Path(tmp), files)
        before = snapshot(app)
        code, out, err = run_cli(["init", *target, *extra, str(app)])
        after = snapshot(app)
        assert "Traceback" not in out + err
        assert "internal error" not in err, err
        if code != 0:
            assert code in (1, 2), (code, out, err)
            assert after == before, "a refused run changed bytes"
            if code == 1:
                assert "conflict" in out + err
            return
        for rel, data in before.items():
            if rel in after and "--force" not in extra:
                assert is_subsequence(user_lines(data), user_lines(after[rel])), rel
            assert rel in after, f"{rel} disappeared"
            if data.startswith(codecs.BOM_UTF8):
                assert after[rel].startswith(codecs.BOM_UTF8), f"{rel} lost its BOM"
        # a second run changes no byte and says so
        code2, out2, err2 = run_cli(["init", *target, str(app)])
        assert code2 == 0, (out2, err2)
        assert snapshot(app) == after
        assert not [p for p in after if p.endswith(TMP_SUFFIX)]


@SAFETY
@given(app_files(), st.sampled_from(range(len(TARGETS))))
def test_init_keeps_every_user_line_or_changes_nothing(files, target):
    check_run_keeps_user_data(files, [], TARGETS[target])


@SAFETY
@given(app_files())
def test_init_force_changes_only_conflicting_lines(files):
    """--force may replace a conflicting line, never drop or reorder others:
    the number of user lines is the same, and every line that is not an
    assignment or chosen/status line is kept in order."""
    with tempfile.TemporaryDirectory() as tmp:
        app = new_app(Path(tmp), files)
        before = snapshot(app)
        code, out, err = run_cli(["init", *BOARD, "--force", str(app)])
        assert code in (0, 2), (code, out, err)
        after = snapshot(app)
        if code == 2:
            assert after == before
            return
        for rel, data in before.items():
            old = user_lines(data)
            new = user_lines(after[rel])
            untouchable = [line for line in old
                           if "=" not in line and "is not set" not in line]
            assert is_subsequence(untouchable, new), rel
            assert len(new) >= len(old)


# ------------------------------------------------------------------ crashes


def expected_result(tmp: Path) -> dict[str, bytes]:
    ref = new_app(tmp / "reference")
    assert run_cli(["init", *BOARD, str(ref)])[0] == 0
    return snapshot(ref)


def assert_each_file_old_or_new(app: Path, before, after_ok) -> None:
    now = snapshot(app)
    assert not [p for p in now if p.endswith(TMP_SUFFIX)], "temporary file left behind"
    for rel in set(before) | set(after_ok) | set(now):
        state = now.get(rel)
        assert state in (before.get(rel), after_ok.get(rel)), f"{rel} is neither old nor new"


class Countdown:
    """Calls the real function, but raises at the k-th call."""

    def __init__(self, real, k: int, exc: BaseException):
        self.real, self.k, self.exc, self.calls = real, k, exc, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.k:
            raise self.exc
        return self.real(*args, **kwargs)


def count_calls(monkeypatch, tmp: Path, name: str) -> int:
    counter = Countdown(getattr(os, name), 0, OSError())
    app = new_app(tmp / "count")
    with monkeypatch.context() as m:
        m.setattr(os, name, counter)
        assert run_cli(["init", *BOARD, str(app)])[0] == 0
    return counter.calls


@pytest.mark.parametrize("name", ["replace", "fsync", "chmod"])
@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"),
                                 OSError(errno.EIO, "Input/output error"),
                                 KeyboardInterrupt()], ids=["ENOSPC", "EIO", "interrupt"])
def test_interrupted_at_every_call_leaves_files_old_or_new(tmp_path, monkeypatch, name, exc):
    after_ok = expected_result(tmp_path)
    calls = count_calls(monkeypatch, tmp_path, name)
    assert calls >= 5  # one per file written
    for k in range(1, calls + 1):
        app = new_app(tmp_path / f"k{k}")
        before = snapshot(app)
        with monkeypatch.context() as m:
            m.setattr(os, name, Countdown(getattr(os, name), k, exc))
            code, out, err = run_cli(["init", *BOARD, str(app)])
        if code == 0:
            # the failed call did not matter (the directory fsync after a
            # completed rename is best effort): then everything is new
            assert name == "fsync" and snapshot(app) == after_ok, (k, err)
            continue
        assert code in (2, 130), (k, code, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("FATAL ERROR: "), err
        assert "Traceback" not in err and "internal error" not in err, err
        assert_each_file_old_or_new(app, before, after_ok)
        # and a new run completes the job
        assert run_cli(["init", *BOARD, str(app)])[0] == 0
        assert snapshot(app) == after_ok


class HalfWriter:
    """A file object that writes half of the data, then fails (disk full)."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        self._f.write(data[: len(data) // 2])
        self._f.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()
        return False


def test_a_write_failing_half_way_leaves_files_old_or_new(tmp_path, monkeypatch):
    after_ok = expected_result(tmp_path)
    for k in range(1, 6):
        app = new_app(tmp_path / f"k{k}")
        before = snapshot(app)
        real_fdopen, calls = os.fdopen, [0]

        def fdopen(fd, *args, _k=k, _real=real_fdopen, _calls=calls, **kwargs):
            f = _real(fd, *args, **kwargs)
            _calls[0] += 1
            return HalfWriter(f) if _calls[0] == _k else f

        with monkeypatch.context() as m:
            m.setattr(os, "fdopen", fdopen)
            code, out, err = run_cli(["init", *BOARD, str(app)])
        assert code == 2, (code, err)
        assert "No space left" in err and len(err.strip().splitlines()) == 1
        assert_each_file_old_or_new(app, before, after_ok)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "extflash", *args]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT / "extension")
    env.pop("BOARD", None)
    return env


KILL_AT_FIRST_RENAME = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
from extflash.command.standalone import main
main(sys.argv[2:])
"""


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    """A real process SIGKILLed after writing every temporary file and before
    the first rename leaves them (it cannot clean up); its journal (outside
    the application) names them and the next run removes exactly those.
    User files that merely look like temporaries are never touched (issue
    12: the old name pattern alone deleted them)."""
    after_ok = expected_result(tmp_path)
    app = new_app(tmp_path / "app")
    (app / "sysbuild").mkdir()
    mine = {
        "sysbuild/.mcuboot.conf.k3j_x9.extflash-tmp": b"CONFIG_HALF",
        ".prj.conf.abc.extflash-tmp": b"",
        ".prj.conf.0123456789abcdef0123456789abcdef.extflash-tmp": b"a user's file",
        ".mine.extflash-tmp": b"not ours: other name pattern",
    }
    for rel, data in mine.items():
        (app / rel).write_bytes(data)
    before = snapshot(app)
    env = {**_env(), "XDG_STATE_HOME": str(tmp_path / "state")}
    killed = subprocess.run([sys.executable, "-c", KILL_AT_FIRST_RENAME,
                             str(REPO_ROOT / "extension"), "init", *BOARD, str(app)],
                            env=env, capture_output=True, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    left = {k: v for k, v in snapshot(app).items() if k not in before}
    assert left and all(k.endswith(".extflash-tmp") for k in left)  # the killed run's
    assert {k: v for k, v in snapshot(app).items() if k in before} == before
    code = subprocess.run(_cli("init", *BOARD, str(app)), env=env, capture_output=True,
                          timeout=60).returncode
    assert code == 0
    assert snapshot(app) == {**after_ok, **mine}


@pytest.mark.timeout(180)
def test_sigkill_at_random_moments_leaves_files_old_or_new(tmp_path):
    """A real process killed at any moment: no file is ever partial. A
    SIGKILL leaves no chance to remove a temporary file; the next run
    removes it (under the application's lock)."""
    after_ok = expected_result(tmp_path)
    rng = random.Random(4)
    # how long a whole run takes here, to spread the kills over it
    app = new_app(tmp_path / "timing")
    t0 = time.perf_counter()
    subprocess.run(_cli("init", *BOARD, str(app)), env=_env(), check=True, capture_output=True)
    duration = time.perf_counter() - t0
    for i in range(12):
        app = new_app(tmp_path / f"kill{i}")
        before = snapshot(app)
        proc = subprocess.Popen(_cli("init", *BOARD, str(app)), env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(app)
        for rel in set(before) | set(after_ok) | set(now):
            if rel.endswith(TMP_SUFFIX):
                continue
            assert now.get(rel) in (before.get(rel), after_ok.get(rel)), (i, rel)
        subprocess.run(_cli("init", *BOARD, str(app)), env=_env(), check=True,
                       capture_output=True)
        assert snapshot(app) == after_ok  # and no temporary file is left


# -------------------------------------------------------------- concurrency


def _start_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for c in commands]
    results = []
    for p, c in zip(procs, commands, strict=False):
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(c, p.returncode, out, err))
    return results


@pytest.mark.timeout(300)
def test_two_identical_runs_at_once_do_not_corrupt(tmp_path):
    after_ok = expected_result(tmp_path)
    for i in range(6):
        app = new_app(tmp_path / f"same{i}")
        results = _start_together([_cli("init", *BOARD, str(app))] * 2)
        for r in results:
            assert r.returncode == 0, r.stderr
            assert "Traceback" not in r.stderr
        assert snapshot(app) == after_ok


@pytest.mark.timeout(300)
def test_two_different_runs_at_once_lose_nothing(tmp_path):
    """Two runs that want different lines in the same prj.conf: whatever
    order they run in, a run that exits 0 has all its lines in the final
    files (no lost update), and the user's lines are always there."""
    spi = ["-b", "nrf9160dk@0.14.0/nrf9160/ns", "--layout", "sysbuild", "--ncs-version", "2.9.0"]
    references = {}
    for name, board in (("qspi", BOARD), ("spi", spi)):
        ref = new_app(tmp_path / f"ref-{name}")
        assert run_cli(["init", *board, str(ref)])[0] == 0
        references[name] = snapshot(ref)
    user = user_lines((HELLO / "prj.conf").read_bytes())
    for i in range(6):
        app = new_app(tmp_path / f"mixed{i}")
        results = _start_together([_cli("init", *BOARD, str(app)), _cli("init", *spi, str(app))])
        final = snapshot(app)
        assert is_subsequence(user, user_lines(final["prj.conf"]))
        for r, name in zip(results, ("qspi", "spi"), strict=False):
            assert r.returncode in (0, 1), r.stderr
            assert "Traceback" not in r.stderr
            if r.returncode == 0:
                for rel, data in references[name].items():
                    wanted = [x.strip() for x in user_lines(data)
                              if "=" in x and not x.lstrip().startswith(("#", "*", "/*"))]
                    have = {x.strip() for x in user_lines(final.get(rel, b""))}
                    lost = [x for x in wanted if x not in have]
                    assert not lost, (i, name, rel, lost)
