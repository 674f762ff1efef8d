"""Renderers: ``Results`` in, the text of one format out. Never print.

Each format is one module of this package with ``render(results, ctx) ->
str``; ``FORMATS`` is the registry (name -> one-line help, in ``--help``
order). Adding a format is one module and one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

#: --format's default: github in GitHub Actions when piped, else text
AUTO = "auto"

FORMATS: dict[str, str] = {
    "text": "a report for people (the default on a terminal)",
    "json": "one JSON document, versioned (schemas/report-schema.yml)",
    "sarif": "SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps)",
    "junit": "JUnit XML: one test case per check per build",
    "github": "GitHub Actions workflow commands (annotations); chosen in GitHub Actions",
    "gitlab": "GitLab Code Quality report (JSON)",
}


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may know besides the results.

    base: the directory paths are shown relative to (the working directory,
        normally the repository root in CI)
    color: ANSI colour allowed (text only)
    checks: the checks registry (rules of SARIF, test cases of JUnit)
    version: extflash's version
    """

    base: Path
    color: bool = False
    checks: tuple = field(default=())
    version: str = ""


def render(name: str, results, ctx: RenderContext) -> str:
    """The text of ``results`` in format ``name`` (a key of ``FORMATS``)."""
    if name not in FORMATS:
        raise KeyError(name)
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(results, ctx)
