"""EXF109/EXF110: what the build asked for against what Partition Manager
produced, and static files Partition Manager cannot read.

What MCUboot asks Partition Manager for is decided by MCUboot's own
``zephyr/.config``, through the preprocessed ``boot/zephyr/pm.yml`` of
sdk-mcuboot (v2.1.0-ncs1, NCS 2.7.0; same conditions in later tags):

- ``mcuboot_secondary`` unless ``CONFIG_SINGLE_APPLICATION_SLOT`` or
  ``CONFIG_BOOT_DIRECT_XIP`` (direct-XIP names its own secondary container);
  ``region: external_flash`` when ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY``;
- ``mcuboot_primary_1`` in ``ram_flash`` when
  ``CONFIG_NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH``;
- ``mcuboot_secondary_1`` in ``external_flash`` when
  ``CONFIG_NRF53_MULTI_IMAGE_UPDATE``.

Sysbuild forces ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY`` in MCUboot
from ``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY`` (sdk-nrf v2.7.0
sysbuild/CMakeLists.txt, set_config_bool). Partition Manager places a
partition only in a region it was given (checks/pm_rules.py rule 2), and
sysbuild gives it external_flash only when the application's devicetree has
an enabled ``nordic,pm-ext-flash`` chosen (``CONFIG_PM_EXTERNAL_FLASH_ENABLED``
in the application, sdk-nrf v2.7.0 subsys/partition_manager/Kconfig and
cmake/sysbuild/partition_manager.cmake), ram_flash only with
``SB_CONFIG_NETCORE_APP_UPDATE``. Confirmed with a real NCS 2.7.0 build of
nrf/tests/modules/mcuboot/external_flash for nrf52840dk/nrf52840 with the
application's chosen deleted: SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y,
MCUboot CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y, and neither
regions.yml nor partitions.yml has external_flash or mcuboot_secondary.

Static files (static-file-invalid) follow checks/pm_rules.py rules 3, 6 and 7.
Rule 6 confirmed with a real NCS 2.7.0 build of the same test with
-DPM_STATIC_YML_FILE naming a file whose external_flash has size:
CONFIG_PM_EXTERNAL_FLASH_SIZE: partition_manager.py verify_static_conf_simple
raises "TypeError: unsupported operand type(s) for +: 'int' and 'str'" and
CMake stops with "Partition Manager failed, aborting".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from extflash.checks import docs, pm_rules, slots
from extflash.checks.base import Check
from extflash.model import (
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    RAM_FLASH,
    SECONDARY,
    Build,
    Finding,
    Image,
    MemoryMap,
    Partitioning,
    Severity,
)
from extflash.units import hex_addr

EXT_ENABLED = "CONFIG_PM_EXTERNAL_FLASH_ENABLED"


@dataclass(frozen=True)
class Request:
    """A slot MCUboot's configuration asks Partition Manager for."""

    name: str
    region: str
    because: str  # the Kconfig facts that ask for it, for messages


def requests(build: Build, mcuboot: Image) -> list[Request]:
    """The slots MCUboot's pm.yml asks for with this ``.config``."""
    where = slots.config_file(mcuboot)
    result = []
    single = mcuboot.is_y("CONFIG_SINGLE_APPLICATION_SLOT")
    if not (single or mcuboot.is_y("CONFIG_BOOT_DIRECT_XIP")):
        if mcuboot.is_y(slots.EXT_SECONDARY):
            because = (f"{slots.SB_EXT_SECONDARY}=y in zephyr/.config (which sets "
                       f"{slots.EXT_SECONDARY}=y in {where})"
                       if build.sb(slots.SB_EXT_SECONDARY) is True
                       else f"{slots.EXT_SECONDARY}=y in {where}")
            result.append(Request(SECONDARY, EXTERNAL_FLASH, because))
        else:
            result.append(Request(SECONDARY, FLASH_PRIMARY, f"MCUboot's pm.yml ({where} has no "
                                                            "CONFIG_SINGLE_APPLICATION_SLOT)"))
    # mcuboot_primary_1 (CONFIG_NRF53_MCUBOOT_PRIMARY_1_RAM_FLASH) and
    # mcuboot_secondary_1 (CONFIG_NRF53_MULTI_IMAGE_UPDATE) are judged by
    # netcore-slots-missing, one finding for the one cause
    return result


def _why_missing(build: Build, mm: MemoryMap, req: Request) -> str:
    regions_file = next((r.location.file for r in mm.name2region.values() if r.location),
                        "regions.yml")
    if mm.name2region and req.region not in mm.name2region:
        text = (f"Partition Manager had no {req.region} region ({regions_file} has none), and it "
                "silently drops every partition of a region it is not given")
        if req.region == EXTERNAL_FLASH:
            app = build.app
            tree = app.devicetree if app is not None else None
            if tree is not None and slots.EXT_CHOSEN not in tree.chosen:
                dts = tree.source.file if tree.source else "its zephyr.dts"
                text += (f"; the region is made only when the application's devicetree has an "
                         f"enabled {slots.EXT_CHOSEN} chosen, and {dts} has none")
            elif app is not None and app.config is not None and not app.is_y(EXT_ENABLED):
                text += (f"; the region is made only when {EXT_ENABLED}=y in "
                         f"{slots.config_file(app)} (an enabled {slots.EXT_CHOSEN} chosen in the "
                         "application's devicetree), and it is not set")
        elif req.region == RAM_FLASH:
            text += "; sysbuild adds ram_flash only with SB_CONFIG_NETCORE_APP_UPDATE=y"
        return text
    return "a pm_static.yml that does not list it is the likely cause"


def _flash_label(build: Build) -> str:
    """The node label MCUboot's own devicetree chooses (mx25r64 on the
    nRF52840 DK), for a hint the user can paste; else a placeholder."""
    mcuboot = build.mcuboot
    tree = mcuboot.devicetree if mcuboot is not None else None
    path = tree.chosen.get(slots.EXT_CHOSEN) if tree is not None else None
    node = tree.node(path) if path else None
    return f"&{node.labels[0]}" if node is not None and node.labels else "&<flash node>"


def _hint(build: Build, req: Request) -> str:
    if req.region == EXTERNAL_FLASH:
        return (f"add / {{ chosen {{ {slots.EXT_CHOSEN} = {_flash_label(build)}; }}; }}; to the "
                "application's board overlay (and to MCUboot's), or add the slot to "
                "pm_static.yml in region external_flash; then rebuild pristine (west build -p)")
    if req.region == RAM_FLASH:
        return ("set SB_CONFIG_NETCORE_APP_UPDATE=y in sysbuild.conf, or add the slot to "
                "pm_static.yml")
    return f"add {req.name} to pm_static.yml, or remove what asks for it"


def check_requested_slot_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    Every MCUboot slot the build asks for is in Partition Manager's output.
    What is asked for comes from MCUboot's zephyr/.config through MCUboot's
    pm.yml: mcuboot_secondary, in external_flash when
    CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y (which sysbuild sets from
    SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY); the nRF5340
    network-core slots are netcore-slots-missing's. It also checks that each
    mcuboot_secondary_N of the output has its mcuboot_primary_N, and warns
    when MCUboot's devicetree chooses nordic,pm-ext-flash but the
    application's does not (the secondary then stays internal).

    Why it matters
    Partition Manager only places partitions in the regions it is given,
    and drops the rest without a word. Sysbuild creates the external_flash
    region only when the application's devicetree has an enabled
    nordic,pm-ext-flash chosen: without it, mcuboot_secondary vanishes from
    partitions.yml and every pm_config.h while every Kconfig option still
    says external flash, and the device has no update slot. A pm_static.yml
    ported from another chip can keep mcuboot_secondary_1 without the
    mcuboot_primary_1 it belongs to.

    How to fix
    Add the nordic,pm-ext-flash chosen to the application's board overlay
    (sysbuild reads the region from the application), or list the slot in
    pm_static.yml, then rebuild pristine (west build -p). Remove a
    mcuboot_secondary_N whose primary does not exist.

    See also
    Partition Manager: external flash. Sources: sdk-mcuboot v2.1.0-ncs1
    boot/zephyr/pm.yml; sdk-nrf v2.7.0 cmake/sysbuild/partition_manager.cmake,
    subsys/partition_manager/Kconfig, scripts/partition_manager.py.
    """
    if build.partitioning is not Partitioning.PM:
        return
    mcuboot = build.mcuboot
    mm = slots.slot_map(build, mcuboot) if mcuboot is not None else slots.slot_map(build)
    if mm is None or not mm.name2partition:
        return  # partitions.yml missing: artefact-missing says so
    if mcuboot is not None and mcuboot.config is not None:
        for req in requests(build, mcuboot):
            if req.name in mm.name2partition:
                continue
            source = mm.source.file if mm.source else "partitions.yml"
            yield REQUESTED_SLOT_MISSING.finding(
                f"{req.name} is not in {source} although {req.because} asks for it in region "
                f"{req.region}: {_why_missing(build, mm, req)}",
                hint=_hint(build, req), image=mcuboot.name,
                # the Kconfig line that asks for the slot (partitions.yml has none)
                location=(mcuboot.config_at(slots.EXT_SECONDARY) if req.region == EXTERNAL_FLASH
                          else mm.source))
    if build.layout == "static":
        return  # a static file may leave mcuboot_primary_1 to MCUboot's pm.yml (ram_flash)
    yield from _chosen_only_in_mcuboot(build, mm)
    for mmap, image in slots.maps(build):
        for primary, secondary in slots.SLOT_PAIRS[1:]:
            part = mmap.name2partition.get(secondary)
            if part is None or primary in mmap.name2partition:
                continue
            # the nRF5340 network-core primary lives in the CPUNET domain's flash
            # when it is not staged in ram_flash: only a map without both is orphaned
            if any(primary in other.name2partition for other in build.domain2map.values()):
                continue
            yield REQUESTED_SLOT_MISSING.finding(
                f"{secondary} ({part.region} at {hex_addr(part.address)}) has no {primary}: "
                f"MCUboot has no image {secondary[-1]} to update into it (a layout ported from "
                "another chip or project?)",
                hint=f"remove {secondary} from pm_static.yml, or add {primary} "
                     "(nRF5340: SB_CONFIG_NETCORE_APP_UPDATE=y adds it in ram_flash)",
                location=part.location, image=image.name if image else None)


def _chosen_only_in_mcuboot(build: Build, mm: MemoryMap) -> Iterator[Finding]:
    """MCUboot chooses an external flash but the application does not: the
    one use MCUboot has for nordic,pm-ext-flash is its update slot, and the
    region comes from the application only (cmake/partition_manager.cmake and
    cmake/sysbuild/partition_manager.cmake, v2.7.0: dt_chosen / the default
    image's CONFIG_PM_EXTERNAL_FLASH_ENABLED)."""
    app, mcuboot = build.app, build.mcuboot
    if app is None or mcuboot is None or app.devicetree is None or mcuboot.devicetree is None:
        return
    if (slots.EXT_CHOSEN in app.devicetree.chosen
            or slots.EXT_CHOSEN not in mcuboot.devicetree.chosen):
        return
    secondary = mm.name2partition.get(SECONDARY)
    if EXTERNAL_FLASH in mm.name2region or secondary is None:
        return  # no secondary at all is the requested-slot finding's business
    node = mcuboot.devicetree.chosen[slots.EXT_CHOSEN]
    # sysbuild: the image symbol comes from the sysbuild one (sdk-nrf v2.7.0
    # sysbuild/CMakeLists.txt); child image: its default follows the app's
    # CONFIG_PM_EXTERNAL_FLASH_ENABLED (subsys/partition_manager/Kconfig)
    also = (f" (and {slots.SB_EXT_SECONDARY}=y in sysbuild.conf)" if build.layout == "sysbuild"
            else f" ({slots.EXT_SECONDARY} then defaults to y)")
    yield REQUESTED_SLOT_MISSING.finding(
        f"{mcuboot.name}'s devicetree chooses {node} as {slots.EXT_CHOSEN}, but the application's "
        f"does not, so Partition Manager made no external_flash region and {SECONDARY} is in "
        f"{secondary.region} at {hex_addr(secondary.address)}: the external flash MCUboot was "
        "given is not used for the update",
        hint=f"add the {slots.EXT_CHOSEN} chosen to the application's board overlay too{also}, "
             "then rebuild pristine (west build -p); or remove it from MCUboot's overlay if the "
             "secondary is meant to be internal",
        location=secondary.location, image=mcuboot.name, severity=Severity.WARNING)


def check_static_file_invalid(build: Build) -> Iterator[Finding]:
    """What it checks
    Every address and size in a Partition Manager file is a number.

    Why it matters
    Partition Manager reads pm_static.yml with yaml.safe_load and does not
    run the C preprocessor over it, unlike the pm.yml files of NCS modules.
    A Kconfig name written where a size belongs (size:
    CONFIG_PM_PARTITION_SIZE_X, or CONFIG_PM_EXTERNAL_FLASH_SIZE) stays a
    string, and a missing address or size leaves nothing to compute with:
    the build stops in partition_manager.py. A mcuboot_primary without span
    holds no image, and two gaps in flash_primary stop Partition Manager with
    "Incorrect amount of gaps found in static configuration".

    How to fix
    Write numbers (in hex, for example size: 0x800000), keep the span of
    MCUboot's containers, and leave one gap for app in pm_static.yml; a
    build's partitions.yml is a valid starting point.

    See also
    Partition Manager: static configuration. Source: sdk-nrf v2.7.0
    scripts/partition_manager.py (load_static_configuration,
    get_dynamic_area_start_and_size).
    """
    for mm, image in slots.maps(build):
        where = image.name if image else None
        absent: dict[str, list] = {}  # partition -> its missing keys: one finding each
        for item in mm.undecoded:
            if item.partition != pm_rules.DYNAMIC_PARTITION and item.raw is None:
                absent.setdefault(item.partition, []).append(item)
        for name, items in absent.items():
            keys = " and no ".join(i.key for i in items)
            nested = (" (Partition Manager reads every top-level key as a partition: is the "
                      "layout nested under one 'partitions:' key?)" if name == "partitions" else "")
            yield STATIC_FILE_INVALID.finding(
                f"{name}: has no {keys}; Partition Manager needs the address and size of every "
                f"statically placed partition{nested}",
                hint=f"give {name} an address and a size in pm_static.yml" + (
                    ", or move its entries to the top level" if nested else ""),
                location=items[0].location, image=where)
        for item in mm.undecoded:
            if item.partition == pm_rules.DYNAMIC_PARTITION or item.raw is None:
                continue  # PM ignores app's address and size in a static file; absent: above
            kind = "a Kconfig name" if item.raw.startswith("CONFIG_") else "not a number"
            what = (f"{item.key} is {item.raw!r} ({kind}); Partition Manager does not expand "
                    "Kconfig names in static files")
            hint = f"write the {item.key} of {item.partition} as a number in pm_static.yml"
            yield STATIC_FILE_INVALID.finding(f"{item.partition}: {what}", hint=hint,
                                              location=item.location, image=where)
        for name, span in pm_rules.MCUBOOT_CONTAINERS.items():
            if build.partitioning is not Partitioning.PM:
                break  # devicetree slots are fixed-partitions, not PM containers
            part = mm.name2partition.get(name)
            if part is None or part.is_container:
                continue
            yield STATIC_FILE_INVALID.finding(
                f"{name} ({hex_addr(part.address)}+{hex_addr(part.size)}) has no span, but "
                f"MCUboot's pm.yml defines it as the container of {' and '.join(span)}: written "
                "as a plain partition it holds nothing, and what should lie in it (app) either "
                "finds no gap or lands outside the slot",
                hint=f"add span: [{', '.join(span)}] to {name} in pm_static.yml (or copy the "
                     "entry from a build's partitions.yml)",
                location=part.location, image=where)
        if build.layout != "static":
            continue
        gaps = pm_rules.interior_gaps(mm)
        if len(gaps) >= 2:
            text = ", ".join(f"{hex_addr(a)}-{hex_addr(b)}" for a, b in gaps)
            yield STATIC_FILE_INVALID.finding(
                f"the flash_primary partitions leave {len(gaps)} gaps ({text}); Partition "
                "Manager needs exactly one, where it places app (\"Incorrect amount of gaps "
                "found in static configuration\")",
                hint="fill all gaps but one with partitions in pm_static.yml (or move them so "
                     "that they touch)",
                location=mm.source, image=where)


REQUESTED_SLOT_MISSING = Check(
    "EXF109", "requested-slot-missing", Severity.ERROR,
    "a slot MCUboot's configuration asks for is not in Partition Manager's output",
    "give Partition Manager the region the slot belongs to (nordic,pm-ext-flash chosen in the "
    "application), or list the slot in pm_static.yml",
    docs.url(docs.PM_EXTERNAL_FLASH), check_requested_slot_missing)
STATIC_FILE_INVALID = Check(
    "EXF110", "static-file-invalid", Severity.ERROR,
    "a Partition Manager file that Partition Manager cannot use as written",
    "write numbers, keep MCUboot's container spans and one gap for app in pm_static.yml",
    docs.url(docs.PM_STATIC), check_static_file_invalid)
