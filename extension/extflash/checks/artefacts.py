"""EXF0xx: the build's artefacts are present and have the expected shape.

The loaders record these findings while reading (``Build.load_findings``);
the checks here pass them on with the registry's severity and docs, so
``--list-checks``, ``--explain`` and ``--strict`` treat them like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from extflash.checks import docs
from extflash.checks.base import Check
from extflash.model import ARTEFACT_MISSING as MISSING_CODE
from extflash.model import SCHEMA as SCHEMA_CODE
from extflash.model import Build, Finding, Severity


def _pass_on(build: Build, check: Check) -> Iterator[Finding]:
    for f in build.load_findings:
        if f.code == check.code:
            yield replace(f, severity=check.severity, docs=check.docs)


def check_artefact_missing(build: Build) -> Iterator[Finding]:
    """What it checks
    Every file verify reads is present: the sysbuild ``zephyr/.config``,
    each image's ``zephyr/.config`` and ``zephyr/zephyr.dts`` for the
    application and MCUboot, and ``regions.yml`` beside ``partitions.yml``.

    Why it matters
    A missing file means the checks that need it were skipped: the build
    was not verified completely. It usually means a partial copy of a build
    directory (CI artefacts that keep only some files) or a failed build.

    How to fix
    Rebuild (``west build -p``) or keep the listed files when archiving the
    build directory.

    See also
    west extflash verify --list-checks
    """
    yield from _pass_on(build, ARTEFACT_MISSING)


def check_schema(build: Build) -> Iterator[Finding]:
    """What it checks
    ``partitions.yml`` (and ``partitions_<DOMAIN>.yml``, ``pm_static.yml``),
    ``regions.yml`` and ``domains.yaml`` match the schemas in ``schemas/``:
    integer addresses and sizes, known regions (``flash_primary``,
    ``external_flash``, ``sram_primary``, ``ram_flash``, ``otp``,
    ``bootconf``), lists for ``span``/``share_size``/``inside``.

    Why it matters
    Partition Manager reads its static file loosely; a typo such as
    ``region: exteral_flash`` or a string size silently changes the layout
    or breaks the build far from the cause. Partitions with non-integer
    address or size are left out of every other check.

    How to fix
    Correct the value at the reported path in the named file (for build
    output: in the ``pm_static.yml`` it was copied from) and rebuild.

    See also
    Partition Manager: static configuration
    """
    yield from _pass_on(build, SCHEMA)


ARTEFACT_MISSING = Check(
    code=MISSING_CODE[0], name=MISSING_CODE[1], severity=Severity.WARNING,
    summary="a file verify needs is missing from the build directory",
    hint="rebuild (west build -p) or keep the file when copying the build directory",
    docs=docs.url(docs.PM_EXTERNAL_FLASH), function=check_artefact_missing)

SCHEMA = Check(
    code=SCHEMA_CODE[0], name=SCHEMA_CODE[1], severity=Severity.ERROR,
    summary="partitions.yml, regions.yml or domains.yaml does not match its schema",
    hint="correct the value at the reported path and rebuild",
    docs=docs.url(docs.PM_STATIC), function=check_schema)
