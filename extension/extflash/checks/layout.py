"""EXF107 ``layout-mismatch``: in a devicetree-partition build (NCS >= 3.4,
no Partition Manager) every image describes the slots in its own
``zephyr.dts``; the application and MCUboot must describe the same ones."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs
from extflash.checks.base import Check
from extflash.model import (
    PRIMARY,
    PRIMARY_1,
    SECONDARY,
    SECONDARY_1,
    Build,
    Finding,
    Partition,
    Partitioning,
    Severity,
)
from extflash.units import hex_addr, hex_size

# Slots both images must agree on. mcuboot_primary_1 (slot2_partition) is the
# nRF5340 network core's RAM "flash" (zephyr,sim-flash), which only MCUboot
# maps: it is compared only when both images have it.
BOTH = (PRIMARY, SECONDARY, SECONDARY_1)
_LABELS = {PRIMARY: "slot0_partition", SECONDARY: "slot1_partition",
           PRIMARY_1: "slot2_partition", SECONDARY_1: "slot3_partition"}


def _label(name: str) -> str:
    return _LABELS.get(name, name)


def _describe(part: Partition) -> str:
    return f"{part.device or part.region} at {hex_addr(part.address)}, {hex_size(part.size)}"


def _defined(part: Partition) -> str:
    loc = part.location
    return f" (defined in {loc.defined_in})" if loc is not None and loc.defined_in else ""


def _file(part: Partition | None) -> str | None:
    where = part.location.defined_in if part is not None and part.location else None
    return where.rsplit(":", 1)[0] if where else None


def _fix(app_part: Partition | None, boot_part: Partition | None) -> str:
    """Point at the file to change: MCUboot's copy of the slot should come
    from the map the application uses."""
    app_file, boot_file = _file(app_part), _file(boot_part)
    if app_file and boot_file and app_file != boot_file:
        return (f"make sysbuild/mcuboot.overlay #include {app_file}, the memory map the "
                f"application uses, instead of defining the slots in {boot_file}")
    if app_file and boot_part is None:
        return f"#include {app_file} from sysbuild/mcuboot.overlay as the application does"
    return ("describe the slots once, in one memory-map .dtsi, and #include it from both "
            "boards/<board>.overlay and sysbuild/mcuboot.overlay "
            "(west extflash init --layout dts writes such a file)")


def check_layout_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    In a build with devicetree partitions (no Partition Manager output),
    the application's and MCUboot's ``zephyr.dts`` give every MCUboot slot
    (``slot0_partition``, ``slot1_partition``, and ``slot3_partition`` for
    an nRF5340 network-core update) the same flash device, offset and size.
    ``slot2_partition`` (the network core's RAM flash, mapped by MCUboot
    only) is compared when both images have it.

    Why it matters
    Without Partition Manager nothing shares the layout between images:
    each image is built from its own overlays. The application writes the
    update where its devicetree says; MCUboot looks where its own says. A
    difference means MCUboot reads a half-written or foreign area: ``W:
    Failed reading sectors``, ``Cannot upgrade: not a compatible amount of
    sectors``, or an update that is never found. NCS lists "Partition layout
    mismatch between the MCUboot sysbuild image and the application
    (missing or different slot0_partition / slot1_partition definitions)"
    first among the causes of MCUboot failures.

    How to fix
    Put the whole memory map in one ``.dtsi`` and ``#include`` it from the
    application's ``boards/<board>.overlay`` and from
    ``sysbuild/mcuboot.overlay`` (or ``sysbuild/mcuboot/boards/<board>.overlay``),
    as NCS's ``samples/dfu/smp_svr`` external-flash memory maps do;
    ``west extflash init --layout dts`` writes exactly that.

    See also
    MCUboot external flash (bootloader_partitioning), troubleshooting
    Sources: sdk-mcuboot v2.1.0-ncs1
    boot/zephyr/include/sysflash/sysflash.h (MCUboot's slots from its
    own slot0_partition and slot1_partition); sdk-zephyr v3.6.99-ncs2
    subsys/storage/flash_map/flash_map_default.c (each image's flash map
    from its own fixed-partitions).
    """
    if build.partitioning is not Partitioning.DTS:
        return
    app, boot = build.app, build.mcuboot
    if app is None or boot is None or app.devicetree is None or boot.devicetree is None:
        return
    app_slots = app.memory_map.slots if app.memory_map is not None else {}
    boot_slots = boot.memory_map.slots if boot.memory_map is not None else {}
    names = [n for n in BOTH if n in app_slots or n in boot_slots]
    if PRIMARY_1 in app_slots and PRIMARY_1 in boot_slots:
        names.insert(2, PRIMARY_1)
    for name in names:
        a, m = app_slots.get(name), boot_slots.get(name)
        label = _label(name)
        if a is None or m is None:
            have, lack, part = (boot, app, m) if a is None else (app, boot, a)
            yield LAYOUT_MISMATCH.finding(
                f"{label} ({name}) is in {have.name}'s zephyr.dts ({_describe(part)})"
                f"{_defined(part)} but not in {lack.name}'s",
                hint=_fix(a, m), location=part.location, image=lack.name)
            continue
        diffs = []
        if a.device != m.device:
            diffs.append(f"device {a.device} vs {m.device}")
        if a.address != m.address:
            diffs.append(f"offset {hex_addr(a.address)} vs {hex_addr(m.address)}")
        if a.size != m.size:
            diffs.append(f"size {hex_size(a.size)} vs {hex_size(m.size)}")
        if not diffs:
            continue
        where = ""
        if _file(a) or _file(m):
            where = (f"; {app.name}'s comes from {a.location.defined_in or 'an unrecorded file'}, "
                     f"{boot.name}'s from {m.location.defined_in or 'an unrecorded file'}")
        yield LAYOUT_MISMATCH.finding(
            f"{label} ({name}) at {hex_addr(a.address)} on {a.device or a.region} differs "
            f"between {app.name} and {boot.name}: " + ", ".join(diffs) + where,
            hint=_fix(a, m), location=m.location, image=boot.name)


LAYOUT_MISMATCH = Check(
    "EXF107", "layout-mismatch", Severity.ERROR,
    "the application and MCUboot devicetrees place an MCUboot slot differently",
    "include one shared memory-map .dtsi from both images' overlays",
    docs.url_latest(docs.MCUBOOT_EXTERNAL_FLASH), check_layout_mismatch)
