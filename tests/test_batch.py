"""extflash.batch: finding every build under a folder and verifying many
builds in parallel (the engine; the command side is tested with B's real
builds in tests/hostile and test_batch_cli)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extflash import batch
from extflash.errors import BuildDirError


def make_build(path: Path, sysbuild: bool = True, images=("app", "mcuboot")) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "CMakeCache.txt").write_text("BOARD:STRING=nrf52840dk/nrf52840\n")
    if sysbuild:
        (path / "domains.yaml").write_text("default: app\n")
        for image in images:
            # image subdirectories are builds of their own: must not be listed
            make_build(path / image, sysbuild=False)
    else:
        (path / "zephyr").mkdir(exist_ok=True)
        (path / "zephyr" / ".config").write_text("CONFIG_BOARD=\"x\"\n")
    return path


def twister_tree(root: Path) -> list[Path]:
    builds = []
    for platform in ("nrf52840dk_nrf52840", "nrf5340dk_nrf5340_cpuapp"):
        for suite in ("samples/smp_svr", "app/ota"):
            for scenario in ("sample.mcumgr.smp_svr.bt", "sample.mcumgr.smp_svr.ext"):
                builds.append(make_build(root / platform / suite / scenario))
    # twister also writes logs and reports next to the builds
    (root / "twister.json").write_text("{}")
    (root / "nrf52840dk_nrf52840" / "build.log").write_text("")
    return sorted(builds)


def test_discover_twister_tree_finds_each_build_once_not_its_images(tmp_path):
    expected = twister_tree(tmp_path / "twister-out")
    assert batch.discover([tmp_path / "twister-out"]) == expected


def test_discover_root_that_is_a_build(tmp_path):
    b = make_build(tmp_path / "build")
    assert batch.discover([b]) == [b]


def test_discover_child_image_build(tmp_path):
    b = make_build(tmp_path / "out" / "x" / "build", sysbuild=False)
    assert batch.discover([tmp_path / "out"]) == [b]


def test_discover_overlapping_roots_lists_each_build_once(tmp_path):
    builds = twister_tree(tmp_path / "t")
    got = batch.discover([tmp_path / "t", tmp_path / "t" / "nrf52840dk_nrf52840"])
    assert got == builds


def test_discover_does_not_follow_symlinks_or_loop(tmp_path):
    builds = twister_tree(tmp_path / "t")
    os.symlink(tmp_path / "t", tmp_path / "t" / "loop")
    os.symlink(tmp_path / "t" / "loop2", tmp_path / "t" / "loop2")  # dangling self-loop
    os.symlink("/", tmp_path / "t" / "root")
    assert batch.discover([tmp_path / "t"]) == builds


def test_discover_is_bounded_in_depth(tmp_path):
    deep = tmp_path / "d"
    p = deep
    for i in range(batch.MAX_DEPTH + 3):
        p = p / f"l{i}"
    make_build(p)
    with pytest.raises(BuildDirError, match="no build directory found"):
        batch.discover([deep])


def test_discover_is_bounded_in_directories(tmp_path):
    for i in range(30):
        (tmp_path / "wide" / f"d{i}").mkdir(parents=True)
    with pytest.raises(BuildDirError, match="more than 10 directories"):
        batch.discover([tmp_path / "wide"], max_dirs=10)


@pytest.mark.parametrize("kind", ["missing", "file", "empty"])
def test_discover_bad_roots_are_errors_naming_the_folder(tmp_path, kind):
    root = tmp_path / "root"
    if kind == "file":
        root.write_text("x")
    elif kind == "empty":
        root.mkdir()
    with pytest.raises(BuildDirError) as e:
        batch.discover([root])
    assert str(root) in str(e.value)


# ---------------------------------------------------------------- verify_many


def fake_task(path: str):
    """A stand-in for verify_one: its behaviour is coded in the path name."""
    from extflash.report import Failed

    name = Path(path).name
    if name.startswith("die"):
        os._exit(7)  # the worker process dies
    if name.startswith("raise"):
        raise RuntimeError("boom")
    if name.startswith("slow"):
        import time

        time.sleep(0.02)  # long enough that both workers get chunks, even under load
    return Failed(path, f"{name} pid {os.getpid()}")


def _pid(item) -> int:
    return int(item.error.rsplit(" ", 1)[1])


def test_verify_many_keeps_input_order_in_parallel(tmp_path):
    paths = [str(tmp_path / f"slow{i:03}") for i in range(57)]
    seen = []
    results = batch.verify_many(paths, jobs=2, task=fake_task,
                                progress=lambda done, total: seen.append((done, total)))
    assert [r.path for r in results] == paths
    assert [r.error.split()[0] for r in results] == [f"slow{i:03}" for i in range(57)]
    assert seen[-1] == (57, 57) and all(t == 57 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    pids = {_pid(r) for r in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_verify_many_one_job_runs_in_process(tmp_path):
    results = batch.verify_many([str(tmp_path / "a"), str(tmp_path / "b")], jobs=1,
                                task=fake_task)
    assert {_pid(r) for r in results} == {os.getpid()}


def test_a_worker_that_dies_fails_only_its_own_build(tmp_path):
    paths = [str(tmp_path / f"b{i}") for i in range(20)]
    paths[7] = str(tmp_path / "die-here")
    results = batch.verify_many(paths, jobs=2, task=fake_task)
    assert [r.path for r in results] == paths
    assert "died" in results[7].error
    assert all(r.error.startswith(f"b{i} pid") for i, r in enumerate(results) if i != 7)


def test_an_exception_in_a_task_fails_its_chunk_not_the_batch(tmp_path):
    paths = [str(tmp_path / f"b{i}") for i in range(12)] + [str(tmp_path / "raise")]
    results = batch.verify_many(paths, jobs=2, task=fake_task)
    assert "RuntimeError: boom" in results[-1].error
    assert results[0].error.startswith("b0 pid")


def test_verify_one_turns_a_bad_build_into_could_not_verify(tmp_path):
    from extflash.report import Failed

    r = batch.verify_one(str(tmp_path / "does-not-exist"))
    assert isinstance(r, Failed)
    assert str(tmp_path / "does-not-exist") in r.error and "no such build directory" in r.error
    assert "Traceback" not in r.error and "\n" not in r.error
