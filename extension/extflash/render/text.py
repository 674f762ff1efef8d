"""``--format text``: the report for people.

One build: its header (layout, partitioning, board, NCS version), images,
notes, then the findings grouped by image and sorted by severity, each as
``path:line:column (detail): CODE severity: message`` with its hint, the
overlay that defined a devicetree node, and the docs link; then one summary
line.

Several builds (``-d`` repeated, ``--all-under``): the full report of every
build that has findings or could not be verified, then a table (build,
board, errors, warnings, status) and one summary line.

Colour only when the context allows it (render.style is the one table).
"""

from __future__ import annotations

import os
from pathlib import Path

from extflash.model import Finding
from extflash.render.common import place, text
from extflash.render.style import SEVERITY2ROLE, STATUS2ROLE, paint
from extflash.report import Failed, Report, Results, Status, item_path, status_of


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _where(f: Finding, report: Report, base: Path) -> str:
    p = place(f, report, base)
    if p.path is None:
        return ""
    where = text(p.path)
    if p.line is not None:
        where += f":{p.line}" + (f":{p.column}" if p.column is not None else "")
    if p.detail:
        where += f" ({p.detail})"
    return where + ": "


def render_finding(f: Finding, report: Report, base: Path, color: bool) -> list[str]:
    sev = paint(str(f.severity), SEVERITY2ROLE[f.severity.name], color)
    lines = [f"  {_where(f, report, base)}{f.code} {sev}: {text(f.message)}",
             f"    hint: {text(f.hint)}"]
    if f.location is not None and f.location.defined_in:
        lines.append(f"    defined in: {text(f.location.defined_in)}")
    if f.docs:
        lines.append(f"    docs: {paint(f.docs, 'dim', color)}")
    return lines


def render_build(report: Report, base: Path, color: bool = False) -> list[str]:
    b = report.build
    facts = ", ".join(x for x in (b.layout, b.partitioning, b.board,
                                  f"NCS {b.ncs_version}" if b.ncs_version else None) if x)
    lines = [paint(text(f"build {b.path} ({facts})"), "bold", color)]
    if b.images:
        lines.append("  images: " + ", ".join(f"{text(i.name)} ({i.role})" for i in b.images))
    lines += [f"  note: {text(n)}" for n in b.notes]
    if not report.verified:
        lines.append(f"  not verified: {text(report.unverified_reason)}")
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.image or "", []).append(f)
    for image in sorted(groups, key=lambda name: (name == "", name)):
        lines.append(f"{text(image) or 'whole build'}:")
        for f in sorted(groups[image], key=lambda f: (f.severity, f.code)):
            lines += render_finding(f, report, base, color)
    for s in report.suppressed:
        lines.append(f"  suppressed: {s.finding.code} {s.finding.name}: {text(s.reason)}")
    return lines


def _build_line(item) -> str:
    if isinstance(item, Failed):
        return f"{text(item.path)}: could not verify: {text(item.error)}"
    if not item.verified:
        return f"{text(item.build.path)}: not verified (exit 2)"
    return (f"{text(item.build.path)}: {status_of(item)}: {_plural(item.errors, 'error')}, "
            f"{_plural(item.warnings, 'warning')} (exit {item.exit_code})")


def _verdict(code: int) -> str:
    return "ok" if code == 0 else "failed" if code == 1 else "could not verify everything"


def _suppressed(n: int) -> str:
    return f", {n} suppressed" if n else ""


def _single(results: Results, base: Path, color: bool) -> str:
    lines: list[str] = []
    items = results.items
    for item in items:
        if isinstance(item, Failed):
            lines.append(_build_line(item))
            continue
        lines += render_build(item, base, color)
        if len(items) > 1:
            lines.append(_build_line(item))
        lines.append("")
    s, code = results.summary, results.exit_code
    lines.append(f"summary: {_plural(s.errors, 'error')}, {_plural(s.warnings, 'warning')}"
                 f"{_suppressed(s.suppressed)} in {_plural(len(items), 'build')}"
                 f"{' (strict)' if results.strict else ''}: {_verdict(code)} (exit {code})")
    return "\n".join(lines) + "\n"


def _shown(path: str, base: Path) -> str:
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith(os.pardir + os.sep + os.pardir) else rel


def _table(results: Results, base: Path, color: bool) -> list[str]:
    rows = []
    for item in results.items:
        board = None if isinstance(item, Failed) else item.build.board
        errors = 0 if isinstance(item, Failed) else item.errors
        warnings = 0 if isinstance(item, Failed) else item.warnings
        reason = item.error if isinstance(item, Failed) else item.unverified_reason
        rows.append((text(_shown(item_path(item), base)), text(board) or "-", str(errors),
                     str(warnings), status_of(item), text(reason) or None))
    header = ("build", "board", "errors", "warnings", "status")
    widths = [max(len(header[i]), *(len(str(r[i])) for r in rows)) for i in range(5)]

    def fmt(cells) -> str:
        return "  ".join(str(c).rjust(w) if i in (2, 3) else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=False))).rstrip()

    out = [fmt(header), fmt(["-" * w for w in widths])]
    for r in rows:
        line = fmt(r[:5])
        word = str(r[4])
        if color and line.endswith(word):
            line = line[: -len(word)] + paint(word, STATUS2ROLE[r[4].name])
        out.append(line)
        if r[5]:
            out.append(f"    {r[5]}")
    counts: dict[Status, int] = {}
    for r in rows:
        counts[r[4]] = counts.get(r[4], 0) + 1
    s, code = results.summary, results.exit_code
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    out.append("")
    out.append(f"summary: {_plural(len(rows), 'build')} ({parts}); {_plural(s.errors, 'error')}, "
               f"{_plural(s.warnings, 'warning')}{_suppressed(s.suppressed)} (exit {code})")
    return out


def _batch(results: Results, base: Path, color: bool) -> str:
    lines: list[str] = []
    for item in results.items:
        if isinstance(item, Failed):
            continue  # in the table, with its one-line reason below it
        if item.findings or not item.verified or item.suppressed:
            lines += render_build(item, base, color)
            lines.append("")
    lines += _table(results, base, color)
    return "\n".join(lines) + "\n"


def render(results: Results, ctx) -> str:
    if results.batch:
        return _batch(results, ctx.base, ctx.color)
    return _single(results, ctx.base, ctx.color)


def render_list_checks(checks) -> str:
    width = max(len(c.name) for c in checks)
    lines = [f"{c.code}  {c.name:<{width}}  {str(c.severity):<7}  {c.summary}" for c in checks]
    return "\n".join(lines) + "\n"


def render_explain(check) -> str:
    head = f"{check.code} {check.name} (default severity: {check.severity})"
    return (f"{head}\n{'=' * len(head)}\n\n{check.summary}\n\n{check.explanation}\n\n"
            f"Default hint: {check.hint}\nDocumentation: {check.docs}\n")
