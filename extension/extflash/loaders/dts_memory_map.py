"""One image's ``model.Devicetree`` -> its ``model.MemoryMap`` (devicetree
builds: NCS >= 3.4 default, no Partition Manager output).

Each ``slotN_partition`` becomes the slot Partition Manager would have
named (``model.DTS_LABEL2SLOT``, the table ``scripts/pm_to_dts.py`` in
sdk-nrf uses), ``boot_partition`` becomes ``mcuboot``. The region is taken
from the flash device the partition lives on:

- a ``soc-nv-flash`` child of the SoC's flash/RRAM controller
  (``flash0``, ``cpuapp_rram``): ``flash_primary``;
- a NOR chip (``nordic,qspi-nor``, ``jedec,spi-nor``, ``jedec,mspi-nor``):
  ``external_flash``;
- anything under a ``zephyr,sim-flash`` node (nRF5340 network-core update,
  ``flash_sim0``): ``ram_flash``.

Offsets are summed through partition containers (``fixed-subpartitions``,
nested ``zephyr,mapped-partition``) up to the device. Internal addresses are
absolute (device base + offset); external ones are offsets in the chip, as
Partition Manager writes them. ``Region.default_driver_kconfig`` names the
driver option the device needs in the image (``CONFIG_NORDIC_QSPI_NOR``,
``CONFIG_SPI_NOR``, ...), so the checks that ask "can this image reach the
slot" work as they do for Partition Manager builds. ``Region.erase_block``
and ``write_block`` are the device's ``erase-block-size`` /
``write-block-size``; a NOR chip has none in devicetree (its sector is the
driver's layout page, a Kconfig option), which is also why MCUboot's
``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO`` does not count its slots (sdk-mcuboot
ncs-v3.4-branch ``boot/zephyr/CMakeLists.txt``, ``dt_get_erase_write_block_sizes``).

A build that used Partition Manager (``SB_CONFIG_PARTITION_MANAGER=y``,
``CONFIG_PARTITION_MANAGER_ENABLED=y``) but lost its output is not read this
way: its zephyr.dts still carries the board's default slots.

Loaders never judge: a slot that cannot be placed is simply left out.
"""

from __future__ import annotations

from extflash.model import (
    DTS_LABEL2SLOT,
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    RAM_FLASH,
    Devicetree,
    DtNode,
    Location,
    MemoryMap,
    Partition,
    Region,
)

EXTERNAL_COMPAT2KCONFIG = {
    "nordic,qspi-nor": "CONFIG_NORDIC_QSPI_NOR",
    "jedec,spi-nor": "CONFIG_SPI_NOR",
    "jedec,mspi-nor": "CONFIG_FLASH_MSPI_NOR",
}
SIM_FLASH = "zephyr,sim-flash"
SOC_NV_FLASH = "soc-nv-flash"
BOOT_LABEL = "boot_partition"
BOOT_NAME = "mcuboot"
_CONTAINER_COMPATS = ("fixed-partitions", "fixed-subpartitions", "zephyr,mapped-partition")


def _controller_kconfig(controller: DtNode | None) -> str | None:
    """The driver option of an internal flash controller, by its compatible."""
    if controller is None:
        return None
    for compat in controller.compatible:
        if compat == SIM_FLASH:
            return "CONFIG_FLASH_SIMULATOR"
        if "rram" in compat:
            return "CONFIG_SOC_FLASH_NRF_RRAM"
        if "mram" in compat:
            return "CONFIG_SOC_FLASH_NRF_MRAMC"
        if compat.startswith("nordic,") and "flash-controller" in compat:
            return "CONFIG_SOC_FLASH_NRF"
    return None


def _is_device(node: DtNode) -> bool:
    return any(c == SOC_NV_FLASH or c in EXTERNAL_COMPAT2KCONFIG or c == SIM_FLASH
               for c in node.compatible)


def _device_of(tree: Devicetree, node: DtNode) -> tuple[DtNode | None, int]:
    """Walk up from a partition to its flash device; sum container offsets."""
    offset = node.reg[0][0]
    parent = tree.node(node.parent)
    while parent is not None and not _is_device(parent):
        if parent.reg and any(c in _CONTAINER_COMPATS for c in parent.compatible) \
                and parent.path.rsplit("/", 1)[-1].startswith("partition@"):
            offset += parent.reg[0][0]
        parent = tree.node(parent.parent)
    return parent, offset


def _region(tree: Devicetree, device: DtNode) -> Region:
    controller = tree.node(device.parent)
    under_sim = SIM_FLASH in device.compatible or (
        controller is not None and SIM_FLASH in controller.compatible)
    external = next((EXTERNAL_COMPAT2KCONFIG[c] for c in device.compatible
                     if c in EXTERNAL_COMPAT2KCONFIG), None)
    erase = device.props.get("erase-block-size")
    write = device.props.get("write-block-size")
    location = device.location or Location(tree.source.file if tree.source else "", device.path)
    if external is not None:
        bits = device.props.get("size")
        return Region(EXTERNAL_FLASH, 0, bits // 8 if isinstance(bits, int) else 0,
                      device=device.path, default_driver_kconfig=external,
                      erase_block=erase, write_block=write, location=location)
    base, size = device.reg[0] if device.reg else (0, 0)
    name = RAM_FLASH if under_sim else FLASH_PRIMARY
    kconfig = "CONFIG_FLASH_SIMULATOR" if under_sim else _controller_kconfig(controller)
    return Region(name, 0 if under_sim else base, size, device=device.path,
                  default_driver_kconfig=kconfig, erase_block=erase, write_block=write,
                  location=location)


def _name(node: DtNode) -> str | None:
    for label in node.labels:
        if label in DTS_LABEL2SLOT:
            return DTS_LABEL2SLOT[label]
        if label == BOOT_LABEL:
            return BOOT_NAME
    return None


def _any_names(node: DtNode) -> list[str]:
    """Every partition node, named as Partition Manager would
    (``extflash.partition_names``; one name per partition label, so a node
    labelled ``s0_partition: boot_partition:`` is both ``s0_image`` and
    ``mcuboot``), or by its node name when unlabelled."""
    if not node.path.rsplit("/", 1)[-1].startswith("partition@"):
        return []
    from extflash.partition_names import pm_name

    names = [pm_name(label) for label in node.labels]
    if names:
        return names
    own = _name(node)
    if own:
        return [own]
    return [node.path.rsplit("/", 2)[-2] + "/" + node.path.rsplit("/", 1)[-1]]


def memory_map(tree: Devicetree, image: str, every: bool = False) -> MemoryMap | None:
    """The slots (and ``mcuboot``) of one image; None when it has no slots.
    ``every``: also every other partition node (the ``layout`` document)."""
    mm = MemoryMap(domain=image, source=tree.source)
    for node in sorted(tree.path2node.values(), key=lambda n: n.path):
        names = _any_names(node) if every else [_name(node)]
        for name in names:
            if name is None or not node.reg or name in mm.name2partition:
                continue
            device, offset = _device_of(tree, node)
            if device is None:
                continue
            region = _region(tree, device)
            address = offset if region.name == EXTERNAL_FLASH else region.base + offset
            mm.name2region.setdefault(region.name, region)
            file = tree.source.file if tree.source else (
                node.location.file if node.location else "")
            mm.name2partition[name] = Partition(
                name=name, address=address, size=node.reg[0][1], region=region.name,
                device=device.path,
                location=Location(file, node.path,
                                  defined_in=node.location.defined_in if node.location else None),
            )
    if not mm.slots and not (every and mm.name2partition):
        return None
    return mm


def slot_label(name: str) -> str:
    """``mcuboot_secondary`` -> ``slot1_partition`` (for messages)."""
    for label, slot in DTS_LABEL2SLOT.items():
        if slot == name:
            return label
    return BOOT_LABEL if name == BOOT_NAME else name


def uses_partition_manager(build) -> str | None:
    """The Kconfig fact saying this build used Partition Manager, if any: its
    zephyr.dts then still holds the board's default slots, which PM overrode."""
    if build.sb("SB_CONFIG_PARTITION_MANAGER") is True:
        return "SB_CONFIG_PARTITION_MANAGER=y in zephyr/.config"
    for image in build.images():
        if image.is_y("CONFIG_PARTITION_MANAGER_ENABLED"):
            return f"CONFIG_PARTITION_MANAGER_ENABLED=y in {image.name}'s .config"
    return None


def fill_memory_maps(build) -> None:
    """Give every image with devicetree slots its ``memory_map`` (a build
    without Partition Manager output); ``load_build`` calls this."""
    why = uses_partition_manager(build)
    if why is not None:
        build.notes.append(f"{why} but no Partition Manager output: the slots in zephyr.dts "
                           "are the board's defaults, not the build's, and were not read")
        return
    for image in build.images():
        if image.devicetree is not None and image.memory_map is None:
            image.memory_map = memory_map(image.devicetree, image.name)
