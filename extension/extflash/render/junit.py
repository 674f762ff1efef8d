"""``--format junit``: JUnit XML for CI test-report viewers (GitLab
``artifacts:reports:junit``, Jenkins, Azure DevOps, GitHub test-report
actions).

The common JUnit XML shape (the schema Jenkins and GitLab read:
``testsuites`` > ``testsuite`` > ``testcase`` > ``failure``/``error``/
``skipped``):

- one ``testsuite`` per build (``name`` = the build path as shown);
- one ``testcase`` per check per build (``classname`` = the build,
  ``name`` = ``CODE name``); it fails (``<failure>``) when the check has a
  finding that fails the run (an error, or a warning with --strict); other
  findings of the check and suppressed ones are in ``<system-out>``;
- a build that could not be verified has one ``testcase`` named
  ``verify`` with an ``<error>`` giving the reason: missing evidence is
  never a pass.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from extflash.render.common import place, shown_path, text
from extflash.report import Failed, Report, Results


def _where(f, report: Report, base: Path) -> str:
    p = place(f, report, base)
    if p.path is None:
        return ""
    return p.path + (f":{p.line}" if p.line is not None else "") + ": "


def _case(classname: str, name: str, body: str = "") -> str:
    head = f"    <testcase classname={quoteattr(classname)} name={quoteattr(name)}"
    return f"{head}/>" if not body else f"{head}>\n{body}    </testcase>"


def _suite(item, ctx) -> tuple[str, int, int, int]:
    base: Path = ctx.base
    if isinstance(item, Failed):
        name = text(shown_path(item.path, base))
        body = (f"      <error message={quoteattr('could not verify: ' + text(item.error))} "
                f"type=\"could-not-verify\">{escape(text(item.error))}</error>\n")
        return _wrap(name, [_case(name, "verify", body)], 1, 0, 1), 1, 0, 1
    name = text(shown_path(item.build.path, base))
    cases, failures, errors = [], 0, 0
    if not item.verified:
        reason = text(item.unverified_reason)
        cases.append(_case(name, "verify", f"      <error message={quoteattr(reason)} "
                                           f"type=\"not-verified\">{escape(reason)}</error>\n"))
        errors += 1
    for check in ctx.checks:
        found = [f for f in item.findings if f.code == check.code]
        failing = [f for f in found if item.fails(f)]
        passing = [f for f in found if not item.fails(f)]
        quiet = [s for s in item.suppressed if s.finding.code == check.code]
        body = ""
        if failing:
            failures += 1
            first = failing[0]
            detail = "\n\n".join(f"{_where(f, item, base)}{f.severity}: {text(f.message)}\n"
                                 f"hint: {text(f.hint)}" for f in failing)
            body += (f"      <failure message={quoteattr(text(first.message))} "
                     f"type={quoteattr(check.name)}>{escape(detail)}\n"
                     f"docs: {escape(check.docs)}</failure>\n")
        notes = [f"{_where(f, item, base)}{f.severity}: {text(f.message)}" for f in passing]
        notes += [f"suppressed: {_where(s.finding, item, base)}{text(s.finding.message)} "
                  f"(reason: {text(s.reason)})" for s in quiet]
        if notes:
            body += f"      <system-out>{escape(chr(10).join(notes))}</system-out>\n"
        cases.append(_case(name, f"{check.code} {check.name}", body))
    return _wrap(name, cases, len(cases), failures, errors), len(cases), failures, errors


def _wrap(name: str, cases: list[str], tests: int, failures: int, errors: int) -> str:
    return (f"  <testsuite name={quoteattr(name)} tests=\"{tests}\" failures=\"{failures}\" "
            f"errors=\"{errors}\" skipped=\"0\">\n" + "\n".join(cases) + "\n  </testsuite>")


def render(results: Results, ctx) -> str:
    suites, tests, failures, errors = [], 0, 0, 0
    for item in results.items:
        suite, t, f, e = _suite(item, ctx)
        suites.append(suite)
        tests, failures, errors = tests + t, failures + f, errors + e
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="west extflash verify" tests="{tests}" failures="{failures}" '
            f'errors="{errors}">\n' + "\n".join(suites) + "\n</testsuites>\n")
