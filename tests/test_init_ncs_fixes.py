"""issue 9 item 4: init corrections found by checking against NCS.

Expected values are hand-written from the NCS sources cited next to them,
never produced by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from extflash.ncs import NcsVersion, parse_version_text

HELLO = FIXTURES / "apps" / "hello"

# ------------------------------------------------------------ f. nrf/VERSION

# (file text, version) - the one-line format is what sdk-nrf shipped up to 3.3
# (NCS 2.7.0's nrf/VERSION is `2.7.0-rc3`; share/ncs-package/cmake/NcsConfig.cmake
# reads its first line); the keyed format is Zephyr's VERSION format (zephyr/VERSION
# in the NCS 2.7.0 tree: VERSION_MAJOR = 3 / VERSION_MINOR = 6 / PATCHLEVEL = 99 /
# VERSION_TWEAK = 0 / EXTRAVERSION =), which sdk-nrf adopted for 3.4 with an added
# VERSION_METADATA field (sdk-nrf PR #29478, v3.4-branch, head 5e134939).
VERSION_FILES = [
    ("2.7.0-rc3\n", NcsVersion(2, 7, 0)),
    ("3.2.99\n", NcsVersion(3, 2, 99)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 6\nPATCHLEVEL = 99\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION =\n", NcsVersion(3, 6, 99)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 4\nPATCHLEVEL = 1\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION =\nVERSION_METADATA = lts\n", NcsVersion(3, 4, 1)),
    ("VERSION_MAJOR = 3\nVERSION_MINOR = 5\nPATCHLEVEL = 0\nVERSION_TWEAK = 0\n"
     "EXTRAVERSION = preview3\nVERSION_METADATA =\n", NcsVersion(3, 5, 0)),
]


@pytest.mark.parametrize("text,expected", VERSION_FILES)
def test_nrf_version_file_both_formats(text, expected):
    assert parse_version_text(text) == expected


@pytest.mark.parametrize("text", [
    "VERSION_MAJOR = 3\nVERSION_MINOR = 4\n",            # PATCHLEVEL missing
    "VERSION_MAJOR = 3\nVERSION_MINOR = x\nPATCHLEVEL = 0\n",
    "",
])
def test_undecodable_version_file_is_not_guessed(text):
    assert parse_version_text(text) is None


def test_auto_layout_from_the_keyed_version_file(tmp_path):
    from test_init import _run_with_context, fresh_app

    app = fresh_app(tmp_path)
    (tmp_path / "nrf").mkdir()
    (tmp_path / "nrf" / "VERSION").write_text(VERSION_FILES[3][0])
    code, out, _ = _run_with_context(app, ["init", "-b", "nrf52840dk/nrf52840", "-n"])
    assert code == 0 and "NCS 3.4.1 (from " in out and "layout dts (auto)" in out


# --------------------------------------- g. python -m extflash in a workspace


def _python_m_extflash(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("ZEPHYR_BASE", "BOARD")}
    return subprocess.run([sys.executable, "-m", "extflash", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_python_m_extflash_finds_the_workspace_version(tmp_path):
    """west finds the workspace as the first directory upwards with a `.west`
    directory (west.util.west_topdir, west 1.5.0); `nrf/VERSION` is then read
    as `west extflash` reads it."""
    import shutil

    ws = tmp_path / "ws"
    app = ws / "apps" / "deep" / "app"
    shutil.copytree(HELLO, app)
    (ws / ".west").mkdir()
    (ws / ".west" / "config").write_text("[manifest]\npath = nrf\nfile = west.yml\n")
    (ws / "nrf").mkdir()
    (ws / "nrf" / "VERSION").write_text("2.6.0\n")
    r = _python_m_extflash(app, "init", "-b", "nrf52840dk_nrf52840", "-n")
    assert r.returncode == 0, r.stderr
    assert "NCS 2.6.0 (from " + str(ws / "nrf" / "VERSION") in r.stdout
    assert "layout child-image (auto)" in r.stdout
    # outside any workspace: unknown, sysbuild (the documented default)
    shutil.rmtree(ws / ".west")
    r = _python_m_extflash(app, "init", "-b", "nrf52840dk/nrf52840", "-n")
    assert r.returncode == 0, r.stderr
    assert "NCS version unknown" in r.stdout and "layout sysbuild (auto)" in r.stdout
