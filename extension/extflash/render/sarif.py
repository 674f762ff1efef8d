"""``--format sarif``: SARIF 2.1.0 (OASIS), for code scanning uploads
(GitHub ``github/codeql-action/upload-sarif``, GitLab, Azure DevOps).

- one run; ``tool.driver.rules`` is the whole checks registry: ``id`` is
  the code, ``name`` the kebab-case name, ``shortDescription`` the summary,
  ``fullDescription``/``help`` the ``--explain`` text, ``helpUri`` the NCS
  documentation page, ``defaultConfiguration.level`` the default severity;
- one result per finding: ``ruleId``/``ruleIndex``, ``level``
  (error/warning/note), the message with its hint, the location relative to
  ``%SRCROOT%`` (the working directory) with ``startLine``/``startColumn``
  when known, and ``partialFingerprints`` stable across runs. When the
  build records the source file in the checkout that set the value (a
  Kconfig fragment line, an overlay) that is the location and the build's
  file is a related location;
- suppressed findings are results with a ``suppressions`` entry whose
  ``justification`` is the configured reason;
- builds that could not be verified are ``toolExecutionNotifications``
  (level error) of the invocation, whose ``exitCode`` is verify's.

Schema: https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
(the tests validate against the copy in ../shared/schemas).
"""

from __future__ import annotations

import json
from pathlib import Path

from extflash.model import Finding, Severity
from extflash.render.common import fingerprint, place, shown_path, text
from extflash.report import Failed, Report, Results, item_path

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
SEVERITY2LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _markdown(rst: str) -> str:
    """The explanations are reStructuredText: ``literal`` -> `literal`."""
    return rst.replace("``", "`")


def _rule(check) -> dict:
    explanation = check.explanation
    return {
        "id": check.code,
        "name": check.name,
        "shortDescription": {"text": check.summary},
        "fullDescription": {"text": explanation},
        "help": {"text": f"{explanation}\n\nDefault hint: {check.hint}\n"
                         f"Documentation: {check.docs}",
                 "markdown": f"{_markdown(explanation)}\n\n**Default hint:** "
                             f"{_markdown(check.hint)}\n\n[NCS documentation]({check.docs})"},
        "helpUri": check.docs,
        "defaultConfiguration": {"level": SEVERITY2LEVEL[check.severity]},
        "properties": {"tags": ["nrf-connect-sdk", "mcuboot", "external-flash"]},
    }


def _location(path: str, line: int | None, column: int | None, description: str | None = None):
    if path.startswith("/"):  # outside the working directory: an absolute file URI
        physical: dict = {"artifactLocation": {"uri": "file://" + path}}
    else:
        physical = {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}}
    if line is not None:
        physical["region"] = {"startLine": line}
        if column is not None:
            physical["region"]["startColumn"] = column
    loc: dict = {"physicalLocation": physical}
    if description:
        loc["message"] = {"text": description}
    return loc


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/:@")


def _result(f: Finding, report: Report, base: Path, code2index: dict[str, int]) -> dict:
    p = place(f, report, base)
    message = f"{text(f.message)}\nHint: {text(f.hint)}"
    result: dict = {
        "ruleId": f.code,
        "level": SEVERITY2LEVEL[f.severity],
        "message": {"text": message},
        "partialFingerprints": {"extflashFinding/v1": fingerprint(f, report.build.path, base)},
        "properties": {"build": shown_path(report.build.path, base), "check": f.name},
    }
    if f.code in code2index:
        result["ruleIndex"] = code2index[f.code]
    if f.image:
        result["properties"]["image"] = text(f.image)
    path, line, column = p.primary()
    if path is not None:
        result["locations"] = [_location(_uri(path), line, column, p.detail)]
    else:
        result["locations"] = [_location(_uri(shown_path(report.build.path, base)), None, None)]
    if line is None:
        result["properties"]["noLine"] = p.no_line
    other = p.secondary()
    if other is not None:
        what = ("the build's file" if p.origin_in_checkout
                else "the source file that set this value")
        result["relatedLocations"] = [{"id": 1, **_location(_uri(other[0]), other[1], other[2],
                                                            what)}]
    elif p.defined_in:  # recorded relative to the build machine's workspace
        result["properties"]["definedIn"] = p.defined_in
    return result


def render(results: Results, ctx) -> str:
    base: Path = ctx.base
    checks = list(ctx.checks)
    code2index = {c.code: i for i, c in enumerate(checks)}
    out: list[dict] = []
    for report in results.reports:
        out += [_result(f, report, base, code2index) for f in report.findings]
        for s in report.suppressed:
            r = _result(s.finding, report, base, code2index)
            r["suppressions"] = [{"kind": "external", "status": "accepted",
                                  "justification": text(s.reason)}]
            out.append(r)
    notifications = []
    for item in results.items:
        reason = item.error if isinstance(item, Failed) else (
            None if item.verified else item.unverified_reason)
        if reason:
            path = item_path(item)
            notifications.append({
                "level": "error",
                "message": {"text": f"{text(shown_path(path, base))}: could not verify: "
                                    f"{text(reason)}"},
                "locations": [_location(_uri(shown_path(path, base)), None, None)]})
    invocation: dict = {"executionSuccessful": not notifications,
                        "exitCode": results.exit_code}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "west extflash",
                "version": ctx.version,
                "informationUri": "https://docs.nordicsemi.com/bundle/ncs-latest/page/nrf/"
                                  "app_dev/bootloaders_dfu/index.html",
                "rules": [_rule(c) for c in checks],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
