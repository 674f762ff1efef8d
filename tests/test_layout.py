"""``west extflash layout`` and ``verify --baseline`` (check layout-changed).

Oracles: the real builds' own ``partitions.yml`` (../shared/corpus/real-builds,
copied into tmp_path at test time), read here with plain PyYAML, and the
devicetree fixtures' ``zephyr.dts`` read with dtlib; never the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, FIXTURES, require_corpus, run_cli, run_west

REAL_BUILDS = CORPUS / "real-builds"
# Real Partition Manager builds with MCUboot's secondary slot in external
# flash (SOURCES.md rows 4, 5, 23): child image (NCS 2.6.0), sysbuild with an
# nRF5340 network core (3.0.2), sysbuild on a Seeed XIAO BLE (3.1.1).
EXTERNAL_PM_BUILDS = (
    "aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1",
    "Botz-Limited__sensing_system-Zephyr__build",
    "wischmi2__pouch-node-ws__build",
)
FLASH = ("flash_primary", "external_flash", "ram_flash")


def corpus_build(name: str, tmp_path: Path) -> Path:
    """A copy of a real build (conftest.require_corpus: fails under CI when
    ../shared/corpus is missing, skips otherwise)."""
    src = require_corpus(REAL_BUILDS / name)
    return Path(shutil.copytree(src, tmp_path / name))


def pm_flash_partitions(path: Path) -> dict[str, tuple[str, int, int]]:
    """name -> (region, address, size) straight from a real partitions.yml,
    without the free-space entries PM names after the region / EMPTY_n."""
    data = yaml.safe_load(path.read_text())
    out = {}
    for name, body in data.items():
        region = body.get("region", "flash_primary")
        if region in FLASH and name != region and not name.startswith("EMPTY_"):
            out[name] = (region, body["address"], body["size"])
    return out


def shift(path: Path, partition: str, delta: int) -> None:
    """Edit one value in a copied partitions.yml: the partition's address."""
    text = path.read_text()
    block = re.search(rf"^{partition}:\n((?:  .*\n)+)", text, re.M)
    old = re.search(r"  address: (0x[0-9a-f]+)", block.group(1))
    new_value = hex(int(old.group(1), 16) + delta)
    start = block.start(1) + old.start(1)
    path.write_text(text[:start] + new_value + text[start + len(old.group(1)):])


@pytest.mark.parametrize("name", EXTERNAL_PM_BUILDS)
def test_layout_json_has_every_flash_partition_of_partitions_yml(name, tmp_path):
    build = corpus_build(name, tmp_path)
    code, out, err = run_cli(["layout", "-d", str(build), "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    got = {e["name"]: (e["region"], int(e["address"], 16), int(e["size"], 16))
           for e in doc["domains"]["app"]}
    assert got == pm_flash_partitions(build / "partitions.yml")
    if (build / "partitions_CPUNET.yml").is_file():
        got = {e["name"]: (e["region"], int(e["address"], 16), int(e["size"], 16))
               for e in doc["domains"]["CPUNET"]}
        assert got == pm_flash_partitions(build / "partitions_CPUNET.yml")


def test_layout_text_names_devices_from_the_apps_chosen_nodes(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    code, out, _ = run_cli(["layout", "-d", str(build)])
    assert code == 0
    row = next(line.split() for line in out.splitlines() if line.strip().startswith(
        "mcuboot_secondary "))
    # ble_gatt/zephyr/zephyr.dts: nordic,pm-ext-flash = &p25q16h, the node
    # '/soc/qspi@40029000/p25q16h@0'; partitions.yml: 0x0, size 0x61000
    assert row[:5] == ["mcuboot_secondary", "slot1_partition", "external_flash", "0x0", "0x61000"]
    assert row[-1] == "/soc/qspi@40029000/p25q16h@0"


def test_layout_of_a_devicetree_build_reads_zephyr_dts(tmp_path):
    from devicetree import dtlib

    build = Path(shutil.copytree(FIXTURES / "builds" / "nrf52840dk-dts", tmp_path / "b"))
    code, out, err = run_cli(["layout", "-d", str(build), "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    got = {e["dts_label"]: (int(e["address"], 16), int(e["size"], 16))
           for e in doc["domains"]["app"]}
    app_dts = next(p for p in build.glob("*/zephyr/zephyr.dts") if p.parent.parent.name
                   != "mcuboot")
    dt = dtlib.DT(str(app_dts))
    for label in ("boot_partition", "slot0_partition", "slot1_partition"):
        node = dt.label2node[label]
        offset = node.props["reg"].to_nums()[0]
        size = node.props["reg"].to_nums()[1]
        # internal partitions: through the mapped group's ranges to flash0's base (0)
        assert got[label] == (offset, size)


def test_verify_baseline_same_build_reports_no_layout_change(tmp_path):
    build = corpus_build("Botz-Limited__sensing_system-Zephyr__build", tmp_path)
    saved = tmp_path / "layout.json"
    assert run_cli(["layout", "-d", str(build), "--format", "json", "-o", str(saved)])[0] == 0
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(saved),
                            "--format", "json"])
    assert "layout-changed" not in out
    code2, out2, _ = run_cli(["verify", "-d", str(build), "--baseline", str(build),
                              "--format", "json"])
    assert "layout-changed" not in out2 and code2 == code


@pytest.mark.parametrize("partition,sector", [("mcuboot_secondary", 0x1000),
                                              ("mcuboot_secondary_1", 0x1000)])
def test_one_sector_shift_of_an_update_slot_is_an_error(partition, sector, tmp_path):
    build = corpus_build("Botz-Limited__sensing_system-Zephyr__build", tmp_path)
    saved = tmp_path / "layout.json"
    run_cli(["layout", "-d", str(build), "--format", "json", "-o", str(saved)])
    shift(build / "partitions.yml", partition, sector)  # 4 KiB: one mx25r64 sector
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(saved),
                            "--format", "json"])
    findings = [f for f in json.loads(out)["findings"]
                if f["name"] == "layout-changed"]
    assert code == 1
    assert [(f["severity"], f["code"]) for f in findings] == [("error", "EXF120")]
    assert "moved from" in findings[0]["message"] and "+0x1000" in findings[0]["message"]


def test_shift_of_a_data_partition_is_a_warning(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    saved = tmp_path / "layout.json"
    run_cli(["layout", "-d", str(build), "--format", "json", "-o", str(saved)])
    shift(build / "partitions.yml", "littlefs_storage", 0x1000)
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(saved),
                            "--format", "json"])
    findings = [f for f in json.loads(out)["findings"]
                if f["name"] == "layout-changed"]
    assert [f["severity"] for f in findings] == ["warning"]
    assert "littlefs_storage" in findings[0]["message"]


def test_bad_baseline_is_one_line_exit_2(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "extflash-layout", "version": 1, "domains": '
                   '{"app": [{"name": "x", "region": "flash_primary", "address": "12"}]}}')
    code, out, err = run_cli(["verify", "-d", str(build), "--baseline", str(bad)])
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and "bad.json" in err and "layout" in err
    code, _, err = run_cli(["verify", "-d", str(build), "--baseline", str(tmp_path / "no.json")])
    assert code == 2 and "no such file" in err


def test_layout_without_partitions_is_exit_2(tmp_path):
    code, _, err = run_cli(["layout", "-d", str(tmp_path)])
    assert code == 2 and "CMakeCache.txt" in err


@pytest.mark.e2e
def test_west_layout_and_baseline(workspaces, west_env, tmp_path):
    build = corpus_build("aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1", tmp_path)
    ws = workspaces["project"]
    saved = tmp_path / "v1.json"
    run_west(["extflash", "layout", "-d", str(build), "--format", "json", "-o", str(saved)],
             cwd=ws, env=west_env)
    proc = run_west(["extflash", "verify", "-d", str(build), "--baseline", str(saved)],
                    cwd=ws, env=west_env, check=False)
    assert "EXF120" not in proc.stdout
    text = (build / "partitions.yml").read_text()
    # one sector (4 KiB) off mcuboot_secondary's size in the copy
    text = re.sub(r"(mcuboot_secondary:\n(?:  .*\n)*?  size: )0xf0000", r"\g<1>0xef000", text)
    (build / "partitions.yml").write_text(text)
    proc = run_west(["extflash", "verify", "-d", str(build), "--baseline", str(saved)],
                    cwd=ws, env=west_env, check=False)
    assert proc.returncode == 1
    assert "EXF120 error: slot1_partition (mcuboot_secondary) shrank from 0xf0000 (960 KiB) " \
        "to 0xef000 (956 KiB)" in proc.stdout
