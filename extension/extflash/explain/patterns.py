"""The one table of boot-log and build-log messages ``explain`` knows.

Each entry holds the message exactly as MCUboot, Zephyr or the linker print
it (the format string from the source, with the file and line in the NCS
version where it was read), the versions whose wording differs, the cause,
what to look at, and the names of the ``verify`` checks that confirm the
cause in a build directory.

Sources (read for this table):

- sdk-mcuboot ``v2.1.0-ncs1`` @daf2946a0f = NCS 2.7.0 (also read in the
  workspace at /root/ncs-real/ws-2.7.0/bootloader/mcuboot), ``ncs-v3.1.0``
  @2b69d93e75, ``ncs-v3.2.0`` @0d9411f5dd, ``ncs-v3.4.0`` @c1d2d128a0
  (nrfconnect/sdk-mcuboot).
- Zephyr v3.6.99-ncs2 (NCS 2.7.0) @f579c6ae2f: ``scripts/kconfig/kconfig.py``,
  ``scripts/dts/python-devicetree/src/devicetree/dtlib.py``,
  ``scripts/dts/gen_defines.py``, ``doc/build/dts/troubleshooting.rst``.
- GNU ld (binutils; arm-none-eabi 2.40 in the NCS 2.7.0 toolchain here):
  ``undefined reference to `SYM'`` and ``region `NAME' overflowed by N
  bytes``; newer binutils print 'SYM' with plain quotes, so both are matched.
- NCS documentation, ``ug_bootloader_external_flash`` (troubleshooting),
  which quotes the MCUboot and linker messages together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Stage(str, Enum):
    BOOT = "boot"  # MCUboot's UART/RTT output
    BUILD = "build"  # west build / CMake / linker output

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Pattern:
    name: str  # kebab-case, stable
    stage: Stage
    regex: re.Pattern
    printed: str  # the format string as the source prints it
    source: str  # repo, version, file:line
    versions: str  # where the wording differs, or since when it exists
    cause: str
    look_at: str
    checks: tuple[str, ...] = ()  # verify check names that confirm the cause


def _re(text: str) -> re.Pattern:
    return re.compile(text)


MCUBOOT_27 = "sdk-mcuboot v2.1.0-ncs1 (NCS 2.7.0)"
MCUBOOT_34 = "sdk-mcuboot ncs-v3.4.0"

# checks that say "MCUboot cannot reach the external slot at all"
_SLOT_UNREADABLE = ("driver-disabled", "override-without-driver", "driver-not-flagged",
                    "chosen-missing", "flash-bus-disabled", "chosen-mismatch",
                    "slot-device-unresolved", "requested-slot-missing")

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        name="max-img-sectors-too-small", stage=Stage.BOOT,
        regex=_re(r"Failed reading sectors; BOOT_MAX_IMG_SECTORS=(?P<sectors>\d+)"
                  r"\s*-\s*too small\?"),
        printed="Failed reading sectors; BOOT_MAX_IMG_SECTORS=%d - too small?",
        source=f"{MCUBOOT_27} boot/bootutil/src/loader.c:2102; {MCUBOOT_34} loader.c:2420",
        versions="same wording in every NCS release read (2.7.0 to 3.4.0); NCS 1.x logs "
                 "read the same",
        cause="MCUboot could not build the sector list of a slot: either a slot has more "
              "sectors than CONFIG_BOOT_MAX_IMG_SECTORS, or MCUboot cannot read the slot at "
              "all (no driver, no nordic,pm-ext-flash chosen, partition dropped from its "
              "flash map) and raising the number changes nothing",
        look_at="CONFIG_BOOT_MAX_IMG_SECTORS in mcuboot/zephyr/.config against slot size / "
                "erase block; the external flash driver (CONFIG_NORDIC_QSPI_NOR, "
                "CONFIG_SPI_NOR) and CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER in MCUboot's "
                ".config; nordic,pm-ext-flash in mcuboot/zephyr/zephyr.dts",
        checks=("max-img-sectors", *_SLOT_UNREADABLE),
    ),
    Pattern(
        name="incompatible-sector-count", stage=Stage.BOOT,
        regex=_re(r"Cannot upgrade: not a compatible amount of sectors"),
        printed="Cannot upgrade: not a compatible amount of sectors",
        source=f"{MCUBOOT_27} boot/bootutil/src/swap_move.c:288; {MCUBOOT_34} "
               "swap_move.c:264 and swap_offset.c:338",
        versions="swap-move only in NCS 2.7.0; swap-move and swap-using-offset from NCS 3.1 "
                 "(swap_offset.c)",
        cause="the slots' sector counts do not fit the swap algorithm: swap-move needs the "
              "primary to have one sector more than the image (secondary <= primary), "
              "swap-using-offset the reverse; usually the slot sizes differ, or the external "
              "layout page is not the internal erase block, or the slot could not be read",
        look_at="mcuboot_primary and mcuboot_secondary sizes (partitions.yml or "
                "slot0/slot1_partition); CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE / "
                "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE in MCUboot; the MCUboot mode "
                "(CONFIG_BOOT_SWAP_USING_MOVE / _OFFSET)",
        checks=("slot-size-mismatch", "sector-layout-mismatch", "max-img-sectors",
                "driver-disabled"),
    ),
    Pattern(
        name="sector-layout-differs", stage=Stage.BOOT,
        regex=_re(r"Cannot upgrade: (not same sector layout|slots have non-compatible sectors"
                  r"|more sectors than allowed|slot write sizes are not compatible"
                  r"|not all sectors fit inside scratch|slots are not compatible)"),
        printed="Cannot upgrade: not same sector layout | slots have non-compatible sectors | "
                "more sectors than allowed | slot write sizes are not compatible",
        source=f"{MCUBOOT_27} swap_move.c:294,308 and swap_scratch.c:199,229,254,265; "
               f"{MCUBOOT_34} swap_move.c:270,285,305, swap_offset.c:344,360,380, "
               "swap_scratch.c:308,338",
        versions="'slot write sizes are not compatible' exists from NCS 3.1 (swap_move.c, "
                 "swap_offset.c); the others in every release read",
        cause="the two slots are cut into sectors of different sizes (the external NOR "
              "driver's 64 KiB default layout page against 4 KiB internal pages), or more "
              "sectors than CONFIG_BOOT_MAX_IMG_SECTORS, or a larger write block on the "
              "external flash than on the internal one",
        look_at="the layout page Kconfig of the external driver in MCUboot's .config; "
                "write-block-size of both flash nodes in mcuboot/zephyr/zephyr.dts",
        checks=("sector-layout-mismatch", "max-img-sectors", "write-block-size"),
    ),
    Pattern(
        name="image-not-valid", stage=Stage.BOOT,
        regex=_re(r"Image in the (?P<slot>primary|secondary) slot is not valid!"),
        printed="Image in the %s slot is not valid!",
        source=f"{MCUBOOT_27} boot/bootutil/src/loader.c:1073; {MCUBOOT_34} loader.c:825",
        versions="same wording in every release read",
        cause="the image header, hash or signature check failed for that slot: the image "
              "was signed for another slot size or key, written at the wrong offset, "
              "truncated, or (NCS 3.4+) lacks IMAGE_F_ROM_FIXED; after 'Failed reading "
              "sectors' it means the slot could not be read at all",
        look_at="the signed image (imgtool dumpinfo zephyr.signed.bin): header size, load "
                "address, flags; the slots of the application and MCUboot images",
        checks=("layout-mismatch", "code-partition-mismatch", "slot-size-mismatch",
                "image-load-address", "image-slot-fit", "image-encryption", *_SLOT_UNREADABLE),
    ),
    Pattern(
        name="rom-fixed-not-set", stage=Stage.BOOT,
        regex=_re(r"IMAGE_F_ROM_FIXED \| IMAGE_F_RAM_LOAD is not set for image "
                  r"(?P<image>\d+) slot (?P<slot>\d+)"),
        printed="IMAGE_F_ROM_FIXED | IMAGE_F_RAM_LOAD is not set for image %d slot %d",
        source=f"{MCUBOOT_34} boot/bootutil/src/bootutil_loader.c:137 "
               "(MCUBOOT_CHECK_HEADER_LOAD_ADDRESS)",
        versions="new in NCS 3.4.0 (absent from ncs-v3.3.x and earlier)",
        cause="MCUboot checks the header's load address, and the image was signed without "
              "--rom-fixed (ih_load_addr 0, flag clear): an image signed by an older NCS or "
              "by hand with imgtool",
        look_at="the imgtool sign arguments of the image (--rom-fixed <slot address>); "
                "imgtool dumpinfo shows the flags and load address",
        checks=("image-load-address",),
    ),
    Pattern(
        name="built-for-other-offset", stage=Stage.BOOT,
        regex=_re(r"Image in (?P<slot>primary|secondary) slot at (?P<at>0x[0-9a-fA-F]+) has "
                  r"been built for offset (?P<built>0x[0-9a-fA-F]+), skipping"),
        printed="Image in %s slot at 0x%x has been built for offset 0x%x, skipping",
        source=f"{MCUBOOT_27} boot/bootutil/src/loader.c:967",
        versions="every release read (direct-XIP and ROM-fixed images)",
        cause="the image's IMAGE_F_ROM_FIXED load address is not where its slot starts: it "
              "was signed for another partition layout",
        look_at="the slot addresses of this build's map (west extflash map) against the "
                "image's load address",
        checks=("layout-mismatch", "image-load-address"),
    ),
    Pattern(
        name="open-flash-area-failed", stage=Stage.BOOT,
        regex=_re(r"Failed to open flash area ID (?P<id>\d+) \(image (?P<image>\d+) slot "
                  r"(?P<slot>\d+)\): (?P<rc>-?\d+)"),
        printed="Failed to open flash area ID %d (image %d slot %d): %d, cannot continue",
        source=f"{MCUBOOT_27} boot/bootutil/src/loader.c:2418; {MCUBOOT_34} "
               "bootutil_loader.c:395",
        versions="', cannot continue' dropped and 'slot %zu' from NCS 3.2",
        cause="-2 (ENOENT): the partition is not in MCUboot's flash map (Partition Manager "
              "dropped it because the driver Kconfig of its region is off in MCUboot); -19 "
              "(ENODEV): the flash device does not exist in MCUboot's devicetree "
              "(nordic,pm-ext-flash missing or the node disabled)",
        look_at="MCUboot's pm_config.h (PM_MCUBOOT_SECONDARY_ID) and .config (driver, "
                "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER); chosen nordic,pm-ext-flash in "
                "mcuboot/zephyr/zephyr.dts",
        checks=_SLOT_UNREADABLE,
    ),
    Pattern(
        name="protect-mcuboot-failed", stage=Stage.BOOT,
        regex=_re(r"Protect mcuboot flash failed, cancel startup\."),
        printed="Protect mcuboot flash failed, cancel startup.",
        source=f"{MCUBOOT_27} boot/zephyr/main.c:598; {MCUBOOT_34} main.c:987",
        versions="same wording in every release read",
        cause="fprotect could not protect the MCUboot partition: its size is not supported "
              "by the SoC's protection unit (on nRF54L15 MCUboot must stay below 62 KiB with "
              "fprotect, sdk-mcuboot PR #535), usually after growing "
              "CONFIG_PM_PARTITION_SIZE_MCUBOOT or boot_partition to fit an external flash "
              "driver",
        look_at="the mcuboot / boot_partition size in the flash map (west extflash map); "
                "CONFIG_FPROTECT in MCUboot's .config",
        checks=(),
    ),
    Pattern(
        name="no-bootable-image", stage=Stage.BOOT,
        regex=_re(r"Unable to find bootable image"),
        printed="Unable to find bootable image",
        source=f"{MCUBOOT_27} boot/zephyr/main.c:558; {MCUBOOT_34} main.c:925",
        versions="same wording in every release read",
        cause="no slot held a valid image: see the message before it (not valid, "
              "Failed reading sectors, Failed to open flash area)",
        look_at="the lines printed before it",
        checks=(),
    ),
    Pattern(
        name="swap-not-enough-space", stage=Stage.BOOT,
        regex=_re(r"Not enough free space to run swap upgrade"),
        printed="Not enough free space to run swap upgrade / required %d bytes but only %d "
                "are available",
        source=f"{MCUBOOT_27} boot/bootutil/src/swap_move.c:547; {MCUBOOT_34} "
               "swap_move.c:543, swap_offset.c:645",
        versions="swap-move in every release read; swap-using-offset from NCS 3.1",
        cause="the new image plus MCUboot's trailer and the spare sector swap-move (or "
              "swap-using-offset) needs do not fit in the slot: the image is too large for "
              "this mode",
        look_at="the signed image size against slot size minus one sector minus the trailer",
        checks=("image-slot-fit", "slot-size-mismatch", "max-img-sectors"),
    ),
    Pattern(
        name="swap-type", stage=Stage.BOOT,
        regex=_re(r"Image index: (?P<image>\d+), Swap type: (?P<type>test|perm|revert|none)"),
        printed="Image index: %d, Swap type: %s (test | perm | revert | none)",
        source=f"{MCUBOOT_27} boot/bootutil/src/bootutil_public.c:443,457; {MCUBOOT_34} "
               "bootutil_public.c:551,565",
        versions="same wording in every release read (swap modes only; overwrite-only "
                 "prints its own lines)",
        cause="what MCUboot decided for the image: test = a new image is swapped in for one "
              "boot, perm = swapped in for good, revert = the image swapped in last time did "
              "not confirm itself (boot_write_img_confirmed) so the old one comes back, none "
              "= nothing pending (an upload that was never marked with 'image test')",
        look_at="revert: the new application must confirm itself (CONFIG_MCUMGR_GRP_IMG / "
                "boot_write_img_confirmed); none after an upload: mark the image pending "
                "(mcumgr image test <hash>)",
        checks=(),
    ),
    Pattern(
        name="swap-started", stage=Stage.BOOT,
        regex=_re(r"Starting swap using (?P<mode>move|scratch|offset|nsib) algorithm\."),
        printed="Starting swap using %s algorithm. (%s: move | scratch | offset | nsib)",
        source=f"{MCUBOOT_27} swap_move.c:525, swap_scratch.c:715; {MCUBOOT_34} "
               "swap_move.c:521, swap_offset.c:619, swap_scratch.c:947",
        versions="offset and nsib exist from NCS 3.1",
        cause="the swap mode MCUboot was built with (CONFIG_BOOT_SWAP_USING_MOVE, "
              "_SCRATCH, _OFFSET); a swap over external flash takes seconds per MiB",
        look_at="the mode against the slot geometry (swap-move: primary one sector larger; "
                "swap-using-offset: secondary one sector larger)",
        checks=("sector-layout-mismatch", "slot-size-mismatch"),
    ),
    Pattern(
        name="overwrite-upgrade", stage=Stage.BOOT,
        regex=_re(r"Image (?P<image>\d+) upgrade secondary slot -> primary slot"),
        printed="Image %d upgrade secondary slot -> primary slot",
        source=f"{MCUBOOT_27} boot/bootutil/src/loader.c:1630; {MCUBOOT_34} loader.c:1581",
        versions="same wording in every release read",
        cause="overwrite-only mode (CONFIG_BOOT_UPGRADE_ONLY): the new image is copied over "
              "the old one; there is no revert",
        look_at="nothing if the update was meant to be final; a revert needs a swap mode",
        checks=(),
    ),
    Pattern(
        name="erase-size-unknown", stage=Stage.BUILD,
        regex=_re(r"Unable to determine erase size"),
        printed="Unable to determine erase size/total size of slot%d partition "
                "(NCS 3.4) | Unable to determine erase size of slot0 partition, cannot "
                "calculate minimum sector usage (NCS 3.1-3.3) | Unable to determine erase "
                "size of slot0 or slot1 partition, setting to 1 (this is probably wrong)",
        source=f"{MCUBOOT_34} boot/zephyr/CMakeLists.txt:644,695,770; sdk-mcuboot ncs-v3.1.0 "
               f"CMakeLists.txt:551,560,634; {MCUBOOT_27} CMakeLists.txt:440",
        versions="NCS 2.7-3.0: only the 'setting to 1' form; 3.1-3.3: 'cannot calculate "
                 "minimum sector usage'; 3.4: 'erase size/total size of slotN'",
        cause="MCUboot's CMake reads erase-block-size only from a soc-nv-flash node (or the "
              "parent of a fixed-partitions node); a NOR chip has none, so "
              "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO does not count the external slot and the "
              "sector count (and the swap-offset/footer sizes) may be wrong",
        look_at="CONFIG_BOOT_MAX_IMG_SECTORS_AUTO and CONFIG_BOOT_MAX_IMG_SECTORS in "
                "MCUboot's .config against the external slot's sector count",
        checks=("max-img-sectors", "sector-layout-mismatch"),
    ),
    Pattern(
        name="device-dts-ord-undefined", stage=Stage.BUILD,
        regex=_re(r"undefined reference to [`'‘]__device_dts_ord_(?P<ordinal>\d+)['’]"),
        printed="undefined reference to `__device_dts_ord_<N>'",
        source="GNU ld (binutils 2.40 here); zephyr v3.6.99-ncs2 "
               "doc/build/dts/troubleshooting.rst:34; NCS doc ug_bootloader_external_flash",
        versions="binutils before 2.42 print `sym', later 'sym'",
        cause="code (usually the flash driver or the flash map) takes a devicetree node's "
              "device that no driver instantiated: the node is disabled, its bus is "
              "disabled, or the driver Kconfig is off in that image (often MCUboot), or "
              "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK forced a partition without a driver",
        look_at="ordinal N under 'Node dependency ordering (ordinal and path)' at the top "
                "of <image>/zephyr/include/generated/(zephyr/)devicetree_generated.h; that "
                "node's status and its driver Kconfig in the same image",
        checks=_SLOT_UNREADABLE,
    ),
    Pattern(
        name="flash-region-overflowed", stage=Stage.BUILD,
        regex=_re(r"region [`'‘]FLASH['’] overflowed by (?P<bytes>\d+) bytes"),
        printed="region `FLASH' overflowed by %d bytes",
        source="GNU ld (binutils 2.40 here)",
        versions="binutils before 2.42 print `FLASH', later 'FLASH'",
        cause="the image does not fit its code partition: for MCUboot, the external flash "
              "driver (and serial recovery, logging) grew it past CONFIG_PM_PARTITION_SIZE_"
              "MCUBOOT / boot_partition; for the application, past its slot",
        look_at="the size of the partition the image links into (west extflash map) and what "
                "was enabled in that image; growing MCUboot moves every slot (never between "
                "updates of devices in the field)",
        checks=("code-partition-mismatch",),
    ),
    Pattern(
        name="undefined-node-label", stage=Stage.BUILD,
        regex=_re(r"undefined node label '(?P<label>[^']+)'"),
        printed="devicetree error: <node>: undefined node label '%s'",
        source="zephyr v3.6.99-ncs2 scripts/dts/python-devicetree/src/devicetree/dtlib.py:1742 "
               "(printed by scripts/dts/gen_defines.py:68)",
        versions="same wording since Zephyr 2.x",
        cause="an overlay refers to a label the image's devicetree does not have: a flash "
              "node named differently on this board (mx25r64, mx25r6435f, gd25wb256, ...), or "
              "an overlay written for the application applied to MCUboot without the node",
        look_at="the labels of the flash node in the board's .dts, and which overlays each "
                "image uses (sysbuild/mcuboot.overlay, sysbuild/mcuboot/boards/)",
        checks=("chosen-missing", "chosen-mismatch"),
    ),
    Pattern(
        name="kconfig-value-not-taken", stage=Stage.BUILD,
        regex=_re(r"warning: (?P<symbol>[A-Za-z0-9_]+) \(defined at .*?\) was assigned the "
                  r"value '(?P<assigned>[^']*)' but got the value '(?P<got>[^']*)'\."
                  r"(?: Check these unsatisfied dependencies: (?P<deps>.*?)\. See )?"),
        printed="warning: %s (defined at %s) was assigned the value '%s' but got the value "
                "'%s'. Check these unsatisfied dependencies: ...",
        source="zephyr v3.6.99-ncs2 scripts/kconfig/kconfig.py:158",
        versions="same wording in every Zephyr release read; the line is wrapped in the "
                 "build output",
        cause="a Kconfig line had no effect because the symbol's dependencies are not met in "
              "that image (for example CONFIG_SPI_NOR without an enabled jedec,spi-nor node, "
              "or an option set in the wrong image's file)",
        look_at="the unsatisfied dependencies printed after the message, in the image named "
                "by the 'Running CMake for <image>' banner above it",
        checks=("driver-disabled", "override-without-driver", "flash-bus-disabled"),
    ),
)
