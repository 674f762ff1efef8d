"""EXF0xx: the build's artefacts are present and decodable.

The loaders record these findings while reading (``Build.load_findings``);
the checks here pass them on with the registry's severity and docs, so
``--list-checks``, ``--explain`` and ``--strict`` treat them like any other.
A missing or undecodable input names the checks it blocked (``BLOCKS``):
an "ok" means verified, so a check that could not run is never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from extflash.checks import docs
from extflash.checks.base import Check
from extflash.model import ARTEFACT_MISSING as MISSING_CODE
from extflash.model import ARTEFACT_UNDECODABLE as UNDECODABLE_ARTEFACT_CODE
from extflash.model import SCHEMA as SCHEMA_CODE
from extflash.model import UNDECODABLE_VALUE as UNDECODABLE_VALUE_CODE
from extflash.model import Build, Evidence, Finding, Partitioning, Severity

_KCONFIG = ("driver-disabled", "override-without-driver", "driver-not-flagged",
            "max-img-sectors", "sector-layout-mismatch", "netcore-update-mode",
            "netcore-slots-missing", "foreign-netcore-slots", "secondary-not-external")
_DEVICETREE = ("chosen-missing", "flash-bus-disabled", "write-block-size", "chosen-mismatch",
               "code-partition-mismatch", "layout-mismatch", "max-img-sectors",
               "sector-layout-mismatch", "driver-disabled")
# which checks read which input (the checks' own code: checks/*.py, slots.py)
BLOCKS: dict[Evidence, tuple[str, ...]] = {
    Evidence.SYSBUILD_KCONFIG: ("secondary-not-external", "netcore-slots-missing",
                                "pad-size-mismatch", "netcore-update-mode", "driver-disabled"),
    Evidence.IMAGE_KCONFIG: _KCONFIG,
    Evidence.IMAGE_DEVICETREE: _DEVICETREE,
    Evidence.IMAGE: tuple(dict.fromkeys(_KCONFIG + _DEVICETREE)),
    Evidence.PARTITIONS: ("partition-overlap", "partition-out-of-region", "slot-size-mismatch",
                          "secondary-not-external", "netcore-slots-missing", "pad-size-mismatch",
                          "foreign-netcore-slots", "driver-disabled", "max-img-sectors",
                          "sector-layout-mismatch", "chosen-missing", "flash-bus-disabled"),
    Evidence.REGIONS: ("partition-out-of-region",),
    Evidence.PM_HEADER: ("driver-disabled", "driver-not-flagged"),
    Evidence.PM_CONFIG: ("pad-size-mismatch",),
    Evidence.CMAKE_CACHE: (),
}


_DRIVERS = ("driver-disabled", "override-without-driver", "driver-not-flagged",
            "max-img-sectors", "sector-layout-mismatch")
# a Kconfig value that cannot be decoded blocks the checks that read that
# symbol (checks/kconfig.py, mcuboot.py, partitions.py, slots.py)
SYMBOL_BLOCKS: dict[str, tuple[str, ...]] = {
    "CONFIG_BOOT_MAX_IMG_SECTORS": ("max-img-sectors",),
    "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO": ("max-img-sectors",),
    "CONFIG_UPDATEABLE_IMAGE_NUMBER": ("max-img-sectors", "netcore-slots-missing",
                                       "foreign-netcore-slots", "driver-disabled"),
    "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": ("max-img-sectors", "sector-layout-mismatch"),
    "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": ("max-img-sectors", "sector-layout-mismatch"),
    "CONFIG_FLASH_MSPI_NOR_LAYOUT_PAGE_SIZE": ("max-img-sectors", "sector-layout-mismatch"),
    "CONFIG_BOOT_SWAP_USING_MOVE": ("sector-layout-mismatch",),
    "CONFIG_BOOT_SWAP_USING_OFFSET": ("sector-layout-mismatch",),
    "CONFIG_BOOT_SWAP_USING_SCRATCH": ("sector-layout-mismatch",),
    "CONFIG_BOOT_UPGRADE_ONLY": ("sector-layout-mismatch", "netcore-update-mode"),
    "CONFIG_NORDIC_QSPI_NOR": _DRIVERS,
    "CONFIG_SPI_NOR": _DRIVERS,
    "CONFIG_FLASH_MSPI_NOR": _DRIVERS,
    "CONFIG_SPI": ("driver-disabled",),
    "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER": _DRIVERS[:3],
    "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": _DRIVERS[:3],
    "CONFIG_FLASH_SIMULATOR": ("driver-disabled",),
    "CONFIG_MCUBOOT": ("mcuboot-absent",),
    "CONFIG_BOOTLOADER_MCUBOOT": ("artefact-missing",),
    "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE": ("artefact-missing",),
    "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": ("secondary-not-external",),
    "CONFIG_NRF53_MULTI_IMAGE_UPDATE": ("netcore-update-mode",),
    "SB_CONFIG_BOOTLOADER_MCUBOOT": ("artefact-missing",),
    "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": ("secondary-not-external",),
    "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE": ("netcore-update-mode",),
    "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY": ("netcore-update-mode",),
    "SB_CONFIG_PM_MCUBOOT_PAD": ("pad-size-mismatch",),
    "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": ("driver-disabled",),
    "SB_CONFIG_PARTITION_MANAGER": (),
    "CONFIG_SINGLE_APPLICATION_SLOT": ("secondary-missing",),
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP": ("secondary-missing",),
}
# checks that return early for one partitioning scheme
DTS_ONLY = frozenset({"code-partition-mismatch", "layout-mismatch"})
PM_ONLY = frozenset({"chosen-mismatch", "pad-size-mismatch", "secondary-not-external",
                     "foreign-netcore-slots"})


def blocked(build: Build, f: Finding) -> tuple[str, ...]:
    """The checks ``f`` (a loader finding) kept from running on this build."""
    symbol = f.location.detail if f.location is not None else None
    if f.code == UNDECODABLE_VALUE_CODE[0] and symbol in SYMBOL_BLOCKS:
        names = SYMBOL_BLOCKS[symbol]
    else:
        names = BLOCKS.get(f.evidence, ()) if f.evidence is not None else ()
    skip = PM_ONLY if build.partitioning is Partitioning.DTS else (
        DTS_ONLY if build.partitioning is Partitioning.PM else frozenset())
    return tuple(n for n in names if n not in skip)


def _pass_on(build: Build, check: Check) -> Iterator[Finding]:
    for f in build.load_findings:
        if f.code == check.code:
            names = blocked(build, f)
            scope = f" for image '{f.image}'" if f.image else ""
            text = f"; not checked{scope}: {', '.join(names)}" if names else ""
            yield replace(f, severity=check.severity, docs=check.docs, message=f.message + text)


def check_artefact_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    Every file verify reads is present: the sysbuild zephyr/.config, the
    image folders the build asked for (MCUboot's mcuboot/ when
    SB_CONFIG_BOOTLOADER_MCUBOOT=y, or in a child-image build when the
    application has CONFIG_BOOTLOADER_MCUBOOT=y), each image's
    zephyr/.config and zephyr/zephyr.dts for the application and MCUboot,
    partitions.yml (the application domain) and regions.yml beside every
    partitions file.

    Why it matters
    A check that cannot run is not a pass. The finding names the file and
    the checks it blocked; the build is not "ok" until they ran. A missing
    file usually means a partial copy of a build directory (CI artefacts
    that keep only some files) or a failed build.

    How to fix
    Rebuild (west build -p), or keep the listed files when archiving the
    build directory.

    See also
    west extflash verify --list-checks
    Sources (the files NCS writes): sdk-zephyr v3.6.99-ncs2
    share/sysbuild/cmake/domains.cmake (domains.yaml),
    cmake/modules/kconfig.cmake (zephyr/.config),
    cmake/modules/dts.cmake (zephyr/zephyr.dts); sdk-nrf v2.7.0
    cmake/sysbuild/partition_manager.cmake (partitions.yml, regions.yml,
    pm.config).
    """
    yield from _pass_on(build, ARTEFACT_MISSING)


def check_schema(build: Build) -> Iterator[Finding]:
    """What it checks
    partitions.yml (and partitions_<DOMAIN>.yml, pm_static.yml),
    regions.yml and domains.yaml match the schemas in schemas/: integer
    addresses and sizes, known regions (flash_primary, external_flash,
    sram_primary, ram_flash, otp, bootconf), lists for span, share_size
    and inside.

    Why it matters
    Partition Manager reads its static file loosely; a typo such as
    region: exteral_flash or a string size silently changes the layout or
    breaks the build far from the cause. Partitions with a non-integer
    address or size are left out of every other check.

    How to fix
    Correct the value at the reported path in the named file (for build
    output: in the pm_static.yml it was copied from) and rebuild.

    See also
    Partition Manager: static configuration
    Sources: sdk-nrf v2.7.0 scripts/partition_manager.py (the keys it
    reads and writes: address, size, region, span, inside, share_size);
    sdk-zephyr v3.6.99-ncs2 share/sysbuild/cmake/domains.cmake
    (domains.yaml).
    """
    yield from _pass_on(build, SCHEMA)


def check_undecodable_value(build: Build) -> Iterator[Finding]:
    """What it checks
    Every value the checks read decodes as its type: a devicetree status
    is one string ("okay", "disabled"); Kconfig int and hex options such
    as CONFIG_BOOT_MAX_IMG_SECTORS are numbers; bool options are y or n
    (Zephyr has no loadable modules, so a tristate m never appears).

    Why it matters
    verify never puts a default in place of a value it cannot read: a
    status it cannot decode is not "enabled", an unreadable sector limit is
    not "large enough". The checks that needed the value could not decide,
    so the build is not verified until the value is fixed.

    How to fix
    Rebuild (west build -p). If the value comes from your own overlay or
    .conf file, write it as its type: status = "okay"; and
    CONFIG_BOOT_MAX_IMG_SECTORS=256 (no quotes).

    See also
    Zephyr Kconfig: setting options
    Sources: sdk-zephyr v3.6.99-ncs2 scripts/kconfig/kconfiglib.py (how
    .config writes each Kconfig type),
    scripts/dts/python-devicetree/src/devicetree/dtlib.py (property
    types).
    """
    yield from _pass_on(build, UNDECODABLE_VALUE)


def check_artefact_undecodable(build: Build) -> Iterator[Finding]:
    """What it checks
    Files that are present hold what they should: CMakeCache.txt has
    NAME:TYPE=VALUE entries, pm.config has PM_X=value lines, pm_config.h
    has #define PM_X lines. An empty, truncated, binary or UTF-16 file is
    reported (a binary zephyr.dts, .config or partitions.yml stops verify
    with one error line instead).

    Why it matters
    A file that is there but empty looks like "nothing to report"; the
    facts it should have given were taken from elsewhere (the board from
    zephyr/.config, the partition gates from regions.yml) or not checked.
    Under --strict this fails the build.

    How to fix
    Rebuild (west build -p), or copy the file unchanged (CMake and
    Partition Manager write UTF-8 text).

    See also
    west extflash verify --list-checks
    Sources: sdk-nrf v2.7.0 scripts/partition_manager_output.py
    (pm.config and pm_config.h lines); sdk-zephyr v3.6.99-ncs2
    share/sysbuild/cmake/domains.cmake.
    """
    yield from _pass_on(build, ARTEFACT_UNDECODABLE)


ARTEFACT_MISSING = Check(
    code=MISSING_CODE[0], name=MISSING_CODE[1], severity=Severity.ERROR,
    summary="a file or image folder verify needs is missing, so the checks it feeds did not run",
    hint="rebuild (west build -p) or keep the file when copying the build directory",
    docs=docs.url(docs.PM_EXTERNAL_FLASH), function=check_artefact_missing)

SCHEMA = Check(
    code=SCHEMA_CODE[0], name=SCHEMA_CODE[1], severity=Severity.ERROR,
    summary="partitions.yml, regions.yml or domains.yaml does not match its schema",
    hint="correct the value at the reported path and rebuild",
    docs=docs.url(docs.PM_STATIC), function=check_schema)

UNDECODABLE_VALUE = Check(
    code=UNDECODABLE_VALUE_CODE[0], name=UNDECODABLE_VALUE_CODE[1], severity=Severity.ERROR,
    summary="a devicetree or Kconfig value verify needs cannot be decoded",
    hint="rebuild (west build -p); write the value as its type in your overlay or .conf",
    docs=docs.url(docs.KCONFIG_SETTING), function=check_undecodable_value)

ARTEFACT_UNDECODABLE = Check(
    code=UNDECODABLE_ARTEFACT_CODE[0], name=UNDECODABLE_ARTEFACT_CODE[1],
    severity=Severity.WARNING,
    summary="a build file is present but empty, truncated, binary or not UTF-8",
    hint="rebuild (west build -p) or copy the file unchanged",
    docs=docs.url(docs.PM_EXTERNAL_FLASH), function=check_artefact_undecodable)
