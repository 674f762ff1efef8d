"""EXF120 ``layout-changed``: ``verify --baseline``: the build's flash layout
against a saved one (an earlier release's layout document or build)."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs
from extflash.checks.base import Check
from extflash.layoutdoc import LayoutDoc, describe, from_build
from extflash.model import Build, Finding, Location, MemoryMap, Partition, Severity
from extflash.partition_names import PM_ONLY, UPDATE_CRITICAL, dts_label
from extflash.units import hex_addr, hex_size


def _name(part_name: str) -> str:
    label = dts_label(part_name)
    return f"{label} ({part_name})" if label != part_name else part_name


def _severity(name: str) -> Severity:
    return Severity.ERROR if name in UPDATE_CRITICAL else Severity.WARNING


def _differences(old: Partition, new: Partition) -> list[str]:
    diffs = []
    if old.region != new.region:
        diffs.append(f"device changed from {old.region} to {new.region}")
    elif old.device and new.device and old.device != new.device:
        diffs.append(f"device changed from {old.device} to {new.device}")
    if old.address != new.address:
        delta = new.address - old.address
        diffs.append(f"moved from {hex_addr(old.address)} to {hex_addr(new.address)} "
                     f"by {'+' if delta > 0 else '-'}{hex_size(abs(delta))}")
    if old.size != new.size:
        diffs.append(f"{'grew' if new.size > old.size else 'shrank'} from {hex_size(old.size)} "
                     f"to {hex_size(new.size)}")
    return diffs


def _inside_kept(part: Partition, old: MemoryMap, new: MemoryMap) -> Partition | None:
    """A partition of both layouts, unchanged, that wholly contains ``part``."""
    for name, outer in old.name2partition.items():
        same = new.name2partition.get(name)
        if (name != part.name and same is not None and not _differences(outer, same)
                and outer.region == part.region and outer.address <= part.address
                and part.end <= outer.end and (outer.size > part.size or name not in PM_ONLY)):
            return outer
    return None


def _compare(domain: str, old: MemoryMap, new: MemoryMap, base: LayoutDoc) -> Iterator[Finding]:
    where = "" if domain == "app" else f" ({domain} domain)"
    for name, before in old.name2partition.items():
        after = new.name2partition.get(name)
        if after is None:
            if name in PM_ONLY:
                continue  # Partition Manager bookkeeping inside a compared slot
            outer = _inside_kept(before, old, new) if name not in UPDATE_CRITICAL else None
            yield LAYOUT_CHANGED.finding(
                f"{_name(name)}{where} is gone: the baseline {base.source} has it on "
                f"{describe(before)}" + (f", inside {_name(outer.name)}, which did not move"
                                         if outer else ""),
                severity=Severity.INFO if outer else _severity(name), location=before.location,
                hint=_hint(name, before))
            continue
        diffs = _differences(before, after)
        if diffs:
            yield LAYOUT_CHANGED.finding(
                f"{_name(name)}{where} {', '.join(diffs)} (baseline {base.source}: "
                f"{describe(before)}; this build: {describe(after)})",
                severity=_severity(name), location=after.location or before.location,
                hint=_hint(name, before))
    for name, after in new.name2partition.items():
        if name in old.name2partition or name in PM_ONLY:
            continue
        outer = _inside_kept(after, new, old)
        yield LAYOUT_CHANGED.finding(
            f"{_name(name)}{where} is new: not in the baseline {base.source} "
            f"(this build: {describe(after)})" + (f", inside {_name(outer.name)}, which did "
                                                  "not move" if outer else ""),
            severity=Severity.INFO if outer else Severity.WARNING, location=after.location,
            hint="if the partition is meant to be new, save a new baseline with "
                 "west extflash layout --format json -o FILE")


def _hint(name: str, before: Partition) -> str:
    if name in UPDATE_CRITICAL:
        return (f"put {dts_label(name)} back at {hex_addr(before.address)} with size "
                f"{hex_size(before.size)} on {before.region}: devices in the field expect the "
                "update there, and the next update fails on every one of them")
    return (f"put {dts_label(name)} back at {hex_addr(before.address)}, {hex_size(before.size)}, "
            "or migrate the data it holds before the update that moves it")


def check_layout_changed(build: Build) -> Iterator[Finding]:
    """What it checks
    With ``verify --baseline BUILD_OR_LAYOUT.json``: every flash partition of
    the build (Partition Manager output, or the devicetree partitions of the
    application image and the network-core image) against the same
    partition in the baseline, by name (``slot1_partition`` is
    ``mcuboot_secondary``, as sdk-nrf ``scripts/pm_to_dts.py`` maps them):
    device, absolute address and size. Partition Manager's bookkeeping
    entries (``mcuboot_pad``, ``app``, ``mcuboot_primary_app``, ...) that a
    devicetree layout folds into ``slot0_partition`` are not reported.

    Why it matters
    Devices already in the field run a bootloader built for the old layout.
    If ``boot_partition``, ``slot0_partition``, ``slot1_partition`` (or an
    nRF5340 network core's ``slot2_partition``/``slot3_partition``) moved,
    shrank, grew or changed device, the new application writes its update
    where the old MCUboot does not look, or an image signed for one slot
    is copied into another: the next over-the-air update fails on every unit.
    That is an error. Other partitions (settings, file systems) that moved
    lose their data on the update: a warning. Devicetree partitioning has no
    partition report (NCS ``bootloader_partitioning.rst``), so nothing else
    notices such a drift.

    How to fix
    Put the partition back where the baseline has it (the message gives the
    address and size). When the change is intended and no device in the
    field depends on the old layout, save a new baseline with ``west extflash
    layout --format json -o FILE``.

    See also
    MCUboot partitioning (bootloader_partitioning)
    Sources: sdk-mcuboot v2.1.0-ncs1
    boot/zephyr/include/sysflash/sysflash.h (MCUboot's slots are the
    FIXED_PARTITION_ID of its own slot0_partition/slot1_partition, fixed
    when MCUboot is built); sdk-nrf v2.7.0 scripts/partition_manager.py
    (the addresses Partition Manager layouts give the slots).
    """
    base = build.baseline
    if not isinstance(base, LayoutDoc):
        return
    current = from_build(build)
    for domain, old in base.domain2map.items():
        new = current.domain2map.get(domain)
        if new is None:
            critical = [n for n in old.name2partition if n in UPDATE_CRITICAL]
            yield LAYOUT_CHANGED.finding(
                f"the baseline {base.source} has a {domain} flash layout "
                f"({len(old.name2partition)} partitions) but this build has none",
                severity=Severity.ERROR if critical else Severity.WARNING,
                location=Location(base.source, f"/domains/{domain}"),
                hint="compare against a build of the same board and images")
            continue
        yield from _compare(domain, old, new, base)


LAYOUT_CHANGED = Check(
    "EXF120", "layout-changed", Severity.ERROR,
    "a partition moved, was resized or changed device since the baseline layout",
    "put the partition back where the baseline has it",
    docs.url_latest(docs.MCUBOOT_EXTERNAL_FLASH), check_layout_changed)
