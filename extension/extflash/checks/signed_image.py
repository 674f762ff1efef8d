"""Checks of the signed images a build holds against the slots they are
for (``loaders/signed_image.py`` reads them into ``Build.signed_images``).

How much of a slot an image may use depends on MCUboot's mode; the sizes
are MCUboot's own (sdk-mcuboot; M27 = v2.1.0-ncs1 / NCS 2.7.0, M34 =
ncs-v3.4.0):

- trailer = BOOT_MAX_IMG_SECTORS x state count x write size (status area)
  + 2 x encryption key (encrypted images) + BOOT_MAX_ALIGN x 4
  + ALIGN_UP(16, BOOT_MAX_ALIGN) (magic): M27
  ``bootutil_misc.c`` ``boot_trailer_sz`` l.99-136; state count 3, 2 for
  swap-using-offset (M34 ``bootutil_area.h`` l.39-46); BOOT_MAX_ALIGN 8
  unless ``zephyr,flash`` has a larger ``write-block-size`` (M27
  ``boot/zephyr/include/mcuboot_config/mcuboot_config.h`` l.298-302);
- swap-move: min(primary - trailer (sector aligned) - one sector,
  secondary - trailer), M34 ``swap_move.c`` ``app_max_size`` l.582-601
  (M27 ``swap_move.c`` l.528-552 refuses the same image with "Not enough
  free space to run swap upgrade");
- swap-using-offset: min(primary - trailer, secondary - trailer - one
  sector), M34 ``swap_offset.c`` l.730-749;
- swap-scratch and overwrite-only: image + trailer <= slot, imgtool's rule
  (``imgtool/image.py`` ``_trailer_size``; overwrite-only trailer
  BOOT_MAX_ALIGN x 2 + magic).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.checks.mcuboot_modes import (
    ENCRYPT,
    MAGIC_SIZE,
    MIN_MAX_ALIGN,
    STATUS_STATE_COUNT,
    Mode,
    mode_of,
)
from extflash.model import (
    Build,
    Finding,
    Image,
    Location,
    Role,
    Severity,
)
from extflash.units import hex_size

# image number -> its slot pair (zip.cmake: app image_index 0, network core 1)
INDEX2PAIR = dict(enumerate(slots.SLOT_PAIRS))
ENC_KEY_SIZE = {False: 16, True: 32}  # AES128 / AES256
DEFAULT_WRITE = 4  # nRF internal flash write-block-size; used when zephyr.dts has none
CHECK_LOAD_ADDRESS = "CONFIG_MCUBOOT_CHECK_HEADER_LOAD_ADDRESS"  # M34 boot/zephyr/Kconfig:1504


def _align_up(n: int, a: int) -> int:
    return -(-n // a) * a


@dataclass(frozen=True)
class Limit:
    """The largest image a slot pair takes in a mode, and how it was worked out."""

    mode: Mode
    max_size: int
    trailer: int
    sector: int
    how: str


def limit(build: Build, mcuboot: Image, pair: tuple[str, str], encrypted: bool = False,
          aes256: bool = False, mode: Mode | None = None, secondary_extra: int = 0
          ) -> Limit | None:
    """The largest image ``pair`` takes in ``mode`` (default: MCUboot's own,
    ``mcuboot_modes.mode_of``), with the secondary slot ``secondary_extra``
    bytes larger than it is. None for modes where each slot holds a whole
    image (direct-XIP, RAM load, single slot) or an unknown mode."""
    mode = mode or mode_of(mcuboot)[0]
    primary, secondary = (slots.slot(build, n, mcuboot) for n in pair)
    sectors = slots.max_img_sectors(build, mcuboot)
    if primary is None or secondary is None or sectors is None:
        return None
    sector = slots.sector_size(build, mcuboot, primary).value
    sec_sector = slots.sector_size(build, mcuboot, secondary).value
    write_fact = slots.internal_write_block(mcuboot)
    write = max(write_fact.value if write_fact else DEFAULT_WRITE, DEFAULT_WRITE)
    max_align = max(MIN_MAX_ALIGN, write_fact.value if write_fact else 0)
    magic = _align_up(MAGIC_SIZE, max_align)
    if mode in (Mode.OVERWRITE, Mode.COMPRESSED):
        trailer = max_align * 2 + magic
    else:
        states = 2 if mode is Mode.SWAP_OFFSET else STATUS_STATE_COUNT
        trailer = sectors.value * states * write + max_align * 4 + magic
        if encrypted:
            trailer += 2 * _align_up(ENC_KEY_SIZE[aes256], max_align)
    pri_size = primary.size // sector * sector
    sec_size = (secondary.size + secondary_extra) // sec_sector * sec_sector
    if mode is Mode.SWAP_MOVE:
        size = min(pri_size - _align_up(trailer, sector) - sector,
                   sec_size - _align_up(trailer, sec_sector))
        how = "slot - trailer (sector aligned) - one spare sector in the primary slot"
    elif mode is Mode.SWAP_OFFSET:
        size = min(pri_size - _align_up(trailer, sector),
                   sec_size - _align_up(trailer, sec_sector) - sec_sector)
        how = "slot - trailer (sector aligned) - one spare sector in the secondary slot"
    elif mode in (Mode.SWAP_SCRATCH, Mode.OVERWRITE):
        size = min(primary.size, secondary.size) - trailer
        how = "slot - trailer"
    elif mode is Mode.COMPRESSED:  # the compressed image travels in the secondary slot
        size = secondary.size - trailer
        how = "secondary slot - trailer (the image is stored compressed)"
    else:
        return None
    return Limit(mode, size, trailer, sector,
                 f"{how}; {sectors.source}; sector {hex_size(sector)}")


def pair_of(image) -> tuple[str, str] | None:
    """The slot pair a signed image is for: its image number, else its role."""
    if image.image_index is not None:
        return INDEX2PAIR.get(image.image_index)
    if image.role is Role.NETCORE:
        return INDEX2PAIR[1]
    if image.role is Role.APP:
        return INDEX2PAIR[0]
    return None


def _loc(image) -> Location:
    return Location(image.file, "image header")


def check_image_slot_fit(build: Build) -> Iterator[Finding]:
    """What it checks
    Every signed image in the build (``zephyr.signed.bin``/``.hex``,
    ``app_update.bin``, each file of ``dfu_application.zip``) plus MCUboot's
    trailer fits the slot pair it is for, in the mode MCUboot was built with
    (``CONFIG_BOOT_SWAP_USING_MOVE``, ``_OFFSET``, ``_SCRATCH``,
    ``CONFIG_BOOT_UPGRADE_ONLY`` in MCUboot's ``.config``); when it fits,
    says how much room is left (severity info).

    Why it matters
    imgtool only checks image + trailer against ``--slot-size``; swap-move
    also needs a spare sector in the primary slot, swap-using-offset one in
    the secondary. An image that fills the slot builds and uploads, then
    MCUboot refuses it: "Not enough free space to run swap upgrade".

    How to fix
    Make the image smaller, or the slots larger (on the device's first
    layout only: moving slots breaks updates of devices in the field), or
    use the mode that leaves more room.

    See also
    MCUboot external flash; ``west extflash map`` draws the room left.
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/swap_move.c
    (app_max_size) and boot/bootutil/src/bootutil_misc.c (boot_trailer_sz);
    mcu-tools/mcuboot docs/design.md (swap-using-offset).
    """
    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.config is None:
        return
    for image in build.signed_images:
        if image.problem is not None:
            yield IMAGE_SLOT_FIT.finding(
                f"{image.file} {image.problem}", location=Location(image.file),
                hint="rebuild (west build -p) to regenerate the signed image", image=image.image)
            continue
        pair = pair_of(image)
        if pair is None:
            continue
        lim = limit(build, mcuboot, pair, image.encrypted,
                    bool((image.flags or 0) & 0x08))
        if lim is None:
            mode = mode_of(mcuboot)[0]
            yield IMAGE_SLOT_FIT.finding(
                f"{image.file}: {hex_size(image.size)} not compared with {pair[0]}: "
                f"{mode} in {slots.config_file(mcuboot)} (or the slot pair is missing)",
                severity=Severity.INFO, location=_loc(image), image=image.image)
            continue
        if image.size > lim.max_size:
            yield IMAGE_SLOT_FIT.finding(
                f"{image.file} is {hex_size(image.size)}, {hex_size(image.size - lim.max_size)} "
                f"more than the {hex_size(lim.max_size)} {lim.mode} can update in "
                f"{pair[0]}/{pair[1]} ({lim.how}; trailer {hex_size(lim.trailer)})",
                location=_loc(image), image=image.image)
        else:
            yield IMAGE_SLOT_FIT.finding(
                f"{image.file} is {hex_size(image.size)} of {hex_size(lim.max_size)} "
                f"{lim.mode} can update in {pair[0]}: {hex_size(lim.max_size - image.size)} "
                f"left", severity=Severity.INFO, location=_loc(image), image=image.image,
                hint="nothing to do")


def check_image_load_address(build: Build) -> Iterator[Finding]:
    """What it checks
    A signed image with ``IMAGE_F_ROM_FIXED`` names the address of the slot
    it is for (``ih_load_addr`` = ``mcuboot_primary`` / ``slot0_partition``
    address, as NCS's ``image_signing.cmake`` passes ``--rom-fixed``); and
    when MCUboot checks header load addresses
    (``CONFIG_MCUBOOT_CHECK_HEADER_LOAD_ADDRESS=y``, the NCS 3.4 default for
    multi-image builds without Partition Manager) the flag is set.

    Why it matters
    MCUboot skips a ROM-fixed image built for another offset ("Image in
    primary slot at 0x... has been built for offset 0x..., skipping") and,
    from NCS 3.4, refuses one without the flag ("IMAGE_F_ROM_FIXED |
    IMAGE_F_RAM_LOAD is not set for image 0 slot 0").

    How to fix
    Sign with ``imgtool sign --rom-fixed <slot address>`` for this build's
    layout (NCS's build does this for you; rebuild rather than re-sign).

    See also
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/loader.c
    (boot_check_header_valid: IMAGE_F_ROM_FIXED against the slot offset);
    sdk-mcuboot ncs-v3.4.0 boot/bootutil/src/bootutil_loader.c l.135-139 (the
    ROM_FIXED/RAM_LOAD requirement); sdk-nrf v2.7.0
    cmake/sysbuild/image_signing.cmake (--rom-fixed).
    """
    mcuboot = build.mcuboot
    if mcuboot is None:
        return
    for image in build.signed_images:
        pair = pair_of(image) if image.problem is None else None
        primary = slots.slot(build, pair[0], mcuboot) if pair else None
        if primary is None:
            continue
        if image.rom_fixed and image.load_addr != primary.address:
            yield IMAGE_LOAD_ADDRESS.finding(
                f"{image.file} is signed for address {image.load_addr:#x} (IMAGE_F_ROM_FIXED), "
                f"but {pair[0]} starts at {primary.address:#x}", location=_loc(image),
                image=image.image)
        elif not (image.rom_fixed or image.ram_load) and mcuboot.is_y(CHECK_LOAD_ADDRESS):
            yield IMAGE_LOAD_ADDRESS.finding(
                f"{image.file} has neither IMAGE_F_ROM_FIXED nor IMAGE_F_RAM_LOAD (flags "
                f"{image.flags:#x}), but MCUboot has {CHECK_LOAD_ADDRESS}=y in "
                f"{slots.config_file(mcuboot)}", location=_loc(image), image=image.image,
                hint=f"sign with imgtool sign --rom-fixed {primary.address:#x}")


def check_image_encryption(build: Build) -> Iterator[Finding]:
    """What it checks
    The encryption flag of each signed image (``IMAGE_F_ENCRYPTED_AES128``
    / ``_AES256``) against MCUboot's ``CONFIG_BOOT_ENCRYPT_IMAGE``.

    Why it matters
    MCUboot built without encryption support rejects an encrypted image
    (sdk-mcuboot ncs-v3.4.0 ``bootutil_loader.c`` l.111-114); an update
    package that is not encrypted while MCUboot expects encrypted updates
    travels in the clear.

    How to fix
    Turn ``SB_CONFIG_BOOT_ENCRYPTION`` (sysbuild) / ``CONFIG_BOOT_ENCRYPT_IMAGE``
    on or off for both, and ship the ``.signed.encrypted.bin`` when it is on.

    See also
    MCUboot image encryption (NCS documentation).
    Sources: sdk-mcuboot v2.1.0-ncs1 boot/bootutil/src/loader.c
    (MCUBOOT_ENC_IMAGES); sdk-mcuboot ncs-v3.4.0
    boot/bootutil/src/bootutil_loader.c l.111-114.
    """
    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.config is None:
        return
    wants = mcuboot.is_y(ENCRYPT)
    for image in build.signed_images:
        if image.problem is not None or image.image_index is None and "!" not in image.file \
                and not image.encrypted:
            continue  # the plain zephyr.signed.bin always exists next to the encrypted one
        if image.encrypted and not wants:
            yield IMAGE_ENCRYPTION.finding(
                f"{image.file} is encrypted (flags {image.flags:#x}) but MCUboot has no "
                f"{ENCRYPT}=y in {slots.config_file(mcuboot)}: it will reject it",
                location=_loc(image), image=image.image)
        elif wants and not image.encrypted:
            yield IMAGE_ENCRYPTION.finding(
                f"{image.file} is not encrypted although MCUboot has {ENCRYPT}=y: the update "
                "travels in the clear", severity=Severity.WARNING, location=_loc(image),
                image=image.image, hint="ship the .signed.encrypted.bin in the update package")


def check_image_slot_pair(build: Build) -> Iterator[Finding]:
    """What it checks
    Each file of ``dfu_application.zip`` names an image number
    (``manifest.json`` ``image_index``) whose slot pair exists in the build
    (0: ``mcuboot_primary``/``mcuboot_secondary``; 1: ``mcuboot_primary_1``/
    ``mcuboot_secondary_1``, sdk-nrf ``cmake/sysbuild/zip.cmake``), and the
    application's file is image 0.

    Why it matters
    The update tool writes each file to the secondary slot of its image
    number; a wrong number writes the application over the network core's
    slot, or into a slot MCUboot does not have.

    How to fix
    Regenerate the package with the build (west build); do not edit
    manifest.json by hand.

    See also
    nRF5340 simultaneous multi-image DFU (NCS documentation).
    Sources: sdk-nrf v2.7.0 cmake/sysbuild/zip.cmake (image_index in
    manifest.json).
    """
    mcuboot = build.mcuboot
    if mcuboot is None:
        return
    app = build.app.name if build.app else None
    for image in build.signed_images:
        if image.image_index is None or image.problem is not None:
            continue
        pair = INDEX2PAIR.get(image.image_index)
        present = pair and all(slots.slot(build, n, mcuboot) for n in pair)
        if not present:
            yield IMAGE_SLOT_PAIR.finding(
                f"{image.file} is image {image.image_index} in manifest.json, but the build "
                f"has no slot pair for image {image.image_index}"
                + (f" ({pair[0]}, {pair[1]})" if pair else ""), location=Location(image.file))
        elif image.image == app and image.image_index != 0:
            yield IMAGE_SLOT_PAIR.finding(
                f"{image.file} is the application ({app}) but manifest.json gives it image "
                f"{image.image_index} ({pair[0]})", location=Location(image.file))


_DOCS = docs.url(docs.MCUBOOT_EXTERNAL_FLASH)
IMAGE_SLOT_FIT = Check(
    "EXF130", "image-slot-fit", Severity.ERROR,
    "a signed image plus MCUboot's trailer does not fit its slot in MCUboot's mode",
    "make the image smaller, or use a mode that leaves more room (see the message)",
    _DOCS, check_image_slot_fit)
IMAGE_LOAD_ADDRESS = Check(
    "EXF131", "image-load-address", Severity.ERROR,
    "a signed image's load address or ROM_FIXED flag does not match its slot",
    "rebuild so that imgtool signs with --rom-fixed and this build's slot address",
    _DOCS, check_image_load_address)
IMAGE_ENCRYPTION = Check(
    "EXF132", "image-encryption", Severity.ERROR,
    "a signed image's encryption flag does not match MCUboot's CONFIG_BOOT_ENCRYPT_IMAGE",
    "set encryption the same way for MCUboot and the signed images (SB_CONFIG_BOOT_ENCRYPTION)",
    _DOCS, check_image_encryption)
IMAGE_SLOT_PAIR = Check(
    "EXF133", "image-slot-pair", Severity.ERROR,
    "an update file's image number does not match a slot pair of the build",
    "regenerate dfu_application.zip with west build",
    docs.url(docs.NRF53_MULTI_IMAGE), check_image_slot_pair)
