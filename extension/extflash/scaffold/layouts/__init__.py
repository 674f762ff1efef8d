"""One module per configuration layout, looked up in ``LAYOUTS``.

A layout module turns a resolved ``Request`` into file *specs* (what each
file must contain); the merge code in ``extflash.scaffold`` does the rest. It
provides:

- ``check(request) -> None``: refuse requests this layout cannot serve
  (raise ``UsageError`` / ``BoardError``)
- ``uses_hwmv2(request) -> bool``: which board spelling that generation uses
- ``generation(request) -> str``: e.g. ``NCS 2.9.0, sysbuild with Partition Manager``
- ``specs(request, geometry) -> list[Spec]``
- ``warnings(request) -> list[str]``
- ``next_command(request, app_arg) -> str``: the ``west build`` line to run next

Adding a layout (``dts`` for NCS >= 3.4, issue #5) is adding a module and a
line here; nothing else dispatches on the layout.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from extflash.errors import UsageError
from extflash.ncs import Layout

LAYOUTS: dict[Layout, str] = {
    Layout.SYSBUILD: "extflash.scaffold.layouts.sysbuild",
    Layout.CHILD_IMAGE: "extflash.scaffold.layouts.child_image",
    Layout.DTS: "extflash.scaffold.layouts.dts",
}


def get(layout: Layout) -> ModuleType:
    name = LAYOUTS[layout]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        raise UsageError(
            f"the {layout} layout (devicetree partitions without Partition Manager, NCS 3.4 "
            "and later) is not available in this version of west extflash",
            hint="use --layout sysbuild and SB_CONFIG_PARTITION_MANAGER=y, or --ncs-version "
                 "for an SDK before 3.4",
        ) from e
