"""The flash layout of a build as one document: every slot and partition with
its device, absolute address and size, from either partitioning scheme.

``from_build(build)`` turns the ``model.Build`` that ``verify`` already reads
(Partition Manager output, or each image's devicetree partitions) into a
``LayoutDoc``: per domain (``app``, and ``CPUNET`` for the nRF5340 network
core) one ``model.MemoryMap`` in Partition Manager names
(``extflash.partition_names``). ``to_data``/``from_data`` are its JSON form
(``schemas/layout-schema.yml``); ``render_text`` is the table ``west
extflash layout`` prints. Pure functions: nothing here reads or writes files.

What is in a domain's map (so that a Partition Manager build and the same
layout in devicetree give the same document):

- Partition Manager: every partition of a flash region (``flash_primary``,
  ``external_flash``, ``ram_flash``), without the free-space entries PM
  names after the region or ``EMPTY_<n>``. SRAM and OTP are not flash layout.
- devicetree: every partition node of the application image's (network-core
  image's for ``CPUNET``) ``zephyr.dts``, named by ``partition_names.pm_name``.

Addresses: internal flash absolute (the flash node's base + offsets through
``ranges``), external NOR as the offset in the chip (Partition Manager's
``external_flash`` addresses, with ``CONFIG_PM_EXTERNAL_FLASH_BASE`` 0).
Devices: the devicetree node path of the flash device; for Partition
Manager builds resolved through the application's ``/chosen``
(``zephyr,flash`` for ``flash_primary``, ``nordic,pm-ext-flash`` for
``external_flash``: sdk-nrf ``cmake/partition_manager.cmake`` and
``scripts/partition_manager.py`` name the external region's device
``DT_CHOSEN(nordic_pm_ext_flash)``); None when it cannot be resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extflash.model import (
    EXTERNAL_FLASH,
    FLASH_PRIMARY,
    Build,
    Location,
    MemoryMap,
    Partition,
    Partitioning,
    Role,
)
from extflash.partition_names import FLASH_REGIONS, PM_ONLY, dts_label, is_free_space
from extflash.units import hex_addr, hex_size, human_size

FORMAT = "extflash-layout"
FORMAT_VERSION = 1
APP = "app"
CPUNET = "CPUNET"
_PM_DOMAIN2KEY = {"": APP}
_REGION2CHOSEN = {FLASH_PRIMARY: "zephyr,flash", EXTERNAL_FLASH: "nordic,pm-ext-flash"}


@dataclass
class LayoutDoc:
    """source: the build directory or file it was made from
    partitioning: ``partition-manager`` / ``devicetree``
    domain2map: ``app`` / ``CPUNET`` -> the domain's flash partitions
    """

    source: str
    partitioning: str
    board: str | None = None
    ncs_version: str | None = None
    domain2map: dict[str, MemoryMap] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(m.name2partition for m in self.domain2map.values())


# ------------------------------------------------------------------ from a build


def from_build(build: Build) -> LayoutDoc:
    doc = LayoutDoc(str(build.path), str(build.partitioning), build.board, build.ncs_version)
    if build.partitioning is Partitioning.PM:
        for domain, mm in sorted(build.domain2map.items()):
            doc.domain2map[_PM_DOMAIN2KEY.get(domain, domain)] = _pm_map(build, domain, mm)
    elif build.partitioning is Partitioning.DTS:
        from extflash.loaders.dts_memory_map import memory_map

        for key, role in ((APP, Role.APP), (CPUNET, Role.NETCORE)):
            for image in build.images(role):
                if image.devicetree is None:
                    continue
                mm = memory_map(image.devicetree, image.name, every=True)
                if mm is not None and mm.name2partition:
                    mm.domain = key
                    doc.domain2map[key] = _sorted(mm)
                    break
        # slots only MCUboot maps (slot2_partition: the nRF5340 network core's
        # RAM staging area, from NCS's flash_sim overlay); where both images
        # have a partition, the application's counts (layout-mismatch compares them)
        boot, app_map = build.mcuboot, doc.domain2map.get(APP)
        if boot is not None and boot.devicetree is not None and app_map is not None:
            mm = memory_map(boot.devicetree, boot.name, every=True)
            for name, part in (mm.name2partition.items() if mm is not None else ()):
                app_map.name2partition.setdefault(name, part)
            _sorted(app_map)
    return doc


def from_pm_static(mm: MemoryMap, source: str) -> LayoutDoc:
    """A ``pm_static.yml`` as a layout document (devices unknown: regions only)."""
    doc = LayoutDoc(source, str(Partitioning.PM))
    doc.domain2map[APP] = _pm_map(None, "", mm)
    return doc


def _pm_map(build: Build | None, domain: str, mm: MemoryMap) -> MemoryMap:
    image = None if build is None else next(
        (i for i in build.images() if i.domain == domain
         and i.role in (Role.APP, Role.NETCORE) and i.devicetree is not None), None)
    chosen = image.devicetree.chosen if image is not None else {}
    out = MemoryMap(domain=_PM_DOMAIN2KEY.get(domain, domain), source=mm.source,
                    name2region=dict(mm.name2region))
    for name, part in mm.name2partition.items():
        if part.region not in FLASH_REGIONS or is_free_space(name, part.region):
            continue
        device = chosen.get(_REGION2CHOSEN.get(part.region, ""))
        out.name2partition[name] = Partition(name, part.address, part.size, part.region,
                                             device, part.span, part.location)
    return _sorted(out)


def _sorted(mm: MemoryMap) -> MemoryMap:
    order = {r: i for i, r in enumerate(FLASH_REGIONS)}
    mm.name2partition = dict(sorted(
        mm.name2partition.items(),
        key=lambda kv: (order.get(kv[1].region, 9), kv[1].device or "", kv[1].address,
                        -kv[1].size, kv[0])))
    return mm


# ------------------------------------------------------------------ JSON form


def _label(name: str) -> str | None:
    """The devicetree node label; None for Partition Manager bookkeeping."""
    return None if name in PM_ONLY else dts_label(name)


def to_data(doc: LayoutDoc) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "source": {"path": doc.source, "partitioning": doc.partitioning,
                   "board": doc.board, "ncs_version": doc.ncs_version},
        "domains": {
            key: [{"name": p.name, "dts_label": _label(p.name), "region": p.region,
                   "device": p.device, "address": hex_addr(p.address),
                   "size": hex_addr(p.size), "end": hex_addr(p.end)}
                  for p in mm.name2partition.values()]
            for key, mm in doc.domain2map.items()
        },
    }


def to_json(doc: LayoutDoc) -> str:
    import json

    return json.dumps(to_data(doc), indent=2) + "\n"


def from_data(data: dict, file: str) -> LayoutDoc:
    """A document already validated against ``layout-schema.yml``."""
    source = data.get("source") or {}
    doc = LayoutDoc(file, str(source.get("partitioning") or ""), source.get("board"),
                    source.get("ncs_version"))
    for key, entries in (data.get("domains") or {}).items():
        mm = MemoryMap(domain=key, source=Location(file, f"/domains/{key}"))
        for i, e in enumerate(entries):
            mm.name2partition[e["name"]] = Partition(
                e["name"], int(e["address"], 16), int(e["size"], 16), e["region"],
                e.get("device"), location=Location(file, f"/domains/{key}/{i}"))
        doc.domain2map[key] = mm
    return doc


# ------------------------------------------------------------------ text


def render_text(doc: LayoutDoc) -> str:
    what = {"partition-manager": "Partition Manager output",
            "devicetree": "devicetree partitions"}.get(doc.partitioning, doc.partitioning)
    lines = [f"flash layout of {doc.source} ({what}"
             + (f", {doc.board}" if doc.board else "")
             + (f", NCS {doc.ncs_version}" if doc.ncs_version else "") + ")"]
    for key, mm in doc.domain2map.items():
        lines.append("")
        lines.append(f"{key}:")
        rows = [("partition", "devicetree label", "region", "address", "end", "size", "device")]
        for p in mm.name2partition.values():
            rows.append((p.name, _label(p.name) or "- (Partition Manager only)", p.region,
                         hex_addr(p.address), hex_addr(p.end),
                         f"{hex_addr(p.size)} ({human_size(p.size)})",
                         p.device or "-"))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            cells = (c.ljust(w) for c, w in zip(r, widths, strict=True))
            lines.append(("  " + "  ".join(cells)).rstrip())
    if doc.empty:
        lines.append("no flash partitions found")
    return "\n".join(lines) + "\n"


def describe(p: Partition) -> str:
    """``external_flash (/soc/qspi@40029000/mx25r6435f@0) at 0x0, 0xf4000 (976 KiB)``."""
    where = f"{p.region} ({p.device})" if p.device else p.region
    return f"{where} at {hex_addr(p.address)}, {hex_size(p.size)}"
