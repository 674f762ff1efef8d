"""Sysbuild's ``domains.yaml``: the images of a build and their build dirs.

Zephyr writes absolute ``build_dir`` values of the machine that built it.
A build directory that was moved or copied (CI artefacts, a colleague's
build) still works: an absolute path that does not exist falls back to
``<build>/<name>``; a relative one is resolved against the directory of
``domains.yaml`` (newer Zephyr ``domains.py`` does the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extflash.errors import ArtefactError
from extflash.loaders.pm_yaml import load_yaml


@dataclass(frozen=True)
class Domain:
    name: str
    dir: Path  # resolved, existing when possible
    recorded: str  # the build_dir as written in domains.yaml
    moved: bool  # the recorded path did not exist; dir is the fallback


@dataclass(frozen=True)
class Domains:
    default: str | None
    domains: tuple[Domain, ...]
    flash_order: tuple[str, ...]
    data: object  # the parsed YAML, for the schema check


def load_domains(path: Path) -> Domains:
    data = load_yaml(path, "sysbuild domains.yaml")
    build = path.parent
    default = None
    domains: list[Domain] = []
    flash_order: tuple[str, ...] = ()
    if isinstance(data, dict):
        if isinstance(data.get("default"), str):
            default = data["default"]
        for entry in data.get("domains") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            name = entry["name"]
            if not name or "/" in name or "\\" in name or name in (".", ".."):
                raise ArtefactError(f"domain name '{name}' is not a directory name", path=path,
                                    hint="regenerate the build directory (west build -p)")
            domains.append(_domain(name, entry.get("build_dir"), build))
        order = data.get("flash_order")
        if isinstance(order, list):
            flash_order = tuple(str(x) for x in order)
    elif data is not None:
        raise ArtefactError("is not a mapping with default/build_dir/domains", path=path,
                            hint="regenerate the build directory (west build -p)")
    return Domains(default, tuple(domains), flash_order, data)


def _domain(name: str, recorded, build: Path) -> Domain:
    fallback = build / name
    if not isinstance(recorded, str) or not recorded or "\0" in recorded:
        return Domain(name, fallback, str(recorded), True)
    candidate = Path(recorded)
    if not candidate.is_absolute():
        candidate = build / candidate
    try:
        inside = candidate.resolve().is_relative_to(build.resolve())
        exists = (candidate / "zephyr").is_dir()
    except (OSError, ValueError):  # ValueError: a NUL byte in the recorded path
        inside, exists = False, False
    # Only directories inside this build are used: an absolute path from
    # another build (or outside it) must not be read in place of this one.
    if exists and inside:
        return Domain(name, candidate, recorded, False)
    return Domain(name, fallback, recorded, True)
