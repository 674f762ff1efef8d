"""Where the NCS version comes from: both ``nrf/VERSION`` formats, and
``python -m extflash`` inside a west workspace reading it like ``west
extflash`` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, REPO_ROOT
from extflash.ncs import NcsVersion, version_from_file

# zephyr's VERSION format (NCS 2.7.0 zephyr/VERSION, read by zephyr
# cmake/modules/version.cmake), which sdk-nrf's VERSION uses from NCS 3.4
KEYED = "VERSION_MAJOR = 3\nVERSION_MINOR = 4\nPATCHLEVEL = 1\nVERSION_TWEAK = 0\nEXTRAVERSION =\n"


def test_both_version_file_formats(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("2.7.0-rc3\n")  # NCS 2.7.0's nrf/VERSION
    new.write_text(KEYED)
    assert version_from_file(old) == NcsVersion(2, 7, 0)
    assert version_from_file(new) == NcsVersion(3, 4, 1)
    broken = tmp_path / "broken"
    broken.write_text("VERSION_MAJOR = three\n")
    assert version_from_file(broken) is None


def test_python_m_extflash_reads_the_workspace_version(tmp_path):
    ws = tmp_path / "ws"
    (ws / ".west").mkdir(parents=True)
    (ws / "nrf").mkdir()
    (ws / "nrf" / "VERSION").write_text(KEYED)
    app = ws / "app"
    shutil.copytree(FIXTURES / "apps" / "hello", app)
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "extension"))
    env.pop("BOARD", None)
    proc = subprocess.run([sys.executable, "-m", "extflash", "init", "-b", "nrf52840dk/nrf52840",
                           "--dry-run"], cwd=app, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"NCS 3.4.1 (from {ws / 'nrf' / 'VERSION'})" in proc.stdout
