"""Every NCS documentation link of the checks goes through here: one base URL
(the NCS version the checks were written against) and the page paths with
their Sphinx labels as anchors, the most stable part of NCS doc URLs."""

from __future__ import annotations

NCS_DOCS_BASE = "https://docs.nordicsemi.com/bundle/ncs-3.1.0/page"
# Devicetree partitions for MCUboot (no Partition Manager) are documented
# from NCS 3.3 on; checks that exist only for such builds link here.
NCS_DOCS_LATEST = "https://docs.nordicsemi.com/bundle/ncs-latest/page"

PM_EXTERNAL_FLASH = "nrf/scripts/partition_manager/partition_manager.html#pm_external_flash"
PM_STATIC = "nrf/scripts/partition_manager/partition_manager.html#pm_static_providing"
PM_REGIONS = "nrf/scripts/partition_manager/partition_manager.html#pm_regions"
MCUBOOT_EXTERNAL_FLASH = ("nrf/app_dev/bootloaders_dfu/mcuboot_nsib/bootloader_partitioning.html"
                          "#ug_bootloader_external_flash")
NRF53_MULTI_IMAGE = ("nrf/app_dev/device_guides/nrf53/simultaneous_multi_image_dfu_nrf5340.html")
SYSBUILD_FORCED = "nrf/app_dev/config_and_build/sysbuild/sysbuild_forced_options.html"
SYSBUILD_IMAGES = "nrf/app_dev/config_and_build/sysbuild/sysbuild_images.html"


def url(page: str) -> str:
    return f"{NCS_DOCS_BASE}/{page}"


def url_latest(page: str) -> str:
    """For checks of devicetree-partition builds (NCS >= 3.4)."""
    return f"{NCS_DOCS_LATEST}/{page}"
