"""extflash.forked: a pure function computed in a forked child gives the
same result, error or bug report as computed here, and leaves no child."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extflash import forked
from extflash.errors import ArtefactError

pytestmark = pytest.mark.skipif(not forked.usable(), reason="no fork / one core / threads")


def _pid_and(x):
    return os.getpid(), x * 2


def _artefact_error(path):
    raise ArtefactError("is broken", path=path, hint="rebuild it")


def _bug():
    raise KeyError("oops")


def _sleep():
    import time

    time.sleep(30)


def test_result_is_computed_in_a_child():
    pid, value = forked.Forked(_pid_and, 21).result()
    assert value == 42 and pid != os.getpid()


def test_extflash_error_keeps_message_path_and_hint(tmp_path):
    with pytest.raises(ArtefactError) as e:
        forked.Forked(_artefact_error, tmp_path / "x.yml").result()
    assert e.value.path == tmp_path / "x.yml" and e.value.hint == "rebuild it"
    assert str(e.value) == f"{tmp_path / 'x.yml'}: is broken (rebuild it)"


def test_a_bug_becomes_a_runtime_error_naming_it():
    with pytest.raises(RuntimeError, match="KeyError"):
        forked.Forked(_bug).result()


@pytest.mark.timeout(20)
def test_discard_stops_the_child():
    f = forked.Forked(_sleep)
    pid = f._pid
    f.discard()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_devicetree_in_a_child_equals_here(tmp_path):
    from extflash.loaders.devicetree import load_devicetree
    from fixturegen import FIXTURES, write_build

    build = write_build(tmp_path / "b", FIXTURES["nrf52840dk-sysbuild"]())
    path = Path(build) / "mcuboot" / "zephyr" / "zephyr.dts"
    here = load_devicetree(path, "mcuboot/zephyr/zephyr.dts")
    there = forked.Forked(load_devicetree, path, "mcuboot/zephyr/zephyr.dts").result()
    assert here == there
    assert {p: n.props for p, n in here.path2node.items()} == \
        {p: n.props for p, n in there.path2node.items()}


def test_not_usable_runs_here(monkeypatch):
    monkeypatch.setattr(forked, "usable", lambda: False)
    pid, value = forked.Forked(_pid_and, 1).result()
    assert pid == os.getpid() and value == 2
