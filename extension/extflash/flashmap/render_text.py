"""The flash map as aligned text for a terminal (``west extflash map``,
``verify --map``). Colour only when the command layer allows it."""

from __future__ import annotations

from extflash.flashmap.kinds import DIFF_STYLE, PartKind
from extflash.flashmap.sources import PM_FILE_VIEW
from extflash.flashmap.view import FlashMap, Memory, Row, Status, place_text
from extflash.render.style import RESET, ROLE2ANSI
from extflash.textsafe import printable
from extflash.units import hex_size, human_size

_RESET, _BOLD, _DIM = RESET, ROLE2ANSI["bold"], ROLE2ANSI["dim"]  # the one colour table



def _paint(text: str, sgr: str, color: bool) -> str:
    return f"{sgr}{text}{_RESET}" if color and sgr else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def header_lines(fm: FlashMap, color: bool) -> list[str]:
    facts = [f"board {fm.board}" if fm.board else "board not recorded",
             f"NCS {fm.ncs_version}" if fm.ncs_version else "NCS version not recorded",
             f"{fm.partitioning} ({fm.layout})"]
    lines = [_paint(f"flash map of {fm.path}", _BOLD, color), "  " + " · ".join(facts)]
    for v in fm.views:
        if v.kind == PM_FILE_VIEW:
            what = f"Partition Manager placement, shared by {', '.join(v.images) or 'no image'}"
        else:
            what = f"{v.role or 'image'} image, {v.source}"
        domain = f" [{v.domain} domain]" if v.domain else ""
        lines.append(f"  view {v.name}{domain}: {what}")
    return lines


def _where(row: Row, memory: Memory) -> str:
    if row.status is Status.SAME:
        return "all views" if len(memory.views) > 1 else ""
    present = [n for n, p in row.view2place.items() if p is not None]
    if row.status is Status.PARTIAL:
        return "only in " + ", ".join(present)
    return "DIFFERS"


def _memory_lines(memory: Memory, color: bool) -> list[str]:
    facts = [memory.region, f"{memory.base:#x}..{memory.end:#x} ({human_size(memory.size)})"
             if memory.size_known else f"size not recorded, partitions cover "
             f"{memory.base:#x}..{memory.end:#x}"]
    if memory.device:
        facts.append(memory.device)
    if memory.erase_block:
        facts.append(f"erase block {hex_size(memory.erase_block)}")
    title = _paint(memory.title, _BOLD, color) + " · " + " · ".join(facts)
    lines = [title]
    missing = [n for n, f in memory.view2facts.items() if f is None]
    if missing and memory.size_known:
        lines.append(f"  not in the devicetree of: {', '.join(missing)}")
    rows = []
    for row in memory.rows:
        rng = f"{row.start:#010x}-{row.end:#010x}"
        size = hex_size(row.size)
        if row.is_gap:
            name = "(gap)"
        else:
            name = printable(row.name) + (f" [{row.slot}]" if row.slot else "")
        name = "  " * row.depth + name
        rows.append((row, rng, size, name, _where(row, memory)))
    w_size = max((len(r[2]) for r in rows), default=0)
    w_name = max((len(r[3]) for r in rows), default=0)
    for row, rng, size, name, where in rows:
        sgr = row.kind.style.ansi
        if row.status is Status.DIFFERS:
            sgr = DIFF_STYLE.ansi
        painted = _paint(name.ljust(w_name), _DIM if row.is_gap else sgr, color)
        mark = "!" if row.status is Status.DIFFERS else ("~" if row.status is Status.PARTIAL
                                                        and not row.is_gap else " ")
        line = f" {_paint(mark, DIFF_STYLE.ansi, color)} {rng}  {size.ljust(w_size)}  {painted}"
        if where:
            line += f"  {where}"
        lines.append(line.rstrip())
        if row.status is Status.DIFFERS:
            for view, place in row.view2place.items():
                lines.append(f"      {view}: {place_text(place)}")
    return lines


def geometry_lines(fm: FlashMap, color: bool) -> list[str]:
    lines = []
    for g in fm.geometry:
        lines += ["", _paint(f"MCUboot geometry · {g.primary} / {g.secondary}", _BOLD, color),
                  f"  {g.mode}: largest updatable image {hex_size(g.max_size)} "
                  f"(trailer {hex_size(g.trailer)}, sector {hex_size(g.sector)})"]
        if g.image_size is not None:
            room = g.max_size - g.image_size
            state = f"{hex_size(room)} left" if room >= 0 else f"{hex_size(-room)} too large"
            lines.append(f"  signed image {g.image_file}: {hex_size(g.image_size)}, {state}")
        if g.note:
            lines.append(f"  {g.note}")
        for o in g.options:
            sign = "+" if o.gain >= 0 else "-"
            lines.append(f"  {o.mode} ({o.symbol}=y): {hex_size(o.max_size)} "
                         f"({sign}{human_size(abs(o.gain))}); cost: {o.cost}")
    return lines


def render_text(fm: FlashMap, *, color: bool = False) -> str:
    lines = header_lines(fm, color)
    for memory in fm.memories:
        lines.append("")
        lines.extend(_memory_lines(memory, color))
    lines.extend(geometry_lines(fm, color))
    lines.append("")
    parts = sum(len(m.partitions) for m in fm.memories)
    gaps = sum(len(m.gaps) for m in fm.memories)
    summary = (f"{_plural(len(fm.memories), 'memory').replace('memorys', 'memories')}, "
               f"{_plural(parts, 'partition')}, {_plural(gaps, 'gap')}, "
               f"{_plural(len(fm.differences), 'difference')} between views")
    lines.append(summary)
    for d in fm.differences:
        lines.append(_paint(f"  ! {d.memory}: {d.message}", DIFF_STYLE.ansi, color))
    for p in fm.problems:
        lines.append(f"  could not decode: {p}")
    legend = "  ! differs between views   ~ only in some views   [name] MCUboot slot"
    if any(r.kind is PartKind.FREE for m in fm.memories for r in m.rows):
        legend += "   region-named partition = Partition Manager free space"
    if fm.memories:
        lines.append(_paint(legend, _DIM, color))
    return "\n".join(lines) + "\n"
