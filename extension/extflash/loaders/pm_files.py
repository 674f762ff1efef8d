"""The Partition Manager output of a build: one ``MemoryMap`` per domain from
``partitions[_<DOMAIN>].yml``, ``regions[_<DOMAIN>].yml`` and
``pm[_<DOMAIN>].config`` in the build root (child image and sysbuild alike)."""

from __future__ import annotations

import os
import re

from extflash.loaders.pm_config import load_pm_config
from extflash.loaders.pm_yaml import load_yaml, memory_map
from extflash.loaders.problems import missing, schema_findings
from extflash.model import Build, Evidence, Location, MemoryMap

_PARTITIONS_RE = re.compile(r"^partitions(?:_(?P<domain>[A-Za-z0-9]+))?\.yml$")


def load_pm_maps(build: Build) -> None:
    try:
        # not only regular files: a directory, FIFO or symlink loop named
        # partitions.yml must fail loudly in read_text, not look absent
        names = sorted(p.name for p in build.path.iterdir())
    except OSError:
        names = []
    for filename in names:
        m = _PARTITIONS_RE.match(filename)
        if not m:
            continue
        domain = m["domain"] or ""
        suffix = f"_{domain}" if domain else ""
        partitions = load_yaml(build.path / filename, f"Partition Manager {filename}")
        build.load_findings.extend(schema_findings(partitions, "partitions", filename))
        regions_file = f"regions{suffix}.yml"
        regions = None
        if os.path.lexists(build.path / regions_file):  # read_text says what is wrong
            regions = load_yaml(build.path / regions_file, f"Partition Manager {regions_file}")
            build.load_findings.extend(schema_findings(regions, "regions", regions_file))
        else:
            build.load_findings.append(missing(
                regions_file, f"{regions_file} is missing beside {filename}",
                "rebuild (west build -p); region checks of this domain were skipped",
                evidence=Evidence.REGIONS))
            regions_file = None
        mm = memory_map(domain, partitions, filename, regions, regions_file)
        config_file = f"pm{suffix}.config"
        if os.path.lexists(build.path / config_file):
            mm.pm_config = load_pm_config(build.path / config_file)
            mm.pm_config_location = Location(config_file)
        build.domain2map[domain] = mm
    if not build.domain2map and _used_partition_manager(build):
        build.load_findings.append(missing(
            "partitions.yml", "partitions.yml is missing, but this build used Partition Manager "
            "(pm.config or pm_config.h present)",
            "rebuild (west build -p) or keep partitions*.yml when copying the build directory",
            evidence=Evidence.PARTITIONS))
        # still a Partition Manager build: no devicetree-partition checks on it
        build.domain2map[""] = MemoryMap(domain="", source=Location("partitions.yml"))


def _used_partition_manager(build: Build) -> bool:
    if (build.path / "pm.config").exists():
        return True
    return any(image.pm_header is not None for image in build.images())
