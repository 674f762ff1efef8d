"""Render a ``zephyr.dts`` the way Zephyr/NCS writes it (edtlib's
``zephyr.dts`` output): tab-indented, properties before child nodes, and
since Zephyr 3.7 / NCS 2.7 a ``/* node '...' defined in FILE:LINE */``
comment before every node and an aligned ``/* in FILE:LINE */`` after every
property.

``render_zephyr_dts(model, ...)`` takes a board node model from
``fixturegen.boards`` (or a list of ``(path, labels, ((prop, value), ...))``)
and applies what an application or MCUboot build adds: chosen entries,
status and property overrides from overlays, fixed-partitions tables and
extra nodes (e.g. MCUboot's ``flash_sim.overlay``). It is reusable for
devicetree-partition (NCS 3.4) fixtures: pass the slots as ``partitions``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

SKELETON = "zephyr/dts/common/skeleton.dtsi"


@dataclass(frozen=True)
class PartitionEntry:
    label: str  # node label, e.g. slot1_partition
    name: str  # the "label" property, e.g. image-1
    address: int
    size: int


@dataclass(frozen=True)
class FixedPartitions:
    parent: str  # label of the flash node, e.g. flash0, mx25r64
    entries: tuple[PartitionEntry, ...]
    source: str  # the file that defines them (board dts, overlay, dtsi)


@dataclass
class DtsSources:
    """Which file each node/property is attributed to in the comments."""

    soc: str
    board: str
    pinctrl: str
    overlay: str | None = None  # overrides and additions of this image


@dataclass
class _Node:
    path: str
    labels: tuple[str, ...]
    props: list[tuple[str, str | None]]
    children: list[str] = field(default_factory=list)
    source: str = ""
    prop_sources: dict[str, str] = field(default_factory=dict)


def load_model(name_or_nodes, peripheral_base: int | None = None):
    """The node list of a board model; ``peripheral_base`` moves the
    ``peripheral@...`` bus to another address map (0x50000000 secure,
    0x40000000 non-secure: nRF53/nRF91/nRF54L ``/ns`` targets and TF-M)."""
    nodes = name_or_nodes
    if isinstance(name_or_nodes, str):
        nodes = importlib.import_module(f"fixturegen.boards.{name_or_nodes}").NODES
    if peripheral_base is None:
        return nodes
    new = f"peripheral@{peripheral_base:x}"
    moved = []
    for path, labels, props in nodes:
        parts = path.split("/")
        if len(parts) > 2 and parts[1] == "soc" and parts[2] in ("peripheral@40000000",
                                                                  "peripheral@50000000"):
            parts[2] = new
            if len(parts) == 3:
                props = tuple((n, f"< 0x0 {peripheral_base:#x} 0x10000000 >" if n == "ranges"
                               else f"< {peripheral_base:#x} 0x10000000 >" if n == "reg" else v)
                              for n, v in props)
        moved.append(("/".join(parts), labels, props))
    return moved


_BOARD_NODE_PREFIXES = ("/leds", "/buttons", "/pwmleds", "/connector", "/analog-connector",
                        "/arduino_header", "/zephyr,user")
_BOARD_PROPS = ("status", "pinctrl-0", "pinctrl-1", "pinctrl-names", "cs-gpios", "current-speed",
                "sck-frequency", "gpio-as-nreset", "model")


# Properties written without a source comment in this model (edtlib
# comments every property; commenting the traced ones only keeps fixtures at
# the 30-40 KB the benchmark of issue #4 asks for). phandles are assigned by
# dtc, not written in any file.
_UNCOMMENTED = frozenset({"phandle", "interrupt-parent", "#address-cells", "#size-cells",
                          "#gpio-cells", "#pwm-cells", "#io-channel-cells", "#interrupt-cells",
                          "#clock-cells", "#mbox-cells", "gpio-controller", "ranges"})


def _commented(node: _Node, prop: str, where: str) -> bool:
    """Comment the properties a reader traces: status, the chosen entries,
    the reg of partitions, and whatever an overlay set."""
    if prop in _UNCOMMENTED:
        return False
    return (prop == "status" or node.path == "/chosen" or "/partitions/" in node.path
            or not where.startswith("zephyr/"))


class _Lines:
    """Line counters per source file, so comments carry plausible lines."""

    def __init__(self):
        self.file2line: dict[str, int] = {}

    def next(self, file: str, step: int = 1) -> int:
        line = self.file2line.get(file, 8) + step
        self.file2line[file] = line
        return line


def _attribute(path: str, sources: DtsSources) -> str:
    if path == "/" or path.startswith("/cpus") or path.startswith("/soc"):
        return sources.soc if path != "/" else SKELETON
    if path.startswith("/pin-controller/"):
        return sources.pinctrl
    if path.startswith(_BOARD_NODE_PREFIXES):
        return sources.board
    return sources.soc


def _build_tree(nodes, sources: DtsSources) -> dict[str, _Node]:
    tree: dict[str, _Node] = {}
    for path, labels, props in nodes:
        node = _Node(path, tuple(labels), [tuple(p) for p in props])
        node.source = _attribute(path, sources)
        for name, _ in node.props:
            if name in _BOARD_PROPS and node.source != sources.pinctrl:
                node.prop_sources[name] = sources.board
        tree[path] = node
        if path != "/":
            parent = path.rsplit("/", 1)[0] or "/"
            if parent in tree:
                tree[parent].children.append(path)
    return tree


def _by_label(tree: dict[str, _Node], label: str) -> _Node:
    for node in tree.values():
        if label in node.labels:
            return node
    raise KeyError(f"no node labelled {label!r} in the model")


def _set_prop(node: _Node, name: str, value: str | None, source: str) -> None:
    for i, (existing, _) in enumerate(node.props):
        if existing == name:
            node.props[i] = (name, value)
            break
    else:
        node.props.append((name, value))
    node.prop_sources[name] = source


def _add_node(tree, path, labels, props, source) -> _Node:
    parent = path.rsplit("/", 1)[0] or "/"
    node = _Node(path, tuple(labels), [tuple(p) for p in props], source=source)
    node.prop_sources = {name: source for name, _ in props}
    tree[path] = node
    if path not in tree[parent].children:
        tree[parent].children.append(path)
    return node


def render_zephyr_dts(model, *, sources: DtsSources, chosen: dict[str, str] | None = None,
                      aliases: dict[str, str] | None = None,
                      status: dict[str, str] | None = None,
                      props: dict[str, dict[str, str | None]] | None = None,
                      partitions: tuple[FixedPartitions, ...] = (),
                      extra_nodes: tuple = (), delete: tuple[str, ...] = (),
                      chosen_sources: dict[str, str] | None = None,
                      align_comments: bool = False,
                      peripheral_base: int | None = None) -> str:
    """The text of one image's zephyr.dts.

    chosen: chosen property -> node label (rendered ``&label``)
    chosen_sources: chosen property -> file that sets it (default: the SoC dtsi,
        or ``sources.overlay`` for ``nordic,pm-ext-flash``)
    status / props: node label -> override, attributed to ``sources.overlay``
    partitions: fixed-partitions tables to put under flash nodes
    extra_nodes: ``(path, labels, ((prop, value), ...)[, source])`` added by
        the overlay (or by ``source``, e.g. a board revision .dtsi)
    delete: node labels to remove (with their children)
    peripheral_base: move the ``/soc/peripheral@...`` bus (secure 0x50000000
        vs non-secure 0x40000000 address map), see ``load_model``
    align_comments: pad property comments into one column per node as
        edtlib does (the file grows by about half: ~60 KB for an nRF52840
        app instead of ~40 KB); off by default to keep fixtures at 30-40 KB
    """
    tree = _build_tree(load_model(model, peripheral_base), sources)
    overlay = sources.overlay or sources.board
    for label in delete:
        doomed = _by_label(tree, label).path
        for path in [p for p in tree if p == doomed or p.startswith(doomed + "/")]:
            del tree[path]
        parent = doomed.rsplit("/", 1)[0] or "/"
        tree[parent].children.remove(doomed)
    for extra in extra_nodes:  # (path, labels, props[, source file])
        path, labels, node_props = extra[:3]
        _add_node(tree, path, labels, node_props, extra[3] if len(extra) > 3 else overlay)
    for label, value in (status or {}).items():
        _set_prop(_by_label(tree, label), "status", f'"{value}"', overlay)
    for label, overrides in (props or {}).items():
        node = _by_label(tree, label)
        for name, value in overrides.items():
            _set_prop(node, name, value, overlay)
    for table in partitions:
        parent = _by_label(tree, table.parent)
        base = f"{parent.path}/partitions"
        _add_node(tree, base, (), (("compatible", '"fixed-partitions"'),
                                   ("#address-cells", "< 0x1 >"), ("#size-cells", "< 0x1 >")),
                  table.source)
        for e in table.entries:
            _add_node(tree, f"{base}/partition@{e.address:x}", (e.label,),
                      (("label", f'"{e.name}"'), ("reg", f"< {e.address:#x} {e.size:#x} >")),
                      table.source)
    chosen_node = _Node("/chosen", (), [], source=SKELETON)
    for name, label in (chosen or {}).items():
        where = (chosen_sources or {}).get(name) or (
            overlay if name == "nordic,pm-ext-flash" else sources.soc)
        chosen_node.props.append((name, f"&{label}"))
        chosen_node.prop_sources[name] = where
    alias_node = _Node("/aliases", (), [], source=SKELETON)
    for name, label in (aliases or {}).items():
        alias_node.props.append((name, f"&{label}"))
        alias_node.prop_sources[name] = sources.board
    tree["/chosen"], tree["/aliases"] = chosen_node, alias_node
    tree["/"].children[:0] = ["/chosen", "/aliases"]
    lines = _Lines()
    out = ["/dts-v1/;", ""]
    _render(tree, "/", 0, lines, out, align_comments)
    return "\n".join(out) + "\n"


def _render(tree, path: str, depth: int, lines: _Lines, out: list[str], align: bool) -> None:
    node = tree[path]
    indent = "\t" * depth
    name = "/" if path == "/" else path.rsplit("/", 1)[1]
    header = "".join(f"{label}: " for label in node.labels) + name
    out.append(f"{indent}/* node '{path}' defined in {node.source}:{lines.next(node.source, 2)} */")
    out.append(f"{indent}{header} {{")
    texts = [f"{n} = {v};" if v is not None else f"{n};" for n, v in node.props]
    width = max((len(t) for t in texts), default=0) if align else 0
    for (prop, _), text in zip(node.props, texts, strict=True):
        where = node.prop_sources.get(prop, node.source)
        line = lines.next(where)
        if not _commented(node, prop, where):
            out.append(f"{indent}\t{text}")
        else:
            out.append(f"{indent}\t{text:<{width}} /* in {where}:{line} */")
    for child in node.children:
        if child in tree:
            out.append("")
            _render(tree, child, depth + 1, lines, out, align)
    out.append(f"{indent}}};")
