"""The findings loaders record while reading (``artefact-missing``,
``schema``, ``undecodable-value``, ``artefact-undecodable``). Severity,
docs, explanation and the list of checks each one blocked come from the
checks registry (checks/artefacts.py), which passes these findings on."""

from __future__ import annotations

from extflash.model import (
    ARTEFACT_MISSING,
    ARTEFACT_UNDECODABLE,
    SCHEMA,
    UNDECODABLE_VALUE,
    Evidence,
    Finding,
    Location,
    Severity,
)


def missing(file: str, message: str, hint: str, image: str | None = None,
            evidence: Evidence | None = None) -> Finding:
    code, name = ARTEFACT_MISSING
    return Finding(code, name, Severity.ERROR, message, hint, Location(file), image,
                   evidence=evidence)


def undecodable_value(file: str, detail: str, message: str, hint: str,
                      image: str | None = None, evidence: Evidence | None = None,
                      line: int | None = None) -> Finding:
    """A value is present but cannot be decoded: the check that needs it
    cannot run on it, and nothing is assumed in its place."""
    code, name = UNDECODABLE_VALUE
    return Finding(code, name, Severity.ERROR, message, hint, Location(file, detail, line),
                   image, evidence=evidence)


def undecodable_artefact(file: str, message: str, hint: str, image: str | None = None,
                         evidence: Evidence | None = None) -> Finding:
    code, name = ARTEFACT_UNDECODABLE
    return Finding(code, name, Severity.WARNING, message, hint, Location(file), image,
                   evidence=evidence)


def schema_findings(data, schema: str, file: str) -> list[Finding]:
    from extflash.loaders.schema import validate

    code, name = SCHEMA
    findings = []
    for path, problem in validate(data, schema):
        findings.append(Finding(
            code, name, Severity.ERROR,
            f"{file} does not match the {schema} schema at {path}: {problem}",
            f"fix {path} in {file} (or the pm_static.yml it came from) and rebuild",
            Location(file, path)))
    if schema == "partitions" and isinstance(data, dict):
        findings.extend(_non_integer_sizes(data, file))
    return findings


def _non_integer_sizes(data: dict, file: str) -> list[Finding]:
    code, name = SCHEMA
    findings = []
    for part, body in data.items():
        if not isinstance(part, str):  # `~:` or `12:` — the loader cannot use it
            findings.append(Finding(
                code, name, Severity.ERROR,
                f"{file} does not match the partitions schema at /{part}: the partition name "
                f"is {type(part).__name__} {part!r}, not a name", f"name the partition in {file}",
                Location(file, f"/{part}")))
            continue
        if not isinstance(body, dict) or "size" not in body:
            continue
        size = body["size"]
        if isinstance(size, int) and not isinstance(size, bool) and abs(size) >= 1 << 64:
            findings.append(Finding(
                code, name, Severity.ERROR,
                f"{file} does not match the partitions schema at /{part}/size: "
                f"{size:#x} does not fit in 64 bits", f"correct /{part}/size in {file}",
                Location(file, f"/{part}/size")))
            continue
        if isinstance(size, int) or (isinstance(size, str) and size.startswith("CONFIG_")):
            continue
        findings.append(Finding(
            code, name, Severity.ERROR,
            f"{file} does not match the partitions schema at /{part}/size: "
            f"value '{size}' is neither an integer nor a CONFIG_ symbol",
            f"write /{part}/size in {file} as a number (0x... or decimal)",
            Location(file, f"/{part}/size")))
    return findings
