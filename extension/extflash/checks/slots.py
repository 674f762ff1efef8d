"""Slot access for every check: which map, which slot, which flash device,
which driver, which sector size, for Partition Manager AND devicetree
builds. Checks ask here and never look at ``partitions.yml`` structure.

Extension point for devicetree-partition builds (issue #5): a loader fills
``Image.memory_map`` for each image (slots named with the PM names via
``model.DTS_LABEL2SLOT``; ``Partition.region`` = ``external_flash`` for a
partition on a device other than the chosen ``zephyr,flash``;
``Partition.device`` = the devicetree path of its flash device) and sets
``Build.partitioning = DTS``. Everything below then works unchanged:
``slot_map`` returns the image's own map, ``ext_flash_node`` the node the
partition lives on, ``gating_symbol`` the node's driver symbol.

Documented fallbacks (used only when the build does not record the fact):

- internal erase block: ``erase-block-size`` of the node chosen as
  ``zephyr,flash`` in that image's zephyr.dts, else 4096 (every nRF52/53/91
  flash and the nRF54L RRAM use 4096);
- external layout page: ``CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE`` /
  ``CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE`` of that image, else the Kconfig
  default 65536 when the driver is on; for other drivers the node's
  ``erase-block-size``, else 4096 (the sector size of every NOR part on
  Nordic DKs);
- ``ram_flash``: ``erase-block-size`` of the ``zephyr,sim-flash`` child,
  else 4096 (sdk-nrf ``modules/mcuboot/flash_sim.overlay``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extflash.model import (
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    PRIMARY,
    PRIMARY_1,
    RAM_FLASH,
    SECONDARY,
    SECONDARY_1,
    Build,
    DtNode,
    Image,
    MemoryMap,
    Partition,
    Partitioning,
    Role,
)

EXT_CHOSEN = "nordic,pm-ext-flash"
FLASH_CHOSEN = "zephyr,flash"
SLOT_PAIRS = ((PRIMARY, SECONDARY), (PRIMARY_1, SECONDARY_1))
FALLBACK_SECTOR = 4096
KCONFIG_DEFAULT_LAYOUT_PAGE = 65536
HAS_DRIVER = "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER"
OVERRIDE = "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK"
# the request for an external secondary slot: sysbuild's symbol and the one it
# sets in MCUboot and the application (sdk-nrf v2.7.0 sysbuild/Kconfig.sysbuild,
# subsys/partition_manager/Kconfig)
SB_EXT_SECONDARY = "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"
EXT_SECONDARY = "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"

# compatible -> the Kconfig symbol of its in-tree driver
COMPAT2DRIVER = {
    "nordic,qspi-nor": "CONFIG_NORDIC_QSPI_NOR",
    "jedec,spi-nor": "CONFIG_SPI_NOR",
    "jedec,mspi-nor": "CONFIG_FLASH_MSPI_NOR",
}
DRIVER2LAYOUT_PAGE = {
    "CONFIG_NORDIC_QSPI_NOR": "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
    "CONFIG_SPI_NOR": "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
    # zephyr drivers/flash/Kconfig.mspi (2025), default 65536 as well
    "CONFIG_FLASH_MSPI_NOR": "CONFIG_FLASH_MSPI_NOR_LAYOUT_PAGE_SIZE",
}
# images named so are MCUboot built a second time (b0 + upgradable MCUboot)
MCUBOOT_COPIES = ("s1_image",)


@dataclass(frozen=True)
class Fact:
    """A value and where it came from, for messages."""

    value: int
    source: str  # "CONFIG_X in mcuboot/zephyr/.config", "zephyr.dts", "assumed"


def slot_users(build: Build) -> list[Image]:
    """The images that open the MCUboot slots: the application (it writes
    the update) and MCUboot (it reads both slots), plus MCUboot's s1 copy."""
    users = [i for i in build.images() if i.role in (Role.APP, Role.MCUBOOT)]
    users += [i for i in build.images(Role.OTHER) if i.name in MCUBOOT_COPIES]
    return users


def slot_map(build: Build, image: Image | None = None) -> MemoryMap | None:
    """The map the slots are read from: the PM domain of ``image`` (the app
    domain when None), or that image's devicetree map."""
    if build.partitioning is Partitioning.DTS:
        if image is not None:
            return image.memory_map
        for candidate in (build.mcuboot, build.app):
            if candidate is not None and candidate.memory_map is not None:
                return candidate.memory_map
        return None
    domain = image.domain if image is not None else ""
    return build.domain2map.get(domain) or build.domain2map.get("")


def maps(build: Build) -> list[tuple[MemoryMap, Image | None]]:
    """Every map to check for layout problems, with the image it belongs to
    (None for PM maps, shared by the images of a domain)."""
    if build.partitioning is Partitioning.DTS:
        return [(i.memory_map, i) for i in build.images() if i.memory_map is not None]
    return [(m, None) for _, m in sorted(build.domain2map.items())]


def slot(build: Build, name: str, image: Image | None = None) -> Partition | None:
    mm = slot_map(build, image)
    return mm.name2partition.get(name) if mm is not None else None


def is_external(part: Partition) -> bool:
    return part.region == EXTERNAL_FLASH


def external_slots(build: Build, image: Image | None = None) -> list[Partition]:
    return [p for n in (SECONDARY, SECONDARY_1)
            if (p := slot(build, n, image)) is not None and is_external(p)]



def ext_flash_node(build: Build, image: Image, part: Partition | None = None) -> DtNode | None:
    """The devicetree node ``image`` resolves the external slot to.

    Devicetree maps name the node path; PM builds since NCS 2.1 resolve
    ``DT_CHOSEN(nordic_pm_ext_flash)``; older pm_config.h files
    (``PM_<X>_DEV_NAME "MX25R64"``) name the node's ``label`` property.
    """
    tree = image.devicetree
    if tree is None:
        return None
    if part is not None and part.device and part.device.startswith("/"):
        return tree.node(part.device)
    ident = header_device(image, part) or ""
    if ident.startswith("DT_N_"):  # NCS 2.1: the app's node, by devicetree identifier
        # resolved in this image's devicetree as written: a non-secure path
        # (peripheral@40000000) names no node in a secure MCUboot
        return next((n for n in tree.path2node.values() if dt_ident(n.path) == ident), None)
    legacy = legacy_device_name(image, part)
    if legacy is not None:
        return next((n for n in tree.path2node.values()
                     if n.props.get("label") == legacy or legacy.lower() in n.labels), None)
    return tree.chosen_node(EXT_CHOSEN)


def dt_ident(path: str) -> str:
    """``/soc/qspi@29000/mx25r6435f@0`` -> ``DT_N_S_soc_S_qspi_29000_S_mx25r6435f_0``."""
    parts = [re.sub(r"[^a-z0-9]", "_", p.lower()) for p in path.strip("/").split("/") if p]
    return "DT_N" + "".join(f"_S_{p}" for p in parts)


def header_device(image: Image, part: Partition | None) -> str | None:
    """``PM_<X>_DEV`` of the image's pm_config.h (raw), when present."""
    if part is None or not image.pm_header:
        return None
    return image.pm_header.get(f"PM_{part.name.upper()}_DEV") or None


def legacy_device_name(image: Image, part: Partition | None) -> str | None:
    """``"MX25R64"`` from ``PM_<X>_DEV_NAME`` (NCS <= 2.0 pm_config.h)."""
    if part is None or not image.pm_header:
        return None
    value = image.pm_header.get(f"PM_{part.name.upper()}_DEV_NAME")
    return value.strip('"') if value else None


def same_device(a: DtNode, b: DtNode) -> bool:
    """Two images' nodes for one chip: same label, or the same path up to
    the secure/non-secure peripheral bus address (nRF53/nRF91 ``/ns``)."""
    if set(a.labels) & set(b.labels):
        return True
    def norm(path: str) -> str:
        return path.replace("peripheral@40000000", "peripheral").replace(
            "peripheral@50000000", "peripheral")
    return norm(a.path) == norm(b.path)


def driver_symbol(node: DtNode | None) -> str | None:
    if node is None:
        return None
    for compat in node.compatible:
        if compat in COMPAT2DRIVER:
            return COMPAT2DRIVER[compat]
    return None


def header_gate(image: Image, part: Partition) -> str | None:
    header = image.pm_header or {}
    return header.get(f"PM_{part.name.upper()}_DEFAULT_DRIVER_KCONFIG") or None


def gating_symbol(build: Build, image: Image, part: Partition) -> tuple[str | None, str]:
    """The Kconfig symbol that must be ``y`` in ``image`` for it to reach
    ``part``, and where that rule comes from."""
    if build.partitioning is Partitioning.DTS:
        sym = driver_symbol(ext_flash_node(build, image, part))
        return sym, "the driver of its devicetree node"
    sym = header_gate(image, part)
    if sym:
        loc = image.pm_header_location.file if image.pm_header_location else "pm_config.h"
        return sym, f"PM_{part.name.upper()}_DEFAULT_DRIVER_KCONFIG in {loc}"
    mm = slot_map(build, image)
    region = mm.name2region.get(part.region) if mm else None
    if region is not None and region.default_driver_kconfig:
        where = region.location.file if region.location else "regions.yml"
        return region.default_driver_kconfig, f"default_driver_kconfig of {part.region} in {where}"
    # NCS < 2.1 records no gate: the driver of the chosen node is what counts
    return driver_symbol(ext_flash_node(build, image, part)), "the driver of the chosen node"


def node_problem(image: Image, node: DtNode | None) -> str | None:
    """Why ``node`` is unusable in ``image`` (missing, disabled, bus off)."""
    tree = image.devicetree
    if node is None:
        return "has no nordic,pm-ext-flash chosen node"
    if not node.enabled:
        return f"has {node.path} with status \"{node.status}\""
    bus = tree.node(node.parent) if tree is not None else None
    if bus is not None and not bus.enabled and bus.path != "/soc":
        return f"has bus {bus.path} of {node.path} with status \"{bus.status}\""
    return None


def unreadable_reason(build: Build, image: Image, part: Partition) -> str | None:
    """Why ``image`` cannot open ``part`` (external slots only), or None."""
    if not is_external(part):
        return None
    if image.devicetree is not None:
        problem = node_problem(image, ext_flash_node(build, image, part))
        if problem:
            return f"{image.name}'s zephyr.dts {problem}"
    sym, _ = gating_symbol(build, image, part)
    if sym and image.config is not None and not image.is_y(sym):
        return f"{sym} is not set in {image.name}'s .config"
    return None


def config_file(image: Image) -> str:
    return image.config_location.file if image.config_location else f"{image.dir}/zephyr/.config"


def internal_erase_block(image: Image | None) -> Fact:
    tree = image.devicetree if image is not None else None
    node = tree.chosen_node(FLASH_CHOSEN) if tree is not None else None
    if node is not None and isinstance(node.props.get("erase-block-size"), int):
        return Fact(node.props["erase-block-size"],
                    f"erase-block-size of {node.path} in "
                    f"{tree.source.file if tree.source else 'zephyr.dts'}")
    return Fact(FALLBACK_SECTOR, "assumed (zephyr.dts gives no erase-block-size)")


def internal_write_block(image: Image | None) -> Fact | None:
    tree = image.devicetree if image is not None else None
    node = tree.chosen_node(FLASH_CHOSEN) if tree is not None else None
    if node is not None and isinstance(node.props.get("write-block-size"), int):
        return Fact(node.props["write-block-size"], f"write-block-size of {node.path}")
    return None


def external_page(build: Build, image: Image, part: Partition) -> Fact:
    node = ext_flash_node(build, image, part)
    driver = driver_symbol(node)
    page_symbol = DRIVER2LAYOUT_PAGE.get(driver or "")
    if page_symbol and image.config is not None and image.is_y(driver):
        value = image.kconfig(page_symbol)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return Fact(value, f"{page_symbol}={value} in {config_file(image)}")
        return Fact(KCONFIG_DEFAULT_LAYOUT_PAGE, f"{page_symbol} default (not in "
                                                 f"{config_file(image)})")
    if node is not None and isinstance(node.props.get("erase-block-size"), int):
        return Fact(node.props["erase-block-size"], f"erase-block-size of {node.path}")
    return Fact(FALLBACK_SECTOR, "assumed 4096 (no layout page size recorded)")


def ram_flash_sector(image: Image | None) -> Fact:
    tree = image.devicetree if image is not None else None
    if tree is not None:
        for node in tree.path2node.values():
            parent = tree.node(node.parent)
            if (parent is not None and "zephyr,sim-flash" in parent.compatible
                    and isinstance(node.props.get("erase-block-size"), int)):
                return Fact(node.props["erase-block-size"], f"erase-block-size of {node.path}")
    return Fact(FALLBACK_SECTOR, "assumed (no zephyr,sim-flash in zephyr.dts)")


def sector_size(build: Build, image: Image, part: Partition) -> Fact:
    """The sector size ``image`` (MCUboot) sees for ``part``."""
    if is_external(part):
        return external_page(build, image, part)
    if part.region == RAM_FLASH:
        return ram_flash_sector(image)
    return internal_erase_block(image)


def sectors(size: int, sector: int) -> int:
    return -(-size // sector) if sector > 0 else 0


def is_internal_region(name: str) -> bool:
    return name == FLASH_PRIMARY


AUTO_SECTORS = "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO"
_DTS_LABELS = {PRIMARY: "slot0_partition", SECONDARY: "slot1_partition",
               PRIMARY_1: "slot2_partition", SECONDARY_1: "slot3_partition"}


def max_img_sectors(build: Build, mcuboot: Image) -> Fact | None:
    """MCUboot's limit on sectors per slot: ``CONFIG_BOOT_MAX_IMG_SECTORS``,
    or with ``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y`` (the default without
    Partition Manager) what MCUboot's CMake computes: the largest
    ``slotN_partition`` size / ``erase-block-size`` of the ``soc-nv-flash``
    node it lies on, over the slots of its ``CONFIG_UPDATEABLE_IMAGE_NUMBER``
    images. A slot on a device without ``erase-block-size`` (a NOR chip) is
    not counted by MCUboot ("Unable to determine erase size"), so an external
    slot larger than every internal one exceeds the computed limit."""
    if not mcuboot.is_y(AUTO_SECTORS):
        limit = mcuboot.kconfig("CONFIG_BOOT_MAX_IMG_SECTORS")
        if not isinstance(limit, int) or isinstance(limit, bool):
            return None
        return Fact(limit, f"CONFIG_BOOT_MAX_IMG_SECTORS={limit} in {config_file(mcuboot)}")
    mm = slot_map(build, mcuboot)
    if mm is None:
        return None
    images = mcuboot.kconfig("CONFIG_UPDATEABLE_IMAGE_NUMBER", 1)
    names = [n for pair in SLOT_PAIRS[:max(1, images if isinstance(images, int) else 1)]
             for n in pair]
    best = None
    for name in names:
        part = mm.name2partition.get(name)
        region = mm.name2region.get(part.region) if part is not None else None
        erase = region.erase_block if region is not None else None
        if not erase:
            continue
        count = part.size // erase
        if best is None or count > best[0]:
            best = (count, part, erase)
    if best is None:
        return None
    count, part, erase = best
    label = _DTS_LABELS.get(part.name, part.name)
    return Fact(count, f"the maximum MCUboot computes with {AUTO_SECTORS}=y "
                       f"({label} {part.size:#x} / {erase} = {count})")


def where_to_fix(build: Build, part: Partition) -> str:
    """The file a user edits to change ``part``: ``pm_static.yml`` for
    Partition Manager builds, the overlay (or included .dtsi) that defines
    the node for devicetree builds."""
    if build.partitioning is not Partitioning.DTS:
        return "pm_static.yml"
    where = part.location.defined_in if part.location is not None else None
    label = _DTS_LABELS.get(part.name, part.name)
    if where:
        return f"{where.rsplit(':', 1)[0]} ({label})"
    return f"the devicetree overlay that defines {label}"
