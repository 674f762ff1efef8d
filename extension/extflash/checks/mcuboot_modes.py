"""MCUboot's upgrade modes and the primary/secondary slot sizes each accepts,
from MCUboot's own code. One table (``MODES``) and one function
(``judge``); the checks word the findings.

Sources (sector counts are slot size / the sector size MCUboot sees):

- swap-move: ``boot_slots_compatible`` in boot/bootutil/src/swap_move.c
  (sdk-mcuboot v2.1.0-ncs1 = NCS 2.7.0, unchanged in sdk-mcuboot main):
  accepted when primary == secondary, primary == secondary + 1, or
  ``app_max_sectors()`` == secondary + 1 sectors, that is primary ==
  secondary + 1 + the sectors the image trailer occupies at the end of the
  primary (the distribution MCUboot calls optimal), else "Cannot upgrade:
  not a compatible amount of sectors". The trailer (``boot_trailer_sz`` in
  bootutil_misc.c) is ``BOOT_MAX_IMG_SECTORS`` * 3 status entries * the
  primary's write size (``boot_write_sz`` in loader.c: the internal flash's
  write-block-size) + ``BOOT_MAX_ALIGN`` * 4 + the 16-byte magic aligned to
  ``BOOT_MAX_ALIGN`` (8, or the internal write-block-size when larger:
  boot/zephyr/include/mcuboot_config/mcuboot_config.h), plus two key slots
  with encrypted images (not modelled: then this third case is not
  accepted here). The NCS patch
  at its top returns 1 when PM_S1_ADDRESS is defined (b0 + upgradable
  MCUboot): the count check is skipped there.
- swap-offset: ``boot_slots_compatible`` in swap_offset.c (sdk-mcuboot main,
  NCS >= 3.0): primary == secondary or secondary == primary + 1.
- swap-scratch and overwrite-only: ``boot_slots_compatible`` in
  swap_scratch.c (both modes build it): both slots must be walked to their
  last sector together, so their sizes must be equal ("Cannot upgrade: slots
  are not compatible"); with ``MCUBOOT_DECOMPRESS_IMAGES``
  (``CONFIG_BOOT_DECOMPRESSION``, overwrite-only) the walk stops where the
  smaller secondary ends and the final check is compiled out.
- compressed images: sdk-nrf doc/nrf/app_dev/bootloaders_dfu/
  mcuboot_image_compression.rst: slot 1 may be about 70% of slot 0;
  upgrade-only, single image.
- direct-XIP and RAM load: loader.c builds no swap and calls no
  ``boot_slots_compatible`` (``#if !defined(MCUBOOT_DIRECT_XIP) &&
  !defined(MCUBOOT_RAM_LOAD)``): each slot must hold the whole image on its
  own, so the smaller slot bounds every image.
- Kconfig symbols: sdk-mcuboot boot/zephyr/Kconfig, choice
  BOOT_IMAGE_UPGRADE_MODE (v2.1.0-ncs1; BOOT_SWAP_USING_OFFSET and
  BOOT_DECOMPRESSION in later tags).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from extflash.model import Image, Severity


class Mode(str, Enum):
    SWAP_MOVE = "swap-using-move"
    SWAP_OFFSET = "swap-using-offset"
    SWAP_SCRATCH = "swap-using-scratch"
    OVERWRITE = "overwrite-only"
    COMPRESSED = "overwrite-only with compressed images"
    DIRECT_XIP = "direct-XIP"
    RAM_LOAD = "RAM load"
    SINGLE_SLOT = "single application slot"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


# MCUboot Kconfig symbol -> mode, checked in this order (the choice has one y)
SYMBOL2MODE = (
    ("CONFIG_SINGLE_APPLICATION_SLOT", Mode.SINGLE_SLOT),
    ("CONFIG_BOOT_FIRMWARE_LOADER", Mode.SINGLE_SLOT),
    ("CONFIG_BOOT_DIRECT_XIP", Mode.DIRECT_XIP),
    ("CONFIG_BOOT_RAM_LOAD", Mode.RAM_LOAD),
    ("CONFIG_BOOT_UPGRADE_ONLY", Mode.OVERWRITE),
    ("CONFIG_BOOT_SWAP_USING_OFFSET", Mode.SWAP_OFFSET),
    ("CONFIG_BOOT_SWAP_USING_MOVE", Mode.SWAP_MOVE),
    ("CONFIG_BOOT_SWAP_USING_SCRATCH", Mode.SWAP_SCRATCH),
)
DECOMPRESSION = "CONFIG_BOOT_DECOMPRESSION"
ENCRYPT = "CONFIG_BOOT_ENCRYPT_IMAGE"  # sdk-mcuboot v2.1.0-ncs1 boot/zephyr/Kconfig:331


def mode_of(mcuboot: Image | None) -> tuple[Mode, str | None]:
    """MCUboot's mode and the symbol that says so (None: not known)."""
    if mcuboot is None or mcuboot.config is None:
        return Mode.UNKNOWN, None
    for symbol, mode in SYMBOL2MODE:
        if mcuboot.is_y(symbol):
            if mode is Mode.OVERWRITE and mcuboot.is_y(DECOMPRESSION):
                return Mode.COMPRESSED, f"CONFIG_BOOT_UPGRADE_ONLY=y and {DECOMPRESSION}=y"
            return mode, f"{symbol}=y"
    return Mode.UNKNOWN, None


@dataclass(frozen=True)
class Verdict:
    severity: Severity
    reason: str  # what MCUboot does with these sizes


# bootutil_priv.h BOOT_STATUS_STATE_COUNT (swap-move and swap-scratch) and
# bootutil_public.h BOOT_MAGIC_SZ, sdk-mcuboot v2.1.0-ncs1
STATUS_STATE_COUNT = 3
MAGIC_SIZE = 16
MIN_MAX_ALIGN = 8


def trailer_sectors(max_img_sectors: int, write_size: int, sector: int) -> int:
    """Sectors the image trailer takes at the end of the primary slot
    (swap_move.c ``app_max_sectors``, bootutil_misc.c ``boot_trailer_sz``)
    for an unencrypted image."""
    max_align = max(MIN_MAX_ALIGN, write_size)
    magic = -(-MAGIC_SIZE // max_align) * max_align
    trailer = max_img_sectors * STATUS_STATE_COUNT * write_size + max_align * 4 + magic
    return max(1, -(-trailer // sector))


def judge(mode: Mode, primary: int, secondary: int, *, b0_patch: bool = False,
          skipped: str | None = None, trailer: int | None = None) -> Verdict | None:
    """``primary``/``secondary``: sector counts. None: MCUboot accepts them.

    ``trailer``: the sectors of the image trailer (``trailer_sectors``), when
    known; swap-move then also accepts primary == secondary + 1 + trailer.

    ``skipped``: why NCS's MCUboot does not run ``boot_slots_compatible`` for
    this image (the network-core image, CONFIG_MCUBOOT_NETWORK_CORE_IMAGE_NUMBER,
    sdk-mcuboot main swap_scratch.c/swap_offset.c): a difference only bounds
    the image size."""
    if primary == secondary:
        return None
    larger = secondary > primary
    if skipped:
        return Verdict(Severity.WARNING, f"{skipped} MCUboot skips the slot check for it, so "
                       + ("the extra secondary space is unused" if larger else
                          "images larger than the secondary cannot be uploaded"))
    if mode is Mode.SWAP_MOVE:
        if primary == secondary + 1 or (trailer is not None and primary == secondary + 1 + trailer):
            return None
        if b0_patch and larger:
            return Verdict(Severity.WARNING, "with b0 (PM_S1_ADDRESS) NCS's MCUboot skips the "
                                             "slot check, so the extra secondary space is unused")
        fewer = "one sector fewer" if trailer is None else (
            f"one sector fewer, or {1 + trailer} fewer (the primary's sectors before its "
            f"{trailer}-sector image trailer, less one)")
        return Verdict(Severity.ERROR, "swap-using-move accepts a secondary of the primary's "
                                       f"sector count or {fewer}; MCUboot logs \"Cannot "
                                       "upgrade: not a compatible amount of sectors\"")
    if mode is Mode.SWAP_OFFSET:
        if secondary == primary + 1:
            return None
        return Verdict(Severity.ERROR, "swap-using-offset accepts a secondary of the primary's "
                                       "sector count or one sector more; MCUboot logs \"Cannot "
                                       "upgrade: not a compatible amount of sectors\"")
    if mode in (Mode.SWAP_SCRATCH, Mode.OVERWRITE):
        return Verdict(Severity.ERROR, f"{mode} needs slots of equal size; MCUboot logs "
                                       "\"Cannot upgrade: slots are not compatible\"")
    if mode is Mode.COMPRESSED:
        if not larger:
            return None
        return Verdict(Severity.WARNING, "compressed updates need a secondary no larger than the "
                                         "primary (about 70% of it); the extra space is unused")
    if mode in (Mode.DIRECT_XIP, Mode.RAM_LOAD):
        return Verdict(Severity.WARNING, f"{mode} runs an image from either slot, so the smaller "
                                         "slot bounds every image")
    if mode is Mode.SINGLE_SLOT:
        return None
    # unknown mode (a static file, or no mode symbol in MCUboot's .config)
    if primary == secondary + 1:
        return None  # swap-using-move, NCS's default, accepts it
    return Verdict(Severity.WARNING, "whether MCUboot accepts this depends on its mode: "
                                     "swap-using-move needs equal sizes or one sector fewer in "
                                     "the secondary, swap-using-offset one sector more, "
                                     "swap-using-scratch and overwrite-only equal sizes, and only "
                                     "compressed images (CONFIG_BOOT_DECOMPRESSION) a much "
                                     "smaller secondary; verify the build to know")
