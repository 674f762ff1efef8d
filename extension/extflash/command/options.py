"""``verify``'s options as one typed, frozen object.

``VerifyOptions.resolve(args, ctx)`` is the only place that reads
argparse's namespace for ``verify``; it merges, in this order of
precedence, the command line, the project configuration file
(extflash.yml / .extflash.yml, loaders.config) and ``west config
extflash.*`` keys, and resolves check codes and names against the
registry (an unknown one is a one-line UsageError, exit 2). Everything
below the command layer receives plain values from here, never ``args``.

west configuration keys (``west config extflash.KEY VALUE``):

- ``extflash.config``: the configuration file to use
- ``extflash.format``: the default ``--format``
- ``extflash.select`` / ``extflash.ignore``: comma-separated codes or names
- ``extflash.severity``: comma-separated ``CHECK=error|warning|info``
- ``extflash.strict``: ``true`` / ``false``

Precedence: ``--select`` replaces the configured selection; ``--ignore``
adds to the ignored checks of the file and of west config; severities
merge with the command line first, then the file, then west config.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extflash.command.context import Context
from extflash.errors import ConfigError, UsageError
from extflash.render import AUTO

if TYPE_CHECKING:  # imported lazily: `west extflash -h` builds this module's parser
    from extflash.report import Policy

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


@dataclass(frozen=True)
class VerifyOptions:
    """Everything ``verify`` was asked to do.

    build_dirs: ``-d`` values as given; all_under: ``--all-under`` values
    static: ``--static`` file; jobs: ``-j``
    format: a key of ``render.FORMATS`` (``auto`` already decided)
    output_file: write the report there instead of stdout
    exit_zero: exit 0 even with error findings (not when a build could not
        be verified)
    strict: warnings fail the run
    policy: selection, ignores, severity overrides and suppressions
        (``report.Policy``)
    config_file: the project configuration used, if any
    list_checks / explain: the informational modes
    """

    build_dirs: tuple[str, ...] = ()
    all_under: tuple[str, ...] = ()
    static: str | None = None
    jobs: int | None = None
    format: str = "text"
    output_file: Path | None = None
    exit_zero: bool = False
    strict: bool = False
    policy: Policy = field(default_factory=lambda: _default_policy())
    config_file: Path | None = None
    list_checks: bool = False
    explain: str | None = None
    map: bool = False  # --map: the text flash map under a single build's text report
    baseline: str | None = None  # --baseline: a build, saved layout JSON or pm_static.yml

    @property
    def batch(self) -> bool:
        return bool(self.all_under) or len(self.build_dirs) > 1

    @classmethod
    def resolve(cls, args: argparse.Namespace, ctx: Context) -> VerifyOptions:
        if args.list_checks or args.explain:
            return cls(list_checks=args.list_checks, explain=args.explain)
        if args.jobs is not None and args.jobs < 1:
            raise UsageError(f"-j {args.jobs}: the number of parallel jobs must be at least 1",
                             hint="leave out -j to use every core")
        config = _project_config(args, ctx)
        west = _WestConfig(None if args.no_config else ctx)
        fmt = args.format or (config.format if config else None) or west.get("format") or AUTO
        fmt = _format(fmt, ctx, "--format" if args.format else (
            f"{config.path}: verify.format" if config and config.format else
            "west config extflash.format"))
        strict = bool(args.strict) or bool(config and config.strict) or (
            not (config and config.strict is False) and west.flag("strict"))
        return cls(
            build_dirs=tuple(args.build_dirs or ()),
            all_under=tuple(args.all_under or ()),
            static=args.static,
            jobs=args.jobs,
            format=fmt,
            output_file=(ctx.cwd / args.output_file) if args.output_file else None,
            exit_zero=args.exit_zero,
            strict=strict,
            policy=_policy(args, config, west),
            config_file=config.path if config else None,
            map=bool(getattr(args, "map", False)),
            baseline=getattr(args, "baseline", None),
        )


def _default_policy() -> Policy:
    from extflash.report import Policy

    return Policy()


class _WestConfig:
    def __init__(self, ctx: Context | None):
        self.ctx = ctx  # None: --no-config

    def get(self, key: str) -> str | None:
        if self.ctx is None:
            return None
        value = self.ctx.config(f"extflash.{key}")
        return value.strip() if isinstance(value, str) and value.strip() else None

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if value is None:
            return False
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ConfigError(f"west config extflash.{key}: '{value}' is not a boolean",
                          hint=f"run west config extflash.{key} true (or false)")

    def items(self, key: str) -> list[str]:
        value = self.get(key)
        return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _split(values: list[str] | None) -> list[str]:
    """``--select A,B --select C`` -> [A, B, C]."""
    return [v.strip() for text in values or () for v in text.split(",") if v.strip()]


def _project_config(args, ctx: Context):
    from extflash.loaders.config import find_config, load_config

    if args.no_config:
        return None
    given = args.config or _WestConfig(ctx).get("config")
    if given:
        path = ctx.cwd / os.path.expanduser(given)
        if not path.is_file():
            where = "--config" if args.config else "west config extflash.config"
            raise ConfigError(f"{where} {given}: no such file", path=None,
                              hint="give the path of an extflash.yml, or drop the option")
        return load_config(path)
    found = find_config(ctx.cwd, stop=ctx.topdir)
    return load_config(found) if found else None


def _format(name: str, ctx: Context, where: str) -> str:
    from extflash.render import FORMATS

    if name == AUTO:
        # as yamllint: annotations when GitHub Actions reads the output
        if ctx.env.get("GITHUB_ACTIONS") == "true" and not _is_terminal(ctx.out.stdout):
            return "github"
        return "text"
    if name not in FORMATS:
        raise UsageError(f"{where}: unknown format '{name}'",
                         hint=f"use one of {', '.join(FORMATS)}")
    return name


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _policy(args, config, west: _WestConfig):
    from extflash.report import Policy, Suppression, parse_severity, resolve_checks

    asked = (args.select, args.ignore, args.severity, west.items("select"),
             west.items("ignore"), west.items("severity"))
    if not any(asked) and not (config and (config.select is not None or config.ignore
                                           or config.severity or config.suppress)):
        return Policy()  # nothing to resolve: the checks are not imported yet
    from extflash import checks

    registry = checks.CHECKS
    origin = str(config.path) if config else ""
    select = None
    if args.select:
        select = resolve_checks(_split(args.select), registry, "--select")
    elif config and config.select is not None:
        select = resolve_checks(config.select, registry, f"{origin}: verify.select")
    elif west.items("select"):
        select = resolve_checks(west.items("select"), registry, "west config extflash.select")
    ignore = resolve_checks(_split(args.ignore), registry, "--ignore")
    if config:
        ignore |= resolve_checks(config.ignore, registry, f"{origin}: verify.ignore")
    ignore |= resolve_checks(west.items("ignore"), registry, "west config extflash.ignore")

    severity: dict = {}
    sources = [("west config extflash.severity", _pairs(west.items("severity"),
                                                        "west config extflash.severity"))]
    if config:
        sources.append((f"{origin}: verify.severity", list(config.severity)))
    sources.append(("--severity", _pairs(_split(args.severity), "--severity")))
    for what, pairs in sources:  # later sources win
        for key, level in pairs:
            for code in resolve_checks([key], registry, what):
                severity[code] = parse_severity(level, f"{what}: {key}")

    suppressions = []
    for entry in (config.suppress if config else ()):
        what = f"{origin}: verify.suppress[{entry.index}]"
        codes = resolve_checks([entry.check], registry, what)
        if len(codes) != 1:
            raise ConfigError(f"{what}: check '{entry.check}' must name one check",
                              hint="use its code (EXF104) or name (secondary-not-external)")
        (code,) = codes
        suppressions.append(Suppression(code, entry.reason.strip(), entry.image, entry.file,
                                        entry.detail, entry.build, source=what))
    return Policy(select=select, ignore=ignore, severity=severity,
                  suppressions=tuple(suppressions))


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, level = item.partition("=")
        if not sep or not key.strip() or not level.strip():
            raise UsageError(f"{what}: '{item}' is not CHECK=SEVERITY",
                             hint="for example --severity secondary-not-external=error")
        pairs.append((key.strip(), level.strip()))
    return pairs
