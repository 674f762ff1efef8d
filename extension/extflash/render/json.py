"""``--format json``: one document for all builds, checked against
``schemas/report-schema.yml`` (version 1; fields are only ever added, a
change of meaning bumps ``version``)::

    {"version": 1, "ok": bool, "strict": bool, "exit_code": 0|1|2,
     "summary": {"builds", "errors", "warnings", "infos", "unverified", "suppressed"},
     "builds": [{"path", "layout", "partitioning", "board", "ncs_version",
                 "verified", "ok", "exit_code", "error", "images", "notes"}],
     "findings": [{"build", "code", "name", "severity", "image", "file",
                   "detail", "line", "column", "no_line", "defined_in",
                   "message", "hint", "docs"}],
     "suppressed": [{<finding fields>, "reason"}]}

``file`` stays relative to its build (as in version 1); ``line`` and
``column`` are 1-based; ``no_line`` says why a finding has no line.
"""

from __future__ import annotations

import json

from extflash.model import Finding
from extflash.report import Failed, Results, status_of
from extflash.textsafe import printable

JSON_VERSION = 1


def _s(value: str | None) -> str | None:
    return printable(value) if value is not None else None


def finding_json(f: Finding, build: str) -> dict:
    loc = f.location
    return {
        "build": _s(build), "code": f.code, "name": f.name, "severity": str(f.severity),
        "image": _s(f.image), "file": _s(loc.file) if loc else None,
        "detail": _s(loc.detail) if loc else None, "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "no_line": (loc.no_line if loc else "the finding concerns the build as a whole")
        if not (loc and loc.line) else None,
        "defined_in": _s(loc.defined_in) if loc else None,
        "message": _s(f.message), "hint": _s(f.hint), "docs": f.docs,
    }


def _build_json(item) -> dict:
    if isinstance(item, Failed):
        return {"path": _s(item.path), "layout": None, "partitioning": None, "board": None,
                "ncs_version": None, "verified": False, "ok": False, "exit_code": 2,
                "error": _s(item.error), "status": str(status_of(item)), "images": [],
                "notes": []}
    b = item.build
    return {"path": _s(b.path), "layout": b.layout, "partitioning": b.partitioning,
            "board": _s(b.board), "ncs_version": _s(b.ncs_version), "verified": item.verified,
            "ok": item.ok, "exit_code": item.exit_code, "error": _s(item.unverified_reason),
            "status": str(status_of(item)),
            "images": [{"name": _s(i.name), "role": i.role, "dir": _s(i.dir)} for i in b.images],
            "notes": [_s(n) for n in b.notes]}


def render(results: Results, ctx=None) -> str:
    s = results.summary
    code = results.exit_code
    doc = {
        "version": JSON_VERSION,
        "ok": code == 0,
        "strict": results.strict,
        "exit_code": code,
        "summary": {"builds": s.builds, "errors": s.errors, "warnings": s.warnings,
                    "infos": s.infos, "unverified": s.unverified, "suppressed": s.suppressed},
        "builds": [_build_json(i) for i in results.items],
        "findings": [finding_json(f, r.build.path) for r in results.reports for f in r.findings],
        "suppressed": [finding_json(x.finding, r.build.path) | {"reason": _s(x.reason)}
                       for r in results.reports for x in r.suppressed],
    }
    return json.dumps(doc, indent=2) + "\n"
