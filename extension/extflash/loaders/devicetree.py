"""An image's ``zephyr/zephyr.dts`` -> ``model.Devicetree``, read with
Zephyr's own ``devicetree.dtlib`` (imported here only, lazily).

What is kept (everything checks look at, nothing more):

- ``chosen``: every ``/chosen`` property that points at a node;
- flash nodes: ``nordic,qspi-nor``, ``jedec,spi-nor``, ``jedec,mspi-nor``,
  Nordic flash/RRAM/MRAM controllers (``nordic,nrf*-flash-controller``,
  ``nordic,rram-controller``...), ``soc-nv-flash``, ``zephyr,sim-flash``;
  with their parent bus node (``qspi``, ``spi3``...) and its status;
- every child of a ``fixed-partitions`` node (label and ``reg``), and the
  ``partitions`` node itself;
- the targets of the chosen properties.

Metadata, not parsing: newer NCS ``zephyr.dts`` files carry comments
``/* node '/soc/qspi@2b000' defined in zephyr/dts/arm/nordic/nrf52840.dtsi:506 */``
before each node and ``/* in boards/x.overlay:4 */`` after each property.
dtlib drops comments, so one linear text scan (``_scan_defined_in``)
collects them: ``Location.defined_in`` of a node is where the node was
defined, ``props['defined_in']`` maps property names to where their final
value was set (for ``status`` and chosen entries this names the overlay).
Files without the comments (NCS < 2.7) simply give no ``defined_in``.

Bounded work (issue 12). A generated ``zephyr.dts`` is dtlib's own
``str(dt)`` output (zephyr ``scripts/dts/gen_defines.py`` / edtlib write
``edt.dts_source``): every value is a plain hex cell, string or byte, no
expression, no line longer than a few hundred characters (longest in the
102 ``zephyr.dts`` of shared/corpus: 649 characters; largest file 73 KB).
dtlib itself evaluates ``< (expr) >`` with unbounded Python integers
(``(1 << 0xfffffff00)`` allocates gigabytes) and appends each cell to a
``bytes`` value (quadratic in the number of cells of one property). So,
before and while dtlib parses:

- the file is at most ``MAX_BYTES`` (1 MiB, 14 times the largest real
  one) and no line is longer than ``MAX_LINE`` (16 KiB): refused before
  parsing, in one pass;
- ``BoundedDT`` (a subclass hooking dtlib's lexer and the
  growing evaluator levels) refuses an integer literal or any
  intermediate value wider than 64 bits, and a shift count outside
  0..63, before the operation runs. dtc evaluates expressions in 64-bit
  unsigned arithmetic (``dtc-parser.y``, the ``integer_*`` rules on
  ``uint64_t``; torvalds/linux scripts/dtc @037dd13, where a shift by 64
  or more gives 0), so no devicetree dtc accepts needs more; a generated
  zephyr.dts has no expression at all, so refusing (rather than wrapping
  like dtc) never rejects a real one. Each operation then costs O(1);
- a property value of more than ``MAX_VALUE_TOKENS`` (4096) tokens is
  refused; the longest real value has under 100. Worst case per property:
  4096 appends to a value of at most 32 KiB (4096 cells of 8 bytes), about
  64 MiB copied, and a 1 MiB file holds at most a few such properties.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from extflash.errors import ArtefactError
from extflash.loaders.files import read_text
from extflash.model import Devicetree, DtNode, Location

FLASH_COMPATS = frozenset({
    "nordic,qspi-nor", "jedec,spi-nor", "jedec,mspi-nor", "soc-nv-flash", "zephyr,sim-flash",
    "nordic,rram-controller", "nordic,mram", "nordic,nrf-qspi-v2",
})
PARTITIONS_COMPAT = "fixed-partitions"
MAPPED_COMPATS = frozenset({"zephyr,mapped-partition", "fixed-subpartitions"})
_INT_PROPS = ("size", "erase-block-size", "write-block-size", "page-size")
_STR_PROPS = ("label",)

MAX_BYTES = 1 << 20
MAX_LINE = 16 << 10
MAX_VALUE_TOKENS = 4096
INT_BITS = 64  # dtc: expressions are uint64_t

_NODE_RE = re.compile(r"/\*\s*node '(?P<path>[^']*)' defined in (?P<where>\S+?)\s*\*/")
_PROP_RE = re.compile(r"^\s*(?P<name>[#A-Za-z0-9,._+\-?]+)\s*(?:=|;).*/\*\s*in "
                      r"(?P<where>\S+?)\s*\*/\s*$")


# dtlib's lexer (zephyr scripts/dts/python-devicetree/src/devicetree/dtlib.py,
# _token_re): comments, strings, character literals and &{/path} references
# are single tokens, so a "/include/" inside one of them is text, not a
# directive. The same tokens are skipped here; a directive is what is left.
_DIRECTIVES = ("/include/", "/incbin/")
_LEX = (r"""/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
        r"|&\{[^}]*\}|/include/|/incbin/")


def find_directive(text: str) -> tuple[str, int] | None:
    """The first ``/include/`` or ``/incbin/`` used as a directive (not in a
    comment, string, character literal or path reference), with its line."""
    if not any(d in text for d in _DIRECTIVES):
        return None
    for m in re.finditer(_LEX, text, re.S):  # compiled (and cached by re) only when needed
        if m.group() in _DIRECTIVES:
            return m.group(), text.count("\n", 0, m.start()) + 1
    return None


def is_flash_compat(compat: str) -> bool:
    return compat in FLASH_COMPATS or (
        compat.startswith("nordic,") and ("flash-controller" in compat or "rram" in compat))


def _scan_defined_in(text: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    node2where: dict[str, str] = {}
    node2props: dict[str, dict[str, str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if "/*" not in line:
            continue
        m = _NODE_RE.search(line)
        if m:
            current = m["path"]
            node2where[current] = m["where"].replace("\\", "/")
            continue
        if current is not None:
            p = _PROP_RE.match(line)
            if p:
                node2props.setdefault(current, {})[p["name"]] = p["where"].replace("\\", "/")
    return node2where, node2props


def _cells(node, name: str, default: int) -> int:
    """``#address-cells``/``#size-cells`` of ``node``; absent: the devicetree
    specification's default (2 and 1, which dtlib applies too)."""
    from devicetree import dtlib

    prop = node.props.get(name) if node is not None else None
    try:
        return prop.to_num() if prop is not None else default
    except dtlib.DTError:
        return -1


def _reg(node) -> tuple[tuple[int, int], ...] | None:
    """``(address, size)`` pairs; None when ``reg`` is present but does not
    decode with the parent's cell counts."""
    prop = node.props.get("reg")
    if prop is None:
        return ()
    addr_cells = _cells(node.parent, "#address-cells", 2)
    size_cells = _cells(node.parent, "#size-cells", 1)
    step = addr_cells + size_cells
    raw = prop.value
    if addr_cells < 0 or size_cells < 0 or step == 0 or not isinstance(raw, bytes) \
            or len(raw) % (4 * step):
        return None  # undecodable: the caller records it
    if not raw and "@" in node.name:
        # an empty reg cannot give the first address a unit address must
        # match (devicetree specification v0.4, 2.2.1)
        return None
    nums = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw), 4)]
    pairs = []
    for i in range(0, len(nums) - step + 1, step):
        addr = 0
        for cell in nums[i:i + addr_cells]:
            addr = (addr << 32) | cell
        size = 0
        for cell in nums[i + addr_cells:i + step]:
            size = (size << 32) | cell
        pairs.append((addr, size))
    return tuple(pairs)


def _strings(node, name: str) -> tuple[str, ...] | None:
    """The property's strings; () when absent; None when it is not a string
    list (dtlib raises its DTError for that)."""
    from devicetree import dtlib

    prop = node.props.get(name)
    if prop is None:
        return ()
    try:
        return tuple(prop.to_strings())
    except dtlib.DTError:
        return None


def _node(node, file: str, node2where, node2props) -> DtNode:
    from devicetree import dtlib

    props: dict = {}
    undecodable: list[str] = []
    for name in _INT_PROPS:
        prop = node.props.get(name)
        if prop is not None:
            try:
                props[name] = prop.to_num()
            except dtlib.DTError:
                undecodable.append(name)
    for name in _STR_PROPS:
        prop = node.props.get(name)
        if prop is not None:
            try:
                props[name] = prop.to_string()
            except dtlib.DTError:
                undecodable.append(name)
    if node.path in node2props:
        props["defined_in"] = dict(node2props[node.path])
    # status: absent means okay (devicetree specification v0.4, 2.3.4);
    # present, it is exactly one string. Anything else is not decided here.
    status = _strings(node, "status")
    if status is None or len(status) > 1 or ("status" in node.props and not status):
        undecodable.append("status")
    compatible = _strings(node, "compatible")
    if compatible is None:
        undecodable.append("compatible")
    reg = _reg(node)
    if reg is None:
        undecodable.append("reg")
    return DtNode(
        path=node.path,
        labels=tuple(node.labels),
        compatible=compatible or (),
        status=status[0] if status and len(status) == 1 else None,
        reg=reg or (),
        props=props,
        parent=node.parent.path if node.parent is not None else None,
        location=Location(file, node.path, defined_in=node2where.get(node.path)),
        undecodable=tuple(undecodable),
    )


def _check_lines(text: str, path: Path) -> None:
    longest = max(map(len, text.split("\n")), default=0)
    if longest > MAX_LINE:
        number = next(i for i, line in enumerate(text.split("\n"), 1) if len(line) == longest)
        raise ArtefactError(
            f"line {number} is {longest} characters long; a generated zephyr.dts has no line "
            f"longer than a few hundred, so it is not parsed (limit {MAX_LINE})", path=path,
            hint="rebuild the image (west build -p) to regenerate zephyr.dts")


@functools.cache
def _bounded_dt(dtlib):
    """dtlib.DT with the limits described in the module docstring. The
    hooks are dtlib's lexer (``_next_token``) and the evaluator levels whose
    result can grow (``_eval_prim``, ``_eval_shift``, ``_eval_add``,
    ``_eval_mul``); python-devicetree 0.0.2 (zephyr scripts/dts/python-
    devicetree, v3.6-v4.x) has all of them, and the hostile tests fail if a
    later dtlib drops one."""
    limit = 1 << INT_BITS
    num = dtlib._T.NUM
    lex = dtlib.DT._next_token
    ends = frozenset((";", "{", "}"))

    class BoundedDT(dtlib.DT):
        _value_tokens = 0

        def _fit(self, value):
            if not -limit < value < limit:
                self._parse_error(f"a value wider than {INT_BITS} bits (dtc evaluates "
                                  f"devicetree expressions in {INT_BITS}-bit arithmetic)")
            return value

        def _next_token(self):
            if self._saved_token is not None:
                return lex(self)  # hands back the peeked token, counted already
            tok = lex(self)
            if tok.val in ends:
                self._value_tokens = 0
                return tok
            self._value_tokens += 1
            if self._value_tokens > MAX_VALUE_TOKENS:
                self._parse_error(f"more than {MAX_VALUE_TOKENS} tokens in one property "
                                  "value or node header")
            if tok.id == num and not -limit < tok.val < limit:
                self._fit(tok.val)
            return tok

        def _eval_prim(self):
            return self._fit(super()._eval_prim())

        def _eval_shift(self):
            value = self._eval_add()
            while True:
                left = self._check_token("<<")
                if not left and not self._check_token(">>"):
                    return value
                count = self._eval_add()
                if not 0 <= count < INT_BITS:
                    self._parse_error(f"a shift by {count} bits (dtc evaluates devicetree "
                                      f"expressions in {INT_BITS}-bit arithmetic)")
                value = self._fit(value << count if left else value >> count)

        def _eval_add(self):
            value = self._eval_mul()
            while True:
                if self._check_token("+"):
                    value = self._fit(value + self._eval_mul())
                elif self._check_token("-"):
                    value = self._fit(value - self._eval_mul())
                else:
                    return value

        def _denominator(self):
            denom = self._eval_unary()
            if not denom:
                self._parse_error("division by zero")
            return denom

        def _eval_mul(self):
            value = self._eval_unary()
            while True:
                if self._check_token("*"):
                    value = self._fit(value * self._eval_unary())
                elif self._check_token("/"):
                    value //= self._denominator()
                elif self._check_token("%"):
                    value %= self._denominator()
                else:
                    return value

    return BoundedDT


def parse_devicetree(text: str, path: Path, file: str) -> Devicetree:
    from devicetree import dtlib  # heavy: only when a build is verified

    _check_lines(text, path)
    directive = find_directive(text)
    if directive is not None:
        # zephyr.dts is fully preprocessed; an include here could read any file
        word, line = directive
        raise ArtefactError(f"line {line} has a {word} directive, which a generated zephyr.dts "
                            "never has; refusing to follow it", path=path,
                            hint="rebuild the image (west build -p) to regenerate zephyr.dts")
    try:
        dt = _bounded_dt(dtlib)(str(path))
    except dtlib.DTError as e:
        raise ArtefactError("is not a devicetree dtlib can read: "
                            + str(e).replace(f"{path}:", "line ", 1), path=path,
                            hint="rebuild the image (west build -p) to regenerate "
                                 "zephyr.dts") from None
    except UnicodeDecodeError:
        raise ArtefactError("is not UTF-8 text", path=path,
                            hint="rebuild the image (west build -p) to regenerate "
                                 "zephyr.dts") from None
    except RecursionError:
        raise ArtefactError("devicetree nested too deeply", path=path,
                            hint="rebuild the image (west build -p)") from None
    except (AttributeError, LookupError, TypeError, ValueError) as e:
        # dtlib trips over some malformed input instead of raising DTError,
        # e.g. a label reference at the top level: `/dts-v1/; &A`
        raise ArtefactError(f"is not a devicetree dtlib can read ({type(e).__name__}: "
                            f"{' '.join(str(e).split())})", path=path,
                            hint="rebuild the image (west build -p) to regenerate "
                                 "zephyr.dts") from None
    except OSError as e:
        raise ArtefactError(f"cannot be read: {e.strerror or e}", path=path,
                            hint="check the file's permissions") from None
    node2where, node2props = _scan_defined_in(text)
    tree = Devicetree(source=Location(file))
    wanted = set()
    chosen = dt.root.nodes.get("chosen")
    if chosen is not None:
        for name, prop in chosen.props.items():
            target = _chosen_target(prop, dt)
            if target is not None:
                tree.chosen[name] = target.path
                wanted.add(target)
    for node in dt.node_iter():
        compats = _strings(node, "compatible") or ()
        if any(is_flash_compat(c) for c in compats):
            wanted.add(node)
            if node.parent is not None:
                wanted.add(node.parent)
        if PARTITIONS_COMPAT in compats:
            wanted.add(node)
            wanted.update(node.nodes.values())
        if MAPPED_COMPATS & set(compats) and node.parent is not None:
            wanted.update((node, node.parent))  # 2026 style: partitions { ranges; } group
    for node in wanted:
        tree.path2node[node.path] = _node(node, file, node2where, node2props)
    if chosen is not None and "/chosen" in node2props:
        tree.path2node["/chosen"] = _node(chosen, file, node2where, node2props)
    return tree


def _chosen_target(prop, dt):
    """The node a chosen property names (a path reference, or a path
    string); None when it names none (dtlib's DTError)."""
    from devicetree import dtlib

    try:
        return prop.to_path()
    except dtlib.DTError:
        pass
    try:
        return dt.get_node(prop.to_string())
    except dtlib.DTError:
        return None


def load_devicetree(path: Path, file: str) -> Devicetree:
    text = read_text(path, "devicetree (zephyr.dts)", max_bytes=MAX_BYTES)
    return parse_devicetree(text, path, file)
