"""The flash map: every memory of a build with every partition, gap and
difference between images (``view.build_map``), and its renderers
(``render_text``, ``render_json``, ``render_html``). Nothing here prints
or reads files."""

from extflash.flashmap.view import FlashMap, build_map

__all__ = ["FlashMap", "build_map"]
