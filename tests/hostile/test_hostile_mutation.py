"""Property test (issue 12): random byte mutations of every artefact of a
REAL build (Botz-Limited sensing_system, nRF5340 with network core, NCS
2.9; read from ../shared/corpus at test time and copied to tmp_path, never
into the repository) never hang, never exhaust memory, never reach an
internal error, never print a traceback and never print the content of a
file outside the build.

Caps: each example runs under a 20 s SIGALRM timeout, and the whole test
under an address-space limit (RLIMIT_AS) of what the test process already
uses plus 1 GiB; a MemoryError would surface as an internal error and fail
the property. ``EXTFLASH_FUZZ_EXAMPLES`` raises the number of examples
(default 40).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO_ROOT, run_cli

REAL_BUILD = (REPO_ROOT.parent / "shared" / "corpus" / "real-builds"
              / "Botz-Limited__sensing_system-Zephyr__build")
SECRET = "AKIA-EXTFLASH-MUTATION-CANARY-51c2"
EXAMPLES = int(os.environ.get("EXTFLASH_FUZZ_EXAMPLES", "40"))
EXAMPLE_SECONDS = 20


def _artefacts() -> list[str]:
    if not REAL_BUILD.is_dir():
        return []
    return sorted(p.relative_to(REAL_BUILD).as_posix() for p in REAL_BUILD.rglob("*")
                  if p.is_file())


ARTEFACTS = _artefacts()


@pytest.fixture(scope="module")
def real_build(tmp_path_factory) -> tuple[Path, Path]:
    if not ARTEFACTS:
        if os.environ.get("CI"):
            pytest.fail(f"{REAL_BUILD} is missing: CI needs ../shared/corpus")
        pytest.skip("../shared/corpus is not beside the repository")
    base = tmp_path_factory.mktemp("mutation")
    build = base / "build"
    shutil.copytree(REAL_BUILD, build)
    for dirpath, _dirs, files in os.walk(build):  # the corpus is read-only
        os.chmod(dirpath, 0o755)
        for f in files:
            os.chmod(Path(dirpath) / f, 0o644)
    canary = base / "outside" / "credentials"
    canary.parent.mkdir()
    canary.write_text(f"{SECRET}\nCONFIG_SECRET={SECRET}\n{SECRET}: 1\n")
    return build, canary


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def _capped(seconds: int):
    def expire(_signum, _frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def memory_cap():
    """Address space: what this process maps now plus 1 GiB."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) for line in f if line.startswith("VmSize:")) << 10
    cap = vm + (1 << 30)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    yield cap
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mutate(data: bytes, kind: str, pos: float, size: int, blob: bytes) -> bytes:
    i = int(pos * len(data))
    if kind == "flip":
        b = bytearray(data)
        for k, byte in enumerate(blob or b"\xff"):
            if i + k < len(b):
                b[i + k] ^= byte or 0x01
        return bytes(b)
    if kind == "insert":
        return data[:i] + blob + data[i:]
    if kind == "delete":
        return data[:i] + data[i + size:]
    if kind == "truncate":
        return data[:i]
    if kind == "duplicate":
        return data[:i] + data[i:i + size] * 50 + data[i:]
    if kind == "empty":
        return b""
    raise AssertionError(kind)


MUTATION = st.tuples(
    st.sampled_from(ARTEFACTS or ["none"]),
    st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "empty",
                     "link-outside"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=4096),
    st.binary(min_size=0, max_size=64),
)


@pytest.mark.timeout(max(300, EXAMPLES * EXAMPLE_SECONDS))
@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_real_build_is_answered(real_build, memory_cap, mutations):
    build, canary = real_build
    saved: dict[Path, bytes] = {}
    try:
        for rel, kind, pos, size, blob in mutations:
            path = build / rel
            if path not in saved:
                saved[path] = (REAL_BUILD / rel).read_bytes()
            if path.is_symlink():
                path.unlink()
                path.write_bytes(saved[path])
            if kind == "link-outside":
                path.unlink()
                path.symlink_to(canary)
            else:
                path.write_bytes(_mutate(path.read_bytes(), kind, pos, size, blob))
        try:
            with _capped(EXAMPLE_SECONDS):
                code, out, err = run_cli(["verify", "--strict", "-d", str(build)])
        except _Timeout:
            pytest.fail(f"verify took more than {EXAMPLE_SECONDS} s: {mutations!r}")
        assert code in (0, 1, 2), (code, out, err)
        assert "Traceback" not in out + err
        assert "internal error" not in out + err, err
        assert SECRET not in out + err, (mutations, out, err)
        if code == 2 and "FATAL ERROR" in err:
            assert len([line for line in err.splitlines() if line.strip()]) == 1, err
    finally:
        for path, data in saved.items():
            if path.is_symlink() or path.exists():
                path.unlink()
            path.write_bytes(data)


def test_the_unmutated_real_build_verifies(real_build):
    """The base of the property: the real build itself is clean (its
    reasoning is in tests/test_corpus.py)."""
    build, _ = real_build
    code, out, err = run_cli(["verify", "--strict", "-d", str(build)])
    assert code == 0, out + err
