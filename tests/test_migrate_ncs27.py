"""``migrate`` checked against real NCS 2.7.0 (tests/fixtures/ncs27-migrate,
PROVENANCE.yml): NCS's own external-flash test application built with
Partition Manager, migrated with ``--ncs-version 2.7.0``, and built again by
real NCS 2.7 with SB_CONFIG_PARTITION_MANAGER=n. The oracle is the real
``partitions.yml`` of the first build and the real ``zephyr.dts`` of the
second, read here with PyYAML and dtlib."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from conftest import FIXTURES, run_cli

CASE = FIXTURES / "ncs27-migrate"
# devicetree label -> Partition Manager name (sdk-nrf scripts/pm_to_dts.py
# NAME_EXCHANGE @1b8fe418; slot0 = mcuboot_primary, the pad folded in)
LABEL2PM = {"boot_partition": "mcuboot", "slot0_partition": "mcuboot_primary",
            "slot1_partition": "mcuboot_secondary"}


def _absolute(node) -> int:
    address, parent = node.props["reg"].to_nums()[0], node.parent
    while parent is not None:
        compats = parent.props["compatible"].to_strings() if "compatible" in parent.props else []
        if "soc-nv-flash" in compats:
            return address + parent.props["reg"].to_nums()[0]
        if "nordic,qspi-nor" in compats:
            return address
        parent = parent.parent
    raise AssertionError(node.path)


def test_real_ncs27_build_of_the_migrated_app_has_the_pm_addresses():
    from devicetree import dtlib

    pm = yaml.safe_load((CASE / "pm-build" / "partitions.yml").read_text())
    for image in ("app27", "mcuboot"):
        dt = dtlib.DT(str(CASE / "migrated-build" / image / "zephyr" / "zephyr.dts"))
        for label, name in LABEL2PM.items():
            node = dt.label2node[label]
            assert (_absolute(node), node.props["reg"].to_nums()[1]) == \
                (pm[name]["address"], pm[name]["size"]), (image, label)
    config = (CASE / "migrated-build" / "zephyr" / ".config").read_text()
    assert "# SB_CONFIG_PARTITION_MANAGER is not set" in config
    assert not (CASE / "migrated-build" / "partitions.yml").exists()


def test_verify_baseline_migrated_vs_original_reports_nothing(tmp_path):
    pm = shutil.copytree(CASE / "pm-build", tmp_path / "pm")
    dts = shutil.copytree(CASE / "migrated-build", tmp_path / "dts")
    code, out, err = run_cli(["verify", "-d", str(dts), "--baseline", str(pm),
                              "--format", "json"])
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []
    saved = tmp_path / "v1.json"
    assert run_cli(["layout", "-d", str(pm), "--format", "json", "-o", str(saved)])[0] == 0
    code, out, _ = run_cli(["verify", "-d", str(dts), "--baseline", str(saved),
                            "--format", "json"])
    assert code == 0 and json.loads(out)["findings"] == []


def test_one_sector_shift_in_the_migrated_build_is_layout_changed(tmp_path):
    pm = shutil.copytree(CASE / "pm-build", tmp_path / "pm")
    dts = Path(shutil.copytree(CASE / "migrated-build", tmp_path / "dts"))
    for image in ("app27", "mcuboot"):  # both images: no layout-mismatch, only the move
        path = dts / image / "zephyr" / "zephyr.dts"
        text = path.read_text()
        old = "slot1_partition: partition@0 {\n\t\t\t\t\t\tlabel = \"image-1\";\n" \
              "\t\t\t\t\t\treg = < 0x0 0xf4000 >;"
        assert old in text
        path.write_text(text.replace(old, old.replace("< 0x0 0xf4000 >", "< 0x1000 0xf4000 >")))
    code, out, _ = run_cli(["verify", "-d", str(dts), "--baseline", str(pm), "--format", "json"])
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["name"], f["severity"]) for f in findings] == [("layout-changed", "error")]
    assert "slot1_partition (mcuboot_secondary) moved from 0x0 to 0x1000" in findings[0]["message"]


def test_migrate_of_the_real_pm_build_is_what_ncs27_accepted(tmp_path):
    """Run migrate again on the real Partition Manager build: the memory map
    it writes is the one real NCS 2.7 configured (recorded in migrate.diff)."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.20.0)\n")
    (app / "prj.conf").write_text("")
    pm = shutil.copytree(CASE / "pm-build", tmp_path / "pm")
    code, out, err = run_cli(["migrate", "-d", str(pm), "--ncs-version", "2.7.0", str(app)])
    assert code == 0, err
    diff = (CASE / "migrated-app" / "migrate.diff").read_text()
    section = diff.split("+++ ./boards/nrf52840dk_nrf52840_memory_map.dtsi", 1)[1]
    section = section.split("\ndiff ", 1)[0]
    accepted = [x[1:] for x in section.splitlines()[2:] if x.startswith("+")]
    written = (app / "boards" / "nrf52840dk_nrf52840_memory_map.dtsi").read_text()
    assert written.splitlines() == accepted


def test_nsib_layout_refused_for_ncs27_as_real_ncs27_fails_without_pm(tmp_path):
    """PROVENANCE.yml thingy53-pm-build: real NCS 2.7 cannot configure b0n's
    signing without Partition Manager, so migrate refuses it for 2.7 and
    writes it for 3.4."""
    pm = shutil.copytree(CASE / "thingy53-pm-build", tmp_path / "pm")
    app = tmp_path / "app"
    app.mkdir()
    (app / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.20.0)\n")
    (app / "prj.conf").write_text("")
    code, _, err = run_cli(["migrate", "-d", str(pm), "--ncs-version", "2.7.0", str(app)])
    assert code == 2 and "b0n" in err and "b0_mcuboot_signing.cmake" in err
    assert sorted(p.name for p in app.iterdir()) == ["CMakeLists.txt", "prj.conf"]
    code, out, err = run_cli(["migrate", "-d", str(pm), "--ncs-version", "3.4.0", str(app)])
    assert code == 0, err
    net = (app / "boards" / "thingy53_nrf5340_cpunet_memory_map.dtsi").read_text()
    assert "b0n_partition: partition@0 {" in net and "reg = <0x0 0x8580>;" in net
