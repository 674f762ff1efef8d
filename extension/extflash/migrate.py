"""``migrate --to dts``: a Partition Manager layout re-expressed as devicetree
partitions without moving a byte. Pure functions: a ``model.MemoryMap`` in,
a ``DtsMap`` (and its ``.dtsi`` text) out, or ``MigrationRefused`` with the
reason when devicetree cannot say the same thing.

Conventions, each from NCS's own sources:

- Names: sdk-nrf ``scripts/pm_to_dts.py`` v0.06 (commit 1b8fe418)
  ``NAME_EXCHANGE``/``LABEL_EXCHANGE`` (``extflash.partition_names``).
- The MCUboot pad: pm_to_dts.py folds ``mcuboot_pad`` into ``slot0_partition``
  ("Adjust for MCUboot": address -= pad, size += pad), so slot 0 starts where
  ``mcuboot_primary`` starts and is exactly as large: NCS 3.4 signs DTS images
  for the whole slot with the header in it (release notes 3.4.0, "--rom-fixed"
  with the slot address), and ``CONFIG_PM_PARTITION_SIZE_MCUBOOT_PAD`` no
  longer exists. ``app``, ``mcuboot_primary_app`` and the other Partition
  Manager bookkeeping entries have no node of their own.
- TF-M (nRF91 ``/ns``): ``slot0_partition`` becomes a ``fixed-subpartitions``
  container with ``ranges`` holding ``slot0_s_partition`` (``tfm_secure``) and
  ``slot0_ns_partition`` (``tfm_nonsecure``), as pm_to_dts.py writes it and as
  zephyr ``dts/bindings/mtd/fixed-subpartitions.yaml`` documents; the
  application's ``zephyr,code-partition`` is ``slot0_ns_partition``. Any
  partition wholly inside another is nested the same way; partitions that
  overlap without one containing the other are refused.
- NCS 3.4 and later (Zephyr 4.4): internal NVM partitions are
  ``compatible = "zephyr,mapped-partition"`` children of the flash node's
  ``partitions { ranges; }`` group; external NOR partitions are children of a
  ``compatible = "fixed-partitions"`` node under the chip
  (sdk-nrf ``samples/dfu/smp_svr/sysbuild/nrf54l15dk_nrf54l10_memory_map_ext_flash.dtsi``
  @b270c7e, ``doc/nrf/app_dev/bootloaders_dfu/mcuboot_nsib/bootloader_partitioning.rst``
  from PR #30737). Before 3.4 (Zephyr <= 4.3, e.g. NCS 2.7 with Zephyr 3.6.99
  which has no ``zephyr,mapped-partition`` and no ``fixed-subpartitions``
  binding) both are plain ``fixed-partitions``.
- nRF5340 network core: its flash1 partitions as in sdk-nrf
  ``tests/modules/mcuboot/external_flash/sysbuild/empty_net_core/boards/``
  ``nrf5340dk_nrf5340_cpunet.overlay``
  @19c8fbe: ``b0n_partition``, ``bl_storage: provision_partition`` and the
  network-core application as ``s0_partition`` ("image-0") behind b0n.
- ``mcuboot_primary_1`` (``ram_flash``) is the network core's RAM staging
  area, not flash: NCS's own ``modules/mcuboot/flash_sim.overlay`` defines
  ``slot2_partition`` in DTS builds, so it is not written (a note says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extflash.errors import ExtflashError
from extflash.model import EXTERNAL_FLASH, FLASH_PRIMARY, RAM_FLASH, MemoryMap
from extflash.partition_names import (
    PM2DTS,
    PM_ONLY,
    dts_label,
    dts_label_property,
    is_free_space,
)
from extflash.units import hex_addr, hex_size

CONTAINER_COMPAT = "fixed-subpartitions"
MAPPED_COMPAT = "zephyr,mapped-partition"
FIXED_COMPAT = "fixed-partitions"
# Network core (CPUNET domain) names: sdk-nrf empty_net_core cpunet overlay @19c8fbe
NETCORE_APP = "app"
NETCORE_APP_LABEL = ("s0_partition", "image-0")
PROVISION_EXTRA_LABEL = "bl_storage"  # pm_to_dts.py: 'provision': 'bl_storage: provision_partition'


class MigrationRefused(ExtflashError):
    """Devicetree cannot express this layout as it is; nothing is written."""


# Before NCS 3.4 the nRF Secure Immutable Bootloader's signing and provisioning
# steps read Partition Manager's values: NCS 2.7.0 nrf/cmake/sysbuild/
# b0_mcuboot_signing.cmake:69 and provision_hex.cmake:84 use
# $<TARGET_PROPERTY:partition_manager,...>, and a build with
# SB_CONFIG_PARTITION_MANAGER=n fails at configure time ("Target
# "partition_manager" not found"; measured with real NCS 2.7.0 on Thingy:53).
NSIB_PARTITIONS = ("b0", "b0n")


def check_nsib(mm: MemoryMap, mapped: bool, source: str) -> None:
    found = [n for n in NSIB_PARTITIONS if n in mm.name2partition]
    if found and not mapped:
        raise MigrationRefused(
            f"the layout has the nRF Secure Immutable Bootloader ({', '.join(found)}), whose "
            "signing and provisioning need Partition Manager before NCS 3.4 "
            "(nrf/cmake/sysbuild/b0_mcuboot_signing.cmake, provision_hex.cmake)", path=source,
            hint="keep Partition Manager on this NCS version, or migrate for NCS 3.4 or later "
                 "(--ncs-version 3.4.0)")


@dataclass
class DtPart:
    """One partition node. ``offset`` is relative to its parent (the device,
    or the container for a nested partition); ``address`` is absolute."""

    labels: tuple[str, ...]
    name: str  # the "label" property
    pm_name: str
    address: int
    size: int
    offset: int = 0
    children: list[DtPart] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.address + self.size


@dataclass
class DeviceMap:
    """The partitions of one flash device. node: its devicetree label
    (``flash0``, ``mx25r64``, ``flash1``); base: its absolute address (0 for
    a NOR chip, whose partitions are offsets in the chip); mapped: internal
    NVM in the NCS >= 3.4 ``zephyr,mapped-partition`` style."""

    node: str
    base: int
    internal: bool
    parts: list[DtPart]


@dataclass
class DtsMap:
    devices: list[DeviceMap]
    mapped: bool  # NCS >= 3.4 syntax
    notes: list[str] = field(default_factory=list)

    def part(self, label: str) -> DtPart | None:
        return next((p for d in self.devices for p in _flat(d.parts) if label in p.labels), None)

    @property
    def code_partition(self) -> str:
        """The application's ``zephyr,code-partition``."""
        return "slot0_ns_partition" if self.part("slot0_ns_partition") else "slot0_partition"


def convert(mm: MemoryMap, *, region2node: dict[str, tuple[str, int]], mapped: bool,
            netcore: bool = False, source: str = "partitions.yml",
            referenced: list[tuple[str, str, int, int]] = ()) -> DtsMap:
    """One Partition Manager domain's map -> its devicetree map.

    region2node: region name -> (devicetree label of the flash device, its
    absolute base address), from the build's own devicetree (/chosen).
    referenced: devicetree partitions the image's devicetree refers to by
    label (an fstab's ``partition = <&lfs1_part>``): Partition Manager did not
    move them, so they keep their devicetree place, nested in the partition
    that contains them, or merged with one over the same bytes.
    """
    notes: list[str] = []
    has_b0n = "b0n" in mm.name2partition
    region2parts: dict[str, list[DtPart]] = {}
    for name, part in mm.name2partition.items():
        if is_free_space(name, part.region):
            continue
        if part.region == RAM_FLASH:
            notes.append(
                f"{dts_label(name)} ({name}, {part.region} {hex_addr(part.address)}, "
                f"{hex_size(part.size)}) is the network core's RAM staging area, not flash: "
                "NCS defines slot2_partition itself in devicetree builds (sdk-nrf "
                "modules/mcuboot/flash_sim.overlay); it is not written")
            continue
        if part.region not in (FLASH_PRIMARY, EXTERNAL_FLASH):
            if part.region.startswith("sram") or part.region == "otp":
                continue
            raise MigrationRefused(
                f"partition {name} is in region {part.region}, which has no devicetree flash "
                f"device that migrate knows", path=source,
                hint="describe that region's partitions by hand, or keep Partition Manager")
        if netcore and name == NETCORE_APP:
            # NCS's test names it s0_partition (behind b0n); pm_to_dts.py and the
            # nRF5340 network-core board devicetree (zephyr,code-partition) slot0_partition
            labels, prop = (("slot0_partition", NETCORE_APP_LABEL[0]), NETCORE_APP_LABEL[1]) \
                if has_b0n else (("slot0_partition",), "image-0")
        elif name in PM_ONLY:
            continue
        else:
            labels = (dts_label(name),)
            prop = dts_label_property(name)
            if name == "provision":
                labels = (PROVISION_EXTRA_LABEL, *labels)
        if part.region not in region2node:
            raise MigrationRefused(
                f"partition {name} is in {part.region}, but the build's devicetree names no "
                "flash device for that region (/chosen zephyr,flash or nordic,pm-ext-flash)",
                path=source, hint="give the board with -b and use --static, or fix the build")
        region2parts.setdefault(part.region, []).append(
            DtPart(labels, prop, name, part.address, part.size))
    written = {label for parts in region2parts.values() for p in parts for label in p.labels}
    for region, label, address, size in referenced:
        if label in written or region not in region2parts:
            continue
        region2parts[region].append(DtPart((label,), label.replace("_", "-"),
                                           f"{label} (devicetree)", address, size))
        notes.append(f"{label} ({region} {hex_addr(address)}, {hex_size(size)}) is referred to "
                     "in the build's zephyr.dts; Partition Manager did not place it, so it keeps "
                     "its devicetree place")
    devices = []
    for region in (FLASH_PRIMARY, EXTERNAL_FLASH):
        parts = region2parts.get(region)
        if not parts:
            continue
        node, base = region2node[region]
        parts = _dedupe(parts, notes)
        top = _nest(parts, source, mapped)
        internal = region == FLASH_PRIMARY
        for p in top:
            if internal and p.address < base:
                raise MigrationRefused(
                    f"{p.pm_name} starts at {hex_addr(p.address)}, below &{node}'s base "
                    f"{hex_addr(base)}", path=source, hint="check the board's flash node")
            p.offset = p.address - base if internal else p.address
        devices.append(DeviceMap(node, base if internal else 0, internal, top))
    dm = DtsMap(devices, mapped, notes)
    if not netcore and devices:
        for needed in ("boot_partition", "slot0_partition"):
            if dm.part(needed) is None:
                raise MigrationRefused(
                    f"the layout has no {needed} ("
                    f"{'mcuboot' if needed == 'boot_partition' else 'mcuboot_primary'}): "
                    "migrate moves MCUboot layouts", path=source,
                    hint="build with SB_CONFIG_BOOTLOADER_MCUBOOT=y first")
    return dm


def _dedupe(parts: list[DtPart], notes: list[str]) -> list[DtPart]:
    """Partitions over exactly the same bytes become one node with all their
    labels (``s0_image`` and ``mcuboot`` with NSIB; the network core's ``app``
    and its image partition ``ipc_radio``), so every name code uses still
    resolves; devicetree partitions cannot overlap."""
    kept: dict[tuple[int, int], DtPart] = {}
    for p in sorted(parts, key=lambda p: (p.address, -p.size)):
        key = (p.address, p.size)
        other = kept.get(key)
        if other is None:
            kept[key] = p
            continue
        if p.pm_name in PM2DTS and other.pm_name not in PM2DTS:  # NCS's name first
            p, other = other, p
            kept[key] = other
        other.labels = tuple(dict.fromkeys((*other.labels, *p.labels)))
        notes.append(f"{p.pm_name} and {other.pm_name} cover the same bytes "
                     f"({hex_addr(p.address)}, {hex_size(p.size)}): one node with the labels "
                     f"{', '.join(other.labels)}")
    return sorted(kept.values(), key=lambda p: (p.address, -p.size))


def _nest(parts: list[DtPart], source: str, mapped: bool) -> list[DtPart]:
    top: list[DtPart] = []
    stack: list[DtPart] = []
    for p in parts:  # sorted by address, larger first
        while stack and p.address >= stack[-1].end:
            stack.pop()
        if stack:
            parent = stack[-1]
            if p.end > parent.end:
                raise MigrationRefused(
                    f"{p.pm_name} ({hex_addr(p.address)}-{hex_addr(p.end)}) overlaps "
                    f"{parent.pm_name} ({hex_addr(parent.address)}-{hex_addr(parent.end)}) "
                    "without lying inside it; devicetree partitions cannot overlap",
                    path=source, hint="fix the overlap in pm_static.yml first "
                                      "(west extflash verify --static)")
            if not mapped:
                raise MigrationRefused(
                    f"{p.pm_name} lies inside {parent.pm_name}: nested partitions need the "
                    "fixed-subpartitions binding, which this Zephyr (NCS before 3.4) does not "
                    "have", path=source,
                    hint="keep Partition Manager on this NCS version, or migrate for NCS 3.4 "
                         "or later (--ncs-version 3.4.0)")
            p.offset = p.address - parent.address
            parent.children.append(p)
        else:
            top.append(p)
        stack.append(p)
    return top


# ------------------------------------------------------------------ text


def render(dm: DtsMap, header: list[str]) -> str:
    """The shared ``.dtsi``: every device's partitions replace the board's."""
    lines = ["/*", *[f" * {h}" if h else " *" for h in header], " *"]
    for d in dm.devices:
        lines.append(f" * &{d.node}" + (f" (base {hex_addr(d.base)})" if d.internal else "")
                     + ":")
        for p in _flat(d.parts):
            lines.append(f" *   {p.labels[0]:<22} {hex_addr(p.address):>10}  {hex_size(p.size)}"
                         f"  ({p.pm_name})")
    lines += [" */", ""]
    for d in dm.devices:
        lines += [f"&{d.node} {{", "\t/delete-node/ partitions;", "", "\tpartitions {"]
        if d.internal and dm.mapped:
            lines.append("\t\tranges;")
        else:
            lines.append(f'\t\tcompatible = "{FIXED_COMPAT}";')
        lines += ["\t\t#address-cells = <1>;", "\t\t#size-cells = <1>;"]
        for p in d.parts:
            lines.append("")
            lines += _node(p, 2, mapped_leaf=d.internal and dm.mapped)
        lines += ["\t};", "};", ""]
    return "\n".join(lines)


def _flat(parts):
    for p in parts:
        yield p
        yield from _flat(p.children)


def _node(p: DtPart, depth: int, mapped_leaf: bool) -> list[str]:
    t = "\t" * depth
    labels = "".join(f"{lab}: " for lab in p.labels)
    out = [f"{t}{labels}partition@{p.offset:x} {{"]
    if p.children:
        out.append(f'{t}\tcompatible = "{CONTAINER_COMPAT}";')
    elif mapped_leaf:
        out.append(f'{t}\tcompatible = "{MAPPED_COMPAT}";')
    out += [f'{t}\tlabel = "{p.name}";', f"{t}\treg = <{p.offset:#x} {p.size:#x}>;"]
    if p.children:
        out += [f"{t}\tranges = <0x0 {p.offset:#x} {p.size:#x}>;",
                f"{t}\t#address-cells = <1>;", f"{t}\t#size-cells = <1>;"]
        for c in p.children:
            out.append("")
            out += _node(c, depth + 1, mapped_leaf=False)
    out.append(f"{t}}};")
    return out
