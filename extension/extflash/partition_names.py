"""Partition names in both partitioning schemes: one table, used by the
layout document (``layoutdoc``), the ``layout-changed`` check and ``migrate``.

Partition Manager names a partition by its ``partitions.yml`` key
(``mcuboot_secondary``); devicetree names it by a node label
(``slot1_partition``) and a ``label`` property (``image-1``). The table is
the one Nordic's converter uses: sdk-nrf ``scripts/pm_to_dts.py`` (v0.06,
commit 1b8fe4183578441a19b7cec7ae7ea512b0f58f4a), ``NAME_EXCHANGE`` and
``LABEL_EXCHANGE``; a name not in it keeps its Partition Manager name as the
node label (``NAME_EXCHANGE.get(name, name)``), so code that names the
partition ``FIXED_PARTITION_ID(littlefs_storage)`` still finds it, and its
``label`` property is the name with ``-`` for ``_``, as pm_to_dts.py does.

This module imports nothing from the package and holds only tables.
"""

from __future__ import annotations

# PM name -> (devicetree node label, "label" property); pm_to_dts.py @1b8fe418
PM2DTS: dict[str, tuple[str, str]] = {
    "mcuboot": ("boot_partition", "mcuboot"),
    # slot0_partition is mcuboot_primary: pm_to_dts.py folds mcuboot_pad into
    # the "app" partition ("Adjust for MCUboot": address -= pad, size += pad),
    # which gives exactly mcuboot_primary's span [mcuboot_pad, app]
    "mcuboot_primary": ("slot0_partition", "image-0"),
    "mcuboot_secondary": ("slot1_partition", "image-1"),
    "mcuboot_primary_1": ("slot2_partition", "image-2"),
    "mcuboot_secondary_1": ("slot3_partition", "image-3"),
    "mcuboot_primary_2": ("slot4_partition", "image-4"),
    "mcuboot_secondary_2": ("slot5_partition", "image-5"),
    "factory_data": ("factory_data_partition", "factory-data"),
    "settings_storage": ("storage_partition", "storage"),
    "b0n": ("b0n_partition", "b0n"),
    "b0": ("b0_partition", "b0"),
    "provision": ("provision_partition", "b0-provision-data"),
    "s0_image": ("s0_partition", "b0-image-0"),
    "s1_image": ("s1_partition", "b0-image-1"),
    "tfm_secure": ("slot0_s_partition", "image-0-secure"),
    "tfm_nonsecure": ("slot0_ns_partition", "image-0-nonsecure"),
    "tfm_storage": ("tfm_storage_partition", "tfm-storage"),
    "tfm_its": ("tfm_its_partition", "tfm-its"),
    "tfm_otp_nv_counters": ("tfm_otp_partition", "tfm-otp"),
    "tfm_ps": ("tfm_ps_partition", "tfm-ps"),
}
DTS2PM: dict[str, str] = {label: pm for pm, (label, _) in PM2DTS.items()}

# Slots an update depends on: MCUboot finds the update where these are, and
# the images were signed for them. A move, resize or device change between two
# releases makes the next update fail on every unit in the field.
UPDATE_CRITICAL: tuple[str, ...] = (
    "mcuboot", "mcuboot_primary", "mcuboot_secondary", "mcuboot_primary_1",
    "mcuboot_secondary_1",
)

# Partitions that exist only as Partition Manager bookkeeping and have no
# devicetree node of their own (pm_to_dts.py @1b8fe418 IGNORE_LIST, plus the
# pad it folds into slot0 and the "app" it renames). A layout that lacks them
# lost nothing: their bytes are inside a slot that is compared.
PM_ONLY: frozenset[str] = frozenset({
    "mcuboot_pad", "app", "mcuboot_primary_app", "mcuboot_secondary_app",
    "mcuboot_secondary_pad", "b0_container", "b0n_container", "s0_pad", "s1_pad",
    "app_image", "tfm", "s0", "s1", "nrf70_wifi_fw_mcuboot_pad", "otp", "bootconf", "pcd_sram",
    "rpmsg_nrf53_sram", "sram_primary",
})

# Regions that are flash (NVM, external NOR, the nRF5340 network core's RAM
# "flash"); SRAM and the OTP area are not part of a flash layout.
FLASH_REGIONS: tuple[str, ...] = ("flash_primary", "external_flash", "ram_flash")


def is_free_space(name: str, region: str) -> bool:
    """Partition Manager writes the unused rest of a region as a partition
    named like the region (``external_flash``) and gaps as ``EMPTY_<n>``."""
    return name == region or (name.startswith("EMPTY_") and name[6:].isdigit())


def dts_label(pm_name: str) -> str:
    """``mcuboot_secondary`` -> ``slot1_partition``; ``littlefs_storage`` ->
    ``littlefs_storage``."""
    return PM2DTS[pm_name][0] if pm_name in PM2DTS else pm_name


def dts_label_property(pm_name: str) -> str:
    if pm_name in PM2DTS:
        return PM2DTS[pm_name][1]
    return pm_name.replace("_", "-")


def pm_name(label: str) -> str:
    """``slot1_partition`` -> ``mcuboot_secondary``; the inverse of ``dts_label``."""
    return DTS2PM.get(label, label)
