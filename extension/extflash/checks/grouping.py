"""One root cause, one finding: symptoms that follow from another finding
of the same image are folded into it, root cause first.

Rules (each from the Kconfig that links cause and symptom):

- ``chosen-missing`` -> ``driver-disabled``: the flash drivers default to
  ``y`` but depend on their devicetree node being enabled (zephyr
  ``drivers/flash/Kconfig.nordic_qspi_nor``: ``NORDIC_QSPI_NOR ... default y,
  depends on DT_HAS_NORDIC_QSPI_NOR_ENABLED``; ``Kconfig.nor``: ``SPI_NOR``
  on ``DT_HAS_JEDEC_SPI_NOR_ENABLED``; NCS v2.7.0), and sdk-nrf
  ``subsys/partition_manager/Kconfig`` turns
  ``PM_EXTERNAL_FLASH_HAS_DRIVER`` on from them. When the image's
  ``.config`` has no ``CONFIG_DT_HAS_<COMPAT>_ENABLED=y`` for the flash's
  compatible, the driver is off *because* the node is disabled or absent:
  fixing the devicetree fixes both.
- ``undecodable-value`` -> any finding of the same image whose message
  names the symbol that could not be decoded.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extflash.checks import slots
from extflash.model import ARTEFACT_MISSING, UNDECODABLE_VALUE, Build, Finding

CHOSEN_MISSING = "chosen-missing"
DRIVER_DISABLED = "driver-disabled"


def dt_has_symbol(compat: str) -> str:
    """Zephyr's Kconfig symbol for "a node with this compatible is okay"
    (scripts/kconfig/kconfigfunctions.py / gen_kconfig_rest: non-alphanumeric
    characters become ``_``, upper case)."""
    return "CONFIG_DT_HAS_" + re.sub(r"[^A-Za-z0-9]", "_", compat).upper() + "_ENABLED"


def _flash_compat(build: Build, image) -> str | None:
    for candidate in (image, build.app):
        if candidate is None or candidate.devicetree is None:
            continue
        parts = slots.external_slots(build, candidate)
        node = slots.ext_flash_node(build, candidate, parts[0] if parts else None)
        if node is not None:
            compat = next((c for c in node.compatible if c in slots.COMPAT2DRIVER), None)
            if compat:
                return compat
    return None


def _driver_follows_devicetree(build: Build, image_name: str | None) -> bool:
    image = build.name2image.get(image_name or "")
    if image is None or image.config is None:
        return False
    compat = _flash_compat(build, image)
    return compat is not None and image.kconfig(dt_has_symbol(compat)) is not True


def _folds(build: Build, root: Finding, other: Finding) -> bool:
    if root is other or root.image != other.image:
        return False
    if root.name == CHOSEN_MISSING and other.name == DRIVER_DISABLED:
        return _driver_follows_devicetree(build, root.image)
    if root.code == UNDECODABLE_VALUE[0] and other.code not in (UNDECODABLE_VALUE[0],
                                                                  ARTEFACT_MISSING[0]):
        symbol = root.location.detail if root.location else None
        return bool(symbol) and re.search(rf"\b{re.escape(symbol)}\b", other.message) is not None
    return False


def group(build: Build, findings: list[Finding]) -> list[Finding]:
    folded: set[int] = set()
    result = []
    for root in findings:
        if id(root) in folded:
            continue
        symptoms = [f for f in findings if id(f) not in folded and _folds(build, root, f)]
        if not symptoms:
            result.append(root)
            continue
        folded.update(id(f) for f in symptoms)
        text = "; ".join(f"{f.name} ({f.code}): {f.message}" for f in symptoms)
        result.append(replace(root, message=f"{root.message}; this is also why: {text}"))
    return [f for f in result if id(f) not in folded]
