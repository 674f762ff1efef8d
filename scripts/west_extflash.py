"""West loads this file by path (see west-commands.yml); the code lives in
extension/extflash, a normal package, so it can be imported, tested and
installed with pip. This shim only makes that package importable."""

import sys
from pathlib import Path

_EXTENSION_DIR = str(Path(__file__).resolve().parent.parent / "extension")
if _EXTENSION_DIR not in sys.path:
    # insert, not append: our package must win over anything installed
    sys.path.insert(0, _EXTENSION_DIR)

from extflash.command.west_command import ExtFlash  # noqa: E402,F401
