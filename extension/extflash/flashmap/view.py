"""The flash map's view model: every memory of a build with every
partition and gap, as each image (or Partition Manager domain file) sees
it, and every difference between them. Built from ``model.Build`` only;
the renderers (``render_text``, ``render_json``, ``render_html``) turn it
into a format and never look at the build.

Memories are keyed by domain and region: the application domain's
``flash_primary`` (internal flash or RRAM), ``external_flash`` (the NOR chip
chosen as ``nordic,pm-ext-flash``, or the one a devicetree slot lives on),
``ram_flash`` (the nRF5340 network-core update staging area), and the
network core's own ``flash_primary`` (domain ``CPUNET``). External
addresses are offsets in the chip, as Partition Manager writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from extflash.flashmap.kinds import MemoryKind, PartKind, kind_of, memory_title
from extflash.flashmap.sources import SourceView, views_of
from extflash.model import Build
from extflash.units import hex_size


class Status(str, Enum):
    SAME = "same"  # every view that has the memory places it identically
    DIFFERS = "differs"  # two views give different addresses or sizes
    PARTIAL = "partial"  # some views of this memory do not have it

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Placement:
    start: int
    size: int
    source: str | None = None

    @property
    def end(self) -> int:
        return self.start + self.size


@dataclass
class Row:
    """A partition (or a gap) of one memory, across the views."""

    name: str
    kind: PartKind
    start: int  # as the first view that has it places it
    size: int
    container: bool = False
    depth: int = 0  # how many containers hold it
    slot: str | None = None  # the Partition Manager slot name of a devicetree label
    view2place: dict[str, Placement | None] = field(default_factory=dict)
    status: Status = Status.SAME

    @property
    def end(self) -> int:
        return self.start + self.size

    @property
    def is_gap(self) -> bool:
        return self.kind is PartKind.GAP


@dataclass(frozen=True)
class MemoryFacts:
    """The memory's own facts as one view records them."""

    base: int
    size: int
    device: str | None
    erase_block: int | None = None
    write_block: int | None = None


@dataclass
class Memory:
    id: str
    domain: str
    region: str
    kind: MemoryKind
    title: str
    base: int
    size: int
    size_known: bool
    device: str | None
    erase_block: int | None
    write_block: int | None
    views: list[str]
    view2facts: dict[str, MemoryFacts | None]
    rows: list[Row] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.base + self.size

    @property
    def partitions(self) -> list[Row]:
        return [r for r in self.rows if not r.is_gap]

    @property
    def gaps(self) -> list[Row]:
        return [r for r in self.rows if r.is_gap]


@dataclass(frozen=True)
class ViewInfo:
    name: str
    kind: str
    domain: str
    images: tuple[str, ...]
    role: str | None
    source: str | None


@dataclass(frozen=True)
class Difference:
    memory: str
    name: str
    message: str


@dataclass
class FlashMap:
    path: str
    board: str | None
    ncs_version: str | None
    partitioning: str
    layout: str
    views: list[ViewInfo]
    memories: list[Memory]
    differences: list[Difference]
    problems: list[str]
    notes: list[str]
    geometry: list = field(default_factory=list)  # geometry.PairGeometry per slot pair


def _memory_id(domain: str, region: str) -> str:
    return f"{domain}/{region}" if domain else region


def place_text(p: Placement | None) -> str:
    if p is None:
        return "absent"
    return f"{p.start:#x}..{p.end:#x} ({hex_size(p.size)})"


def build_map(build: Build) -> FlashMap:
    sources = views_of(build)
    images = frozenset(build.name2image)
    id2views: dict[str, list[SourceView]] = {}
    id2key: dict[str, tuple[str, str]] = {}
    for view in sources:
        regions = set(view.regions) | {e.region for e in view.entries}
        for region in regions:
            mid = _memory_id(view.domain, region)
            id2key[mid] = (view.domain, region)
    for mid, (domain, _region) in id2key.items():
        id2views[mid] = [v for v in sources if v.domain == domain]
    memories = [_memory(mid, *id2key[mid], id2views[mid], images) for mid in id2key]
    order = {MemoryKind.INTERNAL: 0, MemoryKind.EXTERNAL: 1, MemoryKind.RAM_FLASH: 2,
             MemoryKind.OTHER: 3}
    memories.sort(key=lambda m: (m.domain != "", m.domain, order[m.kind], m.region))
    differences = [d for m in memories for d in _differences(m)]
    from extflash.flashmap.geometry import geometry

    return FlashMap(
        path=str(build.path), board=build.board, ncs_version=build.ncs_version,
        partitioning=str(build.partitioning), layout=build.layout,
        views=[ViewInfo(v.name, v.kind, v.domain, v.images, v.role, v.source) for v in sources],
        memories=memories, differences=differences,
        problems=[p for v in sources for p in v.problems], notes=list(build.notes),
        geometry=geometry(build))


def _memory(mid: str, domain: str, region: str, views: list[SourceView],
            images: frozenset[str]) -> Memory:
    view2facts: dict[str, MemoryFacts | None] = {}
    for v in views:
        r = v.regions.get(region)
        view2facts[v.name] = None if r is None else MemoryFacts(
            r.base, r.size, r.device, r.erase_block, r.write_block)
    ref = next((f for f in view2facts.values() if f is not None), None)
    entries = [e for v in views for e in v.entries if e.region == region]
    if ref is not None and ref.size > 0:
        base, size, known = ref.base, ref.size, True
    else:  # no region record: span what the partitions cover
        base = min((e.start for e in entries), default=0)
        size = max((e.end for e in entries), default=base) - base
        known = False
    kind, title = memory_title(region, ref.device if ref else None)
    memory = Memory(id=mid, domain=domain, region=region, kind=kind,
                    title=f"network core {title}" if domain else title,
                    base=base, size=size, size_known=known,
                    device=ref.device if ref else None,
                    erase_block=ref.erase_block if ref else None,
                    write_block=ref.write_block if ref else None,
                    views=[v.name for v in views], view2facts=view2facts)
    memory.rows = _rows(memory, views, region, images)
    return memory


def _rows(memory: Memory, views: list[SourceView], region: str,
          images: frozenset[str]) -> list[Row]:
    name2row: dict[str, Row] = {}
    for v in views:
        for e in v.entries:
            if e.region != region:
                continue
            row = name2row.get(e.name)
            if row is None:
                row = name2row[e.name] = Row(
                    name=e.name, kind=kind_of(e.label or e.name, images=images, is_free=e.free),
                    start=e.start, size=e.size, slot=e.label)
            row.container = row.container or e.container
            row.view2place.setdefault(v.name, Placement(e.start, e.size, e.source))
    for row in name2row.values():
        for v in views:
            row.view2place.setdefault(v.name, None)
        placed = [p for p in row.view2place.values() if p is not None]
        if len({(p.start, p.size) for p in placed}) > 1:
            row.status = Status.DIFFERS
        elif len(placed) < len(views):
            row.status = Status.PARTIAL
    rows = list(name2row.values())
    for row in rows:
        row.depth = sum(1 for c in rows if c is not row and c.container
                        and c.start <= row.start and row.end <= c.end
                        and (c.size > row.size or not row.container))
    rows.extend(_gaps(memory, views, region))
    rows.sort(key=lambda r: (r.start, -r.size, r.depth, r.name))
    return rows


def _gaps(memory: Memory, views: list[SourceView], region: str) -> list[Row]:
    key2row: dict[tuple[int, int], Row] = {}
    for v in views:
        if memory.view2facts.get(v.name) is None and memory.size_known:
            continue  # this view does not have the memory at all
        # clipped to the memory: a partition outside it (partition-out-of-region) leaves
        # no gap of its own, and an absurd address no absurd gap
        spans = sorted((max(e.start, memory.base), min(e.end, memory.end)) for e in v.entries
                       if e.region == region and e.size > 0
                       and e.start < memory.end and e.end > memory.base)
        cursor = memory.base
        for start, end in spans + [(memory.end, memory.end)]:
            if start > cursor:
                key = (cursor, start - cursor)
                row = key2row.setdefault(key, Row(name="", kind=PartKind.GAP, start=key[0],
                                                  size=key[1]))
                row.view2place[v.name] = Placement(*key)
            cursor = max(cursor, end)
    for row in key2row.values():
        for v in views:
            row.view2place.setdefault(v.name, None)
        if any(p is None for p in row.view2place.values()):
            row.status = Status.PARTIAL
    return list(key2row.values())


def _differences(memory: Memory) -> list[Difference]:
    result = []
    facts = {n: f for n, f in memory.view2facts.items() if f is not None}
    sizes = {(f.base, f.size) for f in facts.values()}
    if len(sizes) > 1:
        result.append(Difference(memory.id, memory.region, f"{memory.title} ({memory.region}) is "
                                 + "; ".join(f"{f.base:#x}+{hex_size(f.size)} in {n}"
                                             for n, f in facts.items())))
    devices = {f.device for f in facts.values() if f.device}
    if len(devices) > 1:
        result.append(Difference(memory.id, memory.region, f"{memory.title} ({memory.region}) "
                                 "is a different device: " + "; ".join(
                                     f"{f.device} in {n}" for n, f in facts.items())))
    for row in memory.partitions:
        if row.status is Status.SAME:
            continue
        present = [n for n, p in row.view2place.items() if p is not None]
        absent = [n for n, p in row.view2place.items() if p is None]
        if row.status is Status.DIFFERS:
            text = f"{row.name} differs: " + "; ".join(
                f"{n} {place_text(p)}" for n, p in row.view2place.items())
        else:
            text = (f"{row.name} is only in {', '.join(present)}, "
                    f"not in {', '.join(absent)}")
        result.append(Difference(memory.id, row.name, text))
    return result
