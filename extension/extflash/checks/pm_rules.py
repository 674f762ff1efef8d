"""Partition Manager's own rules, as its code implements them: the facts the
EXF1xx checks judge a layout by. Pure functions over model objects.

Every rule names the sdk-nrf source it rests on. "v2.7.0" is the NCS 2.7.0
tree built here (/work/shared/tools/ncs-real: nrf/scripts/partition_manager.py,
nrf/cmake/sysbuild/partition_manager.cmake, nrf/cmake/partition_manager.cmake);
the rules quoted below are unchanged in sdk-nrf main (read through the code
search, 2026).

1. Regions (``add_region`` in cmake/sysbuild/partition_manager.cmake v2.7.0,
   and cmake/partition_manager.cmake for child-image builds): flash_primary,
   sram_primary, otp (SoCs with UICR OTP), external_flash (only when the
   application's devicetree has an enabled ``nordic,pm-ext-flash`` chosen:
   ``CONFIG_PM_EXTERNAL_FLASH_ENABLED``), ram_flash (only with
   ``SB_CONFIG_NETCORE_APP_UPDATE`` / the nRF5340 network-core update);
   bootconf on nRF54L (later NCS).
2. Partitions of a region PM was not given are dropped: ``solve_region``
   only solves ``{k: v for k, v in pm_config.items() if region in v['region']}``
   for each region passed on the command line (partition_manager.py v2.7.0,
   ``main``/``solve_region``); nothing reports the rest.
3. The dynamic partition (``app``, or the region's ``dynamic_partition``)
   in a static file is ignored: ``get_dynamic_area_start_and_size`` leaves it
   out of the gap search and ``solve_complex_region`` merges the static
   file ``if name != dp``; ``app`` gets the one gap that remains.
4. A partition with ``span`` is a container: its extent is that of its
   children (``set_sub_partition_address_and_size``), ``inside: [c]`` adds a
   partition to container c's span (``solve_inside``), and containers are left
   out of the gap search (``'span' not in config.keys()``). A container
   contains its children; it does not overlap them. A static container is
   frozen as written: a partition that is not one of its children and lies
   inside it overlaps it for real.
5. A partition named after a region (``external_flash``, ``sram_primary``)
   is the region's free space (``solve_simple_region`` creates it; "Found
   partition named X, this is the name of a region, and is a reserved name"
   unless the static file defines it). It may lie over other partitions, but
   like any partition it must lie inside its region.
6. Static files are read with ``yaml.safe_load`` (``load_static_configuration``)
   and are not run through the C preprocessor that expands ``CONFIG_*`` in
   the ``pm.yml`` files (cmake/partition_manager.cmake): a Kconfig name
   where a size belongs stays a string, and PM's arithmetic on it fails.
"""

from __future__ import annotations

import re

from extflash.model import (
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    RAM_FLASH,
    MemoryMap,
    Partition,
)

# Rule 1: the regions any NCS version creates (bootconf: nRF54L, NCS >= 2.8).
PM_REGIONS = frozenset({FLASH_PRIMARY, "sram_primary", "otp", EXTERNAL_FLASH, RAM_FLASH,
                        "bootconf"})
# Rule 3: the name every configuration uses for the dynamic partition.
DYNAMIC_PARTITION = "app"
# Alignment gaps PM writes itself ('EMPTY_{}'.format(n), partition_manager.py
# v2.7.0 get_empty_part_to_move_dyn_part): they may fall between a
# container's children and belong to no one.
GAP_PREFIX = "EMPTY_"
# Containers MCUboot erases and rewrites as a whole: its slots (and their
# _app parts, and b0's s0/s1 slots that hold MCUboot). A partition inside one
# of them that is not its child is overwritten by the next update. Other
# containers (tfm_nonsecure, sram_nonsecure, nrf_modem_lib_sram) describe
# access rights or boot-time RAM, not bytes that are rewritten.
_SLOT_CONTAINER = re.compile(r"^(mcuboot_(primary|secondary)(_\d+)?(_app)?|s[01]|s[01]_image)$")


def placeholders(mm: MemoryMap) -> set[str]:
    """Partitions named after a region (rule 5)."""
    return {n for n in mm.name2partition if n in PM_REGIONS or n in mm.name2region}


def children(mm: MemoryMap, name: str, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Every partition container ``name`` holds, through nested containers
    and ``inside`` (rule 4)."""
    part = mm.name2partition.get(name)
    if part is None or name in _seen:
        return set()
    direct = set(part.span) | {n for n, p in mm.name2partition.items() if name in p.inside}
    result = set(direct)
    for child in direct:
        result |= children(mm, child, _seen | {name})
    return result


def is_leaf(mm: MemoryMap, part: Partition, *, static: bool) -> bool:
    """A partition that really occupies its bytes: not a container, not a
    region's free space, not empty, and not ``app`` in a static file."""
    if part.is_container or part.size <= 0 or part.name in placeholders(mm):
        return False
    return not (static and part.name == DYNAMIC_PARTITION)


def overlaps(a: Partition, b: Partition) -> int:
    """Bytes ``a`` and ``b`` share (0 when disjoint)."""
    return max(0, min(a.end, b.end) - max(a.address, b.address))


def containers(mm: MemoryMap) -> list[Partition]:
    """The frozen containers checked against foreign partitions (rule 4):
    MCUboot's slot containers that have a ``span`` in this file, except one
    spanning a region's free space (rule 5). A static container keeps the
    extent written in the file, even one that spans ``app``:
    ``solve_complex_region`` merges static entries unchanged."""
    marks = placeholders(mm)
    return [p for p in mm.name2partition.values()
            if p.is_container and p.name not in marks and p.size > 0
            and _SLOT_CONTAINER.match(p.name) and not set(p.span) & marks]


def is_gap(part: Partition) -> bool:
    return part.name.startswith(GAP_PREFIX)


def is_flat_container(part: Partition) -> bool:
    """One of MCUboot's containers written without its span (static-file-invalid
    reports it once; its overlaps with what it should contain are that cause)."""
    return part.name in MCUBOOT_CONTAINERS and not part.is_container


# Rule 7 (partition_manager.py v2.7.0 get_dynamic_area_start_and_size): in a
# static file, the partitions of a region with a dynamic partition (every
# partition except app and the span containers) must leave exactly one gap
# between the region's start and its end, where app goes ("Incorrect amount
# of gaps found in static configuration"). Without the chip's flash size only
# the gaps before the last partition's end are known: two of them already
# make Partition Manager fail, whatever the chip.
NETCORE_FLASH_BASE = 0x1000000  # nRF5340 network core flash_primary base (regions_CPUNET.yml)


def interior_gaps(mm: MemoryMap, region: str = FLASH_PRIMARY) -> list[tuple[int, int]]:
    """The gaps PM's gap search finds between the region's base and the end
    of the last static partition (the tail beyond it depends on the chip)."""
    proper = [p for p in mm.name2partition.values()
              if p.region == region and not p.is_container and p.name != DYNAMIC_PARTITION]
    if not proper:
        return []
    base = NETCORE_FLASH_BASE if min(p.address for p in proper) >= NETCORE_FLASH_BASE else 0
    top = max(p.end for p in proper)
    starts = {top} | {p.address for p in proper}
    ends = {base} | {p.end for p in proper}
    return list(zip(sorted(ends - starts), sorted(starts - ends), strict=False))


# MCUboot's pm.yml (sdk-mcuboot v2.1.0-ncs1 boot/zephyr/pm.yml) defines these
# as containers; written without span they hold nothing, and app has no room.
MCUBOOT_CONTAINERS = {"mcuboot_primary": ("mcuboot_pad", "mcuboot_primary_app"),
                      "mcuboot_primary_app": (DYNAMIC_PARTITION,)}
