"""Where the files that ship with extflash are: schemas and board data.

In the source tree (and in a west workspace) schemas live in ``schemas/`` at
the repository root; an installed wheel carries a copy in
``extflash/schemas``. Nothing is resolved against the cwd or the workspace.
"""

from __future__ import annotations

from pathlib import Path

from extflash.errors import ExtflashError

PACKAGE_DIR = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """``schema_path('partitions')`` -> ``.../partitions-schema.yml``."""
    filename = f"{name}-schema.yml"
    for directory in (PACKAGE_DIR.parent.parent / "schemas", PACKAGE_DIR / "schemas"):
        candidate = directory / filename
        if candidate.is_file():
            return candidate
    raise ExtflashError(
        f"schema {filename} is missing from this installation",
        hint="reinstall west-extflash (pip install --force-reinstall .)",
    )


def data_path(name: str) -> Path:
    return PACKAGE_DIR / "data" / name
