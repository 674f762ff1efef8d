"""Partition Manager YAML (``partitions*.yml``, ``regions*.yml``,
``pm_static.yml``) -> model objects.

The YAML is read with a PyYAML ``SafeLoader`` subclass that is strict and
bounded, because ``verify`` runs in CI over files it did not write:

- duplicate mapping keys are refused (PyYAML silently keeps the last one;
  Partition Manager would then see a different layout than the reader);
- unknown tags (``!!python/object``...) are refused (SafeLoader already);
- aliases are counted and the *expanded* size of the document is computed
  before anything walks it, so a "billion laughs" alias bomb or a recursive
  alias is refused in milliseconds instead of exhausting memory;
- nesting deeper than ``MAX_DEPTH`` is refused (PM files are 4 levels deep).

Integers are YAML 1.1 ints: ``0xf4000`` or ``999424``. Anchors written by
PM's dumper (``orig_span: &id001``, ``span: *id001``) are ordinary aliases.
Nothing here judges the values; schema.py and the checks do.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from extflash.errors import ArtefactError
from extflash.loaders.files import read_text
from extflash.model import FLASH_PRIMARY, Location, MemoryMap, Partition, Region, Undecoded

MAX_ALIASES = 1000
MAX_EXPANDED_NODES = 200_000
MAX_NODES = 50_000  # composed (before alias expansion)
MAX_DEPTH = 40
MAX_BYTES = 4 << 20

# PM's default region for partitions without ``region:`` (fix_syntactic_sugar)
SRAM_PRIMARY = "sram_primary"


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.message = message
        self.mark = mark


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, alias bombs and deep nesting."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"more than {MAX_ALIASES} YAML "
                               f"aliases", self.peek_event().start_mark)
        self._depth += 1
        self._nodes += 1
        try:
            if self._nodes > MAX_NODES:  # bounds memory before anything is expanded
                raise _Refused(f"more than {MAX_NODES} YAML nodes; a Partition Manager file "
                               "has a few hundred", self.peek_event().start_mark)
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels",
                               self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise _Refused(
                            f"duplicate key '{key}' (first on line {seen[key] + 1})",
                            key_node.start_mark)
                    seen[key] = key_node.start_mark.line
                except TypeError:  # unhashable key: let SafeConstructor report it
                    pass
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root: yaml.Node) -> int:
    """Number of nodes a full walk of the document visits (aliases expanded).

    Raises _Refused on recursive aliases or when the count passes the limit.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def visit(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Refused("a YAML alias refers to a node that contains it", node.start_mark)
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += visit(child)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += visit(k) + visit(v)
        if total > MAX_EXPANDED_NODES:
            raise _Refused(f"expands to more than {MAX_EXPANDED_NODES} nodes "
                           "(an alias bomb?)", node.start_mark)
        active.discard(key)
        sizes[key] = total
        return total

    return visit(root)


def parse_yaml(text: str, path: Path | str, what: str):
    """YAML text -> Python data, or ArtefactError naming file, line and problem."""
    try:
        loader = StrictLoader(text)  # the reader refuses control characters here
    except yaml.reader.ReaderError as e:
        char = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise ArtefactError(f"character {e.position + 1}: not valid YAML: {e.reason} ({char})",
                            path=path, hint=f"fix or regenerate the {what}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    except _Refused as e:
        raise ArtefactError(f"{_where(e.mark)}{e.message}", path=path,
                            hint=f"fix or regenerate the {what}") from None
    except yaml.MarkedYAMLError as e:
        problem = " ".join(str(x) for x in (e.context, e.problem) if x)
        mark = e.problem_mark or e.context_mark
        raise ArtefactError(f"{_where(mark)}not valid YAML: {problem}", path=path,
                            hint=f"fix or regenerate the {what}") from None
    except yaml.YAMLError as e:
        raise ArtefactError(f"not valid YAML: {e}", path=path,
                            hint=f"fix or regenerate the {what}") from None
    except RecursionError:
        raise ArtefactError("YAML nested too deeply", path=path,
                            hint=f"fix or regenerate the {what}") from None
    except (ValueError, LookupError, TypeError, OverflowError, AttributeError) as e:
        # SafeConstructor on values it cannot convert: `2001-13-45` (timestamp),
        # `!!int`, `!!int x`, `!!timestamp x`, `!!bool maybe`, ints over 4300 digits
        raise ArtefactError(f"not valid YAML: a value cannot be converted ({type(e).__name__}: "
                            f"{' '.join(str(e).split())})", path=path,
                            hint=f"fix or regenerate the {what}") from None
    finally:
        loader.dispose()


def _where(mark) -> str:
    return f"line {mark.line + 1}: " if mark is not None else ""


def load_yaml(path: Path, what: str):
    return parse_yaml(read_text(path, what, max_bytes=MAX_BYTES), path, what)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str))
    return ()


def default_region(name: str) -> str:
    """The region PM gives a partition without ``region:``."""
    return SRAM_PRIMARY if name.endswith("_sram") else FLASH_PRIMARY


def partitions_from_data(data, file: str) -> dict[str, Partition]:
    """Partitions whose address and size are integers; anything else is left
    to the schema finding."""
    name2partition: dict[str, Partition] = {}
    if not isinstance(data, dict):
        return name2partition
    for name, body in data.items():
        if not isinstance(name, str) or not isinstance(body, dict):
            continue
        address, size = _int(body.get("address")), _int(body.get("size"))
        if address is None or size is None:
            continue
        region = body.get("region")
        device = body.get("device")
        name2partition[name] = Partition(
            name=name,
            address=address,
            size=size,
            region=region if isinstance(region, str) else default_region(name),
            device=device if isinstance(device, str) else None,
            span=_names(body.get("span")),
            location=Location(file, f"/{name}"),
            inside=_names(body.get("inside")),
        )
    return name2partition


def undecoded_from_data(data, file: str) -> list[Undecoded]:
    """``address``/``size`` values that are missing (raw None) or not
    integers (a Kconfig name left where a number belongs): recorded, never
    guessed."""
    result: list[Undecoded] = []
    if not isinstance(data, dict):
        return result
    for name, body in data.items():
        if not isinstance(name, str) or not isinstance(body, dict):
            continue
        for key in ("address", "size"):
            if key not in body:
                result.append(Undecoded(name, key, None, Location(file, f"/{name}")))
            elif _int(body[key]) is None:
                result.append(Undecoded(name, key, str(body[key]),
                                        Location(file, f"/{name}/{key}")))
    return result


def regions_from_data(data, file: str) -> dict[str, Region]:
    name2region: dict[str, Region] = {}
    if not isinstance(data, dict):
        return name2region
    for name, body in data.items():
        if not isinstance(name, str) or not isinstance(body, dict):
            continue
        base, size = _int(body.get("base_address")), _int(body.get("size"))
        if base is None or size is None:
            continue
        kconfig = body.get("default_driver_kconfig")
        device = body.get("device")
        placement = body.get("placement_strategy")
        name2region[name] = Region(
            name=name,
            base=base,
            size=size,
            device=device if isinstance(device, str) and device else None,
            default_driver_kconfig=kconfig if isinstance(kconfig, str) and kconfig else None,
            placement=placement if isinstance(placement, str) else None,
            location=Location(file, f"/{name}"),
        )
    return name2region


def memory_map(domain: str, partitions, partitions_file: str, regions=None,
               regions_file: str | None = None) -> MemoryMap:
    """A PM domain's map from already-parsed data."""
    return MemoryMap(
        domain=domain,
        name2partition=partitions_from_data(partitions, partitions_file),
        name2region=regions_from_data(regions, regions_file) if regions_file else {},
        source=Location(partitions_file),
        undecoded=undecoded_from_data(partitions, partitions_file),
    )
