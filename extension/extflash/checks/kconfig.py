"""EXF2xx: the Kconfig of each image against the slots it must reach:
driver gates, the override, MCUboot's sector limit, sector layout, the
nRF5340 network-core update mode."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.checks.devicetree import reference_flash_node
from extflash.model import Build, Finding, Image, Partition, Partitioning, Role, Severity

SWAP_EQUAL_SECTORS = {"CONFIG_BOOT_SWAP_USING_MOVE": "swap-move",
                      "CONFIG_BOOT_SWAP_USING_OFFSET": "swap-offset"}
SWAP_MULTIPLE_SECTORS = {"CONFIG_BOOT_SWAP_USING_SCRATCH": "swap-scratch",
                         "CONFIG_BOOT_UPGRADE_ONLY": "overwrite-only"}


def fragment(build: Build, image: Image) -> str:
    """Where a user sets an option for ``image`` in this build layout."""
    if image.role is Role.MCUBOOT or image.name in slots.MCUBOOT_COPIES:
        return "sysbuild/mcuboot.conf" if build.layout == "sysbuild" else "child_image/mcuboot.conf"
    if image.role is Role.APP:
        return "prj.conf"
    return f"sysbuild/{image.name}.conf"


def _node_text(node) -> str:
    if node is None:
        return "the nordic,pm-ext-flash node"
    compat = node.compatible[0] if node.compatible else "no compatible"
    return f"{node.path} ({compat})"


def _reached_slots(build: Build, image: Image) -> list[Partition]:
    """The slots ``image`` opens: MCUboot both slots of every image it
    updates (``CONFIG_UPDATEABLE_IMAGE_NUMBER``; ``mcuboot_primary_1`` in
    ``ram_flash`` is gated on ``CONFIG_FLASH_SIMULATOR``), the application
    the external slots it writes updates into."""
    if image.role is Role.APP:
        return slots.external_slots(build, image)
    count = image.kconfig("CONFIG_UPDATEABLE_IMAGE_NUMBER", 1)
    count = count if isinstance(count, int) and not isinstance(count, bool) else 1
    names = [n for pair in slots.SLOT_PAIRS[:max(1, count)] for n in pair]  # images it updates
    return [p for n in names if (p := slots.slot(build, n, image)) is not None]


def _gated(build: Build) -> Iterator[tuple[Image, str, str, list[Partition]]]:
    """(image, gating symbol, where the rule comes from, slots) for every
    slot user whose gate is off."""
    for image in slots.slot_users(build):
        if image.config is None:
            continue
        sym2parts: dict[tuple[str, str], list[Partition]] = {}
        for part in _reached_slots(build, image):
            sym, source = slots.gating_symbol(build, image, part)
            if sym and not image.is_y(sym):
                sym2parts.setdefault((sym, source), []).append(part)
        for (sym, source), parts in sym2parts.items():
            yield image, sym, source, parts


def _unflagged_driver(build: Build, image: Image, sym: str, part: Partition) -> bool:
    """A driver exists for the node but does not set PM_EXTERNAL_FLASH_HAS_DRIVER."""
    if sym != slots.HAS_DRIVER:
        return False
    node = slots.ext_flash_node(build, image, part)
    if node is None:
        return False
    driver = slots.driver_symbol(node)
    return driver is None or image.is_y(driver)


def check_driver_disabled(build: Build) -> Iterator[Finding]:
    """What it checks
    In the application and in MCUboot, the Kconfig option that gates the
    external region is ``y``: the ``PM_<SLOT>_DEFAULT_DRIVER_KCONFIG`` of
    that image's ``pm_config.h`` (else ``default_driver_kconfig`` in
    ``regions.yml``): ``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER`` (child image
    NCS >= 2.2, sysbuild >= 3.1) or ``CONFIG_NORDIC_QSPI_NOR`` (sysbuild
    2.5-3.0). MCUboot also needs ``CONFIG_FLASH_SIMULATOR`` for the nRF5340
    network-core slot ``mcuboot_primary_1`` in ``ram_flash``. For devicetree
    builds: the driver of the slot's flash node.

    Why it matters
    Partition Manager keeps the slot in ``partitions.yml`` but each image's
    flash map drops it when the gate is off. MCUboot then prints ``Failed
    reading sectors; BOOT_MAX_IMG_SECTORS=N - too small?`` or ``Failed to
    open flash area ID 1 (image 0 slot 1): -2`` and ignores every update;
    raising ``CONFIG_BOOT_MAX_IMG_SECTORS`` does not help. On nRF52840 DK, MCUboot's board file sets
    ``CONFIG_NORDIC_QSPI_NOR=n``. On SPI-NOR boards with NCS 2.7-3.0 the
    sysbuild region is gated on ``CONFIG_NORDIC_QSPI_NOR``.

    How to fix
    Enable the flash driver in that image (``CONFIG_NORDIC_QSPI_NOR=y`` or
    ``CONFIG_SPI=y`` + ``CONFIG_SPI_NOR=y`` in ``sysbuild/mcuboot.conf``),
    or on SPI-NOR boards with NCS 2.7-3.0 set
    ``SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y``.

    See also
    Partition Manager: external flash (DEFAULT_DRIVER_KCONFIG)
    Sources: sdk-nrf v2.7.0 cmake/sysbuild/partition_manager.cmake
    (--external_flash-default-driver-kconfig),
    scripts/partition_manager_output.py
    (PM_<NAME>_DEFAULT_DRIVER_KCONFIG),
    subsys/partition_manager/flash_map_partition_manager.c (a partition
    whose driver option is off is not in the flash map).
    """
    # one sysbuild setting fixes every image: one finding naming them all
    pending: dict[tuple[str, str], list] = {}
    for finding, image, sym, names, source in _driver_disabled(build):
        if finding.hint.startswith("set SB_CONFIG_"):
            pending.setdefault((sym, finding.hint), []).append((finding, image, names, source))
        else:
            yield finding
    for (sym, hint), items in pending.items():
        if len(items) == 1:
            yield items[0][0]
            continue
        files = " and ".join(slots.config_file(image) for _, image, _, _ in items)
        who = " and ".join(image.name for _, image, _, _ in items)
        _, first, names, source = items[0]
        yield DRIVER_DISABLED.finding(
            f"{sym} is not set in {files}, but {names} is gated on it ({source}): the flash "
            f"maps of {who} leave the slot out", hint=hint, location=first.config_location)


def _driver_disabled(build: Build):
    for image, sym, source, parts in _gated(build):
        parts = [p for p in parts if not _unflagged_driver(build, image, sym, p)]
        if not parts:
            continue
        node = slots.ext_flash_node(build, image, parts[0])
        # the hint names the board's real driver even when this image has no node
        driver = slots.driver_symbol(node or reference_flash_node(build, image, parts[0]))
        names = ", ".join(f"{p.name} in {p.region}" for p in parts)
        if sym == "CONFIG_FLASH_SIMULATOR":
            hint = ("set SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE=y in sysbuild.conf (it turns "
                    "on CONFIG_FLASH_SIMULATOR in MCUboot)" if build.layout == "sysbuild"
                    else f"set CONFIG_FLASH_SIMULATOR=y in {fragment(build, image)}")
        elif sym == slots.OVERRIDE:
            hint = ("set SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y in sysbuild.conf (it sets "
                    f"{sym} in MCUboot and the app)" if build.layout == "sysbuild"
                    else f"set {sym}=y in {fragment(build, image)}")
        elif sym == "CONFIG_NORDIC_QSPI_NOR" and driver not in (None, sym):
            hint = ("set SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y in sysbuild.conf "
                    f"(the region is gated on {sym}, the node uses {driver})")
        elif driver:
            extra = " and CONFIG_SPI=y" if driver == "CONFIG_SPI_NOR" else ""
            hint = f"set {driver}=y{extra} in {fragment(build, image)}"
        else:
            hint = f"enable the driver of {_node_text(node)} in {fragment(build, image)}"
        message = (f"{sym} is not set in {slots.config_file(image)}, but {names} "
                   f"is gated on it ({source}): {image.name}'s flash map leaves the slot out")
        if build.partitioning is Partitioning.DTS:  # no gate: the flash area has no device
            message = (f"{sym} is not set in {slots.config_file(image)}, but {names} lies on "
                       f"{_node_text(node)}, which needs it: in {image.name} that flash area "
                       "has no device")
        yield (DRIVER_DISABLED.finding(message, hint=hint, location=image.config_at(sym),
                                       image=image.name), image, sym, names, source)


def check_driver_not_flagged(build: Build) -> Iterator[Finding]:
    """What it checks
    When the external region is gated on
    ``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER`` and that option is off in an
    image although the flash node has a driver there (an in-tree driver
    that is on, or an out-of-tree one for a compatible NCS does not know).

    Why it matters
    ``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER`` is hidden: only
    ``CONFIG_NORDIC_QSPI_NOR``, ``CONFIG_SPI_NOR`` or
    ``CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK`` turn it on. An out-of-tree
    driver that does not ``select PM_EXTERNAL_FLASH_HAS_DRIVER`` leaves the
    slot out of the flash map exactly like a missing driver.

    How to fix
    Add ``select PM_EXTERNAL_FLASH_HAS_DRIVER`` to the driver's Kconfig, or
    set ``CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y`` in that image.

    See also
    Partition Manager: external flash
    Source: sdk-nrf v2.7.0 subsys/partition_manager/Kconfig
    (PM_EXTERNAL_FLASH_HAS_DRIVER: default y if NORDIC_QSPI_NOR ||
    SPI_NOR, or PM_OVERRIDE_EXTERNAL_DRIVER_CHECK).
    """
    for image, sym, _source, parts in _gated(build):
        parts = [p for p in parts if _unflagged_driver(build, image, sym, p)]
        if not parts:
            continue
        node = slots.ext_flash_node(build, image, parts[0])
        driver = slots.driver_symbol(node)
        what = (f"{driver}=y drives {_node_text(node)}" if driver else
                f"{_node_text(node)} has a driver outside Partition Manager's list "
                "(CONFIG_NORDIC_QSPI_NOR, CONFIG_SPI_NOR)")
        yield DRIVER_NOT_FLAGGED.finding(
            f"{sym} is not set in {slots.config_file(image)} although {what}: "
            f"{', '.join(p.name for p in parts)} is left out of {image.name}'s flash map",
            hint=f"select PM_EXTERNAL_FLASH_HAS_DRIVER from the driver's Kconfig, or set "
                 f"CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y in {fragment(build, image)}",
            location=image.config_at(sym), image=image.name)


def check_override_without_driver(build: Build) -> Iterator[Finding]:
    """What it checks
    An image with ``CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y`` compiles a
    driver for the external flash node (``CONFIG_NORDIC_QSPI_NOR`` for
    ``nordic,qspi-nor``, ``CONFIG_SPI_NOR`` for ``jedec,spi-nor``).

    Why it matters
    The override puts the external partitions into the flash map whatever
    the driver; without a driver the device object does not exist and the
    image fails to link: ``undefined reference to '__device_dts_ord_<N>'``.

    How to fix
    Enable the driver in that image, or remove the override.

    See also
    Partition Manager: external flash
    Sources: sdk-nrf v2.7.0 subsys/partition_manager/Kconfig
    (PM_OVERRIDE_EXTERNAL_DRIVER_CHECK, PM_EXTERNAL_FLASH_HAS_DRIVER),
    subsys/partition_manager/flash_map_partition_manager.c
    (DEVICE_DT_GET_OR_NULL of the chosen node).
    """
    for image in slots.slot_users(build):
        if image.config is None or not image.is_y(slots.OVERRIDE):
            continue
        parts = slots.external_slots(build, image)
        if not parts:
            continue
        node = slots.ext_flash_node(build, image, parts[0])
        driver = slots.driver_symbol(node)
        if node is None:
            known = set(slots.COMPAT2DRIVER.values())
            if any(image.is_y(s) for s in known):
                continue
            missing = "no flash driver (" + ", ".join(sorted(known)) + ")"
        elif driver is None or image.is_y(driver):
            continue
        else:
            missing = f"{driver} is not set"
        yield OVERRIDE_WITHOUT_DRIVER.finding(
            f"{slots.OVERRIDE}=y in {slots.config_file(image)} but {missing} for "
            f"{_node_text(node)}: {image.name} references the device without a driver "
            "(link error: undefined reference to '__device_dts_ord_<N>')",
            hint=f"set {driver or 'the flash driver'}=y in {fragment(build, image)}, "
                 f"or remove {slots.OVERRIDE}",
            location=image.config_at(slots.OVERRIDE), image=image.name)


DRIVER_DISABLED = Check(
    "EXF201", "driver-disabled", Severity.ERROR,
    "an image (MCUboot or the application) has the external region's driver option off",
    "enable the external flash driver in that image", docs.url(docs.PM_EXTERNAL_FLASH),
    check_driver_disabled)
OVERRIDE_WITHOUT_DRIVER = Check(
    "EXF202", "override-without-driver", Severity.ERROR,
    "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y but no driver for the flash node is compiled",
    "enable the flash driver in that image, or remove the override",
    docs.url(docs.PM_EXTERNAL_FLASH), check_override_without_driver)
DRIVER_NOT_FLAGGED = Check(
    "EXF203", "driver-not-flagged", Severity.ERROR,
    "a flash driver is enabled but CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER is not set",
    "select PM_EXTERNAL_FLASH_HAS_DRIVER from the driver, or set the override",
    docs.url(docs.PM_EXTERNAL_FLASH), check_driver_not_flagged)
