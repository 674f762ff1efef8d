"""``--format github``: GitHub Actions workflow commands, one per finding,
which GitHub shows as annotations on the file and line::

    ::error file=build/mcuboot/zephyr/.config,line=21,col=1,title=EXF204 max-img-sectors::message

Chosen automatically when ``GITHUB_ACTIONS=true`` and the output is not a
terminal (as yamllint does). Escaping follows the runner's own
(actions/toolkit ``packages/core/src/command.ts``): in the message ``%``,
``\\r`` and ``\\n`` become ``%25``, ``%0D``, ``%0A``; in property values
``:`` and ``,`` also become ``%3A`` and ``%2C``. Severity: error ->
``::error``, warning -> ``::warning``, info -> ``::notice``. A build that
could not be verified is an ``::error`` without a line. The annotation goes
on the source file in the checkout that set the value (the ``prj.conf`` /
``sysbuild/mcuboot.conf`` line, the overlay) when the build records it,
else on the build's file; the other place is named in the message. The
last line is the plain summary.
"""

from __future__ import annotations

from extflash.model import Severity
from extflash.render.common import place, shown_path, text
from extflash.report import Failed, Results, item_path

SEVERITY2COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning",
                    Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props) -> str:
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + given if given else ''}::{escape_data(message)}"


def render(results: Results, ctx) -> str:
    lines = []
    for item in results.items:
        if isinstance(item, Failed) or not item.verified:
            path = item_path(item)
            reason = item.error if isinstance(item, Failed) else item.unverified_reason
            lines.append(command("error", f"could not verify: {text(reason)}",
                                 title=f"west extflash: {text(shown_path(path, ctx.base))}"))
        if isinstance(item, Failed):
            continue
        for f in item.findings:
            p = place(f, item, ctx.base)
            path, line, column = p.primary()
            message = f"{text(f.message)}\nhint: {text(f.hint)}"
            other = p.secondary()
            if other is not None:
                message += f"\nsee also: {other[0]}" + (f":{other[1]}" if other[1] else "")
            if p.detail:
                message += f"\nat: {p.detail}"
            if f.docs:
                message += f"\ndocs: {f.docs}"
            lines.append(command(SEVERITY2COMMAND[f.severity], message,
                                 file=path, line=line, col=column,
                                 title=f"{f.code} {f.name}"))
    s, code = results.summary, results.exit_code
    lines.append(f"west extflash verify: {s.errors} error(s), {s.warnings} warning(s), "
                 f"{s.suppressed} suppressed in {s.builds} build(s) (exit {code})")
    return "\n".join(lines) + "\n"
