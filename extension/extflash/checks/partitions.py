"""EXF1xx: the partition layout (slots and regions), for Partition Manager
maps and devicetree maps alike (through checks/slots.py)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from extflash.checks import docs, slots
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

# Partitions named like a region hold that region's free space; PM lays
# them over what they do not own in real files (corpus FORMAT.md §7.9).
FREE_SPACE_NAMES = frozenset({"external_flash", "sram_primary", "ram_flash", "otp", "bootconf",
                              "flash_primary"})
# Partition Manager containers even when a static file forgot their ``span``
CONTAINER_NAMES = frozenset({"mcuboot_primary", "mcuboot_primary_app", "mcuboot_secondary_app"})
SB_EXT_SECONDARY = "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"
EXT_SECONDARY = "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"


def _span(p: Partition) -> str:
    return f"{hex_addr(p.address)}-{hex_addr(p.end)}"


def _leaves(parts) -> list[Partition]:
    return [p for p in parts if not p.is_container and p.name not in FREE_SPACE_NAMES
            and p.name not in CONTAINER_NAMES and p.size > 0]


def check_partition_overlap(build: Build) -> Iterator[Finding]:
    """What it checks
    No two partitions of one region overlap. Containers (partitions with
    ``span``, such as ``mcuboot_primary``) and the region's free-space
    partition (``external_flash``, ``sram_primary``...) are not compared.

    Why it matters
    Overlapping partitions mean an update, a settings write or a file
    system erases another partition: typically a hand-edited
    ``pm_static.yml`` (for example ``littlefs_storage`` placed over
    ``mcuboot_secondary`` in external flash).

    How to fix
    Move or shrink one of the two partitions in ``pm_static.yml`` so that
    every partition of the region is disjoint, then rebuild pristine.

    See also
    Partition Manager: static configuration; ncs-facts F11
    """
    for mm, image in slots.maps(build):
        by_region: dict[str, list[Partition]] = {}
        for p in _leaves(mm.name2partition.values()):
            by_region.setdefault(p.region, []).append(p)
        for region, parts in sorted(by_region.items()):
            parts.sort(key=lambda p: (p.address, p.name))
            for a, b in combinations(parts, 2):
                if a.address < b.end and b.address < a.end:
                    shared = min(a.end, b.end) - max(a.address, b.address)
                    yield PARTITION_OVERLAP.finding(
                        f"{a.name} ({_span(a)}) and {b.name} ({_span(b)}) overlap by "
                        f"{hex_size(shared)} in region {region}",
                        hint=f"move {b.name} or shrink {a.name} in pm_static.yml so they are "
                             f"disjoint",
                        location=b.location, image=image.name if image else None)


def check_partition_out_of_region(build: Build) -> Iterator[Finding]:
    """What it checks
    Every partition lies inside its region: ``flash_primary`` (the SoC's
    flash), ``external_flash`` (offsets from 0 up to the size of the
    ``nordic,pm-ext-flash`` device), ``ram_flash``, ``sram_primary``...

    Why it matters
    A partition beyond the end of the external chip (F11) or of the
    internal flash cannot be written or read; MCUboot fails to open it at
    boot, or the update is truncated.

    How to fix
    Shrink or move the partition in ``pm_static.yml``; check that the
    external flash node's ``size`` (in bits) matches the chip.

    See also
    Partition Manager: regions; ncs-facts F11
    """
    for mm, image in slots.maps(build):
        for p in mm.name2partition.values():
            region = mm.name2region.get(p.region)
            if region is None or p.name in FREE_SPACE_NAMES:
                continue
            low = region.base
            if p.region == EXTERNAL_FLASH and p.address < region.base:
                low = 0  # PM writes external partitions as offsets from the region base
            high = low + region.size
            if p.size < 0 or p.address < low or p.end > high:
                yield PARTITION_OUT_OF_REGION.finding(
                    f"{p.name} ({_span(p)}, {hex_size(p.size)}) lies outside region "
                    f"{p.region} ({hex_addr(low)}-{hex_addr(high)}, {hex_size(region.size)})",
                    hint=f"shrink or move {p.name} in pm_static.yml to fit {p.region}",
                    location=p.location, image=image.name if image else None)


def check_slot_size_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    ``mcuboot_secondary`` has the size of ``mcuboot_primary``, and
    ``mcuboot_secondary_1`` that of ``mcuboot_primary_1`` (nRF5340 network
    core). Smaller is an error, larger a warning.

    Why it matters
    A secondary smaller than the primary cannot hold a full-size update:
    uploads fail (``Image upload inspect failed``, ``Hash not Found``) or
    the image stays pending (U16, U23, U25). A larger one wastes external
    flash. Partition Manager keeps them equal through ``share_size``, so a
    difference nearly always comes from a hand-written ``pm_static.yml``.

    How to fix
    Give the secondary exactly the size of the primary in ``pm_static.yml``
    (or drop its ``size`` and keep ``share_size: [mcuboot_primary]``).

    See also
    MCUboot external flash (bootloader_partitioning); ncs-facts F8
    """
    for mm, image in slots.maps(build):
        for primary_name, secondary_name in slots.SLOT_PAIRS:
            primary = mm.name2partition.get(primary_name)
            secondary = mm.name2partition.get(secondary_name)
            if primary is None or secondary is None or primary.size == secondary.size:
                continue
            smaller = secondary.size < primary.size
            yield SLOT_SIZE_MISMATCH.finding(
                f"{secondary_name} is {hex_size(secondary.size)}, "
                f"{'smaller' if smaller else 'larger'} than {primary_name} "
                f"{hex_size(primary.size)}",
                hint=f"give {secondary_name} the size of {primary_name} "
                     f"({hex_addr(primary.size)}) in {slots.where_to_fix(build, secondary)}",
                location=secondary.location, image=image.name if image else None,
                severity=Severity.ERROR if smaller else Severity.WARNING)


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
    silently overwritten (F9). A ``pm_static.yml`` that places the slot
    internally wins over the option. Without the option MCUboot is built
    with ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=n`` and its external
    flash driver is not defaulted on.

    How to fix
    Set ``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` in
    ``sysbuild.conf`` (child image: add the ``nordic,pm-ext-flash`` chosen
    to the application's overlay), and make ``pm_static.yml`` place
    ``mcuboot_secondary`` in ``region: external_flash``.

    See also
    Sysbuild forced options; ncs-facts F9
    """
    if build.partitioning is not Partitioning.PM:
        return
    secondary = slots.slot(build, SECONDARY)
    if secondary is None:
        return
    if build.layout == "sysbuild":
        requested, symbol, where = build.sb(SB_EXT_SECONDARY), SB_EXT_SECONDARY, "zephyr/.config"
    else:
        app = build.app
        requested = app.kconfig(EXT_SECONDARY) if app is not None else None
        symbol, where = EXT_SECONDARY, slots.config_file(app) if app else "zephyr/.config"
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
    undeclared``) or silently refuses the update (U40, U44): a static
    layout written before the network-core update was enabled lacks them.

    How to fix
    Add ``mcuboot_primary_1`` (``region: ram_flash``, size of
    ``CONFIG_NRF53_RAM_FLASH_SIZE``) and ``mcuboot_secondary_1`` (``region:
    external_flash``, same size) to ``pm_static.yml``, or lower
    ``SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES``.

    See also
    Simultaneous multi-image DFU with the nRF5340 DK
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
        yield NETCORE_SLOTS_MISSING.finding(
            f"CONFIG_UPDATEABLE_IMAGE_NUMBER={count} in {slots.config_file(mcuboot)}, but the "
            f"layout has no {' and no '.join(absent)}",
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
    application really starts, so MCUboot rejects them or jumps wrongly (F15).
    Usually a ``pm_static.yml`` copied from another SoC series.

    How to fix
    Make ``mcuboot_pad`` in ``pm_static.yml`` the size of
    ``SB_CONFIG_PM_MCUBOOT_PAD`` (and shift the app partition), or set
    ``SB_CONFIG_PM_MCUBOOT_PAD`` to match.

    See also
    ncs-facts F15
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
    offer an image the device cannot take (U28: ``Image upload inspect
    failed: 5``).

    How to fix
    Generate the layout for your SoC: remove ``mcuboot_primary_1``,
    ``mcuboot_secondary_1`` and the ``ram_flash`` entries from
    ``pm_static.yml`` (or start from this build's ``partitions.yml``).

    See also
    Partition Manager: static configuration; users-peers U28
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
    "mcuboot_secondary[_1] differs in size from mcuboot_primary[_1]",
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
