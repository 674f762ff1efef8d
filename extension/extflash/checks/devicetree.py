"""EXF3xx: each image's devicetree against the external slot: the
``nordic,pm-ext-flash`` chosen node, its status and bus, write block size,
and that the application and MCUboot resolve it to the same node."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.model import Build, DtNode, Finding, Image, Location, Partitioning, Role, Severity


def _dts_file(image: Image) -> str:
    tree = image.devicetree
    if tree is not None and tree.source:
        return tree.source.file
    return f"{image.dir}/zephyr/zephyr.dts"


def _overlay(build: Build, image: Image) -> str:
    if image.role is Role.MCUBOOT:
        if build.layout == "sysbuild":
            return "sysbuild/mcuboot.overlay"
        return "child_image/mcuboot.overlay"
    return "the application's board overlay"


def _where(node: DtNode | None, prop: str) -> str:
    """`` (status set in boards/x.overlay:4)`` when zephyr.dts records it."""
    if node is None:
        return ""
    defined = (node.props.get("defined_in") or {}).get(prop)
    return f" ({prop} set in {defined})" if defined else ""


def reference_flash_node(build: Build, image: Image, part=None) -> DtNode | None:
    """The external flash node ``image`` should use, for hints: the node it
    resolves itself; else the application's ``nordic,pm-ext-flash`` node
    (the one Partition Manager sized the region from); else the only node
    of ``image``'s devicetree with an in-tree NOR driver. None if unknown."""
    node = slots.ext_flash_node(build, image, part)
    if node is None and build.app is not None and build.app is not image:
        node = slots.ext_flash_node(build, build.app, part)
    if node is None and image.devicetree is not None:
        nors = [n for n in image.devicetree.path2node.values()
                if any(c in slots.COMPAT2DRIVER for c in n.compatible)]
        node = nors[0] if len(nors) == 1 else None
    return node


def node_label(node: DtNode | None) -> str:
    """``&label`` of the node for overlay text, else its path reference."""
    if node is None:
        return "&<your external flash node>"
    return f"&{node.labels[0]}" if node.labels else f"&{{{node.path}}}"


def _images_with_external_slots(build: Build) -> Iterator[tuple[Image, list]]:
    for image in slots.slot_users(build):
        if image.devicetree is None:
            continue
        parts = slots.external_slots(build, image)
        if parts:
            yield image, parts


def check_chosen_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    The ``zephyr.dts`` of the application and of MCUboot has a
    ``nordic,pm-ext-flash`` chosen node, and it points to a node whose
    status is ``okay`` (devicetree builds: the slot's flash node is okay).

    Why it matters
    ``partitions.yml`` names the device ``DT_CHOSEN(nordic_pm_ext_flash)``,
    resolved separately in every image. Without the chosen node, or with
    the node disabled (nRF9160 DK and nRF91x1 DK ship it disabled), that
    image's flash map has no device for the slot: ``Failed to open flash
    area ID 1 (image 0 slot 1): -19`` at boot. Overlays for the
    application do not apply to MCUboot in sysbuild.

    How to fix
    Add ``/ { chosen { nordic,pm-ext-flash = &mx25r64; }; };`` and
    ``&mx25r64 { status = "okay"; };`` to ``sysbuild/mcuboot.overlay``
    (child image: ``child_image/mcuboot.overlay``) and to the app overlay.

    See also
    Partition Manager: external flash
    Sources: sdk-nrf v2.7.0 cmake/sysbuild/partition_manager.cmake
    (external_flash device DT_CHOSEN(nordic_pm_ext_flash)),
    subsys/partition_manager/flash_map_partition_manager.c (the device
    is resolved in each image's own devicetree).
    """
    for image, parts in _images_with_external_slots(build):
        node = slots.ext_flash_node(build, image, parts[0])
        legacy = slots.legacy_device_name(image, parts[0])
        if node is None and (slots.header_device(image, parts[0]) or "").startswith("DT_N_"):
            continue  # a node path that resolves to nothing: slot-device-unresolved
        if node is None:
            what = ("has no nordic,pm-ext-flash chosen node"
                    if build.partitioning is not Partitioning.DTS and legacy is None
                    else f"has no node {legacy or parts[0].device}")
        elif not node.enabled and build.partitioning is Partitioning.DTS:
            what = (f"has {node.path}, the flash device of {parts[0].name}'s partition, with "
                    f"status \"{node.status}\"{_where(node, 'status')}")
        elif not node.enabled:
            what = (f"chooses {node.path} for nordic,pm-ext-flash, but its status is "
                    f"\"{node.status}\"{_where(node, 'status')}")
        else:
            continue
        ref = node_label(node or reference_flash_node(build, image, parts[0]))
        hint = (f"add chosen nordic,pm-ext-flash = {ref} and {ref} {{ status = \"okay\"; }} "
                f"to {_overlay(build, image)}")
        if build.partitioning is Partitioning.DTS:  # no chosen: the slot names its device
            hint = f"set {ref} {{ status = \"okay\"; }} in {_overlay(build, image)}"
        yield CHOSEN_MISSING.finding(
            f"{_dts_file(image)} {what}: {', '.join(p.name for p in parts)} has no device in "
            f"{image.name}",
            hint=hint,
            location=Location(_dts_file(image), node.path if node else "/chosen",
                              defined_in=(node.location.defined_in
                                          if node and node.location else None)),
            image=image.name)


def check_flash_bus_disabled(build: Build) -> Iterator[Finding]:
    """What it checks
    The bus the external flash sits on (``qspi``, ``spi3``, ``spi00``...)
    has status ``okay`` in the application's and MCUboot's devicetree.

    Why it matters
    A flash node on a disabled bus has no ready device: the image either
    fails to link (``__device_dts_ord_<N>`` in ``spi_nor.c``) or cannot open
    the slot at boot. Board files often enable the bus only for the app.

    How to fix
    Add ``&spi3 { status = "okay"; };`` (the bus of the node, with its
    pinctrl) to ``sysbuild/mcuboot.overlay`` and the app overlay.

    See also
    MCUboot external flash
    Sources: sdk-zephyr v3.6.99-ncs2 drivers/flash/spi_nor.c
    (SPI_DT_SPEC_INST_GET: the node's bus device),
    drivers/flash/nrf_qspi_nor.c, include/zephyr/device.h (DEVICE_DT_GET
    of a node without a driver instance).
    """
    for image, parts in _images_with_external_slots(build):
        node = slots.ext_flash_node(build, image, parts[0])
        if node is None or not node.enabled:
            continue
        bus = image.devicetree.node(node.parent)
        if bus is None or bus.enabled or bus.path == "/soc":
            continue
        yield FLASH_BUS_DISABLED.finding(
            f"{_dts_file(image)}: bus {bus.path} of {node.path} has status "
            f"\"{bus.status}\"{_where(bus, 'status')}",
            hint=f"add {node_label(bus)} {{ status = \"okay\"; }} to {_overlay(build, image)}",
            location=Location(_dts_file(image), bus.path,
                              defined_in=bus.location.defined_in if bus.location else None),
            image=image.name)


def check_write_block_size(build: Build) -> Iterator[Finding]:
    """What it checks
    In MCUboot's devicetree, the external flash node's ``write-block-size``
    (when it has one) is not larger than the internal flash's
    (``write-block-size`` of ``zephyr,flash``: 4 on nRF52/53/91, 16 on
    nRF54L RRAM).

    Why it matters
    MCUboot sizes its trailer with one alignment and writes it with the
    other: with a larger external write block the status area overruns and
    upgrades fail. The NCS documentation requires external <=
    internal.

    How to fix
    Use a driver/device whose write block is at most the internal one, or
    correct ``write-block-size`` on the node.

    See also
    MCUboot external flash
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/bootutil_public.c
    (trailer writes padded to BOOT_MAX_ALIGN),
    boot/zephyr/include/mcuboot_config/mcuboot_config.h
    (MCUBOOT_BOOT_MAX_ALIGN).
    """
    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.devicetree is None:
        return
    internal = slots.internal_write_block(mcuboot)
    parts = slots.external_slots(build, mcuboot)
    if internal is None or not parts:
        return
    node = slots.ext_flash_node(build, mcuboot, parts[0])
    external = node.props.get("write-block-size") if node is not None else None
    if isinstance(external, int) and external > internal.value:
        yield WRITE_BLOCK_SIZE.finding(
            f"{node.path} has write-block-size {external}, larger than {internal.value} "
            f"({internal.source}) in {_dts_file(mcuboot)}",
            hint=f"give {node.path} a write-block-size of at most {internal.value}",
            location=Location(_dts_file(mcuboot), node.path), image=mcuboot.name)


def check_chosen_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    The application and MCUboot resolve ``nordic,pm-ext-flash`` to the same
    devicetree node (same path).

    Why it matters
    ``DT_CHOSEN(nordic_pm_ext_flash)`` is resolved per image: if the app
    writes the update to one chip (or chip select) and MCUboot reads
    another, the update is never found: MCUboot's devicetree is built
    from its own overlays, not from the application's.

    How to fix
    Use the same chosen node in the app overlay and in
    ``sysbuild/mcuboot.overlay`` (best: one shared overlay file).

    See also
    Partition Manager: external flash
    Sources: sdk-nrf v2.7.0 cmake/sysbuild/partition_manager.cmake
    (external_flash device DT_CHOSEN(nordic_pm_ext_flash)),
    subsys/partition_manager/flash_map_partition_manager.c (resolved per
    image).
    """
    app, mcuboot = build.app, build.mcuboot
    if build.partitioning is Partitioning.DTS or app is None or mcuboot is None:
        return
    if app.devicetree is None or mcuboot.devicetree is None:
        return
    a = app.devicetree.chosen_node(slots.EXT_CHOSEN)
    m = mcuboot.devicetree.chosen_node(slots.EXT_CHOSEN)
    if a and m and not slots.same_device(a, m) and slots.external_slots(build, mcuboot):
        yield CHOSEN_MISMATCH.finding(
            f"nordic,pm-ext-flash is {a.path} in {_dts_file(app)} but {m.path} in "
            f"{_dts_file(mcuboot)}",
            hint="point nordic,pm-ext-flash at the same node in the app overlay and "
                 "sysbuild/mcuboot.overlay",
            location=Location(_dts_file(mcuboot), "/chosen"), image=mcuboot.name)


def _check(code, name, severity, summary, hint, function) -> Check:
    return Check(code, name, severity, summary, hint, docs.url(docs.PM_EXTERNAL_FLASH), function)


CHOSEN_MISSING = _check(
    "EXF301", "chosen-missing", Severity.ERROR,
    "an image's zephyr.dts lacks the nordic,pm-ext-flash chosen node or it points to a disabled "
    "node",
    "add the chosen node and status okay to that image's overlay", check_chosen_missing)
FLASH_BUS_DISABLED = _check(
    "EXF302", "flash-bus-disabled", Severity.ERROR,
    "the bus of the external flash node is disabled in an image",
    "enable the bus in that image's overlay", check_flash_bus_disabled)
WRITE_BLOCK_SIZE = _check(
    "EXF303", "write-block-size", Severity.ERROR,
    "the external flash's write block is larger than the internal flash's",
    "use an external write block no larger than the internal one", check_write_block_size)
CHOSEN_MISMATCH = _check(
    "EXF304", "chosen-mismatch", Severity.ERROR,
    "the application and MCUboot choose different nordic,pm-ext-flash nodes",
    "use the same chosen node in both images", check_chosen_mismatch)
