"""Partition Manager output in its real format.

- ``partitions.yml`` / ``regions.yml``: ``yaml.dump`` with keys sorted and
  every int written as ``0x...`` hex (PM registers a representer that dumps
  ``hex(value)``; PyYAML reads that back as an int). A container's ``span``
  and ``orig_span`` are the same list object, so PyYAML writes
  ``orig_span: &id001`` and ``span: *id001`` as PM's output has them.
- ``pm.config`` (``PM_X=value``) and ``pm_config.h`` (``#define PM_X value``)
  in the line order of ``partition_manager_output.py``: partitions sorted
  by address, OFFSET/ADDRESS/END_ADDRESS/SIZE/NAME[/REGION], then ID lines
  for partitions in a region with a device, SPAN in pm.config, DEV and
  DEFAULT_DRIVER_KCONFIG in the header, then PM_NUM and PM_ALL_BY_SIZE.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


@dataclass
class Part:
    name: str
    address: int
    size: int
    region: str = "flash_primary"
    span: tuple[str, ...] = ()
    device: str | None = None
    placement: dict | None = None
    share_size: tuple[str, ...] = ()
    inside: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        return self.address + self.size


@dataclass
class Reg:
    name: str
    base: int
    size: int
    device: str = ""
    kconfig: str = ""
    strategy: str = "complex"
    dynamic_partition: str | None = None


@dataclass
class PmDomain:
    """One PM domain's layout ('' for the application core, 'CPUNET')."""

    name: str
    parts: list[Part] = field(default_factory=list)
    regions: list[Reg] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return f"_{self.name}" if self.name else ""


class _HexDumper(yaml.SafeDumper):
    pass


def _hex(dumper, value):
    return dumper.represent_int(hex(value))


_HexDumper.add_representer(int, _hex)


def partitions_yaml(domain: PmDomain, with_end_address: bool = True) -> str:
    data = {}
    for p in domain.parts:
        entry: dict = {"address": p.address, "region": p.region, "size": p.size}
        if with_end_address:
            entry["end_address"] = p.end
        if p.span:
            names = list(p.span)
            entry["orig_span"] = names
            entry["span"] = names  # same object: dumped as &idNNN / *idNNN
        if p.device:
            entry["device"] = p.device
        if p.placement:
            entry["placement"] = p.placement
        if p.share_size:
            entry["share_size"] = list(p.share_size)
        if p.inside:
            entry["inside"] = list(p.inside)
        data[p.name] = entry
    return yaml.dump(data, Dumper=_HexDumper, default_flow_style=False)


def regions_yaml(domain: PmDomain) -> str:
    data = {r.name: {"base_address": r.base, "default_driver_kconfig": r.kconfig,
                     "device": r.device, "dynamic_partition": r.dynamic_partition,
                     "name": r.name, "placement_strategy": r.strategy, "size": r.size}
            for r in domain.regions}
    return yaml.dump(data, Dumper=_HexDumper, default_flow_style=False)


def _lines(domain: PmDomain, header: bool, with_region: bool, prefix: str) -> list[str]:
    name2region = {r.name: r for r in domain.regions}
    fmt = (lambda k, v: f"#define {k} {v}") if header else (lambda k, v: f"{k}={v}")
    out: list[str] = []
    ident = 0
    for p in sorted(domain.parts, key=lambda p: (p.address, p.name)):
        region = name2region.get(p.region)
        base = region.base if region else 0
        upper, key = p.name.upper(), f"PM_{prefix}{p.name.upper()}"
        out += [fmt(f"{key}_OFFSET", hex(p.address - base if p.address >= base else p.address)),
                fmt(f"{key}_ADDRESS", hex(p.address)),
                fmt(f"{key}_END_ADDRESS", hex(p.end)),
                fmt(f"{key}_SIZE", hex(p.size)),
                fmt(f"{key}_NAME", p.name)]
        if with_region:
            out.append(fmt(f"{key}_REGION", p.region))
        if region is not None and region.device:
            out += [fmt(f"{key}_ID", str(ident)),
                    fmt(f"PM_{prefix}{p.name}_ID", f"{key}_ID"),
                    fmt(f"PM_{prefix}{p.name}_IS_ENABLED", "1"),
                    fmt(f"PM_{prefix}{ident}_LABEL", f"{prefix}{upper}")]
            if header:
                out += [fmt(f"{key}_DEV", region.device),
                        fmt(f"{key}_DEFAULT_DRIVER_KCONFIG", region.kconfig)]
            ident += 1
        if p.span and not header:
            out.append(fmt(f"{key}_SPAN", '"' + " ".join(p.span) + '"'))
    by_size = " ".join(p.name for p in sorted(domain.parts, key=lambda p: (p.size, p.name)))
    out += [fmt(f"PM_{prefix}NUM", str(ident)), fmt(f"PM_{prefix}ALL_BY_SIZE", f'"{by_size}"')]
    return out


def pm_config(domain: PmDomain, with_region: bool) -> str:
    return "\n".join(_lines(domain, False, with_region, "")) + "\n"


def pm_config_h(domains: list[PmDomain], own: PmDomain, image_partition: str,
                sram: tuple[int, int], with_region: bool, generator_path: str) -> str:
    """The header of one image: its own domain unprefixed, others prefixed
    ``PM_<DOMAIN>_``, then PM_ADDRESS/PM_SIZE of the image's partition."""
    lines = [f"/* File generated by {generator_path}, do not modify */",
             "#ifndef PM_CONFIG_H__", "#define PM_CONFIG_H__"]
    lines += _lines(own, True, with_region, "")
    for d in domains:
        if d is not own:
            lines += _lines(d, True, with_region, f"{d.name}_")
    part = next(p for p in own.parts if p.name == image_partition)
    lines += [f"#define PM_ADDRESS {hex(part.address)}", f"#define PM_SIZE {hex(part.size)}",
              f"#define PM_SRAM_ADDRESS {hex(sram[0])}", f"#define PM_SRAM_SIZE {hex(sram[1])}",
              "#endif /* PM_CONFIG_H__ */"]
    return "\n".join(lines) + "\n"
