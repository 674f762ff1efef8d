"""Rendering ``Report``s: text for people, JSON for machines, and the
``--list-checks`` / ``--explain`` texts. Returns strings; never prints.

JSON (``schemas/report-schema.yml``, version 1)::

    {"version": 1, "ok": bool, "strict": bool, "exit_code": 0|1|2,
     "summary": {"builds", "errors", "warnings", "infos", "unverified"},
     "builds": [{"path", "layout", "partitioning", "board", "ncs_version",
                 "verified", "ok", "exit_code", "error", "images", "notes"}],
     "findings": [{"build", "code", "name", "severity", "image", "file",
                   "detail", "line", "defined_in", "message", "hint", "docs"}]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from extflash.model import Finding, Severity
from extflash.verify import Report

JSON_VERSION = 1
_SEVERITY_STYLE = {Severity.ERROR: "\x1b[91m", Severity.WARNING: "\x1b[93m",
                   Severity.INFO: "\x1b[96m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True)
class Failed:
    """A build that could not be verified (the one-line error)."""

    path: str
    error: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(report: Report) -> str:
    return f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}"


def exit_code(items: Sequence[Report | Failed]) -> int:
    codes = [2 if isinstance(i, Failed) else i.exit_code for i in items]
    return max(codes, default=0)


def _where(f: Finding) -> str:
    if f.location is None:
        return ""
    text = f.location.file
    if f.location.line is not None:
        text += f":{f.location.line}"
    if f.location.detail:
        detail = f.location.detail
        text += f":{detail}" if detail.startswith("/") else f" ({detail})"
    return text + ": "


def render_finding(f: Finding, color: bool) -> list[str]:
    sev = str(f.severity)
    if color:
        sev = f"{_SEVERITY_STYLE[f.severity]}{sev}{_RESET}"
    lines = [f"  {_where(f)}{f.code} {sev}: {f.message}",
             f"    hint: {f.hint}"]
    if f.location is not None and f.location.defined_in:
        lines.append(f"    defined in: {f.location.defined_in}")
    if f.docs:
        lines.append(f"    docs: {_DIM + f.docs + _RESET if color else f.docs}")
    return lines


def render_build(report: Report, color: bool = False) -> list[str]:
    b = report.build
    facts = ", ".join(x for x in (b.layout, b.partitioning, b.board,
                                  f"NCS {b.ncs_version}" if b.ncs_version else None) if x)
    head = f"build {b.path} ({facts})"
    lines = [f"{_BOLD}{head}{_RESET}" if color else head]
    if b.images:
        lines.append("  images: " + ", ".join(f"{i.name} ({i.role})" for i in b.images))
    lines += [f"  note: {n}" for n in b.notes]
    if not report.verified:
        lines.append(f"  not verified: {report.unverified_reason}")
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.image or "", []).append(f)
    for image in sorted(groups, key=lambda name: (name == "", name)):
        lines.append(f"{image or 'whole build'}:")
        for f in sorted(groups[image], key=lambda f: (f.severity, f.code)):
            lines += render_finding(f, color)
    return lines


def build_line(item: Report | Failed) -> str:
    if isinstance(item, Failed):
        return f"{item.path}: could not verify: {item.error}"
    if not item.verified:
        return f"{item.build.path}: not verified (exit 2)"
    verdict = "ok" if item.ok else "failed"
    return f"{item.build.path}: {verdict}: {_counts(item)} (exit {item.exit_code})"


def render_text(items: Sequence[Report | Failed], color: bool = False) -> str:
    lines: list[str] = []
    for item in items:
        if isinstance(item, Failed):
            lines.append(build_line(item))
            continue
        lines += render_build(item, color)
        if len(items) > 1:
            lines.append(build_line(item))
        lines.append("")
    reports = [i for i in items if isinstance(i, Report)]
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    code = exit_code(items)
    strict = any(r.strict for r in reports)
    summary = (f"summary: {_plural(errors, 'error')}, {_plural(warnings, 'warning')} in "
               f"{_plural(len(items), 'build')}{' (strict)' if strict else ''}: "
               f"{'ok' if code == 0 else 'failed' if code == 1 else 'could not verify everything'}"
               f" (exit {code})")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def finding_json(f: Finding, build: str) -> dict:
    loc = f.location
    return {
        "build": build, "code": f.code, "name": f.name, "severity": str(f.severity),
        "image": f.image, "file": loc.file if loc else None,
        "detail": loc.detail if loc else None, "line": loc.line if loc else None,
        "defined_in": loc.defined_in if loc else None,
        "message": f.message, "hint": f.hint, "docs": f.docs,
    }


def _build_json(item: Report | Failed) -> dict:
    if isinstance(item, Failed):
        return {"path": item.path, "layout": None, "partitioning": None, "board": None,
                "ncs_version": None, "verified": False, "ok": False, "exit_code": 2,
                "error": item.error, "images": [], "notes": []}
    b = item.build
    return {"path": b.path, "layout": b.layout, "partitioning": b.partitioning, "board": b.board,
            "ncs_version": b.ncs_version, "verified": item.verified, "ok": item.ok,
            "exit_code": item.exit_code, "error": item.unverified_reason,
            "images": [{"name": i.name, "role": i.role, "dir": i.dir} for i in b.images],
            "notes": list(b.notes)}


def render_json(items: Sequence[Report | Failed], strict: bool = False) -> str:
    reports = [i for i in items if isinstance(i, Report)]
    code = exit_code(items)
    doc = {
        "version": JSON_VERSION,
        "ok": code == 0,
        "strict": strict,
        "exit_code": code,
        "summary": {
            "builds": len(items),
            "errors": sum(r.errors for r in reports),
            "warnings": sum(r.warnings for r in reports),
            "infos": sum(r.count(Severity.INFO) for r in reports),
            "unverified": sum(1 for i in items if isinstance(i, Failed) or not i.verified),
        },
        "builds": [_build_json(i) for i in items],
        "findings": [finding_json(f, r.build.path) for r in reports for f in r.findings],
    }
    return json.dumps(doc, indent=2) + "\n"


def render_list_checks(checks) -> str:
    width = max(len(c.name) for c in checks)
    lines = [f"{c.code}  {c.name:<{width}}  {str(c.severity):<7}  {c.summary}" for c in checks]
    return "\n".join(lines) + "\n"


def render_explain(check) -> str:
    head = f"{check.code} {check.name} (default severity: {check.severity})"
    return (f"{head}\n{'=' * len(head)}\n\n{check.summary}\n\n{check.explanation}\n\n"
            f"Default hint: {check.hint}\nDocumentation: {check.docs}\n")
