"""The views of a build: which partitions each image (or Partition Manager
domain) sees, taken from ``model.Build`` only (no file is read here).

- Partition Manager builds: one view per domain from its
  ``partitions*.yml`` (what PM placed), and one per image from the
  ``pm_config.h`` that image was compiled with (``PM_<NAME>_ADDRESS``,
  ``_SIZE``, ``_DEV``, ``_NAME``, as sdk-nrf ``scripts/partition_manager_output.py``
  writes them). A stale or hand-edited header shows up as a difference.
- Devicetree builds (NCS >= 3.4 default): one view per image from every
  ``fixed-partitions`` child (and ``zephyr,mapped-partition`` /
  ``fixed-subpartitions`` node) of its ``zephyr.dts``, placed on its flash
  device as ``loaders/dts_memory_map.py`` places the MCUboot slots.

RAM regions (``sram_*``) are not flash and are left out of the map.
A value that cannot be decoded is a ``problem`` of the view, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extflash.model import EXTERNAL_FLASH, Build, Image, MemoryMap, Partitioning, Region

PM_FILE_VIEW = "partition-manager"
PM_HEADER_VIEW = "pm_config.h"
DTS_VIEW = "devicetree"
_RAM_PREFIX = "sram"
_PARTITION_COMPATS = ("fixed-partitions", "fixed-subpartitions", "zephyr,mapped-partition")


@dataclass(frozen=True)
class Entry:
    """One partition as one view sees it."""

    name: str
    start: int
    size: int
    region: str
    label: str | None = None  # PM name of a devicetree slot (``mcuboot_primary``)
    source: str | None = None  # file (and node / macro) it came from
    free: bool = False  # Partition Manager's free-space partition of a region
    container: bool = False  # spans other partitions (PM ``span``, devicetree children)

    @property
    def end(self) -> int:
        return self.start + self.size


@dataclass
class SourceView:
    name: str
    kind: str  # PM_FILE_VIEW, PM_HEADER_VIEW, DTS_VIEW
    domain: str
    images: tuple[str, ...]
    role: str | None
    source: str | None
    entries: list[Entry] = field(default_factory=list)
    regions: dict[str, Region] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def is_flash_region(name: str) -> bool:
    return not name.startswith(_RAM_PREFIX)


def views_of(build: Build) -> list[SourceView]:
    if build.partitioning is Partitioning.PM:
        return _pm_views(build)
    return _dts_views(build)


# ------------------------------------------------------------ Partition Manager

def _pm_views(build: Build) -> list[SourceView]:
    views = []
    for domain, mm in build.domain2map.items():
        images = tuple(i.name for i in build.images() if i.domain == domain)
        file = mm.source.file if mm.source else "partitions.yml"
        view = SourceView(name=file, kind=PM_FILE_VIEW, domain=domain, images=images,
                          role=None, source=file)
        view.regions = {n: r for n, r in mm.name2region.items() if is_flash_region(n)}
        for p in mm.name2partition.values():
            if not is_flash_region(p.region):
                continue
            view.entries.append(Entry(
                name=p.name, start=p.address, size=p.size, region=p.region,
                source=f"{file}: {p.name}", container=bool(p.span),
                free=(p.name == p.region and not p.span)))
        views.append(view)
        for image in build.images():
            if image.domain == domain and image.pm_header:
                views.append(_pm_header_view(image, mm))
    return views


def _pm_int(header: dict[str, str], key: str, problems: list[str], file: str) -> int | None:
    raw = header.get(key)
    if raw is None:
        problems.append(f"{file}: {key} is missing")
        return None
    try:
        return int(raw.strip().rstrip("uUlL"), 0)
    except ValueError:
        problems.append(f"{file}: {key} is '{raw}', not a number")
        return None


def _pm_header_view(image: Image, mm: MemoryMap) -> SourceView:
    header = image.pm_header or {}
    file = image.pm_header_location.file if image.pm_header_location else "pm_config.h"
    view = SourceView(name=image.name, kind=PM_HEADER_VIEW, domain=image.domain,
                      images=(image.name,), role=str(image.role), source=file)
    view.regions = {n: r for n, r in mm.name2region.items() if is_flash_region(n)}
    device2region = {r.device: n for n, r in mm.name2region.items() if r.device}
    for key, value in header.items():
        if not (key.startswith("PM_") and key.endswith("_NAME")) or key.endswith("_DEV_NAME"):
            continue
        macro = key[3:-5]
        name = value.strip()
        if name.lower() != macro.lower():
            continue  # PM_<n>_LABEL-style aliases, not a partition
        known = mm.name2partition.get(name)
        region = known.region if known is not None else device2region.get(
            header.get(f"PM_{macro}_DEV", "").strip())
        if region is None or not is_flash_region(region):
            continue
        start = _pm_int(header, f"PM_{macro}_ADDRESS", view.problems, file)
        size = _pm_int(header, f"PM_{macro}_SIZE", view.problems, file)
        if start is None or size is None:
            continue
        view.entries.append(Entry(name=name, start=start, size=size, region=region,
                                  source=f"{file}: PM_{macro}_ADDRESS",
                                  container=bool(known is not None and known.span),
                                  free=(name == region and not (known and known.span))))
    return view


# ------------------------------------------------------------------ devicetree

def _dts_views(build: Build) -> list[SourceView]:
    # Placement as the slot loader does it: the walk up to the flash device
    # and the device -> region rule are that module's (one rule for both).
    from extflash.loaders.dts_memory_map import _device_of, _is_device, _region
    from extflash.model import DTS_LABEL2SLOT

    views = []
    for image in build.images():
        tree = image.devicetree
        if tree is None:
            continue
        file = tree.source.file if tree.source else f"{image.dir}/zephyr/zephyr.dts"
        view = SourceView(name=image.name, kind=DTS_VIEW, domain=image.domain,
                          images=(image.name,), role=str(image.role), source=file)
        for node in sorted(tree.path2node.values(), key=lambda n: n.path):
            parent = tree.node(node.parent)
            in_table = parent is not None and "fixed-partitions" in parent.compatible
            own = any(c in _PARTITION_COMPATS[1:] for c in node.compatible)
            if not node.reg or not (in_table or own) or "fixed-partitions" in node.compatible:
                continue
            if not node.path.rsplit("/", 1)[-1].startswith("partition"):
                continue
            device, offset = _device_of(tree, node)
            if device is None:
                view.problems.append(f"{file}: {node.path}: no flash device above it")
                continue
            region = _region(tree, device)
            view.regions.setdefault(region.name, region)
            name = node.labels[0] if node.labels else node.path.rsplit("/", 1)[-1]
            slot = next((DTS_LABEL2SLOT[lb] for lb in node.labels if lb in DTS_LABEL2SLOT), None)
            start = offset if region.name == EXTERNAL_FLASH else region.base + offset
            children = any(n.parent == node.path and n.reg for n in tree.path2node.values())
            view.entries.append(Entry(name=name, start=start, size=node.reg[0][1],
                                      region=region.name, label=slot, container=children,
                                      source=f"{file}: {node.path}"))
        for node in tree.path2node.values():  # flash devices without partitions too
            if _is_device(node) and node.enabled and not any(
                    c == "zephyr,sim-flash" for c in node.compatible):
                region = _region(tree, node)
                view.regions.setdefault(region.name, region)
        if view.entries or view.regions:
            views.append(view)
    return views
