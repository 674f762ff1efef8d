"""A layout baseline for ``verify --baseline``: a saved layout document
(``west extflash layout --format json -o FILE``) or another build directory.

Reads and validates; never judges. A file that is not a layout document is
one ``ArtefactError`` naming the file, the place in it and what to do.
"""

from __future__ import annotations

import json
from pathlib import Path

from extflash.errors import ArtefactError
from extflash.layoutdoc import LayoutDoc, from_build, from_data
from extflash.loaders.files import read_text

MAX_BYTES = 4 << 20
_HINT = ("give a file written by west extflash layout --format json, a pm_static.yml, or a "
         "build directory")


def load_layout_file(path: Path, display: str | None = None) -> LayoutDoc:
    from extflash.loaders.schema import validate

    text = read_text(path, "layout document", max_bytes=MAX_BYTES)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        where = f"line {e.lineno}: " if isinstance(e, json.JSONDecodeError) else ""
        raise ArtefactError(f"{where}not valid JSON: {getattr(e, 'msg', e)}", path=path,
                            hint=_HINT) from None
    problems = validate(data, "layout")
    if problems:
        where, message = problems[0]
        raise ArtefactError(f"{where}: {message} (not an extflash layout document)",
                            path=path, hint=_HINT)
    return from_data(data, display or str(path))


def load_baseline(path: Path) -> LayoutDoc:
    """A layout document from a JSON file, or from a build directory."""
    if path.is_dir():
        from extflash.loaders import load_build

        doc = from_build(load_build(path))
        if doc.empty:
            raise ArtefactError("has no flash partitions (no Partition Manager output and no "
                                "devicetree partitions)", path=path, hint=_HINT)
        return doc
    if not path.exists():
        raise ArtefactError("no such file or directory", path=path, hint=_HINT)
    if path.suffix in (".yml", ".yaml"):
        return load_pm_static(path)
    return load_layout_file(path)


def load_pm_static(path: Path) -> LayoutDoc:
    """A ``pm_static.yml`` (the layout a Partition Manager project froze) as
    a baseline; partitions whose address or size is not an integer are left
    to ``verify --static``."""
    from extflash.layoutdoc import from_pm_static
    from extflash.loaders.pm_yaml import load_yaml, memory_map

    data = load_yaml(path, "static Partition Manager file (pm_static.yml)")
    if not isinstance(data, dict):
        raise ArtefactError("is not a mapping of partition names", path=path, hint=_HINT)
    doc = from_pm_static(memory_map("", data, str(path)), str(path))
    if doc.empty:
        raise ArtefactError("has no flash partitions with an address and a size", path=path,
                            hint="check it with west extflash verify --static")
    return doc
