"""The check contract: a ``Check`` record plus one function.

The function takes a ``Build`` and yields ``Finding``s made with
``check.finding(...)``; it never reads files, prints, or raises for bad
data. Its docstring is the long explanation ``verify --explain`` prints
(What it checks / Why it matters / How to fix / See also).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from extflash.model import Build, Finding, Location, Severity

CheckFunction = Callable[[Build], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    code: str  # EXF + three digits: 0xx artefacts, 1xx partitions, 2xx Kconfig, 3xx devicetree
    name: str  # kebab-case, stable (CI integrations use it)
    severity: Severity  # the default; --strict is verify's business
    summary: str
    hint: str  # default one-line imperative hint
    docs: str
    function: CheckFunction

    @property
    def explanation(self) -> str:
        return inspect.getdoc(self.function) or self.summary

    def finding(self, message: str, *, hint: str | None = None, location: Location | None = None,
                image: str | None = None, severity: Severity | None = None) -> Finding:
        return Finding(self.code, self.name, self.severity if severity is None else severity,
                       message, hint or self.hint, location, image, self.docs)

    def run(self, build: Build) -> list[Finding]:
        return list(self.function(build))
