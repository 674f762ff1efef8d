"""EXF2xx continued: MCUboot's own limits against the slots (sector count,
sector layout, network-core update mode)."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.checks.kconfig import SWAP_EQUAL_SECTORS, SWAP_MULTIPLE_SECTORS, fragment
from extflash.model import Build, Finding, Severity
from extflash.units import hex_size


def _power_of_two_at_least(n: int) -> int:
    value = 1
    while value < n:
        value *= 2
    return value


def check_max_img_sectors(build: Build) -> Iterator[Finding]:
    """What it checks
    MCUboot's ``CONFIG_BOOT_MAX_IMG_SECTORS`` (in ``mcuboot/zephyr/.config``)
    is at least the sector count of every slot: slot size / sector size,
    where the sector is the internal erase block (``erase-block-size`` of
    ``zephyr,flash``) for internal slots and the driver's layout page
    (``CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE`` /
    ``CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE``) for external ones. With
    ``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y`` (devicetree builds) the limit is
    the count MCUboot computes, which only counts slots on flash with an
    ``erase-block-size`` (not NOR chips).

    Why it matters
    ``BOOT_MAX_IMG_SECTORS_AUTO`` is off in every Partition Manager build;
    the default 128 covers only 512 KiB of 4 KiB sectors. Too small a value
    gives ``W: Failed reading sectors; BOOT_MAX_IMG_SECTORS=N - too small?``
    and no update is ever applied. The same message appears
    when the slot cannot be read at all: that case is reported by
    ``driver-disabled`` / ``chosen-missing``, and this check says so when
    both apply, because raising the number alone will not help then.

    How to fix
    Set ``CONFIG_BOOT_MAX_IMG_SECTORS`` to at least the count shown (a power
    of two, e.g. 256 for a 976 KiB slot) in ``sysbuild/mcuboot.conf``
    (child image: ``child_image/mcuboot.conf``).

    See also
    MCUboot external flash: troubleshooting
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/zephyr/Kconfig
    (BOOT_MAX_IMG_SECTORS, default 128; BOOT_MAX_IMG_SECTORS_AUTO comes
    with later tags), boot/bootutil/src/loader.c (boot_read_sectors:
    "BOOT_MAX_IMG_SECTORS=%d - too small?").
    """
    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.config is None:
        return
    limit_fact = slots.max_img_sectors(build, mcuboot)  # configured, or computed (AUTO)
    if limit_fact is None:
        return
    limit = limit_fact.value
    worst = None
    for pair in slots.SLOT_PAIRS:
        for name in pair:
            part = slots.slot(build, name, mcuboot)
            if part is None:
                continue
            sector = slots.sector_size(build, mcuboot, part)
            count = slots.sectors(part.size, sector.value)
            if count > limit and (worst is None or count > worst[1]):
                worst = (part, count, sector)
    if worst is None:
        return
    part, count, sector = worst
    message = (f"{part.name} {hex_size(part.size)} has {count} sectors of {sector.value} bytes "
               f"({sector.source}), more than {limit_fact.source}")
    unreadable = [(p.name, r) for p in slots.external_slots(build, mcuboot)
                  if (r := slots.unreadable_reason(build, mcuboot, p))]
    if unreadable:
        name, reason = unreadable[0]
        message += (f"; besides, mcuboot cannot read {name} at all ({reason}), so raising the "
                    "limit alone will not help")
    else:
        message += " (the slots themselves are readable: the limit alone is the problem)"
    hint = (f"set CONFIG_BOOT_MAX_IMG_SECTORS={_power_of_two_at_least(count)} in "
            f"{fragment(build, mcuboot)}")
    if mcuboot.is_y(slots.AUTO_SECTORS):
        hint = (f"make {part.name} no larger than the primary slot in "
                f"{slots.where_to_fix(build, part)}, or {hint} with "
                f"{slots.AUTO_SECTORS}=n")
    yield MAX_IMG_SECTORS.finding(
        message,
        hint=hint,
        location=mcuboot.config_at("CONFIG_BOOT_MAX_IMG_SECTORS"), image=mcuboot.name)


def check_sector_layout_mismatch(build: Build) -> Iterator[Finding]:
    """What it checks
    The sector sizes MCUboot sees for each primary/secondary pair suit its
    swap mode: equal for swap-move and swap-offset
    (``CONFIG_BOOT_SWAP_USING_MOVE`` / ``..._OFFSET``), multiples of each
    other for swap-scratch and overwrite-only.

    Why it matters
    The QSPI and SPI NOR drivers expose 64 KiB layout pages by default
    (``CONFIG_*_FLASH_LAYOUT_PAGE_SIZE=65536``); NCS defaults the QSPI one
    to the internal erase block, but not the SPI NOR one. Mismatched
    sectors give ``W: Cannot upgrade: not a compatible amount of sectors``
    / ``not same sector layout`` at boot.

    How to fix
    Set ``CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096`` (or
    ``CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE``) to the internal
    erase block in MCUboot, or use a swap mode that tolerates it.

    See also
    MCUboot external flash
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/swap_move.c and
    swap_scratch.c (boot_slots_compatible); sdk-zephyr v3.6.99-ncs2
    drivers/flash/Kconfig.nordic_qspi_nor and Kconfig.nor (layout page
    size defaults).
    """
    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.config is None:
        return
    equal = next((m for s, m in SWAP_EQUAL_SECTORS.items() if mcuboot.is_y(s)), None)
    multiple = next((m for s, m in SWAP_MULTIPLE_SECTORS.items() if mcuboot.is_y(s)), None)
    mode = equal or multiple
    if mode is None:
        return
    for primary_name, secondary_name in slots.SLOT_PAIRS:
        primary = slots.slot(build, primary_name, mcuboot)
        secondary = slots.slot(build, secondary_name, mcuboot)
        if primary is None or secondary is None:
            continue
        a = slots.sector_size(build, mcuboot, primary)
        b = slots.sector_size(build, mcuboot, secondary)
        if a.value == b.value:
            continue
        if not equal and max(a.value, b.value) % min(a.value, b.value) == 0:
            continue
        need = "equal sectors" if equal else "sector sizes that are multiples of each other"
        yield SECTOR_LAYOUT_MISMATCH.finding(
            f"MCUboot uses {mode}, which needs {need}, but {primary_name} has {a.value}-byte "
            f"sectors ({a.source}) and {secondary_name} {b.value}-byte sectors ({b.source})",
            hint=f"make the external layout page {a.value} in {fragment(build, mcuboot)} "
                 "(CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE / "
                 "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE)",
            location=mcuboot.config_at(next(
                (s for s in ("CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
                             "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE")
                 if mcuboot.kconfig(s) is not None), "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE")),
            image=mcuboot.name)


def check_netcore_update_mode(build: Build) -> Iterator[Finding]:
    """What it checks
    An nRF5340 simultaneous (multi-image) network-core update with the
    secondary in external flash (``SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE``
    or MCUboot ``CONFIG_NRF53_MULTI_IMAGE_UPDATE``) runs MCUboot in
    overwrite-only mode (``SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY`` /
    ``CONFIG_BOOT_UPGRADE_ONLY``).

    Why it matters
    The network core cannot be reverted: "if not using overwrite only mode
    for MCUboot, this can result in a bricked device upon firmware
    reverts" (sysbuild Kconfig help). The application core reverts,
    the network core keeps the new image.

    How to fix
    Set ``SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y`` in ``sysbuild.conf``
    (child image: ``CONFIG_BOOT_UPGRADE_ONLY=y`` in
    ``child_image/mcuboot.conf``).

    See also
    Simultaneous multi-image DFU with the nRF5340 DK
    Source: sdk-nrf v2.7.0 modules/mcuboot/boot/zephyr/Kconfig
    (NRF53_MULTI_IMAGE_UPDATE depends on BOOT_UPGRADE_ONLY ||
    USE_NRF53_MULTI_IMAGE_WITHOUT_UPGRADE_ONLY).
    """
    mcuboot = build.mcuboot
    multi = build.sb("SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE") is True or (
        mcuboot is not None and mcuboot.is_y("CONFIG_NRF53_MULTI_IMAGE_UPDATE"))
    if not multi:
        return
    overwrite = build.sb("SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY") is True or (
        mcuboot is not None and mcuboot.is_y("CONFIG_BOOT_UPGRADE_ONLY"))
    if overwrite:
        return
    where = "sysbuild.conf" if build.layout == "sysbuild" else "child_image/mcuboot.conf"
    on = ("SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE=y in zephyr/.config"
          if build.sb("SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE") is True
          else f"CONFIG_NRF53_MULTI_IMAGE_UPDATE=y in {slots.config_file(mcuboot)}")
    yield NETCORE_UPDATE_MODE.finding(
        f"network-core multi-image update is on ({on}) but MCUboot is not overwrite-only "
        "(CONFIG_BOOT_UPGRADE_ONLY is not set"
        + (f" in {slots.config_file(mcuboot)})" if mcuboot else ")")
        + ": an application-core revert leaves the network core on the new image",
        hint=("set SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y in sysbuild.conf"
              if build.layout == "sysbuild" else f"set CONFIG_BOOT_UPGRADE_ONLY=y in {where}"),
        location=mcuboot.config_at("CONFIG_BOOT_UPGRADE_ONLY") if mcuboot else None,
        image=mcuboot.name if mcuboot else None)


MAX_IMG_SECTORS = Check(
    "EXF204", "max-img-sectors", Severity.ERROR,
    "MCUboot's CONFIG_BOOT_MAX_IMG_SECTORS is smaller than a slot's sector count",
    "raise CONFIG_BOOT_MAX_IMG_SECTORS in MCUboot's configuration",
    docs.url(docs.MCUBOOT_EXTERNAL_FLASH), check_max_img_sectors)
SECTOR_LAYOUT_MISMATCH = Check(
    "EXF205", "sector-layout-mismatch", Severity.ERROR,
    "primary and secondary sector sizes do not suit MCUboot's swap mode",
    "set the external layout page size to the internal erase block in MCUboot",
    docs.url(docs.MCUBOOT_EXTERNAL_FLASH), check_sector_layout_mismatch)
NETCORE_UPDATE_MODE = Check(
    "EXF206", "netcore-update-mode", Severity.WARNING,
    "nRF5340 network-core multi-image update without overwrite-only MCUboot",
    "set SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y", docs.url(docs.NRF53_MULTI_IMAGE),
    check_netcore_update_mode)
