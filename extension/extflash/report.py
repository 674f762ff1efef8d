"""The results model of ``verify``: what a run found, and what it means.

One home for:

- ``Report`` (one build: its summary and findings), ``Failed`` (a build
  that could not be verified at all), ``Results`` (every item of one run,
  with the summary counts);
- ``Status``: the one word each build gets (ok, failed, not verified,
  could not verify);
- the exit policy: 0 no error findings (warnings allowed unless strict), 1
  error findings (or warnings with strict), 2 a build could not be
  verified; ``--exit-zero`` is the command's business;
- ``Policy``: what the user selected, ignored, re-graded or suppressed
  (``--select``/``--ignore``, severity overrides, suppressions with a
  reason), applied to a ``Report``.

Plain, picklable dataclasses; nothing here reads files, prints or renders
(``extflash.render`` turns ``Results`` into each format).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from extflash.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError
from extflash.model import Finding, Severity


@dataclass(frozen=True)
class ImageSummary:
    name: str
    role: str
    dir: str


@dataclass(frozen=True)
class BuildSummary:
    """What the report says about the build itself (picklable, small)."""

    path: str
    layout: str
    partitioning: str
    board: str | None = None
    ncs_version: str | None = None
    images: tuple[ImageSummary, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suppressed:
    """A finding the project configuration suppressed, with its reason."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class Report:
    build: BuildSummary
    findings: tuple[Finding, ...] = ()
    strict: bool = False
    verified: bool = True  # False: nothing about the slots could be checked
    unverified_reason: str | None = None
    suppressed: tuple[Suppressed, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.verified and self.errors == 0 and not (self.strict and self.warnings)

    @property
    def exit_code(self) -> int:
        if not self.verified:
            return EXIT_USAGE
        return EXIT_OK if self.ok else EXIT_FINDINGS

    def fails(self, f: Finding) -> bool:
        """Whether ``f`` alone makes this build fail (exit 1)."""
        return f.severity is Severity.ERROR or (self.strict and f.severity is Severity.WARNING)


@dataclass(frozen=True)
class Failed:
    """A build that could not be verified (the one-line error)."""

    path: str
    error: str


Item = Report | Failed


def sort_findings(findings) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.severity, f.image or "", f.code,
                                                 f.location.file if f.location else "",
                                                 f.message)))


class Status(str, Enum):
    """The one word a build gets; renderers style it (render.style)."""

    OK = "ok"
    FAILED = "failed"
    NOT_VERIFIED = "not verified"
    COULD_NOT_VERIFY = "could not verify"

    def __str__(self) -> str:
        return self.value


def status_of(item: Item) -> Status:
    if isinstance(item, Failed):
        return Status.COULD_NOT_VERIFY
    if not item.verified:
        return Status.NOT_VERIFIED
    return Status.OK if item.ok else Status.FAILED


def item_path(item: Item) -> str:
    return item.path if isinstance(item, Failed) else item.build.path


def exit_code(items: Sequence[Item]) -> int:
    codes = [EXIT_USAGE if isinstance(i, Failed) else i.exit_code for i in items]
    return max(codes, default=EXIT_OK)


@dataclass(frozen=True)
class Summary:
    builds: int
    errors: int
    warnings: int
    infos: int
    unverified: int
    suppressed: int


@dataclass(frozen=True)
class Results:
    """Everything one ``verify`` run produced, in input order.

    batch: True when several builds were asked for (``-d`` repeated,
    ``--all-under``): the text format then adds a table
    """

    items: tuple[Item, ...]
    strict: bool = False
    batch: bool = False

    @property
    def reports(self) -> list[Report]:
        return [i for i in self.items if isinstance(i, Report)]

    @property
    def summary(self) -> Summary:
        reports = self.reports
        return Summary(
            builds=len(self.items),
            errors=sum(r.errors for r in reports),
            warnings=sum(r.warnings for r in reports),
            infos=sum(r.count(Severity.INFO) for r in reports),
            unverified=sum(1 for i in self.items if status_of(i) in (
                Status.NOT_VERIFIED, Status.COULD_NOT_VERIFY)),
            suppressed=sum(len(r.suppressed) for r in reports),
        )

    @property
    def exit_code(self) -> int:
        return exit_code(self.items)

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


# ------------------------------------------------------------------ policy

ALL = "ALL"
_CODE_PREFIX = re.compile(r"EXF[0-9]{0,3}")


@dataclass(frozen=True)
class Suppression:
    """One ``suppress:`` entry of the project configuration: the findings of
    ``check`` (a code), narrowed by image, file (a glob over the path
    relative to the build), detail (the YAML path, node or symbol) and
    build (a glob over the build path), are suppressed for ``reason``."""

    check: str
    reason: str
    image: str | None = None
    file: str | None = None
    detail: str | None = None
    build: str | None = None
    source: str = ""  # where it was written (file and entry), for messages

    def matches(self, f: Finding, build_path: str) -> bool:
        import fnmatch

        if f.code != self.check:
            return False
        if self.image is not None and f.image != self.image:
            return False
        loc = f.location
        if self.file is not None and (loc is None or not fnmatch.fnmatchcase(loc.file, self.file)):
            return False
        if self.detail is not None and (loc is None or loc.detail != self.detail):
            return False
        if self.build is not None and not (fnmatch.fnmatchcase(build_path, self.build)
                                           or fnmatch.fnmatchcase(build_path, f"*/{self.build}")):
            return False
        return True


@dataclass(frozen=True)
class Policy:
    """What the user asked for. ``select``: codes to report (None: all);
    ``ignore``: codes never reported; ``severity``: code -> severity."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict, hash=False)
    suppressions: tuple[Suppression, ...] = ()

    def wants(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore

    def apply(self, item: Item) -> Item:
        if isinstance(item, Failed):
            return item
        kept: list[Finding] = []
        suppressed = list(item.suppressed)
        for f in item.findings:
            if not self.wants(f.code):
                continue
            if f.code in self.severity:
                f = dataclasses.replace(f, severity=self.severity[f.code])
            rule = next((s for s in self.suppressions if s.matches(f, item.build.path)), None)
            if rule is not None:
                suppressed.append(Suppressed(f, rule.reason))
            else:
                kept.append(f)
        return dataclasses.replace(item, findings=sort_findings(kept),
                                   suppressed=tuple(suppressed))

    def unused(self, items: Iterable[Item]) -> list[Suppression]:
        """Suppressions that matched no finding of ``items``."""
        used = {id(s) for i in items if isinstance(i, Report) for s in self.suppressions
                if any(s.matches(x.finding, i.build.path) and s.reason == x.reason
                       for x in i.suppressed)}
        return [s for s in self.suppressions if id(s) not in used]


def resolve_checks(keys: Iterable[str], checks, what: str) -> frozenset[str]:
    """Codes of the checks ``keys`` name: a code (``EXF201``, any case), a
    name (``driver-disabled``), a code prefix (``EXF2``: every EXF2xx) or
    ``ALL``. An unknown key is a UsageError naming it."""
    codes: set[str] = set()
    for raw in keys:
        key = raw.strip()
        if not key:
            continue
        upper = key.upper()
        if upper == ALL:
            codes.update(c.code for c in checks)
            continue
        match = [c.code for c in checks if c.code == upper or c.name == key.lower()]
        if not match and _CODE_PREFIX.fullmatch(upper):
            match = [c.code for c in checks if c.code.startswith(upper)]
        if not match:
            raise UsageError(f"{what}: unknown check '{key}'",
                             hint="west extflash verify --list-checks lists every code and name")
        codes.update(match)
    return frozenset(codes)


def parse_severity(text: str, what: str) -> Severity:
    try:
        return Severity[text.strip().upper()]
    except KeyError:
        raise UsageError(f"{what}: unknown severity '{text}'",
                         hint="use error, warning or info") from None
