"""EXF012 ``mcuboot-absent``, EXF013 ``secondary-internal`` and EXF014
``secondary-missing``: what a build is, said on every output, so that "ok"
is never read as "the external-flash update path was verified" when there
is none."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.model import (
    PRIMARY,
    SECONDARY,
    Build,
    Evidence,
    Finding,
    Location,
    Partitioning,
    Severity,
)
from extflash.units import hex_addr, hex_size

# sdk-nrf sysbuild/Kconfig.sysbuild (child image: the same name without SB_)
# MCUboot modes without a secondary slot: sdk-mcuboot (v2.1.0-ncs1)
# boot/zephyr/include/sysflash/sysflash.h maps the secondary to
# slot1_partition unless one of these is set
SINGLE_SLOT = ("CONFIG_SINGLE_APPLICATION_SLOT", "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP")


def check_mcuboot_absent(build: Build) -> Iterator[Finding]:
    """What it checks
    The build has an MCUboot image: an image whose zephyr/.config has
    CONFIG_MCUBOOT=y (the symbol MCUboot's own Kconfig turns on), whatever
    its folder is called.

    Why it matters
    Without MCUboot there is no secondary slot to check: none of the
    MCUboot, slot, driver or devicetree checks apply, and an "ok" would
    say nothing about firmware updates. The report says so plainly; under
    --strict it fails, so a CI job meant to gate an updatable build does
    not pass a build that cannot be updated.

    How to fix
    If the product is meant to be updated, add MCUboot:
    SB_CONFIG_BOOTLOADER_MCUBOOT=y in sysbuild.conf (NCS 2.7 and later), or
    CONFIG_BOOTLOADER_MCUBOOT=y in prj.conf for a child-image build
    (NCS 2.6 and earlier); west extflash init writes the whole set. If it
    is not, run verify without --strict.

    See also
    Adding a bootloader chain using sysbuild
    Sources: sdk-zephyr v3.6.99-ncs2
    share/sysbuild/images/bootloader/CMakeLists.txt
    (SB_CONFIG_BOOTLOADER_MCUBOOT adds image mcuboot); sdk-mcuboot
    v2.1.0-ncs1 boot/zephyr/Kconfig (config MCUBOOT); sdk-nrf v2.7.0
    modules/mcuboot/CMakeLists.txt (child image).
    """
    if build.mcuboot is not None or not build.name2image:
        return  # (no image at all: verify --static lints a file, not a build)
    if any(f.evidence is Evidence.IMAGE and f.image for f in build.load_findings):
        return  # MCUboot was asked for and its folder is missing: artefact-missing says so
    names = ", ".join(f"{i.name}" for i in build.images()) or "none"
    yield MCUBOOT_ABSENT.finding(
        f"no MCUboot in this build: no image has CONFIG_MCUBOOT=y (images: {names}), so no "
        "MCUboot slot, driver or devicetree check applies",
        hint="add MCUboot (SB_CONFIG_BOOTLOADER_MCUBOOT=y in sysbuild.conf) if this firmware "
             "is to be updated; otherwise run verify without --strict",
        # the symbol that would bring MCUboot in: sysbuild's, else the application's
        location=(Location("zephyr/.config", "SB_CONFIG_BOOTLOADER_MCUBOOT")
                  if build.sysbuild_config is not None
                  else build.app.config_at("CONFIG_BOOTLOADER_MCUBOOT") if build.app else None))


def check_secondary_internal(build: Build) -> Iterator[Finding]:
    """What it checks
    Where MCUboot's secondary slot (mcuboot_secondary, or slot1_partition
    in a devicetree-partition build) is: when it is in the internal flash,
    the report says so.

    Why it matters
    This tool is about a secondary slot in external flash. A build whose
    secondary is internal is a valid layout, but the external-flash checks
    (driver, chosen node, bus, layout page) have nothing to look at, and
    an "ok" must not be read as "the external flash was verified".

    How to fix
    Nothing, if an internal secondary is what you want. To move it to
    external flash: SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y with the
    nordic,pm-ext-flash chosen node (Partition Manager), or slot1_partition
    under the external flash node (devicetree partitions); west extflash
    init writes either.

    See also
    MCUboot external flash (bootloader partitioning)
    Source: sdk-mcuboot v2.1.0-ncs1 boot/zephyr/pm.yml
    (mcuboot_secondary in flash_primary unless
    CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY).
    """
    if build.mcuboot is None:
        return
    if build.sb(slots.SB_EXT_SECONDARY) is True or (
            build.app is not None and build.app.is_y(slots.EXT_SECONDARY)):
        return  # external was asked for: secondary-not-external reports the internal slot
    seen = [slots.slot(build, SECONDARY, image) for image in slots.slot_users(build)]
    if not seen or any(p is None or slots.is_external(p) for p in seen):
        return  # absent, or external in some image: other checks report that
    secondary = slots.slot(build, SECONDARY, build.mcuboot)
    where = secondary.location or Location("partitions.yml", f"/{SECONDARY}")
    yield SECONDARY_INTERNAL.finding(
        f"the MCUboot secondary slot {SECONDARY} is in internal flash ({secondary.region} at "
        f"{hex_addr(secondary.address)}, {hex_size(secondary.size)}): the external-flash "
        "checks have nothing to check in this build",
        hint="nothing to do if an internal secondary is intended; west extflash init moves it "
             "to external flash", location=where)


def check_secondary_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    In a build with devicetree partitions, MCUboot has a secondary slot:
    slot1_partition is in MCUboot's or the application's zephyr.dts,
    unless MCUboot runs with a single slot (CONFIG_SINGLE_APPLICATION_SLOT
    or CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP in its .config). Partition
    Manager builds are checked by requested-slot-missing.

    Why it matters
    MCUboot's flash map takes the update slot from slot1_partition
    (sysflash.h in MCUboot's Zephyr port). Without it there is no slot to
    receive an update and nothing of the secondary can be verified: an
    "ok" would mean nothing. Such a zephyr.dts usually comes from a build
    that failed after the devicetree step, or from overlays that lost the
    slot when the layout moved from pm_static.yml to devicetree.

    How to fix
    Define slot1_partition (on the external flash node for an external
    secondary) in the memory-map .dtsi that both the application's board
    overlay and sysbuild/mcuboot.overlay include; west extflash init
    --layout dts writes one.

    See also
    MCUboot external flash (bootloader partitioning)
    Source: sdk-mcuboot v2.1.0-ncs1
    boot/zephyr/include/sysflash/sysflash.h (FLASH_AREA_IMAGE_0_SLOTS:
    slot0_partition, slot1_partition).
    """
    mcuboot = build.mcuboot
    if build.partitioning is not Partitioning.DTS or mcuboot is None or mcuboot.config is None:
        return
    if any(mcuboot.is_y(s) for s in SINGLE_SLOT):
        return
    if slots.slot(build, PRIMARY, mcuboot) is None:
        return  # no slots in MCUboot's map at all: the report is "not verified"
    if any(slots.slot(build, SECONDARY, image) is not None for image in slots.slot_users(build)):
        return  # in one image only: layout-mismatch reports that
    config = slots.config_file(mcuboot)
    yield SECONDARY_MISSING.finding(
        f"slot1_partition ({SECONDARY}) is in no image's zephyr.dts, but MCUboot has a "
        f"primary slot and no single-slot mode ({' and '.join(SINGLE_SLOT)} not set in "
        f"{config}): MCUboot has no slot to receive an update",
        hint="define slot1_partition in the memory map both images include "
             "(west extflash init --layout dts writes one)",
        location=mcuboot.config_location, image=mcuboot.name)


MCUBOOT_ABSENT = Check(
    "EXF012", "mcuboot-absent", Severity.WARNING,
    "no MCUboot in this build, so no update-path check applies (fails under --strict)",
    "add MCUboot if this firmware is to be updated",
    docs.url(docs.BOOTLOADER_ADDING), check_mcuboot_absent)
SECONDARY_INTERNAL = Check(
    "EXF013", "secondary-internal", Severity.INFO,
    "MCUboot's secondary slot is in internal flash: nothing of external flash to check",
    "nothing to do if intended; west extflash init moves the slot to external flash",
    docs.url(docs.MCUBOOT_EXTERNAL_FLASH), check_secondary_internal)
SECONDARY_MISSING = Check(
    "EXF014", "secondary-missing", Severity.ERROR,
    "MCUboot has a primary slot but no slot1_partition anywhere (devicetree partitions)",
    "define slot1_partition in the memory map both images include",
    docs.url_latest(docs.MCUBOOT_EXTERNAL_FLASH), check_secondary_missing)
