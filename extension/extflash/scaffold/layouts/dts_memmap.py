"""The devicetree memory map ``init --layout dts`` writes (NCS >= 3.4, no
Partition Manager): pure functions from board facts to a plan and to text.

One shared include, ``boards/<board>_memory_map_ext_flash.dtsi``, holds the
whole map; the application's board overlay and MCUboot's sysbuild overlay
both ``#include`` it, so the two images cannot be built with different
slots (the NCS troubleshooting entry "Partition layout mismatch between the
MCUboot sysbuild image and the application").

Shape, as NCS writes it in 2026 (each map checked against these files):

- all boards: sdk-nrf ``samples/dfu/smp_svr/sysbuild/nrf54l15dk_nrf54l10_memory_map_ext_flash.dtsi``
  @b270c7e (the layout the NCS partitioning guide points to) and
  ``.../boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash_pure_dts.overlay`` +
  ``.../sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash_pure_dts.overlay``
  @9433b4c (one shared .dtsi included by both images, ``&mx25r64`` okay):
  internal partitions are ``compatible = "zephyr,mapped-partition"`` children
  (labels ``mcuboot``, ``image-0``, ``storage``) of the flash node's
  ``partitions { ranges; }`` group; the external ones are children of a
  ``compatible = "fixed-partitions"`` node under the NOR flash (``image-1``);
- nRF52840 DK: sdk-nrf ``samples/dfu/smp_svr/boards/nrf52840dk_nrf52840.overlay``
  @37a9d64 (``&flash0 { partitions { ranges; ... zephyr,mapped-partition }}``),
  zephyr ``dts/vendor/nordic/nrf52840_partition.dtsi`` @7c341bc (1 MiB,
  storage 32 KiB), sdk-nrf ``modules/mcuboot/boot/zephyr/Kconfig`` @009bef3
  (MCUboot 0xc000);
- nRF5340 DK: sdk-nrf
  ``tests/modules/mcuboot/external_flash/boards/nrf5340dk_nrf5340_cpuapp.overlay`` @9d8cdba
  (boot 0xc000; ``slot3_partition`` "image-3", 256 KiB, right after
  ``slot1_partition`` for the network-core update);
- nRF54L15 DK: ``.../boards/nrf54l15dk_nrf54l15_cpuapp.overlay`` @bbb065b
  (boot 68 KiB with the SPI NOR driver) and
  ``samples/dfu/smp_svr/dts/nrf54l15dk_nrf54l15_memory_map_ext_flash.dtsi``
  @29d8478 (``&cpuapp_rram { reg = <0x0 DT_SIZE_K(1524)>; }``, storage 36 KiB);
  zephyr ``dts/vendor/nordic/nrf54l_05_10_15.dtsi`` @831f741 (``cpuapp_rram``
  ``soc-nv-flash``, erase 4096, write 16).

Sizes: ``boot_partition`` is MCUboot's size for the SoC rounded up to the
erase block, ``storage_partition`` sits at the end, ``slot0_partition`` takes
the rest, and ``slot1_partition`` has exactly ``slot0_partition``'s size.
"""

from __future__ import annotations

from dataclasses import dataclass

from extflash.errors import BoardError
from extflash.units import hex_size, human_size

# NRF53_RAM_FLASH_SIZE: flash_sim0 in sdk-nrf modules/mcuboot/flash_sim*.overlay
NETCORE_SLOT_SIZE = 0x40000


@dataclass(frozen=True)
class DtsSoc:
    """What the devicetree map needs beyond ``boards.Soc``.

    internal_node: label of the internal ``soc-nv-flash`` node
    mcuboot_size: ``boot_partition`` size NCS uses in devicetree maps
    storage_size: ``storage_partition`` size kept at the end
    node_size: when set, the internal node's ``reg``/``ranges`` are written
        with this size (nRF54L15: all 1524 KiB, as the smp_svr map does)
    """

    internal_node: str
    mcuboot_size: int
    storage_size: int
    node_size: int | None
    source: str


SOC2DTS = {
    "nrf52840": DtsSoc(
        "flash0", 0xC000, 0x8000, None,
        "zephyr dts/vendor/nordic/nrf52840_partition.dtsi (flash0, storage 32 KiB); "
        "sdk-nrf modules/mcuboot/boot/zephyr/Kconfig (MCUboot 0xc000)"),
    "nrf5340_cpuapp": DtsSoc(
        "flash0", 0xC000, 0x8000, None,
        "sdk-nrf tests/modules/mcuboot/external_flash/boards/nrf5340dk_nrf5340_cpuapp.overlay "
        "(boot_partition 0xc000 in &flash0)"),
    # nRF91 Series (secure targets; NCS 3.4 moved nRF91 to devicetree partitions,
    # release notes 3.4.0 / PR #27973): storage_partition 0xf8000 + 32 KiB as in
    # sdk-zephyr dts/vendor/nordic/nrf91xx_partition.dtsi @b0fbb649; MCUboot the
    # Partition Manager default 0xc000 (sdk-nrf modules/mcuboot/boot/zephyr/Kconfig
    # @009bef3), the layout nRF91 units built with Partition Manager have
    "nrf9160": DtsSoc(
        "flash0", 0xC000, 0x8000, None,
        "sdk-zephyr dts/vendor/nordic/nrf91xx_partition.dtsi @b0fbb649 (flash0, storage "
        "0xf8000 32 KiB); sdk-nrf modules/mcuboot/boot/zephyr/Kconfig @009bef3 (MCUboot 0xc000)"),
    "nrf9161": DtsSoc(
        "flash0", 0xC000, 0x8000, None,
        "sdk-zephyr dts/vendor/nordic/nrf91xx_partition.dtsi @b0fbb649 (flash0, storage "
        "0xf8000 32 KiB); sdk-nrf modules/mcuboot/boot/zephyr/Kconfig @009bef3 (MCUboot 0xc000)"),
    "nrf9151": DtsSoc(
        "flash0", 0xC000, 0x8000, None,
        "sdk-zephyr dts/vendor/nordic/nrf91xx_partition.dtsi @b0fbb649 (flash0, storage "
        "0xf8000 32 KiB); sdk-nrf modules/mcuboot/boot/zephyr/Kconfig @009bef3 (MCUboot 0xc000)"),
    "nrf54l15_cpuapp": DtsSoc(
        "cpuapp_rram", 0x11000, 0x9000, 0x17D000,
        "sdk-nrf tests/modules/mcuboot/external_flash/boards/nrf54l15dk_nrf54l15_cpuapp.overlay "
        "(boot_partition 68 KiB in &cpuapp_rram, CONFIG_FPROTECT=n for the larger MCUboot); "
        "smp_svr nrf54l15dk memory map (cpuapp_rram 1524 KiB, storage 36 KiB)"),
}


# Boards whose NCS layout differs from their SoC's: (MCUboot size, storage size).
# Thingy:53: sdk-nrf tests/modules/mcuboot/external_flash/pm_static_thingy53_nrf5340_cpuapp.yml
# (NCS 2.7.0, sdk-nrf 2d67a6ae): mcuboot 0x20000 (MCUboot with USB serial
# recovery), mcuboot_primary 0x20000-0x100000 and no internal storage; slot1 at
# 0x0 and slot3 at 0xe0000 (256 KiB) in the mx25r64, the layout Thingy:53 units
# built with NCS's static partitions have.
BOARD2DTS: dict[str, tuple[int, int, str]] = {
    "thingy53": (0x20000, 0, "sdk-nrf tests/modules/mcuboot/external_flash/"
                 "pm_static_thingy53_nrf5340_cpuapp.yml (NCS 2.7.0): mcuboot 0x20000, "
                 "slot0 to the end of flash0"),
}


@dataclass(frozen=True)
class Part:
    label: str  # devicetree node label (slot1_partition)
    name: str  # partition "label" property (image-1)
    offset: int
    size: int

    @property
    def end(self) -> int:
        return self.offset + self.size


@dataclass(frozen=True)
class MemoryMapPlan:
    """Everything the dtsi says, with the numbers already checked."""

    board_title: str
    target: str
    internal_node: str
    internal_size: int
    node_size: int | None
    erase_block: int
    flash_node: str
    flash_size: int
    internal: tuple[Part, ...]
    external: tuple[Part, ...]

    def part(self, label: str) -> Part | None:
        for p in (*self.internal, *self.external):
            if p.label == label:
                return p
        return None


def align_up(n: int, block: int) -> int:
    return -(-n // block) * block


def align_down(n: int, block: int) -> int:
    return n // block * block


def dts_soc(soc_id: str | None, board_title: str) -> DtsSoc:
    facts = SOC2DTS.get(soc_id or "")
    if facts is None:
        known = ", ".join(sorted(SOC2DTS))
        raise BoardError(
            f"{board_title}: no devicetree memory map is known for its SoC "
            f"({soc_id or 'unknown'}); --layout dts supports {known}",
            hint="use --layout sysbuild (Partition Manager, SB_CONFIG_PARTITION_MANAGER=y)")
    return facts


def plan_memory_map(*, board_title: str, target: str, soc_id: str | None,
                    internal_size: int, erase_block: int, flash_node: str,
                    flash_size: int, netcore: bool, board_id: str | None = None) -> MemoryMapPlan:
    """Boot, slot0 and storage in internal flash; slot1 (and slot3) external."""
    facts = dts_soc(soc_id, board_title)
    if facts.node_size is not None:
        internal_size = facts.node_size
    mcuboot_size, storage_size = facts.mcuboot_size, facts.storage_size
    if board_id in BOARD2DTS:
        mcuboot_size, storage_size, _ = BOARD2DTS[board_id]
    boot = align_up(mcuboot_size, erase_block)
    storage = align_up(storage_size, erase_block)
    slot = align_down(internal_size - boot - storage, erase_block)
    if slot <= 0:
        raise BoardError(f"{board_title}: internal flash {hex_size(internal_size)} leaves no room "
                         f"for slot0_partition after MCUboot {hex_size(boot)}",
                         hint="check the board's internal flash size")
    internal = (
        Part("boot_partition", "mcuboot", 0, boot),
        Part("slot0_partition", "image-0", boot, slot),
        *([Part("storage_partition", "storage", boot + slot, storage)] if storage else []),
    )
    external = [Part("slot1_partition", "image-1", 0, slot)]
    if netcore:
        external.append(Part("slot3_partition", "image-3", slot, NETCORE_SLOT_SIZE))
    needed = external[-1].end
    if needed > flash_size:
        raise BoardError(
            f"{board_title}: the external slots need {hex_size(needed)} but &{flash_node} "
            f"has {hex_size(flash_size)}",
            hint="give the real size with --flash-size, or use a larger NOR flash")
    return MemoryMapPlan(board_title, target, facts.internal_node, internal_size,
                         facts.node_size, erase_block, flash_node, flash_size,
                         internal, tuple(external))


# ---------------------------------------------------------------- text


def _part_lines(part: Part, mapped: bool) -> list[str]:
    lines = [f"\t\t{part.label}: partition@{part.offset:x} {{"]
    if mapped:
        lines.append('\t\t\tcompatible = "zephyr,mapped-partition";')
    lines += [f'\t\t\tlabel = "{part.name}";',
              f"\t\t\treg = <{part.offset:#x} {part.size:#x}>;",
              "\t\t};"]
    return lines


def _table(plan: MemoryMapPlan) -> list[str]:
    rows = [f" * &{plan.internal_node} ({hex_size(plan.internal_size)}, "
            f"erase block {human_size(plan.erase_block)}):"]
    rows += [f" *   {p.label:<18} {p.offset:#9x} {hex_size(p.size)}" for p in plan.internal]
    rows.append(f" * &{plan.flash_node} ({human_size(plan.flash_size)}):")
    rows += [f" *   {p.label:<18} {p.offset:#9x} {hex_size(p.size)}" for p in plan.external]
    return rows


def render_dtsi(plan: MemoryMapPlan, header: str,
                mcuboot_overlay: str = "sysbuild/mcuboot.overlay") -> str:
    """The shared include. ``header`` is the "written by" line."""
    lines = [
        "/*",
        f" * {header}",
        f" * MCUboot memory map for {plan.board_title} ({plan.target}): devicetree",
        " * partitions, no Partition Manager (NCS 3.4 and later). The application's",
        f" * board overlay and {mcuboot_overlay} both include this file,",
        " * so the two images are always built with the same slots.",
        " * slot1_partition must stay exactly as large as slot0_partition.",
        f" * It replaces all partitions of &{plan.internal_node}; add your own here.",
        *([f" * &{plan.internal_node} is set to the whole {hex_size(plan.node_size)}, as NCS's "
           "smp_svr memory map does", " * (nothing is left for code of the FLPR core)."]
          if plan.node_size is not None else []),
        " *",
        *_table(plan),
        " */",
        "",
        f"&{plan.internal_node} {{",
    ]
    if plan.node_size is not None:
        lines += [f"\treg = <0x0 {plan.node_size:#x}>;",
                  f"\tranges = <0x0 0x0 {plan.node_size:#x}>;"]
    lines += [
        "\t/delete-node/ partitions;",
        "",
        "\tpartitions {",
        "\t\tranges;",
        "\t\t#address-cells = <1>;",
        "\t\t#size-cells = <1>;",
    ]
    for part in plan.internal:
        lines.append("")
        lines += _part_lines(part, mapped=True)
    lines += [
        "\t};",
        "};",
        "",
        f"&{plan.flash_node} {{",
        '\tstatus = "okay";',
        "",
        "\tpartitions {",
        '\t\tcompatible = "fixed-partitions";',
        "\t\t#address-cells = <1>;",
        "\t\t#size-cells = <1>;",
    ]
    for part in plan.external:
        lines.append("")
        lines += _part_lines(part, mapped=False)
    lines += ["\t};", "};", ""]
    return "\n".join(lines)
