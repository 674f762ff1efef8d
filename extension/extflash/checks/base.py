"""The check contract: a ``Check`` record plus one function.

The function takes a ``Build`` and yields ``Finding``s made with
``check.finding(...)``; it never reads files, prints, or raises for bad
data. Its docstring is the long explanation ``verify --explain`` prints
(What it checks / Why it matters / How to fix / See also).
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from extflash.model import Build, Finding, Location, Severity

CheckFunction = Callable[[Build], Iterator[Finding]]

# Docstrings are written in reST for the developers; users read plain text.
# Internal case ids (U14, F8: the team's notes on user reports and NCS facts)
# and the notes' own names are left out: they mean nothing to a user.
_ID = r"[UF]\d+[a-z]?(?:-[UF]?\d+[a-z]?)?"


@cache
def _plain_rules() -> tuple:
    """Compiled on first use: only --explain needs them."""
    return tuple((re.compile(p, re.S), r) for p, r in (
        (r":[a-z]+(?::[a-z]+)*:`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1"),  # :ref:`text <x>`
        (r"``(.+?)``", r"\1"),
        (r"`([^`]+)`_?", r"\1"),
        (r"\*\*(.+?)\*\*", r"\1"),
        (rf"\s*\((?:{_ID}[,;]?\s*)+\)", ""),  # (U4-U8, F3)
        (rf"[;,]\s*{_ID}(?=[,;)])", ""),  # (sysbuild Kconfig help; F13)
        (rf"\((?:{_ID}):\s*", "("),  # (U28: message)
        (rf"[;,]?\s*(?:ncs-facts|users-peers)\s+{_ID}", ""),
    ))


SECTIONS = ("What it checks", "Why it matters", "How to fix", "See also")


def plain_text(text: str) -> str:
    """reST markup and internal case ids out; a paragraph that lost text is
    filled again (72 columns) so that no line runs long."""
    blocks = []
    for block in text.split("\n\n"):
        plain = block
        for pattern, replacement in _plain_rules():
            plain = pattern.sub(replacement, plain)
        if plain != block:
            lines = plain.split("\n")
            head = [lines.pop(0)] if lines and lines[0] in SECTIONS else []
            if lines and not any(x.lstrip().startswith(("- ", "* ")) for x in lines):
                lines = textwrap.wrap(" ".join(x.strip() for x in lines), 72)
            plain = "\n".join(head + lines)
        blocks.append(plain)
    return "\n\n".join(blocks)


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
        """The docstring as plain text a user can follow (``plain_text``)."""
        return plain_text(inspect.getdoc(self.function) or self.summary)

    def finding(self, message: str, *, hint: str | None = None, location: Location | None = None,
                image: str | None = None, severity: Severity | None = None) -> Finding:
        return Finding(self.code, self.name, self.severity if severity is None else severity,
                       message, hint or self.hint, location, image, self.docs)

    def run(self, build: Build) -> list[Finding]:
        return list(self.function(build))
