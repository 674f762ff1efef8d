"""pykwalify validation of parsed YAML against ``schemas/*-schema.yml``.

pykwalify is imported lazily (``west extflash -h`` must not pay for it) and
its logger is silenced: it logs every failure at ERROR, which would print
through Python's last-resort handler. pykwalify types never leave this
module: callers get ``(path inside the document, message)`` pairs.
"""

from __future__ import annotations

import logging
from functools import cache

import yaml

from extflash.resources import schema_path


@cache
def _schema(name: str) -> dict:
    # our own files: libyaml's loader when present (5x faster than the pure
    # Python one, which cost ~10 ms of every verify run for three schemas)
    with open(schema_path(name), encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def validate(data, schema: str) -> list[tuple[str, str]]:
    """``[(path, message)]``; empty when ``data`` conforms to ``schema``."""
    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    from pykwalify.core import Core
    from pykwalify.errors import PyKwalifyException

    if data is None:  # empty file, only comments, or a bare `---`
        return [("/", "the file is empty: no YAML document")]
    try:
        core = Core(source_data=data, schema_data=_schema(schema))
        core.validate(raise_exception=False)
    except PyKwalifyException as e:
        return [("/", str(getattr(e, "msg", e)).strip())]
    except (RecursionError, TypeError, ValueError, AttributeError) as e:
        return [("/", f"cannot be validated: {type(e).__name__}")]
    problems = []
    for err in core.validation_errors_exceptions:
        path = str(getattr(err, "path", "") or "/")
        problems.append((path, _message(str(err))))
    if not problems:
        problems = [("/", _message(m)) for m in core.validation_errors]
    return sorted(set(problems))


def _message(text: str) -> str:
    """pykwalify's ``<SchemaError: error code 2: Value 'x' is not of type 'int'. Path: '/a'>``
    -> ``value 'x' is not of type 'int'``."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if ": " in text and text.split(":", 1)[0].endswith("Error"):
        text = text.split(": ", 1)[1]
    if text.startswith("error code"):
        text = text.split(": ", 1)[-1]
    text = text.split(" Path: ")[0].rstrip(".")
    return text[:1].lower() + text[1:]
