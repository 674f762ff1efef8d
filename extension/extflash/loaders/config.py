"""The project configuration of ``west extflash``: ``extflash.yml`` or
``.extflash.yml``, validated against ``schemas/config-schema.yml``.

Found the way linters are (yamllint's ``.yamllint``, ruff's ``ruff.toml``):
the first directory from the working directory upwards that has one of the
two names, stopping after the repository root (a directory with ``.git``),
the west workspace top directory or the filesystem root. ``--config FILE``
or ``west config extflash.config FILE`` name it explicitly.

This module reads and validates; it does not decide what the values mean
(check codes are resolved by the command layer against the registry). An
invalid file is a ``ConfigError``: one line with the file, the place in it
and what to do (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extflash.errors import ArtefactError, ConfigError

CONFIG_NAMES = ("extflash.yml", ".extflash.yml")
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class SuppressEntry:
    check: str
    reason: str
    image: str | None = None
    file: str | None = None
    detail: str | None = None
    build: str | None = None
    index: int = 0  # position in the suppress list (for messages)


@dataclass(frozen=True)
class ProjectConfig:
    """``verify:`` of one configuration file; None: not set there."""

    path: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    strict: bool | None = None
    format: str | None = None
    suppress: tuple[SuppressEntry, ...] = ()


def find_config(start: Path, stop: Path | None = None) -> Path | None:
    """The configuration file for ``start`` (see the module docstring), or None.
    Two names in one directory is a ConfigError (which one would win?)."""
    start = Path(start).resolve()
    stop = Path(stop).resolve() if stop is not None else None
    for directory in (start, *start.parents):
        present = [directory / n for n in CONFIG_NAMES if (directory / n).is_file()]
        if len(present) > 1:
            raise ConfigError(f"both {CONFIG_NAMES[0]} and {CONFIG_NAMES[1]} are here",
                              path=directory, hint="keep one of them")
        if present:
            return present[0]
        if directory == stop or (directory / ".git").exists():
            return None
    return None


def load_config(path: Path) -> ProjectConfig:
    from extflash.loaders.files import read_text
    from extflash.loaders.pm_yaml import parse_yaml
    from extflash.loaders.schema import validate

    path = Path(path)
    hint = "see README.rst, 'Configuration', for the keys"
    try:
        data = parse_yaml(read_text(path, "west extflash configuration", max_bytes=MAX_BYTES),
                          path, "configuration")
    except ArtefactError as e:
        raise ConfigError(e.message, path=path, hint=e.hint) from None
    if data is None:
        return ProjectConfig(path=path)
    problems = validate(data, "config")
    if problems:
        where, problem = problems[0]
        raise ConfigError(f"invalid configuration at {where}: {problem}", path=path, hint=hint)
    verify = data.get("verify") or {}
    select = verify.get("select")
    return ProjectConfig(
        path=path,
        select=tuple(select) if select is not None else None,
        ignore=tuple(verify.get("ignore") or ()),
        severity=tuple((verify.get("severity") or {}).items()),
        strict=verify.get("strict"),
        format=verify.get("format"),
        suppress=tuple(SuppressEntry(index=i, **entry)
                       for i, entry in enumerate(verify.get("suppress") or ())),
    )
