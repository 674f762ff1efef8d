"""The devicetree memory map ``init --layout dts`` writes: sizes, text, and
that Zephyr's own dtlib reads it on top of each board the way verify does."""

from __future__ import annotations

import pytest

from dts_boards import SIM_FLASH, SOC2BASE, chosen_overlay
from extflash.errors import BoardError
from extflash.loaders.devicetree import load_devicetree
from extflash.loaders.dts_memory_map import memory_map
from extflash.model import EXTERNAL_FLASH, FLASH_PRIMARY, RAM_FLASH
from extflash.scaffold.layouts.dts_memmap import SOC2DTS, plan_memory_map, render_dtsi

BOARDS = {
    # soc id: (title, target, internal size as boards.yml has it)
    "nrf52840": ("nRF52840 DK", "nrf52840dk/nrf52840", 0x100000),
    "nrf5340_cpuapp": ("nRF5340 DK", "nrf5340dk/nrf5340/cpuapp", 0x100000),
    "nrf54l15_cpuapp": ("nRF54L15 DK", "nrf54l15dk/nrf54l15/cpuapp", 0x17D000),
}
EXPECTED_SLOT = {"nrf52840": 0xEC000, "nrf5340_cpuapp": 0xEC000, "nrf54l15_cpuapp": 0x163000}


def plan(soc: str, netcore: bool = False, flash_size: int = 0x800000, erase: int = 4096):
    title, target, size = BOARDS[soc]
    return plan_memory_map(board_title=title, target=target, soc_id=soc, internal_size=size,
                           erase_block=erase, flash_node="mx25r64", flash_size=flash_size,
                           netcore=netcore)


@pytest.mark.parametrize("soc", sorted(BOARDS))
def test_plan_fills_internal_flash_and_mirrors_slot0(soc):
    p = plan(soc)
    boot, slot0, storage = p.internal
    (slot1,) = p.external
    assert (boot.label, slot0.label, storage.label, slot1.label) == (
        "boot_partition", "slot0_partition", "storage_partition", "slot1_partition")
    assert boot.offset == 0 and slot0.offset == boot.end and storage.offset == slot0.end
    assert storage.end == p.internal_size
    assert slot1.size == slot0.size == EXPECTED_SLOT[soc]
    assert slot1.offset == 0
    for part in (*p.internal, *p.external):
        assert part.offset % 4096 == 0 and part.size % 4096 == 0
    assert boot.size == SOC2DTS[soc].mcuboot_size


def test_plan_netcore_slot3_follows_slot1():
    p = plan("nrf5340_cpuapp", netcore=True)
    slot1, slot3 = p.external
    assert (slot3.label, slot3.name) == ("slot3_partition", "image-3")
    assert slot3.offset == slot1.end and slot3.size == 0x40000


def test_plan_rounds_mcuboot_up_to_a_larger_erase_block():
    p = plan("nrf52840", erase=0x10000)
    assert p.part("boot_partition").size == 0x10000
    assert p.part("slot0_partition").size % 0x10000 == 0


def test_plan_refuses_too_small_external_flash_and_unknown_soc():
    with pytest.raises(BoardError, match="mx25r64 has 0x80000"):
        plan("nrf52840", flash_size=0x80000)
    with pytest.raises(BoardError, match="--layout sysbuild"):
        plan_memory_map(board_title="nRF9280 DK", target="nrf9280pdk/nrf9280/cpuapp",
                        soc_id="nrf9280_cpuapp", internal_size=0x200000, erase_block=4096,
                        flash_node="mx25uw63", flash_size=0x800000, netcore=False)


def _compose(tmp_path, soc: str, *parts: str):
    path = tmp_path / f"{soc}.dts"
    path.write_text(SOC2BASE[soc] + "".join(parts), encoding="utf-8")
    return load_devicetree(path, "img/zephyr/zephyr.dts")


@pytest.mark.parametrize("soc", sorted(BOARDS))
@pytest.mark.parametrize("role", ["app", "mcuboot"])
def test_dtsi_on_the_board_gives_the_slots_verify_reads(tmp_path, soc, role):
    p = plan(soc)
    text = render_dtsi(p, "test")
    chosen = chosen_overlay("slot0_partition" if role == "app" else "boot_partition")
    tree = _compose(tmp_path, soc, text, chosen)
    mm = memory_map(tree, role)
    primary, secondary = mm.slots["mcuboot_primary"], mm.slots["mcuboot_secondary"]
    assert primary.region == FLASH_PRIMARY and secondary.region == EXTERNAL_FLASH
    assert primary.address == p.part("slot0_partition").offset
    assert primary.size == secondary.size == EXPECTED_SLOT[soc]
    assert secondary.address == 0 and secondary.device.endswith("/mx25r6435f@0")
    assert mm.name2partition["mcuboot"].size == SOC2DTS[soc].mcuboot_size
    # the board's own internal slot1 is gone, only one slot1_partition remains
    labelled = [n for n in tree.path2node.values() if "slot1_partition" in n.labels]
    assert len(labelled) == 1
    ext = mm.name2region[EXTERNAL_FLASH]
    assert ext.size == 0x800000
    assert ext.default_driver_kconfig == ("CONFIG_SPI_NOR" if soc.startswith("nrf54l")
                                          else "CONFIG_NORDIC_QSPI_NOR")
    internal = mm.name2region[FLASH_PRIMARY]
    assert internal.erase_block == 4096
    assert internal.write_block == (16 if soc.startswith("nrf54l") else 4)
    code = tree.chosen_node("zephyr,code-partition")
    assert ("slot0_partition" if role == "app" else "boot_partition") in code.labels
    status = tree.node(secondary.device).status
    assert status == "okay"


def test_netcore_map_with_ram_flash(tmp_path):
    p = plan("nrf5340_cpuapp", netcore=True)
    tree = _compose(tmp_path, "nrf5340_cpuapp", render_dtsi(p, "t"), SIM_FLASH)
    mm = memory_map(tree, "mcuboot")
    assert mm.slots["mcuboot_primary_1"].region == RAM_FLASH
    assert mm.slots["mcuboot_primary_1"].size == 0x40000
    assert mm.slots["mcuboot_secondary_1"].region == EXTERNAL_FLASH
    assert mm.slots["mcuboot_secondary_1"].address == p.part("slot3_partition").offset
    assert mm.name2region[RAM_FLASH].default_driver_kconfig == "CONFIG_FLASH_SIMULATOR"


def test_dtsi_text_states_the_map():
    text = render_dtsi(plan("nrf54l15_cpuapp"), "Written by `west extflash init`")
    assert "&cpuapp_rram {" in text and "/delete-node/ partitions;" in text
    assert 'compatible = "zephyr,mapped-partition";' in text
    assert text.count('compatible = "fixed-partitions";') == 1
    assert 'slot1_partition: partition@0 {' in text and 'label = "image-1";' in text
    assert "reg = <0x0 0x163000>;" in text
    assert text.count('status = "okay";') == 1
