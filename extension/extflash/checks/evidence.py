"""EXF012 ``mcuboot-absent`` and EXF013 ``secondary-internal``: what a
build is, said on every output, so that "ok" is never read as "the
external-flash update path was verified" when there is none."""

from __future__ import annotations

from collections.abc import Iterator

from extflash.checks import docs, slots
from extflash.checks.base import Check
from extflash.model import SECONDARY, Build, Evidence, Finding, Location, Severity
from extflash.units import hex_addr, hex_size

# sdk-nrf sysbuild/Kconfig.sysbuild (child image: the same name without SB_)
SB_EXT_SECONDARY = "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY"


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
             "is to be updated; otherwise run verify without --strict")


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
    """
    if build.mcuboot is None:
        return
    if any(build.sb(s) is True or (build.app is not None and build.app.is_y(s[3:]))
           for s in (SB_EXT_SECONDARY,)):
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
