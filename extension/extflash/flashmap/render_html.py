"""The flash map as one self-contained HTML page (inline CSS, SVG and a few
lines of script; nothing fetched), for a browser or a CI artefact.

Per memory: one bar per view, side by side, drawn to the memory's own
scale (``layout``), container partitions as brackets, a label with address
range and size for every partition and gap, and every difference between
views outlined in red and named. Above them, the memories' true sizes
side by side; below, the differences and one table per memory with each
view's values. Colours come from ``kinds.KIND2STYLE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from extflash.flashmap.html_assets import CSS, PARTIAL_STYLE, SCRIPT
from extflash.flashmap.kinds import DIFF_STYLE, KIND2STYLE, PartKind
from extflash.flashmap.layout import Scale, place_labels, scale
from extflash.flashmap.view import FlashMap, Memory, Row, Status, place_text
from extflash.units import hex_size, human_size

BAR_H, MIN_PX = 440.0, 14.0
TOP, LEFT, BAR_W, BAR_GAP = 58.0, 78.0, 88.0, 12.0
BRACKET_STEP, LABEL_GAP, LABEL_W = 11.0, 26.0, 272.0
LINE_H = 14.0

GAP_PATTERN = ('<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
               'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
               '<line x1="0" y1="0" x2="0" y2="6" stroke="#cfd6de" stroke-width="1.6"/>'
               '</pattern>')


def _e(text) -> str:
    return escape(str(text), quote=True)


def _ink_on(fill: str) -> str:
    """Dark or white text, whichever reads better on ``fill``."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#1d2330" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _fill(row: Row) -> str:
    return "url(#hatch)" if row.is_gap else KIND2STYLE[row.kind].fill


def _row_name(row: Row) -> str:
    return "gap" if row.is_gap else row.name


def _note(row: Row) -> tuple[str, str] | None:
    if row.status is Status.DIFFERS and not row.is_gap:
        return "≠ differs between views", DIFF_STYLE.fill
    if row.status is Status.PARTIAL:
        present = [n for n, p in row.view2place.items() if p is not None]
        return f"only in {', '.join(present)}", PARTIAL_STYLE
    if row.kind is PartKind.FREE:
        return "Partition Manager free space", "#5d6778"
    return None


def _label(row: Row, key: str, x: float, y: float, leader_from: tuple[float, float]) -> str:
    fill = _fill(row) if not row.is_gap else "url(#hatch)"
    name = _row_name(row)
    alias = f" {row.slot}" if row.slot else (" container" if row.container else "")
    rng = f"{row.start:#x}–{row.end:#x} · {human_size(row.size)}"
    parts = [f'<g class="label" data-key="{key}">',
             f'<path class="leader" d="M{leader_from[0]:.1f},{leader_from[1]:.1f} '
             f'H{x - 12:.1f} L{x - 3:.1f},{y + 8:.1f}"/>',
             f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="11" height="11" rx="2.5" fill="{fill}" '
             f'stroke="rgba(0,0,0,.25)"/>',
             f'<text x="{x + 16:.1f}" y="{y + 11:.1f}" class="name">{_e(name)}'
             f'<tspan class="alias">{_e(alias)}</tspan></text>',
             f'<text x="{x + 16:.1f}" y="{y + 11 + LINE_H:.1f}" class="mono">{_e(rng)}</text>']
    note = _note(row)
    if note is not None:
        parts.append(f'<text x="{x + 16:.1f}" y="{y + 11 + 2 * LINE_H:.1f}" class="note" '
                     f'style="fill:{note[1]}">{_e(note[0])}</text>')
    parts.append(f"<title>{_e(name)}: {_e(rng)}</title></g>")
    return "".join(parts)


@dataclass(frozen=True)
class Marker:
    """A line across a memory's bars at one address: where the largest
    image MCUboot's mode can update ends, or where the signed image ends."""

    address: int
    title: str
    detail: str
    color: str

    @property
    def start(self) -> int:
        return self.address

    @property
    def end(self) -> int:
        return self.address


def _markers(fm: FlashMap, memory: Memory) -> list[Marker]:
    result = []
    for g in fm.geometry:
        row = next((r for r in memory.partitions if g.primary in (r.name, r.slot)), None)
        if row is None:
            continue
        end = row.start + g.max_size
        result.append(Marker(end, f"largest image ({g.mode})",
                             f"{row.start:#x}–{end:#x} · {human_size(g.max_size)}", "#1d2330"))
        if g.image_size is not None:
            fits = g.image_size <= g.max_size
            result.append(Marker(row.start + g.image_size, "signed image " + (
                "ends" if fits else "is too large"),
                f"{g.image_file.rsplit('/', 1)[-1].rsplit('!', 1)[-1]} · "
                f"{human_size(g.image_size)}", "#2f7a4b" if fits else DIFF_STYLE.fill))
    return result


def _marker_label(m: Marker, x: float, y: float, leader_from: tuple[float, float]) -> str:
    return (f'<g class="marker"><path class="leader" d="M{leader_from[0]:.1f},'
            f'{leader_from[1]:.1f} H{x - 12:.1f} L{x - 3:.1f},{y + 8:.1f}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 11:.1f}" class="mark" style="fill:{m.color}">'
            f'{_e(m.title)}</text><text x="{x + 16:.1f}" y="{y + 11 + LINE_H:.1f}" '
            f'class="mono">{_e(m.detail)}</text></g>')


def _label_height(row) -> float:
    if isinstance(row, Marker):
        return LINE_H * 2 + 2
    return LINE_H * (3 if _note(row) else 2) + 2


def _svg(memory: Memory, index: int, roles: dict[str, str | None],
         markers: list[Marker]) -> tuple[str, Scale]:
    views = memory.views
    bounds = {memory.base, memory.end} | {m.address for m in markers}
    for row in memory.rows:
        for p in row.view2place.values():
            if p is not None:
                bounds.update((p.start, p.end))
    # a tall label column gets a bar as tall, so leader lines stay short
    column = sum(_label_height(r) + 3 for r in [*memory.rows, *markers])
    sc = scale(bounds, memory.base, memory.end, max(BAR_H, column * 0.92), MIN_PX, TOP)
    bars_right = LEFT + len(views) * BAR_W + (len(views) - 1) * BAR_GAP
    levels = max((r.depth for r in memory.rows if r.container), default=-1) + 1
    label_x = bars_right + 10 + levels * BRACKET_STEP + LABEL_GAP
    out: list[str] = []
    keys = {id(r): f"m{index}r{i}" for i, r in enumerate(memory.rows)}
    for v, view in enumerate(views):  # one bar per view
        x = LEFT + v * (BAR_W + BAR_GAP)
        short = view if len(view) <= 14 else view[:13] + "…"
        out.append(f'<text class="role" x="{x + BAR_W / 2:.1f}" y="{TOP - 24:.1f}" '
                   f'text-anchor="middle">{_e(roles.get(view) or "placement")}</text>'
                   f'<text class="view" x="{x + BAR_W / 2:.1f}" y="{TOP - 9:.1f}" '
                   f'text-anchor="middle">{_e(short)}<title>{_e(view)}</title></text>')
        if memory.view2facts.get(view) is None and memory.size_known:
            out.append(f'<rect class="missing" x="{x:.1f}" y="{TOP:.1f}" width="{BAR_W}" '
                       f'height="{sc.height:.1f}" rx="4"/><text class="mono" '
                       f'x="{x + BAR_W / 2:.1f}" y="{TOP + sc.height / 2:.1f}" '
                       f'text-anchor="middle">not in</text><text class="mono" '
                       f'x="{x + BAR_W / 2:.1f}" y="{TOP + sc.height / 2 + 13:.1f}" '
                       f'text-anchor="middle">this image</text>')
        for row in memory.rows:
            place = row.view2place.get(view)
            if row.container or place is None or place.size <= 0:
                continue
            y0, y1 = sc.y(place.start), sc.y(place.end)
            diff = " diff" if row.status is Status.DIFFERS and not row.is_gap else ""
            out.append(f'<g data-key="{keys[id(row)]}"><rect class="seg{diff}" x="{x:.1f}" '
                       f'y="{y0:.1f}" width="{BAR_W}" height="{max(y1 - y0, 1):.1f}" '
                       f'fill="{_fill(row)}"><title>{_e(_row_name(row))} in {_e(view)}: '
                       f'{_e(place_text(place))}</title></rect>')
            if y1 - y0 >= 19 and not row.is_gap:
                out.append(f'<text class="inbar" x="{x + BAR_W / 2:.1f}" '
                           f'y="{(y0 + y1) / 2 + 4:.1f}" text-anchor="middle" '
                           f'style="fill:{_ink_on(KIND2STYLE[row.kind].fill)}">'
                           f'{_e(human_size(place.size))}</text>')
            out.append("</g>")
    out.append(f'<text class="mono" x="{LEFT - 8:.1f}" y="{TOP + 4:.1f}" text-anchor="end">'
               f'{memory.base:#x}</text><text class="mono" x="{LEFT - 8:.1f}" '
               f'y="{TOP + sc.height + 4:.1f}" text-anchor="end">{memory.end:#x}</text>')
    for m in markers:
        y = sc.y(m.address)
        out.append(f'<path d="M{LEFT - 4:.1f},{y:.1f} H{bars_right + 4:.1f}" stroke="{m.color}" '
                   f'stroke-width="1.6" stroke-dasharray="5 3"><title>{_e(m.title)}: '
                   f'{_e(m.detail)}</title></path>')
    labelled = [*memory.rows, *markers]
    targets = [(sc.y(r.start) + sc.y(r.end)) / 2 for r in labelled]
    heights = [_label_height(r) for r in labelled]
    tops = place_labels(targets, heights, TOP - 6, TOP + sc.height + 6)
    for row, target, top in zip(labelled, targets, tops, strict=True):
        if isinstance(row, Marker):
            out.append(_marker_label(row, label_x, top, (bars_right + 4, target)))
            continue
        if row.container:
            bx = bars_right + 10 + row.depth * BRACKET_STEP
            y0, y1 = sc.y(row.start) + 1.5, sc.y(row.end) - 1.5
            color = KIND2STYLE[row.kind].fill
            out.append(f'<path d="M{bx - 5:.1f},{y0:.1f} H{bx:.1f} V{y1:.1f} H{bx - 5:.1f}" '
                       f'stroke="{color}" stroke-width="2.2" fill="none" '
                       f'data-key="{keys[id(row)]}"/>')
            start = (bx, target)
        else:
            start = (bars_right, target)
        out.append(_label(row, keys[id(row)], label_x, top, start))
    bottom = max([TOP + sc.height] + [t + h for t, h in zip(tops, heights, strict=True)]) + 14
    width = label_x + LABEL_W
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{bottom:.0f}" '
           f'viewBox="0 0 {width:.0f} {bottom:.0f}" role="img" '
           f'aria-label="{_e(memory.title)} map"><defs>{GAP_PATTERN}</defs>'
           + "".join(out) + "</svg>")
    return svg, sc


def _figure(fm: FlashMap, memory: Memory, index: int, roles: dict[str, str | None]) -> str:
    svg, sc = _svg(memory, index, roles, _markers(fm, memory))
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    facts = [f"<code>{_e(memory.region)}</code>",
             f"<code>{memory.base:#x}–{memory.end:#x}</code>",
             f"<b>{_e(human_size(memory.size))}</b>" if memory.size_known
             else "size not recorded (partitions' extent shown)"]
    if memory.device:
        facts.append(f"<code>{_e(memory.device)}</code>")
    if memory.erase_block:
        facts.append(f"erase block {_e(hex_size(memory.erase_block))}")
    note = f"whole bar = {human_size(memory.size)}"
    if sc.enlarged:
        note += (f"; {sc.enlarged} small range{'s' if sc.enlarged > 1 else ''} drawn at "
                 f"{MIN_PX:.0f} px to stay legible")
    has_diff = any(r.status is not Status.SAME and not r.is_gap for r in memory.rows)
    return (f'<figure class="memory{" has-diff" if has_diff else ""}" id="{_e(memory.id)}" '
            f'style="width:{width + 38:.0f}px">'
            f"<figcaption><h2>{_e(memory.title)}</h2><p>{' · '.join(facts)}</p>"
            f"<p>{_e(note)}</p></figcaption>{svg}</figure>")


def _legend(fm: FlashMap) -> str:
    kinds = {r.kind for m in fm.memories for r in m.rows}
    items = []
    for kind, style in KIND2STYLE.items():
        if kind in kinds:
            cls = "sw gap" if kind is PartKind.GAP else "sw"
            bg = "" if kind is PartKind.GAP else f' style="background:{style.fill}"'
            items.append(f'<span><i class="{cls}"{bg}></i>{_e(style.label)}</span>')
    items.append(f'<span><i class="sw diff"></i>{_e(DIFF_STYLE.label)}</span>')
    items.append('<span><i class="sw partial"></i>only in some views</span>')
    items.append('<span><b>]</b> container (spans the partitions beside it)</span>')
    if fm.geometry:
        items.append('<span><i class="dash"></i>end of the largest image MCUboot\'s mode can '
                     'update (and of the signed image, when built)</span>')
    return '<section class="legend" aria-label="legend">' + "".join(items) + "</section>"


def _sizes(fm: FlashMap) -> str:
    largest = max((m.size for m in fm.memories), default=1) or 1
    rows = []
    for m in fm.memories:
        width = max(2.0, 360.0 * m.size / largest)
        rows.append(f"<tr><td>{_e(m.title)}</td><td><div class=rel "
                    f'style="width:{width:.1f}px"></div></td>'
                    f"<td class=mono>{_e(human_size(m.size))}</td></tr>")
    return ('<section class="sizes"><h3>Memories at true relative size</h3><table>'
            + "".join(rows) + "</table></section>")


def _table(memory: Memory, index: int) -> str:
    head = "".join(f"<th>{_e(v)}</th>" for v in memory.views)
    lines = [f"<h3>{_e(memory.title)} <code>{_e(memory.id)}</code></h3>",
             f'<table class="rows"><tr><th>start</th><th>end</th><th>size</th>'
             f"<th>partition</th>{head}</tr>"]
    for i, row in enumerate(memory.rows):
        cells = []
        for view in memory.views:
            place = row.view2place.get(view)
            if place is None:
                cells.append('<td class="absent">absent</td>')
            elif (place.start, place.size) != (row.start, row.size):
                cells.append(f'<td class="diff mono">{_e(place_text(place))}</td>')
            else:
                cells.append('<td class="mono">same</td>' if row.status is Status.DIFFERS
                             else "<td>✓</td>")
        name = _row_name(row) + (f" ({row.slot})" if row.slot else "")
        indent = "&nbsp;&nbsp;" * row.depth
        cls = ' class="gap"' if row.is_gap else ""
        lines.append(f'<tr{cls} data-key="m{index}r{i}"><td class=mono>{row.start:#010x}</td>'
                     f"<td class=mono>{row.end:#010x}</td><td class=mono>"
                     f"{_e(hex_size(row.size))}</td><td>{indent}{_e(name)}</td>"
                     + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "".join(lines)


def _geometry(fm: FlashMap) -> str:
    if not fm.geometry:
        return ""
    rows = []
    for g in fm.geometry:
        image = ""
        if g.image_size is not None:
            room = g.max_size - g.image_size
            cls = "ok" if room >= 0 else "bad"
            image = (f'<br><span class="{cls}">signed image <code>{_e(g.image_file)}</code>: '
                     f"{_e(hex_size(g.image_size))}, "
                     + (f"{_e(hex_size(room))} left" if room >= 0
                        else f"{_e(hex_size(-room))} too large") + "</span>")
        rows.append(f"<tr><td><code>{_e(g.primary)}</code> / <code>{_e(g.secondary)}</code>"
                    f"</td><td><b>{_e(g.mode)}</b></td><td class=mono>"
                    f"{_e(hex_size(g.max_size))}{image}</td><td>trailer "
                    f"{_e(hex_size(g.trailer))}, sector {_e(hex_size(g.sector))}</td></tr>")
        if g.note:
            rows.append(f'<tr class="alt"><td></td><td colspan=3>{_e(g.note)}</td></tr>')
        for o in g.options:
            sign = "+" if o.gain >= 0 else "−"
            rows.append(f'<tr class="alt"><td></td><td>{_e(o.mode)} <code>{_e(o.symbol)}</code>'
                        f"</td><td class=mono>{_e(hex_size(o.max_size))} "
                        f"({sign}{_e(human_size(abs(o.gain)))})</td><td>{_e(o.cost)}</td></tr>")
    return ("<section><h3>MCUboot geometry: the largest image each mode can update</h3>"
            '<table class="rows"><tr><th>slot pair</th><th>mode</th><th>largest image</th>'
            "<th>cost / basis</th></tr>" + "".join(rows) + "</table></section>")


def render_html(fm: FlashMap) -> str:
    from extflash import __version__

    facts = [f"board <b>{_e(fm.board)}</b>" if fm.board else "board not recorded",
             f"NCS <b>{_e(fm.ncs_version)}</b>" if fm.ncs_version else "NCS version not recorded",
             f"<b>{_e(fm.partitioning)}</b> ({_e(fm.layout)})"]
    views = "".join(
        f"<li><b>{_e(v.name)}</b> {_e(v.role or 'Partition Manager placement')}"
        f"{' · ' + _e(v.domain) + ' domain' if v.domain else ''} · <code>{_e(v.source)}</code>"
        "</li>" for v in fm.views)
    if fm.differences:
        diffs = ('<ul class="diffs">' + "".join(
            f"<li><code>{_e(d.memory)}</code>: {_e(d.message)}</li>" for d in fm.differences)
            + "</ul>")
    else:
        diffs = '<p class="ok">Every view places every partition identically.</p>'
    problems = "".join(f"<li>could not decode: {_e(p)}</li>" for p in fm.problems)
    title = f"Flash map · {fm.board or fm.path}"
    roles = {v.name: v.role for v in fm.views}
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>Flash map</h1><p class=\"facts\">{' · '.join(facts)}</p>"
        f"<p class=\"facts\"><code>{_e(fm.path)}</code></p><ul class=\"views\">{views}</ul>"
        f"</header>{_legend(fm)}{_sizes(fm)}<main>"
        + "".join(_figure(fm, m, i, roles) for i, m in enumerate(fm.memories))
        + f"</main><section><h3>Differences between views ({len(fm.differences)})</h3>{diffs}"
        + (f"<ul>{problems}</ul>" if problems else "")
        + "</section>" + _geometry(fm) + "<section>"
        + "".join(_table(m, i) for i, m in enumerate(fm.memories))
        + f"</section><footer>west extflash {_e(__version__)} map · one self-contained page; "
        f"nothing is loaded from the network</footer><script>{SCRIPT}</script></body></html>\n")
