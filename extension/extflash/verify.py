"""``verify``: a build directory in, a ``Report`` out. Never prints.

``verify_build(path)`` is a pure function of the directory's contents (the
batch runner calls it in worker processes): it returns a picklable
``Report`` (plain dataclasses, no devicetree objects) or raises an
``ExtflashError`` when the build cannot be verified at all.

Findings keep their check's severity; the exit policy (``strict``, the
user's selection and overrides) is extflash.report's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extflash.model import Build, Evidence, Location, MemoryMap, Partitioning

# the results model lives in extflash.report; these names stay importable here
from extflash.report import BuildSummary, ImageSummary, Report, sort_findings  # noqa: F401


def summarize(build: Build) -> BuildSummary:
    return BuildSummary(
        path=str(build.path),
        layout=build.layout,
        partitioning=str(build.partitioning),
        board=build.board,
        ncs_version=build.ncs_version,
        images=tuple(ImageSummary(i.name, str(i.role), i.dir) for i in build.images()),
        notes=tuple(build.notes),
    )


def _unverified_reason(build: Build) -> str | None:
    names = ", ".join(i.name for i in build.images()) or "none"
    if build.partitioning is Partitioning.NONE:
        # an image list that could not be read (an empty domains.yaml) is named
        listed = any(f.location is not None and f.location.file == "domains.yaml"
                     for f in build.load_findings)
        why = "; see the findings for domains.yaml" if listed and not build.name2image else ""
        return (f"no Partition Manager output (partitions.yml) and no MCUboot slots "
                f"(slot0_partition/slot1_partition) in any image's zephyr.dts (images: {names})"
                f"{why}: the MCUboot slots, regions and drivers were not checked")
    missing_pm = [f.location.file for f in build.load_findings
                  if f.evidence is Evidence.PARTITIONS and f.location is not None]
    if build.partitioning is Partitioning.PM and missing_pm and not any(
            m.slots for m in build.domain2map.values()):
        return (f"{missing_pm[0]} is missing: the MCUboot slots (mcuboot_primary, "
                "mcuboot_secondary) are recorded only there, so none of the slot, driver or "
                "devicetree checks could run")
    if (build.partitioning is Partitioning.PM and build.mcuboot is not None
            and not any(m.slots for m in build.domain2map.values())):
        files = ", ".join(m.source.file for m in build.domain2map.values() if m.source)
        return (f"the Partition Manager output ({files}) has no MCUboot slots "
                "(mcuboot_primary, mcuboot_secondary) although the build has an MCUboot image: "
                "the slots were not checked")
    if build.partitioning is Partitioning.DTS and not any(i.memory_map for i in build.images()):
        return (f"devicetree partitions without Partition Manager (NCS 3.4 style; images: "
                f"{names}): "
                "reading devicetree slots is not supported by this version, so the slots were "
                "not checked")
    return None


def verify_loaded(build: Build, *, strict: bool = False, baseline=None) -> Report:
    """``baseline``: a ``layoutdoc.LayoutDoc`` the build's layout must match
    (``verify --baseline``; the ``layout-changed`` check)."""
    from extflash import checks
    from extflash.checks import docs, grouping

    if baseline is not None:
        build.baseline = baseline

    reason = _unverified_reason(build)
    findings = grouping.group(build, checks.run(build))
    # docs links for the build's own NCS version (checks/docs.py, one table)
    findings = [replace(f, docs=docs.for_version(f.docs, build.ncs_version)) for f in findings]
    if findings:  # the line of each finding (a clean build reads nothing more)
        from extflash.loaders.lines import locate

        findings = locate(build.path, findings)
    return Report(build=summarize(build), findings=sort_findings(findings),
                  strict=strict, verified=reason is None, unverified_reason=reason)


def verify_build(path: Path | str, *, strict: bool = False, baseline=None) -> Report:
    """Load and check one build directory. Raises ExtflashError if it cannot."""
    from extflash.loaders import load_build

    return verify_loaded(load_build(Path(path)), strict=strict, baseline=baseline)


def lint_static(path: Path | str, *, strict: bool = False) -> Report:
    """Check a ``pm_static.yml`` before any build: schema, overlaps, slot sizes."""
    from extflash.errors import ArtefactError
    from extflash.loaders.pm_yaml import load_yaml, partitions_from_data, undecoded_from_data
    from extflash.loaders.problems import schema_findings

    path = Path(path)
    if not path.is_file():
        raise ArtefactError("no such file", path=path,
                            hint="give the path of a pm_static.yml to --static")
    data = load_yaml(path, "static Partition Manager file")
    if data is not None and not isinstance(data, dict):
        raise ArtefactError("is not a mapping of partition names to partitions", path=path,
                            hint="write one entry per partition: name: {address, size, region}")
    name = path.name
    mm = MemoryMap(domain="", name2partition=partitions_from_data(data, name),
                   source=Location(name), undecoded=undecoded_from_data(data, name))
    build = Build(path=path.parent, layout="static", partitioning=Partitioning.PM,
                  domain2map={"": mm})
    build.load_findings.extend(schema_findings(data, "partitions", name))
    report = verify_loaded(build, strict=strict)
    summary = BuildSummary(path=str(path), layout="static", partitioning=str(Partitioning.PM),
                           notes=("static file: image, Kconfig and devicetree checks need a "
                                  "build",))
    return Report(build=summary, findings=report.findings, strict=strict)
