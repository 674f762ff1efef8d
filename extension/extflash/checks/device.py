"""EXF306: the device each image's flash map really gets for an external
slot, resolved the way that NCS version resolves it.

How Partition Manager names the device of a partition in ``pm_config.h``,
per NCS version (sdk-nrf cmake/partition_manager.cmake ``add_region`` DEVICE
and subsys/partition_manager/flash_map_partition_manager.c):

- NCS <= 2.0: ``PM_<X>_DEV_NAME "<label>"``; the flash map calls
  ``device_get_binding()`` on that ``label`` property in each image.
- NCS 2.1: ``PM_<X>_DEV DT_N_S_...``: the devicetree node of the
  application's chosen, written as a node path; each image's
  flash_map_partition_manager.c takes ``DEVICE_DT_GET_OR_NULL`` of that node
  if it exists in its own devicetree, else of a node label of that name,
  else NULL. A non-secure application (``*_ns``: peripherals at
  ``/soc/peripheral@40000000``) hands a path that does not exist in the
  secure MCUboot (``/soc/peripheral@50000000``): MCUboot's flash area has
  no device.
- NCS >= 2.2: ``PM_<X>_DEV DT_CHOSEN(nordic_pm_ext_flash)``, resolved by
  each image's own chosen node (checked by chosen-missing).
"""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.model import Build, Finding, Location, Partitioning, Severity


def check_slot_device_unresolved(build: Build) -> Iterator[Finding]:
    """What it checks
    In the application and in MCUboot, the device that image's pm_config.h
    names for each external slot exists in that image's devicetree. NCS 2.1
    wrote the application's flash node path there (PM_MCUBOOT_SECONDARY_DEV
    DT_N_S_soc_S_peripheral_40000000_...), and every image looks that path
    up in its own devicetree.

    Why it matters
    A non-secure application (thingy53/nrf5340/cpuapp/ns, nrf9160dk/ns)
    sees its peripherals at /soc/peripheral@40000000, the secure MCUboot at
    /soc/peripheral@50000000. The path from the application names no node
    in MCUboot, so MCUboot's flash map gets no device for the secondary and
    it cannot read an update, although every Kconfig option and chosen node
    looks right.

    How to fix
    Move to NCS 2.2 or later, where pm_config.h names
    DT_CHOSEN(nordic_pm_ext_flash) and each image resolves its own chosen
    node; on NCS 2.1, build a secure application (without /ns).

    See also
    Partition Manager: external flash. Source: sdk-nrf v2.1
    subsys/partition_manager/flash_map_partition_manager.c (FLASH_MAP_DEV:
    DT_NODE_EXISTS, DEVICE_DT_GET_OR_NULL).
    """
    if build.partitioning is not Partitioning.PM:
        return
    for image in slots.slot_users(build):
        tree = image.devicetree
        if tree is None:
            continue
        ident2parts: dict[str, list] = {}
        for part in slots.external_slots(build, image):
            ident = slots.header_device(image, part) or ""
            if ident.startswith("DT_N_") and slots.ext_flash_node(build, image, part) is None:
                ident2parts.setdefault(ident, []).append(part)
        for ident, parts in ident2parts.items():
            have = tree.chosen_node(slots.EXT_CHOSEN) or next(
                (n for n in tree.path2node.values()
                 if slots.dt_ident(n.path).split("_S_")[-1] == ident.split("_S_")[-1]), None)
            header = (image.pm_header_location.file if image.pm_header_location
                      else "pm_config.h")
            macros = ", ".join(f"PM_{p.name.upper()}_DEV" for p in parts)
            yield SLOT_DEVICE_UNRESOLVED.finding(
                f"{header} names {ident} as the device of {macros}, a node that does not exist "
                f"in {image.name}'s devicetree"
                + (f" (its flash node is {have.path})" if have else "")
                + f": {image.name}'s flash map has no device for "
                + ", ".join(p.name for p in parts),
                hint="move to NCS 2.2 or later (PM names DT_CHOSEN(nordic_pm_ext_flash), "
                     "resolved per image), or build a secure application (no /ns)",
                location=Location(header, macros.split(", ")[0]), image=image.name)


SLOT_DEVICE_UNRESOLVED = Check(
    "EXF306", "slot-device-unresolved", Severity.ERROR,
    "an image's pm_config.h names a flash device that does not exist in that image",
    "use NCS 2.2 or later, or a secure application", docs.url(docs.PM_EXTERNAL_FLASH),
    check_slot_device_unresolved)
