"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:
codequality``): a JSON array of issues, each with ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` +
``location.lines.begin`` (GitLab docs, "Code Quality report format";
the fields GitLab requires).

Severity: error -> ``critical`` (the device fails at boot or at its first
update), warning -> ``minor``, info -> ``info``. GitLab needs a line: a
finding without one (``no_line`` in JSON says why) is reported on line 1
of its file; a build that could not be verified is a ``blocker`` on its
directory. Suppressed findings are left out (GitLab has no suppression).
Like the GitHub annotations, an issue points at the source file in the
checkout that set the value when the build records it.
"""

from __future__ import annotations

import hashlib
import json

from extflash.model import Severity
from extflash.render.common import fingerprint, place, shown_path, text
from extflash.report import Failed, Results, item_path

SEVERITY2GITLAB = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(results: Results, ctx) -> str:
    issues = []
    seen: set[str] = set()
    for item in results.items:
        if isinstance(item, Failed) or not item.verified:
            path = item_path(item)
            reason = item.error if isinstance(item, Failed) else item.unverified_reason
            shown = shown_path(path, ctx.base)
            issues.append({
                "description": f"could not verify: {text(reason)}",
                "check_name": "could-not-verify",
                "fingerprint": hashlib.sha256(f"could-not-verify\x1f{shown}".encode()).hexdigest(),
                "severity": "blocker",
                "location": {"path": text(shown), "lines": {"begin": 1}},
            })
        if isinstance(item, Failed):
            continue
        for f in item.findings:
            path, line, _ = place(f, item, ctx.base).primary()
            fp = fingerprint(f, item.build.path, ctx.base)
            n = 1
            while fp in seen:  # the same check on the same fact twice: keep both
                fp = hashlib.sha256(f"{fp}\x1f{n}".encode()).hexdigest()
                n += 1
            seen.add(fp)
            issues.append({
                "description": f"{f.code} {text(f.message)} (hint: {text(f.hint)})",
                "check_name": f"{f.code} {f.name}",
                "fingerprint": fp,
                "severity": SEVERITY2GITLAB[f.severity],
                "location": {"path": path or shown_path(item.build.path, ctx.base),
                             "lines": {"begin": line or 1}},
            })
    return json.dumps(issues, indent=2) + "\n"
