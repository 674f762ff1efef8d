"""Every NCS documentation link of the checks goes through here.

Checks name a page (the paths below are those of the NCS 2.8+ documentation
layout, ``nrf/app_dev/...``) and ``url()`` makes the link with the default
bundle. ``for_version(url, ncs_version)`` then points a finding's link at
the documentation bundle of the build's own NCS version, from one table
(``MINOR2BUNDLE``): the docs site publishes one bundle per release
(``https://docs.nordicsemi.com/bundle/ncs-2.9.0/page/...``) and
``ncs-latest`` for the newest. Anchors are the Sphinx labels as the site
writes them (underscores become hyphens).

Page layouts:
- NCS 2.8 and later: ``nrf/app_dev/...`` (links of that form to the 2.8.0,
  2.9.0 and 3.0.2 bundles are in public projects' READMEs);
- NCS 2.7: ``nrf/config_and_build/...``, read from the 2.7.0 sources
  (``nrf/doc/nrf/config_and_build/bootloaders/bootloader_external_flash.rst``,
  ``bootloader_adding_sysbuild.rst``,
  ``configuring_app/sysbuild_forced_options.rst``, ``sysbuild_images.rst``).
Builds older than 2.7, and versions without a bundle in the table, link the
2.7.0 bundle (the oldest layout checked here) or ``ncs-latest`` (newer).
"""

from __future__ import annotations

DOCS_SITE = "https://docs.nordicsemi.com/bundle"
DEFAULT_BUNDLE = "ncs-3.1.0"
LATEST_BUNDLE = "ncs-latest"
NCS_DOCS_BASE = f"{DOCS_SITE}/{DEFAULT_BUNDLE}/page"
# Devicetree partitions for MCUboot (no Partition Manager) are documented
# from NCS 3.3 on; checks that exist only for such builds link here.
NCS_DOCS_LATEST = f"{DOCS_SITE}/{LATEST_BUNDLE}/page"

PM_EXTERNAL_FLASH = "nrf/scripts/partition_manager/partition_manager.html#pm-external-flash"
PM_STATIC = "nrf/scripts/partition_manager/partition_manager.html#pm-static-providing"
PM_REGIONS = "nrf/scripts/partition_manager/partition_manager.html#pm-regions"
MCUBOOT_EXTERNAL_FLASH = ("nrf/app_dev/bootloaders_dfu/mcuboot_nsib/bootloader_partitioning.html"
                          "#ug-bootloader-external-flash")
NRF53_MULTI_IMAGE = "nrf/app_dev/device_guides/nrf53/simultaneous_multi_image_dfu_nrf5340.html"
SYSBUILD_FORCED = "nrf/app_dev/config_and_build/sysbuild/sysbuild_forced_options.html"
SYSBUILD_IMAGES = "nrf/app_dev/config_and_build/sysbuild/sysbuild_images.html"
KCONFIG_SETTING = "zephyr/build/kconfig/setting.html"
BOOTLOADER_ADDING = "nrf/app_dev/bootloaders_dfu/mcuboot_nsib/bootloader_adding_sysbuild.html"

LAYOUT_APP_DEV, LAYOUT_27 = "app_dev", "2.7"
# NCS minor version -> (its documentation bundle, its page layout)
MINOR2BUNDLE: dict[tuple[int, int], tuple[str, str]] = {
    (2, 7): ("ncs-2.7.0", LAYOUT_27),
    (2, 8): ("ncs-2.8.0", LAYOUT_APP_DEV),
    (2, 9): ("ncs-2.9.0", LAYOUT_APP_DEV),
    (3, 0): ("ncs-3.0.0", LAYOUT_APP_DEV),
    (3, 1): ("ncs-3.1.0", LAYOUT_APP_DEV),
}
OLDEST = (2, 7)
# 2.8+ page -> the same page in the 2.7 documentation
PAGE_27 = {
    MCUBOOT_EXTERNAL_FLASH: ("nrf/config_and_build/bootloaders/bootloader_external_flash.html"
                             "#ug-bootloader-external-flash"),
    NRF53_MULTI_IMAGE: "nrf/device_guides/nrf53/simultaneous_multi_image_dfu_nrf5340.html",
    SYSBUILD_FORCED: "nrf/config_and_build/configuring_app/sysbuild_forced_options.html",
    SYSBUILD_IMAGES: "nrf/config_and_build/configuring_app/sysbuild_images.html",
    BOOTLOADER_ADDING: "nrf/config_and_build/bootloaders/bootloader_adding_sysbuild.html",
}


def url(page: str) -> str:
    return f"{NCS_DOCS_BASE}/{page}"


def url_latest(page: str) -> str:
    """For checks of devicetree-partition builds (NCS >= 3.4)."""
    return f"{NCS_DOCS_LATEST}/{page}"


def _minor(version: str | None) -> tuple[int, int] | None:
    """``"2.9.1"`` -> (2, 9); a development version (``2.9.99``: the work
    toward the next release, 2.10 or 3.0) has no bundle of its own: None."""
    if not version:
        return None
    parts = version.strip().lstrip("v").split("-")[0].split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
        patch = int(parts[2]) if len(parts) > 2 else 0
    except (ValueError, IndexError):
        return None
    if patch >= 99:
        return None
    return (major, minor)


def bundle_for(version: str | None) -> tuple[str, str]:
    """(bundle, layout) for an NCS version; unknown or newer: ncs-latest."""
    minor = _minor(version)
    if minor is None:
        return LATEST_BUNDLE, LAYOUT_APP_DEV
    if minor in MINOR2BUNDLE:
        return MINOR2BUNDLE[minor]
    if minor < OLDEST:
        return MINOR2BUNDLE[OLDEST]
    return LATEST_BUNDLE, LAYOUT_APP_DEV


def for_version(link: str | None, version: str | None) -> str | None:
    """``link`` (made by ``url()``) pointed at the bundle of ``version``."""
    if link is None or not link.startswith(NCS_DOCS_BASE + "/"):
        return link  # ncs-latest links (devicetree-partition checks) stay
    page = link[len(NCS_DOCS_BASE) + 1:]
    bundle, layout = bundle_for(version)
    if layout == LAYOUT_27:
        page = PAGE_27.get(page, page)
    return f"{DOCS_SITE}/{bundle}/page/{page}"
