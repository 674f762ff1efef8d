"""EXF1xx: the partition layout (slots and regions), for Partition Manager
maps and devicetree maps alike (through checks/slots.py)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from extflash.checks import docs, mcuboot_modes, pm_rules, slots
from extflash.checks.base import Check
from extflash.model import (
    EXTERNAL_FLASH,
    PRIMARY_1,
    SECONDARY,
    SECONDARY_1,
    Build,
    Finding,
    Partition,
    Partitioning,
    Role,
    Severity,
)
from extflash.units import hex_addr, hex_size

SECONDARIES = frozenset({SECONDARY, SECONDARY_1, "mcuboot_secondary_2"})


def _span(p: Partition) -> str:
    return f"{hex_addr(p.address)}-{hex_addr(p.end)}"


def check_partition_overlap(build: Build) -> Iterator[Finding]:
    """What it checks
    No two partitions of one region overlap, judged the way Partition
    Manager lays them out: a container (a partition with span, such as
    mcuboot_primary or mcuboot_primary_app, and partitions placed in it
    with inside) holds its children and does not overlap them; a partition
    named after its region (external_flash, sram_primary) is that region's
    free space; app in a pm_static.yml is ignored, because Partition Manager
    places app in the one gap the static partitions leave. A partition that
    lies inside a container without being one of its children does overlap
    it.

    Why it matters
    Overlapping partitions mean an update, a settings write or a file
    system erases another partition: typically a hand-edited pm_static.yml
    (for example littlefs_storage placed over mcuboot_secondary in external
    flash, or storage added inside the frozen mcuboot_primary of an older
    static file).

    How to fix
    Move or shrink one of the two partitions in pm_static.yml so that every
    partition of the region is disjoint (or list it in the container's
    span), then rebuild pristine.

    See also
    Partition Manager: static configuration. Rules: sdk-nrf v2.7.0
    scripts/partition_manager.py (get_dynamic_area_start_and_size,
    solve_complex_region, solve_inside, set_sub_partition_address_and_size).
    """
    static = build.layout == "static"
    for mm, image in slots.maps(build):
        by_region: dict[str, list[Partition]] = {}
        for p in mm.name2partition.values():
            if pm_rules.is_leaf(mm, p, static=static):
                by_region.setdefault(p.region, []).append(p)
        for region, parts in sorted(by_region.items()):
            parts.sort(key=lambda p: (p.address, p.name))
            for a, b in combinations(parts, 2):
                shared = pm_rules.overlaps(a, b)
                if not shared or pm_rules.is_gap(a) or pm_rules.is_gap(b):
                    continue  # an EMPTY_n alignment gap is nobody's: PM lays data over it
                if pm_rules.is_flat_container(a) or pm_rules.is_flat_container(b):
                    continue  # static-file-invalid reports the missing span once
                both_staging = {a.name, b.name} <= SECONDARIES
                yield PARTITION_OVERLAP.finding(
                    f"{a.name} ({_span(a)}) and {b.name} ({_span(b)}) overlap by "
                    f"{hex_size(shared)} in region {region}"
                    + ("; both are MCUboot update slots, so they can never hold pending "
                       "updates at the same time (an upload to one overwrites the other)"
                       if both_staging else ""),
                    hint=f"move {b.name} or shrink {a.name} in pm_static.yml so they are "
                         f"disjoint",
                    location=b.location, image=image.name if image else None,
                    severity=Severity.WARNING if both_staging else None)
        # one finding per container set: partitions added after the layout was frozen
        # all land in the same too-large container (one cause, one fix)
        groups: dict[tuple[str, ...], list] = {}
        for p, boxes in _foreign_in_containers(mm, by_region):
            groups.setdefault(tuple(b.name for b in boxes), []).append((p, boxes))
        for members in groups.values():
            boxes = members[0][1]
            names = ", ".join(f"{b.name} ({_span(b)})" for b in boxes)
            them = "it" if len(boxes) == 1 else "them"
            span = ", ".join(sorted(boxes[0].span))
            if len(members) == 1:
                p = members[0][0]
                yield PARTITION_OVERLAP.finding(
                    f"{p.name} ({_span(p)}) lies inside {names} without being part of {them} "
                    f"(span: {span}): MCUboot rewrites the whole slot at the next update, and "
                    f"{p.name} with it",
                    hint=f"move {p.name} out of {boxes[0].name} in pm_static.yml (a static "
                         "container keeps the extent written in the file)",
                    location=p.location, image=image.name if image else None)
                continue
            parts = [p for p, _ in members]
            first = min(p.address for p in parts)
            yield PARTITION_OVERLAP.finding(
                f"partitions {', '.join(f'{p.name} ({_span(p)})' for p in parts)} lie inside "
                f"{names} without being part of {them} (span: {span}): MCUboot rewrites the "
                "whole slot at the next update, and these partitions with it",
                hint=f"end {' and '.join(b.name for b in boxes)} at or before {hex_addr(first)} "
                     "in pm_static.yml (a static container keeps the extent written in the "
                     "file), or move these partitions out of it",
                location=parts[0].location, image=image.name if image else None)


def _foreign_in_containers(mm, by_region) -> list[tuple[Partition, list[Partition]]]:
    """Leaves lying in a frozen slot container they are not children of."""
    p2boxes: dict[str, tuple[Partition, list[Partition]]] = {}
    for box in pm_rules.containers(mm):
        inner = pm_rules.children(mm, box.name)
        for p in by_region.get(box.region, []):
            if (p.name in inner or pm_rules.is_gap(p) or pm_rules.is_flat_container(p)
                    or not pm_rules.overlaps(box, p)):
                continue
            p2boxes.setdefault(p.name, (p, []))[1].append(box)
    return sorted(p2boxes.values(), key=lambda item: (item[0].address, item[0].name))


def check_partition_out_of_region(build: Build) -> Iterator[Finding]:
    """What it checks
    Every partition lies inside its region: flash_primary (the SoC's flash),
    external_flash (offsets from 0 up to the size of the nordic,pm-ext-flash
    device), ram_flash, sram_primary... This includes a partition named
    after its region (external_flash): it is the region's free space and
    may lie over other partitions, but not beyond the region.

    Why it matters
    A partition beyond the end of the external chip or of the internal
    flash cannot be written or read; MCUboot fails to open it at boot, or
    the update is truncated. An external_flash free-space partition that
    runs past the chip (or has a negative size) means the static file was
    written for a larger chip than the one in the devicetree.

    How to fix
    Shrink or move the partition in pm_static.yml; check that the external
    flash node's size (in bits) matches the chip.

    See also
    Partition Manager: regions. Rules: sdk-nrf v2.7.0
    scripts/partition_manager.py (solve_simple_region,
    verify_static_conf_simple).
    """
    for mm, image in slots.maps(build):
        outside: dict[str, list] = {}  # region -> partitions beyond it: one finding per region
        for p in mm.name2partition.values():
            region = mm.name2region.get(p.region)
            if region is None:
                continue
            low = region.base
            if p.region == EXTERNAL_FLASH and p.address < region.base:
                low = 0  # PM writes external partitions as offsets from the region base
            high = low + region.size
            if p.size < 0 or p.address < low or p.end > high:
                outside.setdefault(p.region, []).append((p, low, high))
        for name, parts in outside.items():
            region = mm.name2region[name]
            p, low, high = parts[0]
            where = f"region {name} ({hex_addr(low)}-{hex_addr(high)}, {hex_size(region.size)})"
            if len(parts) == 1:
                yield PARTITION_OUT_OF_REGION.finding(
                    f"{p.name} ({_span(p)}, {hex_size(p.size)}) lies outside {where}",
                    hint=f"shrink or move {p.name} in pm_static.yml to fit {name}",
                    location=p.location, image=image.name if image else None)
                continue
            # one cause: a layout written for a larger chip (or another SoC) than this build's
            end = max(q.end for q, _, _ in parts)
            listed = ", ".join(f"{q.name} ({_span(q)})" for q, _, _ in parts)
            size_fact = _region_size_fact(build, name)
            yield PARTITION_OUT_OF_REGION.finding(
                f"partitions {listed} lie outside {where}; the layout reaches "
                f"{hex_addr(end)}, so it was written for a larger "
                f"{'chip' if name == EXTERNAL_FLASH else 'flash'} than this build's"
                f"{size_fact}",
                hint=f"shrink or move {', '.join(q.name for q, _, _ in parts)} in pm_static.yml "
                     f"to fit {name}" + (", or give the nordic,pm-ext-flash node the chip's real "
                                         "size (in bits)" if name == EXTERNAL_FLASH else ""),
                location=p.location, image=image.name if image else None)


def _region_size_fact(build: Build, region: str) -> str:
    """Where sysbuild took the external region's size from: the application's
    CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS, the size (in bits) of its
    nordic,pm-ext-flash node (sdk-nrf v2.7.0 subsys/partition_manager/Kconfig,
    cmake/sysbuild/partition_manager.cmake)."""
    app = build.app
    bits = app.kconfig("CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS") if app is not None else None
    if region != EXTERNAL_FLASH or not isinstance(bits, int) or isinstance(bits, bool):
        return ""
    return (f" (the region is CONFIG_PM_EXTERNAL_FLASH_SIZE_BITS={bits} in "
            f"{slots.config_file(app)}, the nordic,pm-ext-flash node's size in bits: "
            f"{hex_size(bits // 8)})")


def _trailer_sectors(mcuboot, sector: int | None) -> int | None:
    """The primary's trailer sectors under swap-move, when every input is
    known: MCUboot's CONFIG_BOOT_MAX_IMG_SECTORS, its internal write-block-size
    (the primary's flash_area_align) and no image encryption."""
    if mcuboot is None or mcuboot.config is None or sector is None:
        return None
    limit = mcuboot.kconfig("CONFIG_BOOT_MAX_IMG_SECTORS")
    write = slots.internal_write_block(mcuboot)
    if (not isinstance(limit, int) or isinstance(limit, bool) or write is None
            or mcuboot.is_y(mcuboot_modes.ENCRYPT)):
        return None
    return mcuboot_modes.trailer_sectors(limit, write.value, sector)


def check_slot_size_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    The sizes of mcuboot_secondary and mcuboot_primary (and of the _1 pair
    of the nRF5340 network core) against the rule of MCUboot's upgrade mode,
    counted in the sectors MCUboot sees: swap-using-move accepts equal
    slots, a secondary one sector smaller, or one sector smaller than the
    part of the primary before its image trailer (with 4 KiB sectors and
    CONFIG_BOOT_MAX_IMG_SECTORS=256, two sectors smaller); swap-using-offset
    equal slots or a secondary one sector larger; swap-using-scratch and
    overwrite-only only equal slots; overwrite-only with compressed images
    (CONFIG_BOOT_DECOMPRESSION) a smaller secondary; direct-XIP and RAM load
    run an image from either slot. The mode comes from MCUboot's
    zephyr/.config; for a static file it is not known, and a difference that
    only some modes accept is a warning.

    Why it matters
    When the sizes do not fit the mode, MCUboot refuses every update at
    boot ("Cannot upgrade: not a compatible amount of sectors", "slots are
    not compatible"), or the update does not fit the slot (Image upload
    inspect failed, Hash not Found).

    How to fix
    Give the secondary the size the mode needs in pm_static.yml (usually
    exactly the primary's: keep share_size: [mcuboot_primary]), or choose
    the mode that matches the layout (SB_CONFIG_MCUBOOT_MODE_*).

    See also
    MCUboot external flash (bootloader_partitioning). Sources: sdk-mcuboot
    v2.1.0-ncs1 boot/bootutil/src/swap_move.c, swap_scratch.c, loader.c and
    boot/zephyr/Kconfig; sdk-mcuboot main swap_offset.c; sdk-nrf
    mcuboot_image_compression.rst.
    """
    mcuboot = build.mcuboot
    mode, symbol = mcuboot_modes.mode_of(mcuboot)
    b0_patch = bool(mcuboot is not None and mcuboot.pm_header
                    and "PM_S1_ADDRESS" in mcuboot.pm_header)
    for mm, image in slots.maps(build):
        for primary_name, secondary_name in slots.SLOT_PAIRS:
            primary = mm.name2partition.get(primary_name)
            secondary = mm.name2partition.get(secondary_name)
            if primary is None or secondary is None or primary.size == secondary.size:
                continue
            user = image or mcuboot
            a = slots.sector_size(build, user, primary) if user else None
            b = slots.sector_size(build, user, secondary) if user else None
            sector = a.value if a is not None and b is not None and a.value == b.value else None
            in_sectors = ""
            if sector is None and (a is not None or b is not None):
                # unequal sector sizes: sector-layout-mismatch judges the layout;
                # here only bytes can be compared
                counts = (primary.size, secondary.size)
            else:
                size = sector or slots.FALLBACK_SECTOR
                counts = (slots.sectors(primary.size, size), slots.sectors(secondary.size, size))
                if sector is not None:
                    in_sectors = (f" ({counts[1]} sectors of {sector} bytes against "
                                  f"{counts[0]})")
            skipped = None
            if (primary_name, secondary_name) == slots.SLOT_PAIRS[1] and mcuboot is not None \
                    and mcuboot.kconfig("CONFIG_MCUBOOT_NETWORK_CORE_IMAGE_NUMBER") == 1:
                skipped = ("image 1 is the nRF5340 network core "
                           "(CONFIG_MCUBOOT_NETWORK_CORE_IMAGE_NUMBER=1):")
            trailer = _trailer_sectors(mcuboot, sector) if mode is mcuboot_modes.Mode.SWAP_MOVE \
                else None
            verdict = mcuboot_modes.judge(mode, *counts, b0_patch=b0_patch, skipped=skipped,
                                          trailer=trailer)
            if verdict is None:
                continue
            smaller = secondary.size < primary.size
            where = (f"MCUboot runs {mode} ({symbol} in {slots.config_file(mcuboot)})"
                     if symbol and mcuboot is not None else "MCUboot's mode is not known here")
            yield SLOT_SIZE_MISMATCH.finding(
                f"{secondary_name} is {hex_size(secondary.size)}, "
                f"{'smaller' if smaller else 'larger'} than {primary_name} "
                f"{hex_size(primary.size)}{in_sectors}; {where}: {verdict.reason}",
                hint=f"give {secondary_name} the size of {primary_name} "
                     f"({hex_addr(primary.size)}) in {slots.where_to_fix(build, secondary)}",
                location=secondary.location, image=image.name if image else None,
                severity=verdict.severity)


def check_secondary_not_external(build: Build) -> Iterator[Finding]:
    """What it checks
    When the build asks for the secondary slot in external flash
    (``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` in sysbuild, or
    ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` in a child-image
    application), ``mcuboot_secondary`` is in region ``external_flash`` in
    ``partitions.yml``; and when it is in ``external_flash`` the option is
    set (warning otherwise).

    Why it matters
    In sysbuild the image-level option is forced by the ``SB_CONFIG_`` one:
    ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` in ``prj.conf`` is
    silently overwritten. A ``pm_static.yml`` that places the slot
    internally wins over the option. Without the option MCUboot is built
    with ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=n`` and its external
    flash driver is not defaulted on.

    How to fix
    Set ``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` in
    ``sysbuild.conf`` (child image: add the ``nordic,pm-ext-flash`` chosen
    to the application's overlay), and make ``pm_static.yml`` place
    ``mcuboot_secondary`` in ``region: external_flash``.

    See also
    Sysbuild forced options
    Sources: sdk-nrf v2.7.0 sysbuild/CMakeLists.txt (set_config_bool of
    CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY in the application and
    mcuboot from the SB_CONFIG_ option),
    subsys/partition_manager/Kconfig; sdk-mcuboot v2.1.0-ncs1
    boot/zephyr/pm.yml.
    """
    if build.partitioning is not Partitioning.PM:
        return
    secondary = slots.slot(build, SECONDARY)
    if secondary is None:
        return
    if build.layout == "sysbuild":
        symbol, where = slots.SB_EXT_SECONDARY, "zephyr/.config"
        requested = build.sb(symbol)
    else:
        app = build.app
        requested = app.kconfig(slots.EXT_SECONDARY) if app is not None else None
        symbol, where = slots.EXT_SECONDARY, slots.config_file(app) if app else "zephyr/.config"
    if requested is None:
        return
    external = slots.is_external(secondary)
    if requested is True and not external:
        yield SECONDARY_NOT_EXTERNAL.finding(
            f"{symbol}=y in {where}, but mcuboot_secondary is in region {secondary.region} "
            f"at {hex_addr(secondary.address)} in "
            f"{secondary.location.file if secondary.location else 'partitions.yml'}",
            hint="place mcuboot_secondary in region: external_flash in pm_static.yml "
                 "(or remove it there and let Partition Manager place it)",
            location=secondary.location)
    elif requested is not True and external:
        yield SECONDARY_NOT_EXTERNAL.finding(
            f"mcuboot_secondary is in region external_flash, but {symbol} is not set in {where}",
            hint=f"set {symbol}=y" + (" in sysbuild.conf" if symbol.startswith("SB_") else
                                      " (add the nordic,pm-ext-flash chosen to the app overlay)"),
            location=secondary.location, severity=Severity.WARNING)


def check_netcore_slots_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    When MCUboot is built for more than one image
    (``CONFIG_UPDATEABLE_IMAGE_NUMBER`` > 1 in ``mcuboot/zephyr/.config``,
    the nRF5340 network-core update), the layout has both
    ``mcuboot_primary_1`` (region ``ram_flash``) and ``mcuboot_secondary_1``.

    Why it matters
    Without them MCUboot does not compile (``'PM_MCUBOOT_PRIMARY_1_ID'
    undeclared``) or silently refuses the update: a static
    layout written before the network-core update was enabled lacks them.

    How to fix
    Add ``mcuboot_primary_1`` (``region: ram_flash``, size of
    ``CONFIG_NRF53_RAM_FLASH_SIZE``) and ``mcuboot_secondary_1`` (``region:
    external_flash``, same size) to ``pm_static.yml``, or lower
    ``SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES``.

    See also
    Simultaneous multi-image DFU with the nRF5340 DK
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/zephyr/pm.yml
    (mcuboot_primary_1, mcuboot_secondary_1); sdk-nrf v2.7.0
    modules/mcuboot/boot/zephyr/Kconfig (NRF53_MULTI_IMAGE_UPDATE
    selects NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH).
    """
    mcuboot = build.mcuboot
    if mcuboot is None or slots.slot_map(build, mcuboot) is None:
        return
    count = mcuboot.kconfig("CONFIG_UPDATEABLE_IMAGE_NUMBER")
    if not isinstance(count, int) or isinstance(count, bool) or count < 2:
        return
    # the second image is the nRF5340 network core only there; with b0 on
    # other SoCs it is MCUboot's own s0/s1 update
    if not (mcuboot.is_y("CONFIG_SOC_NRF5340_CPUAPP") or build.images(Role.NETCORE)
            or build.sb("SB_CONFIG_NETCORE_APP_UPDATE") is True):
        return
    absent = [n for n in (PRIMARY_1, SECONDARY_1) if slots.slot(build, n, mcuboot) is None]
    if absent:
        hint = "add " + " and ".join(absent) + " to pm_static.yml (ram_flash / external_flash)"
        if build.partitioning is Partitioning.DTS:
            hint = ("add slot3_partition after slot1_partition in the external flash memory map, "
                    "and enable the nRF5340 network core update (SB_CONFIG_NETCORE_APP_UPDATE=y, "
                    "which gives MCUboot slot2_partition in its zephyr,sim-flash)")
        why = ""
        mm = slots.slot_map(build, mcuboot)
        if build.partitioning is Partitioning.PM and mm is not None and mm.name2region:
            # PM drops partitions of regions it was not given (checks/pm_rules.py rule 2)
            lost = [r for n, r in ((PRIMARY_1, "ram_flash"), (SECONDARY_1, EXTERNAL_FLASH))
                    if n in absent and r not in mm.name2region]
            if lost:
                why = (f": Partition Manager had no {' and no '.join(lost)} region, so it dropped "
                       "them (sysbuild adds ram_flash only with SB_CONFIG_NETCORE_APP_UPDATE=y, "
                       "external_flash only with the nordic,pm-ext-flash chosen in the "
                       "application)")
            else:
                why = ": a pm_static.yml written before the network-core update was enabled?"
        yield NETCORE_SLOTS_MISSING.finding(
            f"CONFIG_UPDATEABLE_IMAGE_NUMBER={count} in {slots.config_file(mcuboot)}, but the "
            f"layout has no {' and no '.join(absent)}{why}",
            hint=hint,
            location=mcuboot.config_at("CONFIG_UPDATEABLE_IMAGE_NUMBER"), image=mcuboot.name)


def check_pad_size_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    ``SB_CONFIG_PM_MCUBOOT_PAD`` (the header size sysbuild signs images
    with: 0x200, 0x800 on nRF54L) equals the size of ``mcuboot_pad`` in
    the layout (``PM_MCUBOOT_PAD_SIZE`` in ``pm.config``).

    Why it matters
    NCS warns "MCUboot padding partition size is X but signing uses Y":
    images are signed with a header that does not match where the
    application really starts, so MCUboot rejects them or jumps wrongly.
    Usually a ``pm_static.yml`` copied from another SoC series.

    How to fix
    Make ``mcuboot_pad`` in ``pm_static.yml`` the size of
    ``SB_CONFIG_PM_MCUBOOT_PAD`` (and shift the app partition), or set
    ``SB_CONFIG_PM_MCUBOOT_PAD`` to match.

    See also
    Partition Manager: static configuration
    Source: sdk-nrf v2.7.0 cmake/sysbuild/partition_manager.cmake (the
    warning "MCUboot padding partition size is ...").
    """
    configured = build.sb("SB_CONFIG_PM_MCUBOOT_PAD")
    if not isinstance(configured, int) or isinstance(configured, bool):
        return
    mm = slots.slot_map(build)
    pad = mm.name2partition.get("mcuboot_pad") if mm else None
    if pad is None or pad.size == configured:
        return
    yield PAD_SIZE_MISMATCH.finding(
        f"mcuboot_pad is {hex_size(pad.size)} but SB_CONFIG_PM_MCUBOOT_PAD={hex_addr(configured)} "
        "in zephyr/.config (images are signed with that header size)",
        hint=f"make mcuboot_pad {hex_addr(configured)} in pm_static.yml, or set "
             f"SB_CONFIG_PM_MCUBOOT_PAD={hex_addr(pad.size)} in sysbuild.conf",
        location=pad.location)


def check_foreign_netcore_slots(build: Build) -> Iterator[Finding]:
    """What it checks
    A layout with nRF5340 network-core update slots (``mcuboot_primary_1``
    in region ``ram_flash``) is built for an nRF5340 application core, or at
    least for an MCUboot that updates more than one image.

    Why it matters
    ``mcuboot_primary_1`` in ``ram_flash`` exists only for the nRF5340
    network-core update (the RAM "flash" the network core is staged
    through). On another SoC it is a layout copied from an nRF5340 project
    (for example ``tests/modules/mcuboot/external_flash``'s Thingy:53 file):
    the slots waste external flash, and DFU tools that read the layout
    offer an image the device cannot take (``Image upload inspect
    failed: 5``).

    How to fix
    Generate the layout for your SoC: remove ``mcuboot_primary_1``,
    ``mcuboot_secondary_1`` and the ``ram_flash`` entries from
    ``pm_static.yml`` (or start from this build's ``partitions.yml``).

    See also
    Partition Manager: static configuration
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/zephyr/pm.yml
    (mcuboot_primary_1 in ram_flash only with
    CONFIG_NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH); sdk-nrf v2.7.0
    modules/mcuboot/boot/zephyr/Kconfig (NRF53_MULTI_IMAGE_UPDATE
    depends on SOC_NRF5340_CPUAPP).
    """
    mcuboot = build.mcuboot
    if build.partitioning is not Partitioning.PM or mcuboot is None or mcuboot.config is None:
        return
    primary_1 = slots.slot(build, PRIMARY_1, mcuboot)
    if primary_1 is None or primary_1.region != "ram_flash":
        return
    if mcuboot.is_y("CONFIG_SOC_SERIES_NRF53X") or mcuboot.is_y("CONFIG_SOC_NRF5340_CPUAPP"):
        return
    count = mcuboot.kconfig("CONFIG_UPDATEABLE_IMAGE_NUMBER", 1)
    if isinstance(count, int) and not isinstance(count, bool) and count > 1:
        return
    soc = mcuboot.kconfig("CONFIG_SOC") or "a SoC without a network core"
    yield FOREIGN_NETCORE_SLOTS.finding(
        f"the layout has {PRIMARY_1} in region ram_flash (an nRF5340 network-core update slot), "
        f"but MCUboot is built for {soc} with CONFIG_UPDATEABLE_IMAGE_NUMBER={count} "
        f"in {slots.config_file(mcuboot)}",
        hint=f"remove {PRIMARY_1}, {SECONDARY_1} and ram_flash from pm_static.yml",
        location=primary_1.location)


def _check(code, name, severity, summary, hint, page, function) -> Check:
    return Check(code, name, severity, summary, hint, docs.url(page), function)


PARTITION_OVERLAP = _check(
    "EXF101", "partition-overlap", Severity.ERROR, "two partitions of one region overlap",
    "move or shrink one of them in pm_static.yml", docs.PM_STATIC, check_partition_overlap)
PARTITION_OUT_OF_REGION = _check(
    "EXF102", "partition-out-of-region", Severity.ERROR,
    "a partition extends beyond its region (internal flash or external chip)",
    "shrink or move the partition in pm_static.yml", docs.PM_REGIONS,
    check_partition_out_of_region)
SLOT_SIZE_MISMATCH = _check(
    "EXF103", "slot-size-mismatch", Severity.ERROR,
    "mcuboot_secondary[_1] and mcuboot_primary[_1] sizes do not suit MCUboot's upgrade mode",
    "give the secondary the size of the primary in pm_static.yml", docs.MCUBOOT_EXTERNAL_FLASH,
    check_slot_size_mismatch)
SECONDARY_NOT_EXTERNAL = _check(
    "EXF104", "secondary-not-external", Severity.ERROR,
    "external secondary requested but mcuboot_secondary is not in external_flash (or vice versa)",
    "set SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y and place mcuboot_secondary in "
    "external_flash",
    docs.SYSBUILD_FORCED, check_secondary_not_external)
NETCORE_SLOTS_MISSING = _check(
    "EXF105", "netcore-slots-missing", Severity.ERROR,
    "MCUboot updates two images but mcuboot_primary_1/mcuboot_secondary_1 are missing",
    "add mcuboot_primary_1 (ram_flash) and mcuboot_secondary_1 (external_flash) to pm_static.yml",
    docs.NRF53_MULTI_IMAGE, check_netcore_slots_missing)
PAD_SIZE_MISMATCH = _check(
    "EXF106", "pad-size-mismatch", Severity.WARNING,
    "SB_CONFIG_PM_MCUBOOT_PAD differs from the mcuboot_pad partition",
    "make mcuboot_pad the size of SB_CONFIG_PM_MCUBOOT_PAD", docs.PM_STATIC,
    check_pad_size_mismatch)
FOREIGN_NETCORE_SLOTS = _check(
    "EXF108", "foreign-netcore-slots", Severity.WARNING,
    "nRF5340 network-core update slots in the layout of a build that cannot use them",
    "remove mcuboot_primary_1, mcuboot_secondary_1 and ram_flash from pm_static.yml",
    docs.PM_STATIC, check_foreign_netcore_slots)
