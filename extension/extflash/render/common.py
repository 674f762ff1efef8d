"""What several formats share: where a finding is, as a path a user (or a
CI system) can open, its line, and one-line texts. Every string that came
from a build passes through ``textsafe.printable``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from extflash.model import Finding, Location
from extflash.report import Report
from extflash.textsafe import printable


def shown_path(path: str | Path, base: Path) -> str:
    """``path`` relative to ``base`` when it lies below it (``/`` separated,
    as CI systems and SARIF want), else absolute; control characters shown
    as escapes."""
    return printable(_relative(Path(path), base))


def _relative(path: Path, base: Path) -> str:
    if not path.is_absolute():
        path = base / path
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return PurePosixPath(path).as_posix()
    if rel == os.curdir or rel.startswith(os.pardir):
        return Path(os.path.normpath(path)).as_posix()
    return Path(rel).as_posix()


_FILE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>[0-9]+)$")


@dataclass(frozen=True)
class Place:
    """Where a finding points, ready to show: ``path`` (relative to the
    render base), ``line``/``column`` (None when unknown), ``detail``, and
    ``no_line`` (why there is no line). ``origin``/``origin_line``: the
    source file (fragment, overlay) that set the fact, from ``defined_in``,
    shown relative to the base like ``path``."""

    path: str | None
    line: int | None
    column: int | None
    detail: str | None
    defined_in: str | None
    no_line: str | None
    origin: str | None = None
    origin_line: int | None = None

    @property
    def origin_in_checkout(self) -> bool:
        """The source file lies below the base (the repository a CI job
        annotates): annotate it rather than the generated file."""
        return self.origin is not None and not self.origin.startswith("/")

    def primary(self) -> tuple[str | None, int | None, int | None]:
        """(path, line, column) a CI annotation should point at: the source
        file in the checkout that set the value, else the build's file."""
        if self.origin_in_checkout:
            return self.origin, self.origin_line, None
        return self.path, self.line, self.column

    def secondary(self) -> tuple[str | None, int | None, int | None] | None:
        """The other place, when there is one."""
        if self.origin_in_checkout:
            return self.path, self.line, self.column
        if self.origin is not None:
            return self.origin, self.origin_line, None
        return None


def root_of(report: Report) -> Path:
    """The directory a report's finding files are relative to: the build,
    or for --static the folder of the pm_static.yml."""
    path = Path(report.build.path)
    return path.parent if report.build.layout == "static" else path


def place(f: Finding, report: Report, base: Path) -> Place:
    loc: Location | None = f.location
    if loc is None:
        return Place(None, None, None, None, None, "the finding concerns the build as a whole")
    root = root_of(report)
    origin = origin_line = None
    if loc.defined_in:
        m = _FILE_LINE.match(loc.defined_in)
        file, origin_line = (m["file"], int(m["line"])) if m else (loc.defined_in, None)
        # relative defined_in (zephyr.dts comments): relative to the west
        # workspace of the build machine, which is not known here
        origin = shown_path(file, base) if Path(file).is_absolute() else None
    return Place(shown_path(root / loc.file, base), loc.line, loc.column,
                 printable(loc.detail) if loc.detail else None,
                 printable(loc.defined_in) if loc.defined_in else None,
                 loc.no_line, origin, origin_line if origin else None)


def text(s: str | None) -> str:
    return printable(s) if s else ""


def fingerprint(f: Finding, build_path: str, base: Path) -> str:
    """Stable across runs and machines: the check, the build (as shown), the
    file, the detail and the image; not the line or the message wording."""
    loc = f.location
    import hashlib

    key = "\x1f".join((f.code, shown_path(build_path, base), loc.file if loc else "",
                       (loc.detail or "") if loc else "", f.image or ""))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

