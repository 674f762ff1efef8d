"""``verify`` on devicetree-partition builds (NCS >= 3.4, no Partition
Manager): the per-image memory maps, the shared checks run through
``checks.slots`` on them, and the new ``layout-mismatch`` check.

Builds here are made in memory from the stand-in board devicetrees of
``dts_boards`` plus a hand-written NCS memory map (``fixturegen.dts_builds.MAPS``,
never what ``init --layout dts`` plans), read with
the same loader verify uses; the Kconfig of each image is written out as a
dict. The build-directory fixtures (``tests/fixtures/builds/*-dts``) cover
the same through the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dts_boards import SIM_FLASH, SOC2BASE, chosen_overlay
from extflash import checks
from extflash.loaders.devicetree import load_devicetree
from extflash.loaders.dts_memory_map import fill_memory_maps, memory_map, slot_label
from extflash.model import (
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    Build,
    Devicetree,
    DtNode,
    Image,
    Location,
    Partitioning,
    Role,
)

INTERNAL = {"nrf52840": 0x100000, "nrf5340_cpuapp": 0x100000, "nrf54l15_cpuapp": 0x17D000}
DRIVER = {"nrf52840": "CONFIG_NORDIC_QSPI_NOR", "nrf5340_cpuapp": "CONFIG_NORDIC_QSPI_NOR",
          "nrf54l15_cpuapp": "CONFIG_SPI_NOR"}
PAGE = {"CONFIG_NORDIC_QSPI_NOR": "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
        "CONFIG_SPI_NOR": "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE"}


# soc -> the board whose hand-written NCS memory map (fixturegen.dts_builds.MAPS, each
# copied from an sdk-nrf / sdk-mcuboot file it cites) the in-memory builds use: never
# what `init` plans, so init is not the oracle for verify.
SOC2BOARD = {"nrf52840": "nrf52840dk", "nrf5340_cpuapp": "nrf5340dk",
             "nrf54l15_cpuapp": "nrf54l15dk"}


def _partition(slot, mapped: bool) -> str:
    compatible = '\t\t\tcompatible = "zephyr,mapped-partition";\n' if mapped else ""
    return (f"\t\t{slot.label}: partition@{slot.offset:x} {{\n{compatible}"
            f'\t\t\tlabel = "{slot.name}";\n'
            f"\t\t\treg = <{slot.offset:#x} {slot.size:#x}>;\n\t\t}};\n")


def dtsi(soc: str, netcore: bool = False, changes: tuple = ()) -> str:
    """The shared memory-map .dtsi of ``MAPS[board]`` (internal slots as
    zephyr,mapped-partition, the secondary under &mx25r64), with ``(old, new)``
    text edits (first match each)."""
    from fixturegen.dts_builds import MAPS

    mm = MAPS[(SOC2BOARD[soc], netcore)]
    node = f"&{mm.internal_node} {{\n"
    if mm.node_size is not None:
        node += f"\treg = <0x0 {mm.node_size:#x}>;\n\tranges = <0x0 0x0 {mm.node_size:#x}>;\n"
    node += ("\t/delete-node/ partitions;\n\n\tpartitions {\n\t\tranges;\n"
             "\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n\n")
    node += "\n".join(_partition(slot, True) for slot in mm.internal) + "\t};\n};\n\n"
    node += ('&mx25r64 {\n\tstatus = "okay";\n\n\tpartitions {\n'
             '\t\tcompatible = "fixed-partitions";\n\t\t#address-cells = <1>;\n'
             "\t\t#size-cells = <1>;\n\n")
    node += "\n".join(_partition(slot, False) for slot in mm.external) + "\t};\n};\n"
    text = node
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


SLOT1 = 'label = "image-1";\n\t\t\treg = <0x0 '


def tree(tmp_path: Path, name: str, soc: str, *parts: str) -> Devicetree:
    path = tmp_path / f"{name}.dts"
    path.write_text(SOC2BASE[soc] + "".join(parts))
    return load_devicetree(path, f"{name}/zephyr/zephyr.dts")


def config(soc: str, mcuboot: bool, **extra) -> dict:
    driver = DRIVER[soc]
    values = {"CONFIG_FLASH": True, driver: True, PAGE[driver]: 4096}
    if mcuboot:
        values |= {"CONFIG_MCUBOOT": True, "CONFIG_BOOT_SWAP_USING_MOVE": True,
                   "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": True, "CONFIG_UPDATEABLE_IMAGE_NUMBER": 1}
    else:
        values |= {"CONFIG_BOOTLOADER_MCUBOOT": True}
    values.update(extra)
    return {k: v for k, v in values.items() if v is not None}


def build(tmp_path, soc="nrf52840", app_map=None, boot_map=None, app_cfg=None, boot_cfg=None,
          netcore=False) -> Build:
    app_map = app_map or dtsi(soc, netcore)
    boot_map = boot_map or app_map
    images = {
        "app": Image("app", Role.APP, "app", config=app_cfg or config(soc, False),
                     config_location=Location("app/zephyr/.config"),
                     devicetree=tree(tmp_path, "app", soc, app_map,
                                     chosen_overlay("slot0_partition"))),
        "mcuboot": Image("mcuboot", Role.MCUBOOT, "mcuboot", config=boot_cfg or config(soc, True),
                         config_location=Location("mcuboot/zephyr/.config"),
                         devicetree=tree(tmp_path, "mcuboot", soc, boot_map,
                                         chosen_overlay("boot_partition"),
                                         SIM_FLASH if netcore else "")),
    }
    b = Build(path=tmp_path, layout="sysbuild", partitioning=Partitioning.DTS,
              sysbuild_config={"SB_CONFIG_BOOTLOADER_MCUBOOT": True}, name2image=images)
    fill_memory_maps(b)
    return b


def codes(b: Build) -> list[str]:
    return sorted(f.name for f in checks.run(b))


# ------------------------------------------------------------ memory maps


def test_memory_map_from_hand_made_nodes():
    """Containers (fixed-subpartitions) add their offset; labels map to PM
    names; a NOR chip's region size comes from its size in bits."""
    nodes = [
        DtNode("/soc/fc", compatible=("nordic,nrf52-flash-controller",)),
        DtNode("/soc/fc/flash@0", labels=("flash0",), compatible=("soc-nv-flash",),
               reg=((0, 0x100000),), props={"erase-block-size": 4096, "write-block-size": 4},
               parent="/soc/fc"),
        DtNode("/soc/fc/flash@0/partitions", compatible=("fixed-partitions",),
               parent="/soc/fc/flash@0"),
        DtNode("/soc/fc/flash@0/partitions/partition@0", compatible=("fixed-subpartitions",),
               reg=((0x0, 0x80000),), parent="/soc/fc/flash@0/partitions"),
        DtNode("/soc/fc/flash@0/partitions/partition@0/partition@10000",
               labels=("slot0_partition",), reg=((0x10000, 0x70000),),
               parent="/soc/fc/flash@0/partitions/partition@0",
               location=Location("z.dts", "/soc/...", defined_in="boards/x.dtsi:12")),
        DtNode("/soc/spi@1", compatible=("nordic,nrf-spim",), status="okay"),
        DtNode("/soc/spi@1/nor@0", labels=("mx25r64",), compatible=("jedec,spi-nor",),
               reg=((0, 0),), props={"size": 0x4000000}, parent="/soc/spi@1"),
        DtNode("/soc/spi@1/nor@0/partitions", compatible=("fixed-partitions",),
               parent="/soc/spi@1/nor@0"),
        DtNode("/soc/spi@1/nor@0/partitions/partition@0", labels=("slot1_partition",),
               reg=((0x0, 0x70000),), parent="/soc/spi@1/nor@0/partitions"),
    ]
    mm = memory_map(Devicetree(path2node={n.path: n for n in nodes}, source=Location("z.dts")),
                    "app")
    primary, secondary = mm.slots["mcuboot_primary"], mm.slots["mcuboot_secondary"]
    assert (primary.address, primary.size, primary.region) == (0x10000, 0x70000, FLASH_PRIMARY)
    assert primary.location.defined_in == "boards/x.dtsi:12"
    assert (secondary.address, secondary.region) == (0, EXTERNAL_FLASH)
    assert mm.name2region[FLASH_PRIMARY].default_driver_kconfig == "CONFIG_SOC_FLASH_NRF"
    assert mm.name2region[EXTERNAL_FLASH].size == 0x800000
    assert slot_label("mcuboot_secondary") == "slot1_partition"


def test_no_slots_no_map():
    node = DtNode("/soc/fc/flash@0", compatible=("soc-nv-flash",), reg=((0, 0x1000),))
    assert memory_map(Devicetree(path2node={node.path: node}), "x") is None


# ------------------------------------------------------------ checks


@pytest.mark.parametrize("soc", sorted(INTERNAL))
def test_clean_dts_build_has_no_findings(tmp_path, soc):
    assert codes(build(tmp_path, soc)) == []


def test_clean_netcore_build_has_no_findings(tmp_path):
    b = build(tmp_path, "nrf5340_cpuapp", netcore=True,
              boot_cfg=config("nrf5340_cpuapp", True, CONFIG_BOOT_SWAP_USING_MOVE=None,
                              CONFIG_BOOT_UPGRADE_ONLY=True, CONFIG_UPDATEABLE_IMAGE_NUMBER=2))
    assert "mcuboot_primary_1" in b.mcuboot.memory_map.slots
    assert "mcuboot_primary_1" not in b.app.memory_map.slots
    assert codes(b) == []


def test_layout_mismatch_names_slot_values_and_overlay(tmp_path):
    soc = "nrf52840"
    # MCUboot built with another map: both slots 0x10000 smaller
    other = dtsi(soc, changes=(("<0xc000 0xf4000>", "<0xc000 0xe4000>"),
                               (SLOT1 + "0xf4000>", SLOT1 + "0xe4000>")))
    b = build(tmp_path, soc, boot_map=other)
    findings = checks.run(b)
    assert sorted({f.name for f in findings}) == ["layout-mismatch"]
    texts = " | ".join(f.message for f in findings)
    assert ("slot0_partition (mcuboot_primary) at 0xc000 on /soc/flash-controller@4001e000/flash@0"
            " differs between app and mcuboot" in texts)
    assert "size 0xf4000 (976 KiB) vs 0xe4000 (912 KiB)" in texts
    f = findings[0]
    assert f.location.file == "mcuboot/zephyr/zephyr.dts" and f.location.detail.startswith("/soc/")
    assert f.image == "mcuboot" and f.code == "EXF107"


def test_layout_mismatch_when_mcuboot_lacks_slot1(tmp_path):
    soc = "nrf54l15_cpuapp"
    boot_only_internal = dtsi(soc).split("&mx25r64 {")[0]
    b = build(tmp_path, soc, boot_map=boot_only_internal)
    found = [f for f in checks.run(b) if f.name == "layout-mismatch"]
    assert len(found) == 1
    assert "slot1_partition (mcuboot_secondary) is in app's zephyr.dts" in found[0].message
    assert "but not in mcuboot's" in found[0].message and found[0].image == "mcuboot"


def test_layout_mismatch_is_silent_for_partition_manager_builds(tmp_path):
    b = build(tmp_path, "nrf52840",
              boot_map=dtsi("nrf52840", changes=((SLOT1 + "0xf4000>", SLOT1 + "0xe4000>"),)))
    b.partitioning = Partitioning.PM
    assert not list(checks.find("layout-mismatch").function(b))


def test_driver_disabled_in_mcuboot(tmp_path):
    soc = "nrf52840"
    b = build(tmp_path, soc, boot_cfg=config(soc, True, CONFIG_NORDIC_QSPI_NOR=False))
    findings = checks.run(b)
    assert sorted({f.name for f in findings}) == ["driver-disabled"]
    assert "CONFIG_NORDIC_QSPI_NOR" in findings[0].message and findings[0].image == "mcuboot"
    assert "lies on /soc/qspi@40029000/mx25r6435f@0 (nordic,qspi-nor)" in findings[0].message
    assert findings[0].hint == "set CONFIG_NORDIC_QSPI_NOR=y in sysbuild/mcuboot.conf"


def test_slot_size_mismatch_in_both_images(tmp_path):
    soc = "nrf5340_cpuapp"
    smaller = dtsi(soc, changes=((SLOT1 + "0xf4000>", SLOT1 + "0xe8000>"),))
    b = build(tmp_path, soc, app_map=smaller)
    findings = checks.run(b)
    assert {f.name for f in findings} == {"slot-size-mismatch"}
    assert {f.image for f in findings} == {"app", "mcuboot"}
    assert "pm_static.yml" not in findings[0].hint
    assert "slot1_partition" in findings[0].hint


def test_sector_layout_mismatch_with_64k_spi_nor_pages(tmp_path):
    soc = "nrf54l15_cpuapp"
    b = build(tmp_path, soc,
              boot_cfg=config(soc, True, CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=65536))
    findings = checks.run(b)
    assert [f.name for f in findings] == ["sector-layout-mismatch"]
    assert "65536" in findings[0].message


def test_max_img_sectors_auto_counts_only_soc_flash_slots(tmp_path):
    soc = "nrf52840"
    # slot1 larger than slot0: MCUboot's computed maximum comes from slot0 only
    bigger = dtsi(soc, changes=((SLOT1 + "0xf4000>", SLOT1 + "0xf8000>"),))
    b = build(tmp_path, soc, app_map=bigger)
    findings = [f for f in checks.run(b) if f.name == "max-img-sectors"]
    assert len(findings) == 1
    assert "computes with CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y" in findings[0].message
    assert "0xf4000 / 4096 = 244" in findings[0].message and "248 sectors" in findings[0].message
    assert "pm_static.yml" not in findings[0].hint


def test_max_img_sectors_configured_value_still_checked(tmp_path):
    soc = "nrf52840"
    b = build(tmp_path, soc, boot_cfg=config(soc, True, CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=None,
                                             CONFIG_BOOT_MAX_IMG_SECTORS=128))
    found = [f for f in checks.run(b) if f.name == "max-img-sectors"]
    assert len(found) == 1 and "CONFIG_BOOT_MAX_IMG_SECTORS=128" in found[0].message


def test_disabled_flash_node_in_mcuboot(tmp_path):
    soc = "nrf54l15_cpuapp"
    off = dtsi(soc) + '\n&mx25r64 {\n\tstatus = "disabled";\n};\n'
    b = build(tmp_path, soc, boot_map=off)
    findings = checks.run(b)
    assert [(f.name, f.image) for f in findings] == [("chosen-missing", "mcuboot")]
    assert 'with status "disabled"' in findings[0].message
    assert "nordic,pm-ext-flash" not in findings[0].message + findings[0].hint
    assert findings[0].hint == 'set &mx25r64 { status = "okay"; } in sysbuild/mcuboot.overlay'


# ------------------------------------------------------------ build-directory fixtures

import shutil as _shutil  # noqa: E402

import yaml as _yaml  # noqa: E402

from conftest import FIXTURES as _FIXTURES  # noqa: E402
from conftest import TESTS_DIR as _TESTS_DIR  # noqa: E402
from conftest import run_cli  # noqa: E402
from extflash.loaders import load_build  # noqa: E402
from extflash.verify import verify_build  # noqa: E402

BUILDS = _FIXTURES / "builds"
CASES = _TESTS_DIR / "cases"
DTS_BUILDS = ["nrf52840dk-dts", "nrf5340dk-netcore-dts", "nrf54l15dk-dts"]
DTS_CASES = sorted(p.name for p in CASES.glob("*-dts"))


@pytest.mark.parametrize("name", DTS_BUILDS)
def test_dts_fixture_is_clean_and_read_as_devicetree(name):
    build = load_build(BUILDS / name)
    assert build.partitioning is Partitioning.DTS
    assert not (BUILDS / name / "partitions.yml").exists()
    for image in (build.app, build.mcuboot):
        slots = image.memory_map.slots
        assert slots["mcuboot_secondary"].region == EXTERNAL_FLASH
        assert slots["mcuboot_secondary"].size == slots["mcuboot_primary"].size
        assert slots["mcuboot_secondary"].location.defined_in.split(":")[0].endswith(
            "_memory_map_ext_flash.dtsi")
    report = verify_build(BUILDS / name)
    assert report.findings == () and report.ok and report.build.partitioning == "devicetree"
    provenance = _yaml.safe_load((BUILDS / name / "PROVENANCE.yml").read_text())
    assert "modelled_on" in provenance and "3.4" in provenance["ncs_version"]


def _case_build(case: str, tmp_path: Path) -> Path:
    meta = _yaml.safe_load((CASES / case / "case.yml").read_text())
    build = tmp_path / case
    _shutil.copytree(BUILDS / meta["base"], build)
    _shutil.copytree(CASES / case / "files", build, dirs_exist_ok=True)
    for rel in meta["remove"]:
        (build / rel).unlink()
    return build


def test_every_dts_check_has_a_case():
    assert DTS_CASES == ["EXF103-slot-size-mismatch-dts", "EXF107-layout-mismatch-dts",
                         "EXF201-driver-disabled-dts", "EXF205-sector-layout-mismatch-dts",
                         "EXF305-code-partition-mismatch-dts"]


@pytest.mark.parametrize("case", DTS_CASES)
def test_dts_case_reports_exactly_its_check(case, tmp_path):
    meta = _yaml.safe_load((CASES / case / "case.yml").read_text())
    report = verify_build(_case_build(case, tmp_path))
    assert sorted({f.code for f in report.findings}) == meta["expect"]
    assert report.exit_code == 1


def test_layout_mismatch_case_points_at_both_files(tmp_path):
    report = verify_build(_case_build("EXF107-layout-mismatch-dts", tmp_path))
    (first, *_) = report.findings
    assert ("smp_svr's comes from nrf/samples/dfu/smp_svr/dts/nrf52840dk_nrf52840_memory_map_"
            "ext_flash.dtsi:" in first.message)
    assert "mcuboot's from nrf/samples/dfu/smp_svr/sysbuild/mcuboot.overlay:" in first.message
    assert first.location.file == "mcuboot/zephyr/zephyr.dts"
    assert first.location.defined_in.startswith("nrf/samples/dfu/smp_svr/sysbuild/mcuboot.overlay")
    assert "nrf52840dk_nrf52840_memory_map_ext_flash.dtsi" in first.hint


def test_cli_verify_dts_fixture_text_and_json(tmp_path):
    build = tmp_path / "b"
    _shutil.copytree(BUILDS / "nrf5340dk-netcore-dts", build)
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 0, err
    assert "devicetree" in out and "0 errors" in out
    code, out, _ = run_cli(["verify", "-d", str(_case_build("EXF201-driver-disabled-dts",
                                                            tmp_path)), "--format", "json"])
    import json

    doc = json.loads(out)
    assert code == 1 and [f["name"] for f in doc["findings"]] == ["driver-disabled"]
    assert doc["findings"][0]["image"] == "mcuboot"


def test_explain_layout_mismatch():
    code, out, _ = run_cli(["verify", "--explain", "layout-mismatch"])
    assert code == 0 and "EXF107" in out and "sysbuild/mcuboot.overlay" in out


def test_netcore_slots_missing_on_devicetree_build_names_slot3(tmp_path):
    soc = "nrf5340_cpuapp"
    b = build(tmp_path, soc, netcore=False,
              boot_cfg=config(soc, True, CONFIG_BOOT_SWAP_USING_MOVE=None,
                              CONFIG_BOOT_UPGRADE_ONLY=True, CONFIG_UPDATEABLE_IMAGE_NUMBER=2,
                              CONFIG_SOC_NRF5340_CPUAPP=True))
    found = [f for f in checks.run(b) if f.name == "netcore-slots-missing"]
    assert len(found) == 1 and "pm_static.yml" not in found[0].hint
    assert "slot3_partition" in found[0].hint


# ------------------------------------------------------------ robustness

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LABELS = st.sampled_from(["slot0_partition", "slot1_partition", "slot2_partition",
                           "slot3_partition", "boot_partition", "flash0", "mx25r64", "other"])
_COMPATS = st.sampled_from(["soc-nv-flash", "jedec,spi-nor", "nordic,qspi-nor", "zephyr,sim-flash",
                            "fixed-partitions", "fixed-subpartitions", "zephyr,mapped-partition",
                            "nordic,rram-controller", "simple-bus"])


@st.composite
def _trees(draw):
    paths = ["/"]
    nodes = {}
    for i in range(draw(st.integers(0, 12))):
        parent = draw(st.sampled_from(paths))
        path = f"{parent.rstrip('/')}/{draw(st.sampled_from(['partition', 'flash', 'n']))}@{i:x}"
        paths.append(path)
        nodes[path] = DtNode(
            path, labels=tuple(draw(st.lists(_LABELS, max_size=2))),
            compatible=tuple(draw(st.lists(_COMPATS, max_size=2))),
            reg=tuple(draw(st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 2**40)),
                                    max_size=2))),
            props=draw(st.fixed_dictionaries({}, optional={
                "size": st.one_of(st.integers(-5, 2**40), st.text(max_size=3)),
                "erase-block-size": st.integers(0, 2**20)})),
            parent=parent)
    return Devicetree(path2node=nodes, source=Location("x/zephyr/zephyr.dts"))


@settings(max_examples=300, deadline=None)
@given(_trees())
def test_memory_map_never_raises_on_odd_trees(tree):
    mm = memory_map(tree, "img")
    if mm is not None:
        for part in mm.name2partition.values():
            assert part.location.file == "x/zephyr/zephyr.dts"


def test_layout_mismatch_when_only_the_application_includes_the_map(tmp_path):
    """The commonest devicetree-era mistake: the map is in the application's
    board overlay only, so MCUboot keeps the board's internal slot1."""
    soc = "nrf52840"
    b = build(tmp_path, soc, boot_map="\n")
    findings = checks.run(b)
    mismatch = [f for f in findings if f.name == "layout-mismatch"]
    assert {f.message.split(" ")[0] for f in mismatch} == {"slot0_partition", "slot1_partition"}
    slot1 = next(f for f in mismatch if f.message.startswith("slot1_partition"))
    assert "device /soc/qspi@40029000/mx25r6435f@0 vs /soc/flash-controller@4001e000/flash@0" \
        in slot1.message
    assert {f.name for f in findings} == {"layout-mismatch"}


def test_pm_build_without_pm_output_is_not_read_as_devicetree(tmp_path):
    """zephyr.dts of a Partition Manager build keeps the board's default slots;
    with partitions.yml & co. gone they must not be taken for the build's."""
    b = build(tmp_path, "nrf52840")
    for image in b.images():
        image.memory_map = None
    b.sysbuild_config["SB_CONFIG_PARTITION_MANAGER"] = True
    fill_memory_maps(b)
    assert all(i.memory_map is None for i in b.images())
    assert any("SB_CONFIG_PARTITION_MANAGER=y" in n for n in b.notes)


# ------------------------------------------------------------ code partition


def _code_partition_findings(b):
    from extflash.checks.code_partition import check_code_partition_mismatch

    return list(check_code_partition_mismatch(b))


def test_code_partition_ok_on_clean_builds(tmp_path):
    assert _code_partition_findings(build(tmp_path, "nrf54l15_cpuapp")) == []


def test_mcuboot_linked_into_slot0_when_its_overlay_forgets_the_chosen(tmp_path):
    soc = "nrf54l15_cpuapp"
    b = build(tmp_path, soc)
    # what the board's own chosen gives MCUboot when sysbuild/mcuboot.overlay lacks it
    b.mcuboot.devicetree = tree(tmp_path, "mcuboot", soc, dtsi(soc),
                                chosen_overlay("slot0_partition"))
    (f,) = _code_partition_findings(b)
    assert f.image == "mcuboot" and f.code == "EXF305"
    assert "chooses /soc/rram-controller@5004b000/rram@0/partitions/partition@14000 " \
           "(slot0_partition) as zephyr,code-partition, not boot_partition" in f.message
    assert f.hint == ("set / { chosen { zephyr,code-partition = &boot_partition; }; } in "
                      "sysbuild/mcuboot.overlay")
    assert f.location.detail == "/chosen"


def test_application_linked_into_the_boot_partition(tmp_path):
    soc = "nrf52840"
    b = build(tmp_path, soc)
    b.app.devicetree = tree(tmp_path, "app", soc, dtsi(soc), chosen_overlay("boot_partition"))
    (f,) = _code_partition_findings(b)
    assert f.image == "app" and "(boot_partition) as zephyr,code-partition, not slot0_partition" \
        in f.message
    assert f.hint.endswith("in the application's board overlay")
    b.app.devicetree.chosen.pop("zephyr,code-partition")
    assert _code_partition_findings(b) == []  # no chosen: that build would have failed


def test_code_partition_silent_for_partition_manager_builds(tmp_path):
    b = build(tmp_path, "nrf52840")
    b.mcuboot.devicetree.chosen["zephyr,code-partition"] = b.app.devicetree.chosen[
        "zephyr,code-partition"]
    b.partitioning = Partitioning.PM
    assert _code_partition_findings(b) == []


def test_code_partition_case_points_at_the_board_file(tmp_path):
    report = verify_build(_case_build("EXF305-code-partition-mismatch-dts", tmp_path))
    (f,) = report.findings
    assert f.name == "code-partition-mismatch" and f.image == "mcuboot"
    assert f.location.defined_in.startswith(
        "zephyr/boards/nordic/nrf54l15dk/nrf54l15dk_nrf54l15_cpuapp.dts")
