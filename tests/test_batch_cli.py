"""`verify` over many builds from the command line: --all-under, repeated
-d, -j; the summary table, one JSON document, the exit code of the worst
build, and the progress indicator (terminal only)."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, run_cli


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, list[Path]]:
    """A twister-like tree: every clean fixture twice, one broken build,
    one build that cannot be verified, and clutter twister leaves around."""
    from fixturegen import generate_many

    root = tmp_path_factory.mktemp("batch") / "twister-out"
    builds = generate_many(root, 8)
    bad = root / "nrf52840dk-sysbuild" / "broken"
    shutil.copytree(builds[1], bad)
    text = (bad / "mcuboot" / "zephyr" / ".config").read_text()
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=256" in text
    (bad / "mcuboot" / "zephyr" / ".config").write_text(
        text.replace("CONFIG_BOOT_MAX_IMG_SECTORS=256", "CONFIG_BOOT_MAX_IMG_SECTORS=16"))
    unreadable = root / "nrf52840dk-sysbuild" / "unreadable"
    shutil.copytree(builds[1], unreadable)
    (unreadable / "partitions.yml").write_text("a: &a [*a]\n")
    (root / "twister.json").write_text("{}")
    (root / "nrf52840dk-sysbuild" / "handler.log").write_text("")
    return root, builds + [bad, unreadable]


def test_all_under_text_table_and_worst_exit_code(tree):
    root, builds = tree
    code, out, err = run_cli(["verify", "--all-under", str(root), "-j", "2"])
    assert code == 2, err
    assert err == ""  # no progress when stderr is not a terminal
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["build", "board"])
    assert lines[header].split() == ["build", "board", "errors", "warnings", "status"]
    table = "\n".join(lines[header:])
    for b in builds:
        assert f"{b.parent.name}/{b.name}" in table
    assert "could not verify" in table and "failed" in table and " ok" in table
    assert "partitions.yml" in table  # the reason, under its row
    assert lines[-1].startswith("summary: 10 builds (") and lines[-1].endswith("(exit 2)")
    # details only for the build with findings (the unverifiable one is a table row)
    details = [line for line in lines[:header] if line.startswith("build ")]
    assert len(details) == 1 and details[0].split()[1].endswith("broken")


def test_all_under_json_is_one_document_in_input_order(tree):
    root, builds = tree
    code, out, err = run_cli(["verify", "--all-under", str(root), "--format", "json"])
    doc = json.loads(out)
    assert code == doc["exit_code"] == 2
    assert doc["summary"]["builds"] == len(builds)
    paths = [b["path"] for b in doc["builds"]]
    assert paths == sorted(paths)  # discovery order: sorted walk
    assert set(paths) == {str(b) for b in builds}
    broken = [f for f in doc["findings"] if f["build"].endswith("broken")]
    assert [f["name"] for f in broken if f["severity"] == "error"] == ["max-img-sectors"]
    assert [b["exit_code"] for b in doc["builds"] if b["path"].endswith("broken")] == [1]


def test_json_matches_the_report_schema(tree):
    import yaml
    from pykwalify.core import Core

    root, _ = tree
    code, out, err = run_cli(["verify", "--all-under", str(root), "--format", "json"])
    schema = yaml.safe_load((REPO_ROOT / "schemas" / "report-schema.yml").read_text())
    Core(source_data=json.loads(out), schema_data=schema).validate(raise_exception=True)


def test_repeated_d_and_all_under_together_each_build_once(tree):
    root, builds = tree
    argv = ["verify", "-d", str(builds[0]), "-d", str(builds[1]), "--all-under", str(root),
            "--format", "json", "-j", "1"]
    code, out, err = run_cli(argv)
    doc = json.loads(out)
    paths = [b["path"] for b in doc["builds"]]
    assert paths[:2] == [str(builds[0]), str(builds[1])]
    assert len(paths) == len(set(paths)) == len(builds)


def test_clean_builds_only_exit_0_and_strict(tree):
    root, builds = tree
    clean = root / "nrf54l15dk-spi-nor"
    code, out, err = run_cli(["verify", "--all-under", str(clean), "--all-under",
                              str(root / "nrf9160dk-spi-nor")])
    assert code == 0, out + err
    assert out.splitlines()[-1].startswith("summary: 2 builds (2 ok)")


def test_parallel_and_serial_give_the_same_document(tree):
    root, _ = tree
    one = run_cli(["verify", "--all-under", str(root), "--format", "json", "-j", "1"])
    two = run_cli(["verify", "--all-under", str(root), "--format", "json", "-j", "2"])
    assert one == two


@pytest.mark.parametrize("argv,words", [
    (["-j", "0"], ["-j 0", "at least 1"]),
    (["--static", "x.yml"], ["--static", "--all-under"]),
])
def test_usage_errors(tree, argv, words):
    root, _ = tree
    code, out, err = run_cli(["verify", "--all-under", str(root), *argv])
    assert code == 2
    assert err.startswith("FATAL ERROR: ") and len(err.strip().splitlines()) == 1
    assert all(w in err for w in words)


@pytest.mark.parametrize("kind", ["missing", "empty", "file"])
def test_all_under_bad_folder_is_one_line(tmp_path, kind):
    target = tmp_path / "out"
    if kind == "empty":
        target.mkdir()
    elif kind == "file":
        target.write_text("x")
    code, out, err = run_cli(["verify", "--all-under", str(target)])
    assert code == 2 and out == ""
    assert err.startswith("FATAL ERROR: ") and str(target) in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.timeout(120)
def test_progress_on_a_terminal_only(tree):
    """stderr on a pseudo-terminal: a rewritten `verifying N/M builds` line,
    cleared at the end; the report itself is unchanged on stdout."""
    root, builds = tree
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "extension"), NO_COLOR="1")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "extflash", "verify", "--all-under",
                             str(root), "--format", "json"], env=env, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    out, _ = proc.communicate(timeout=100)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    progress = b"".join(chunks).decode()
    assert f"verifying {len(builds)}/{len(builds)} builds" in progress
    assert "\r" in progress and progress.endswith("\r\x1b[K")
    assert json.loads(out)["summary"]["builds"] == len(builds)


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_all_under_through_the_real_west(tree, workspaces, west_env):
    from conftest import run_west

    root, builds = tree
    proc = run_west(["extflash", "verify", "--all-under", str(root), "--format", "json"],
                    cwd=workspaces["import"], env=west_env, check=False, timeout=150)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == ""  # piped: no progress, and nothing else
    doc = json.loads(proc.stdout)
    assert doc["summary"]["builds"] == len(builds) and doc["exit_code"] == 2
