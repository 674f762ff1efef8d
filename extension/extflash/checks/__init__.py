"""The checks registry: an explicit tuple, in report order.

``CHECKS`` lists every check; ``find(code_or_name)`` looks one up;
``run(build)`` runs them all. Codes and names are stable: CI integrations
select and suppress by them, and a retired code is never reused.
"""

from __future__ import annotations

from extflash.checks.artefacts import (
    ARTEFACT_MISSING,
    ARTEFACT_UNDECODABLE,
    SCHEMA,
    UNDECODABLE_VALUE,
)
from extflash.checks.base import Check
from extflash.checks.code_partition import CODE_PARTITION_MISMATCH
from extflash.checks.device import SLOT_DEVICE_UNRESOLVED
from extflash.checks.devicetree import (
    CHOSEN_MISMATCH,
    CHOSEN_MISSING,
    FLASH_BUS_DISABLED,
    WRITE_BLOCK_SIZE,
)
from extflash.checks.evidence import MCUBOOT_ABSENT, SECONDARY_INTERNAL, SECONDARY_MISSING
from extflash.checks.intent import REQUESTED_SLOT_MISSING, STATIC_FILE_INVALID
from extflash.checks.kconfig import DRIVER_DISABLED, DRIVER_NOT_FLAGGED, OVERRIDE_WITHOUT_DRIVER
from extflash.checks.layout import LAYOUT_MISMATCH
from extflash.checks.mcuboot import MAX_IMG_SECTORS, NETCORE_UPDATE_MODE, SECTOR_LAYOUT_MISMATCH
from extflash.checks.partitions import (
    FOREIGN_NETCORE_SLOTS,
    NETCORE_SLOTS_MISSING,
    PAD_SIZE_MISMATCH,
    PARTITION_OUT_OF_REGION,
    PARTITION_OVERLAP,
    SECONDARY_NOT_EXTERNAL,
    SLOT_SIZE_MISMATCH,
)
from extflash.checks.signed_image import (
    IMAGE_ENCRYPTION,
    IMAGE_LOAD_ADDRESS,
    IMAGE_SLOT_FIT,
    IMAGE_SLOT_PAIR,
)
from extflash.model import Build, Finding

CHECKS: tuple[Check, ...] = (
    ARTEFACT_MISSING,
    SCHEMA,
    UNDECODABLE_VALUE,
    ARTEFACT_UNDECODABLE,
    MCUBOOT_ABSENT,
    SECONDARY_INTERNAL,
    SECONDARY_MISSING,
    PARTITION_OVERLAP,
    PARTITION_OUT_OF_REGION,
    SLOT_SIZE_MISMATCH,
    SECONDARY_NOT_EXTERNAL,
    NETCORE_SLOTS_MISSING,
    PAD_SIZE_MISMATCH,
    LAYOUT_MISMATCH,
    FOREIGN_NETCORE_SLOTS,
    REQUESTED_SLOT_MISSING,
    STATIC_FILE_INVALID,
    DRIVER_DISABLED,
    OVERRIDE_WITHOUT_DRIVER,
    DRIVER_NOT_FLAGGED,
    MAX_IMG_SECTORS,
    SECTOR_LAYOUT_MISMATCH,
    NETCORE_UPDATE_MODE,
    CHOSEN_MISSING,
    FLASH_BUS_DISABLED,
    WRITE_BLOCK_SIZE,
    CHOSEN_MISMATCH,
    CODE_PARTITION_MISMATCH,
    SLOT_DEVICE_UNRESOLVED,
    IMAGE_SLOT_FIT,
    IMAGE_LOAD_ADDRESS,
    IMAGE_ENCRYPTION,
    IMAGE_SLOT_PAIR,
)

_KEY2CHECK = {c.code.upper(): c for c in CHECKS} | {c.name: c for c in CHECKS}


def find(key: str) -> Check | None:
    """A check by code (``EXF201``, any case) or name (``driver-disabled``)."""
    key = key.strip()
    return _KEY2CHECK.get(key.upper()) or _KEY2CHECK.get(key.lower())


def run(build: Build) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check.run(build))
    return findings
