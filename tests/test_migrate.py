"""``west extflash migrate --to dts``: Partition Manager -> devicetree, not a
byte moved.

Oracle: each real build's own ``partitions.yml`` (../shared/corpus/real-builds,
copied into tmp_path at test time) read with plain PyYAML, against the
written ``.dtsi`` compiled with dtlib on top of the build's own application
``zephyr.dts`` (the board's real nodes and labels), absolute addresses
computed here by walking ``reg``/``ranges`` up to the flash device. The name
table below is hand-written from sdk-nrf ``scripts/pm_to_dts.py`` v0.06
(1b8fe418) ``NAME_EXCHANGE``, not imported from the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, FIXTURES, require_corpus, run_cli

REAL_BUILDS = CORPUS / "real-builds"

# devicetree label -> Partition Manager name (pm_to_dts.py NAME_EXCHANGE; slot0
# is mcuboot_primary because pm_to_dts.py folds mcuboot_pad into it)
LABEL2PM = {
    "boot_partition": "mcuboot", "slot0_partition": "mcuboot_primary",
    "slot1_partition": "mcuboot_secondary", "slot3_partition": "mcuboot_secondary_1",
    "storage_partition": "settings_storage", "slot0_s_partition": "tfm_secure",
    "slot0_ns_partition": "tfm_nonsecure", "b0_partition": "b0", "b0n_partition": "b0n",
    "provision_partition": "provision", "s0_partition": "s0_image", "s1_partition": "s1_image",
    "factory_data_partition": "factory_data", "tfm_storage_partition": "tfm_storage",
    "tfm_its_partition": "tfm_its", "tfm_otp_partition": "tfm_otp_nv_counters",
    "tfm_ps_partition": "tfm_ps",
}
# Partition Manager entries without a devicetree node: its bookkeeping
# (pm_to_dts.py IGNORE_LIST and the pad folded into slot0), free space named
# after the region or EMPTY_n.
NO_NODE = {"mcuboot_pad", "app", "mcuboot_primary_app", "tfm", "s0", "s1", "s0_pad", "s1_pad",
           "b0n_container", "b0_container", "mcuboot_secondary_pad", "mcuboot_secondary_app",
           "app_image",
           "external_flash", "ram_flash"}
# Every real PM build with mcuboot_secondary in external flash (SOURCES.md)
# except the two migrate refuses (test_refused_corpus_builds): NCS 2.1-3.1,
# child image and sysbuild, nRF52840, nRF5340 and Thingy:53 with the network
# core, nRF9151 with TF-M and NSIB.
CONVERTED = (
    "aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1",
    "Botz-Limited__sensing_system-Zephyr__build",
    "ElijahMaluleke__Smart_Water_Tap_Leakage_Controller_IoT_Project__build",
    "FinnWBiggs__MCUBoot_ExFat__build_dk",
    "Pierre3474__sdk-hsm-thingy53__samples__imu_udp_thingy53__build",
    "WesC-sys__ML_demo__build",
    # no CMakeCache.txt committed (SOURCES.md row 31): the loader finds the
    # board and images from zephyr/.config
    "ds-dian-song__Zephyr-HOWTOs__smp_svr__build",
    "ese5180__iot-venture-f25-helldivers__l9_e1__build",
    "justanotherkendrik__matter-sensor-example__build",
    "manu897__Project-Carl__build",
    "mitch680l__thingy__build",
    "nofrialhadi__thingy53__03_battery__build",
    "nofrialhadi__thingy53__usb_network_interface__build",
    "olofjohnsson__car-heater__build",
    "shuhao-dong__BORUS__build",
    "soluwadara__nrf_less2_exer1__build",
    "taifur20__nrf_automation__build",
    "wischmi2__pouch-node-ws__build",
)


# The Partition Manager build fixtures of tests/fixtures/builds (PROVENANCE.yml each)
FIXTURE_BUILDS = ("nrf52840dk-child-image", "nrf52840dk-sysbuild", "nrf5340dk-netcore",
                  "nrf54l15dk-spi-nor", "nrf9160dk-spi-nor")


def corpus_build(name: str, tmp_path: Path) -> Path:
    if name in FIXTURE_BUILDS:
        return Path(shutil.copytree(FIXTURES / "builds" / name, tmp_path / "build"))
    src = require_corpus(REAL_BUILDS / name)  # fails under CI when missing
    return Path(shutil.copytree(src, tmp_path / "build"))


def new_app(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    app.mkdir(parents=True)
    (app / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.20.0)\n")
    (app / "prj.conf").write_text("")
    return app


def image_dts(build: Path, netcore: bool = False) -> Path:
    """The application's (or a network-core image's) zephyr.dts of a build."""
    if not netcore and (build / "zephyr" / "zephyr.dts").is_file():
        return build / "zephyr" / "zephyr.dts"  # child image: the app at the top
    if netcore:
        for d in ("ipc_radio", "hci_ipc", "hci_rpmsg", "empty_net_core"):
            if (build / d / "zephyr" / "zephyr.dts").is_file():
                return build / d / "zephyr" / "zephyr.dts"
        raise AssertionError("no network-core image")
    default = yaml.safe_load((build / "domains.yaml").read_text())["default"]
    return build / default / "zephyr" / "zephyr.dts"


def expected(partitions_yml: Path) -> dict[str, tuple[str, int, int]]:
    out = {}
    for name, body in yaml.safe_load(partitions_yml.read_text()).items():
        region = body.get("region", "flash_primary")
        if region in ("flash_primary", "external_flash") and name not in NO_NODE \
                and not name.startswith("EMPTY_"):
            out[name] = (region, body["address"], body["size"])
    return out


def with_include(overlay: Path) -> Path:
    """The written overlay with its one ``#include "...dtsi"`` expanded, as
    the C preprocessor does before dtc sees it."""
    text = overlay.read_text()
    line = next(x for x in text.splitlines() if x.startswith("#include"))
    dtsi = (overlay.parent / line.split('"')[1]).resolve()
    expanded = overlay.parent / (overlay.name + ".expanded")
    expanded.write_text(text.replace(line, dtsi.read_text()))
    return expanded


def read_back(board_dts: Path, overlay: Path) -> dict[str, tuple[str, int, int]]:
    """Compile the written overlay (map included) over the build's own
    devicetree; every partition label -> (region, absolute address, size)."""
    from devicetree import dtlib

    combined = board_dts.parent / "combined.dts"
    extra = with_include(overlay).read_text() if overlay.is_file() else ""
    combined.write_text(board_dts.read_text() + "\n" + extra)
    dt = dtlib.DT(str(combined))
    out = {}
    for label, node in dt.label2node.items():
        if not node.name.startswith("partition@"):
            continue
        offset, size = node.props["reg"].to_nums()
        address, parent = offset, node.parent
        region = None
        while parent is not None:
            compats = parent.props["compatible"].to_strings() if "compatible" in \
                parent.props else []
            if "soc-nv-flash" in compats:
                address += parent.props["reg"].to_nums()[0]
                region = "flash_primary"
                break
            if any(c in ("nordic,qspi-nor", "jedec,spi-nor", "jedec,mspi-nor") for c in compats):
                region = "external_flash"
                break
            ranges = parent.props.get("ranges")
            if ranges is not None and ranges.value:
                child, parent_addr, _ = ranges.to_nums()
                address += parent_addr - child
            parent = parent.parent
        if label == "bl_storage":  # the second label of provision_partition
            continue
        pm = LABEL2PM.get(label, label)  # pm_to_dts.py: NAME_EXCHANGE.get(name, name)
        out[pm] = (region, address, size)
    return out


@pytest.mark.parametrize("name", CONVERTED + FIXTURE_BUILDS)
def test_migrated_map_has_exactly_the_partitions_yml_addresses(name, tmp_path):
    build = corpus_build(name, tmp_path)
    app = new_app(tmp_path)
    code, out, err = run_cli(["migrate", "-d", str(build), str(app), "--ncs-version", "3.4.0"])
    assert code == 0, out + err
    overlays = list((app / "boards").glob("*.overlay"))
    assert len(overlays) == 1
    got = read_back(image_dts(build), overlays[0])
    want = expected(build / "partitions.yml")
    assert {n: got.get(n) for n in want} == want
    # anything else is a partition the devicetree refers to (an fstab entry):
    # it keeps exactly its place in the build's original zephyr.dts
    extra = set(got) - set(want)
    if extra:
        original = read_back(image_dts(build), tmp_path / "empty.dtsi")
        assert {n: got[n] for n in extra} == {n: original[n] for n in extra}
    net_yml = next(build.rglob("partitions_CPUNET.yml"), None)
    if net_yml is not None:
        net_dts = image_dts(build, netcore=True)
        got = read_back(net_dts, app / "sysbuild" / f"{net_dts.parent.parent.name}.overlay")
        want = expected(net_yml)
        # the network core's image partition (ipc_radio, hci_ipc, ...) covers
        # exactly "app"; pm_to_dts.py writes it once, as NCS's s0_partition
        # (labels slot0_partition and s0_partition: one node)
        raw = yaml.safe_load(net_yml.read_text())
        app_bytes = ("flash_primary", raw["app"]["address"], raw["app"]["size"])
        assert got["mcuboot_primary"] == got["s0_image"] == app_bytes
        assert {n: got.get(n) for n in want} == want  # b0n, provision, ipc_radio / hci_ipc


def test_second_run_changes_nothing_and_dry_run_writes_nothing(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    app = new_app(tmp_path)
    code, out, _ = run_cli(["migrate", "-d", str(build), str(app), "--dry-run"])
    assert code == 0 and "+&p25q16h {" in out and "nothing was written" in out
    assert sorted(p.name for p in app.iterdir()) == ["CMakeLists.txt", "prj.conf"]
    assert run_cli(["migrate", "-d", str(build), str(app)])[0] == 0
    before = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
    code, out, _ = run_cli(["migrate", "-d", str(build), str(app)])
    assert code == 0 and "nothing to do" in out
    assert before == {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}


def test_users_partitions_in_the_board_overlay_are_a_conflict(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    app = new_app(tmp_path)
    overlay = app / "boards" / "xiao_ble.overlay"
    overlay.parent.mkdir()
    text = "&p25q16h {\n\tpartitions {\n\t\tlfs: partition@0 { reg = <0 0x1000>; };\n\t};\n};\n"
    overlay.write_text(text)
    (app / "pm_static.yml").write_text("mcuboot:\n  address: 0x0\n  size: 0xe000\n")
    code, out, err = run_cli(["migrate", "-d", str(build), str(app)])
    assert code == 1 and "nothing was written" in err
    assert "boards/xiao_ble.overlay:2: you have `partitions {`" in out
    assert overlay.read_text() == text
    assert sorted(p.name for p in app.iterdir()) == ["CMakeLists.txt", "boards", "pm_static.yml",
                                                     "prj.conf"]


def test_pm_static_stays_and_sysbuild_conf_turns_partition_manager_off(tmp_path):
    build = corpus_build("aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1", tmp_path)
    app = new_app(tmp_path)
    static = "mcuboot:\n  address: 0x0\n  size: 0x10000\n"
    (app / "pm_static.yml").write_text(static)
    code, out, _ = run_cli(["migrate", "-d", str(build), str(app), "--ncs-version", "3.4.0"])
    assert code == 0
    assert (app / "pm_static.yml").read_text() == static and "pm_static.yml is left in place" in out
    assert "SB_CONFIG_PARTITION_MANAGER=n" in (app / "sysbuild.conf").read_text()
    # MCUboot's .config of that build: CONFIG_SPI_NOR=y (mx25r64 on SPI)
    assert "CONFIG_SPI_NOR=y" in (app / "sysbuild/mcuboot.conf").read_text()
    mcuboot = (app / "sysbuild" / "mcuboot.overlay").read_text()
    assert '#include "../boards/nrf52840dk_nrf52840_memory_map.dtsi"' in mcuboot
    assert "zephyr,code-partition = &boot_partition;" in mcuboot
    # NCS 3.5 removes Partition Manager and with it the option: not written there
    app2 = tmp_path / "app2"
    shutil.copytree(new_app(tmp_path / "x"), app2)
    run_cli(["migrate", "-d", str(build), str(app2), "--ncs-version", "3.5.0"])
    assert "PARTITION_MANAGER" not in (app2 / "sysbuild.conf").read_text()


def test_before_ncs_3_4_plain_fixed_partitions_and_tfm_nesting_refused(tmp_path):
    build = corpus_build("wischmi2__pouch-node-ws__build", tmp_path)
    app = new_app(tmp_path)
    assert run_cli(["migrate", "-d", str(build), str(app), "--ncs-version", "2.7.0"])[0] == 0
    dtsi = (app / "boards" / "xiao_ble_memory_map.dtsi").read_text()
    assert "zephyr,mapped-partition" not in dtsi
    assert dtsi.count('compatible = "fixed-partitions";') == 2
    tfm = corpus_build("ese5180__iot-venture-f25-helldivers__l9_e1__build", tmp_path / "t")
    code, _, err = run_cli(["migrate", "-d", str(tfm), str(new_app(tmp_path / "t")),
                            "--ncs-version", "2.7.0"])
    assert code == 2 and "fixed-subpartitions" in err and "tfm_secure" in err


def test_overlapping_pm_partitions_are_refused_with_the_reason(tmp_path):
    # mitch680l/thingy build_1 (NCS 3.0.2): its partitions.yml really has
    # encrypted_blob_end_pad 0xff000-0x100000 across the end of mcuboot_primary
    build = corpus_build("mitch680l__thingy__build_1", tmp_path)
    app = new_app(tmp_path)
    code, _, err = run_cli(["migrate", "-d", str(build), str(app)])
    assert code == 2 and err.count("\n") == 1
    assert "encrypted_blob_end_pad (0xff000-0x100000) overlaps mcuboot_primary" in err
    assert sorted(p.name for p in app.iterdir()) == ["CMakeLists.txt", "prj.conf"]


@pytest.mark.parametrize("name", CONVERTED)
def test_baseline_of_migrated_layout_against_original_reports_nothing(name, tmp_path):
    """The read-back map (computed here with dtlib) saved as a layout
    document is the baseline of the original build: no layout-changed error
    or warning; one sector (4 KiB) off slot1_partition in it is an error."""
    build = corpus_build(name, tmp_path)
    app = new_app(tmp_path)
    assert run_cli(["migrate", "-d", str(build), str(app), "--ncs-version", "3.4.0"])[0] == 0
    (overlay,) = (app / "boards").glob("*.overlay")
    got = read_back(image_dts(build), overlay)
    raw = yaml.safe_load((build / "partitions.yml").read_text())
    # the network core's RAM staging slot is not written (NCS's flash_sim
    # overlay defines it in MCUboot's devicetree): add it as MCUboot has it
    ram = {n: ("ram_flash", b["address"], b["size"]) for n, b in raw.items()
           if b.get("region") == "ram_flash" and n != "ram_flash"}
    # partitions the application's devicetree refers to (an fstab) keep their
    # devicetree place and are not Partition Manager's: compared elsewhere
    pm_names = set(expected(build / "partitions.yml"))
    got = {n: v for n, v in got.items() if n in pm_names}
    doc = {"format": "extflash-layout", "version": 1,
           "domains": {"app": [{"name": n, "region": r, "address": hex(a), "size": hex(s)}
                               for n, (r, a, s) in {**got, **ram}.items()]}}
    saved = tmp_path / "migrated.json"
    saved.write_text(json.dumps(doc))
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(saved),
                            "--format", "json"])
    changed = [f["message"] for f in json.loads(out)["findings"]
               if f["name"] == "layout-changed" and f["severity"] != "info"]
    assert changed == []
    for entry in doc["domains"]["app"]:
        if entry["name"] == "mcuboot_secondary":
            entry["address"] = hex(int(entry["address"], 16) + 0x1000)
    saved.write_text(json.dumps(doc))
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(saved),
                            "--format", "json"])
    changed = [f for f in json.loads(out)["findings"]
               if f["name"] == "layout-changed" and f["severity"] != "info"]
    assert code == 1 and [f["severity"] for f in changed] == ["error"]
    assert "slot1_partition (mcuboot_secondary) moved" in changed[0]["message"]


def test_static_pm_file_with_a_board(tmp_path):
    """--static: Nordic's nRF Desktop pm_static for the nRF52840 DK with MCUboot
    and the secondary in QSPI flash (../shared/corpus/real-pm)."""
    src = require_corpus(CORPUS / "real-pm" / (
        "sdk-nrf__applications__nrf_desktop__configuration__nrf52840dk_nrf52840"
        "__pm_static_ZDebugMCUBootQSPI.yml"))
    static = Path(shutil.copy(src, tmp_path / "pm_static.yml"))
    app = new_app(tmp_path)
    code, out, err = run_cli(["migrate", "--static", str(static), "-b", "nrf52840dk/nrf52840",
                              str(app)])
    assert code == 0, err
    got = read_back_static(app / "boards" / "nrf52840dk_nrf52840.overlay")
    assert got == {n: v[1:] for n, v in expected(static).items()}


def read_back_static(overlay: Path) -> dict[str, tuple[int, int]]:
    """The nRF52840 DK's flash0 (reg <0x0 0x100000>, zephyr nrf52840.dtsi) and
    mx25r64 nodes as a stand-in board devicetree."""
    board = overlay.parent / "board.dts"
    board.write_text("/dts-v1/;\n/ { soc { flash-controller@4001e000 { #address-cells = <1>; "
                     "#size-cells = <1>; flash0: flash@0 { compatible = \"soc-nv-flash\"; "
                     "reg = <0x0 0x100000>; }; }; qspi@40029000 { #address-cells = <1>; "
                     "#size-cells = <0>; mx25r64: mx25r6435f@0 { compatible = "
                     "\"nordic,qspi-nor\"; reg = <0>; }; }; }; };\n")
    return {n: v[1:] for n, v in read_back(board, overlay).items()}


@pytest.mark.parametrize("name,reason", [
    # partitions.yml: encrypted_blob_end_pad 0xff000-0x100000 across mcuboot_primary's end
    ("mitch680l__thingy__build_1", "without lying inside it"),
    # NCS 1.7 circuitdojo_feather_nrf9160_ns: no /chosen nordic,pm-ext-flash in zephyr.dts
    ("HamdanAli98__Zephyr__build", "names no flash device for that region"),
])
def test_refused_corpus_builds(name, reason, tmp_path):
    build = corpus_build(name, tmp_path)
    app = new_app(tmp_path)
    code, out, err = run_cli(["migrate", "-d", str(build), str(app)])
    assert code == 2 and any(r in err for r in reason.split("|")), err
    assert err.count("\n") == 1, err
    assert sorted(p.name for p in app.iterdir()) == ["CMakeLists.txt", "prj.conf"]


def test_partition_manager_yaml_as_baseline(tmp_path):
    """aHaugl's committed partitions.yml (../shared/corpus/real-pm, SOURCES.md
    row 48: the same file as the build's) as the baseline of that build:
    nothing changed; 4 KiB less for slot1 in a copy of the file: an error."""
    build = corpus_build("aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1", tmp_path)
    src = require_corpus(CORPUS / "real-pm" / ("aHaugl_samples_for_NCS__DFU__smp_ble_feat_spi"
                                               "__build_1__partitions.yml"))
    static = Path(shutil.copy(src, tmp_path / "pm_static.yml"))
    code, out, err = run_cli(["verify", "-d", str(build), "--baseline", str(static),
                              "--format", "json"])
    assert [f for f in json.loads(out)["findings"] if f["name"] == "layout-changed"] == [], err
    text = static.read_text()
    block = re.search(r"^mcuboot_secondary:\n((?:[ \t].*\n)+)", text, re.M)
    size = re.search(r"size: (0x[0-9a-fA-F]+)", block.group(1))
    start = block.start(1) + size.start(1)
    static.write_text(text[:start] + hex(int(size.group(1), 16) + 0x1000)
                      + text[start + len(size.group(1)):])
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(static),
                            "--format", "json"])
    changed = [f for f in json.loads(out)["findings"] if f["name"] == "layout-changed"]
    assert code == 1 and [f["severity"] for f in changed] == ["error"]
    assert "slot1_partition (mcuboot_secondary) shrank" in changed[0]["message"]


def test_real_drift_between_a_projects_pm_static_and_its_build(tmp_path):
    """Botz-Limited/sensing_system-Zephyr: pm_static.yml at e91afdcb
    (2025-06-27, real-pm SOURCES.md row 54) gives MCUboot 0x15000; the build
    committed four days later (e77d6698, real-builds row 5) has MCUboot
    0x20000 and slot0 at 0x20000: a device with the first layout cannot take
    an update built with the second. layout-changed says so."""
    build = corpus_build("Botz-Limited__sensing_system-Zephyr__build", tmp_path)
    src = require_corpus(CORPUS / "real-pm" / "Botz-Limited_sensing_system-Zephyr__pm_static.yml")
    static = Path(shutil.copy(src, tmp_path / "pm_static.yml"))
    code, out, _ = run_cli(["verify", "-d", str(build), "--baseline", str(static),
                            "--format", "json"])
    errors = [f["message"] for f in json.loads(out)["findings"]
              if f["name"] == "layout-changed" and f["severity"] == "error"]
    assert code == 1
    assert any(m.startswith("boot_partition (mcuboot) grew from 0x15000 (84 KiB) to 0x20000 "
                            "(128 KiB)") for m in errors), errors
