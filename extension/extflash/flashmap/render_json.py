"""The flash map as JSON (``schemas/map-schema.yml``, version 1): the same
data as the text and HTML renderings."""

from __future__ import annotations

import json

from extflash.flashmap.view import FlashMap, Memory, Placement, Row

JSON_VERSION = 1


def _places(view2place: dict[str, Placement | None]) -> dict:
    return {"placed": [{"view": n, "start": p.start, "size": p.size, "source": p.source}
                       for n, p in view2place.items() if p is not None],
            "absent_in": [n for n, p in view2place.items() if p is None]}


def _row(row: Row) -> dict:
    return {"name": row.name, "kind": str(row.kind), "slot": row.slot,
            "start": row.start, "end": row.end, "size": row.size,
            "container": row.container, "depth": row.depth, "status": str(row.status),
            **_places(row.view2place)}


def _memory(m: Memory) -> dict:
    return {
        "id": m.id, "domain": m.domain, "region": m.region, "kind": str(m.kind),
        "title": m.title, "base": m.base, "size": m.size, "size_known": m.size_known,
        "device": m.device, "erase_block": m.erase_block, "write_block": m.write_block,
        "views": [{"view": n, "base": f.base, "size": f.size, "device": f.device}
                  for n, f in m.view2facts.items() if f is not None],
        "absent_in": [n for n, f in m.view2facts.items() if f is None],
        "partitions": [_row(r) for r in m.partitions],
        "gaps": [{"start": r.start, "end": r.end, "size": r.size, "status": str(r.status),
                  "views": sorted(n for n, p in r.view2place.items() if p is not None)}
                 for r in m.gaps],
    }


def as_dict(fm: FlashMap) -> dict:
    return {
        "version": JSON_VERSION,
        "build": {"path": fm.path, "board": fm.board, "ncs_version": fm.ncs_version,
                  "partitioning": fm.partitioning, "layout": fm.layout},
        "views": [{"name": v.name, "kind": v.kind, "domain": v.domain,
                   "images": list(v.images), "role": v.role, "source": v.source}
                  for v in fm.views],
        "memories": [_memory(m) for m in fm.memories],
        "differences": [{"memory": d.memory, "name": d.name, "message": d.message}
                        for d in fm.differences],
        "geometry": [{
            "primary": g.primary, "secondary": g.secondary, "mode": str(g.mode),
            "max_image_size": g.max_size, "trailer": g.trailer, "sector": g.sector,
            "image_file": g.image_file, "image_size": g.image_size,
            "options": [{"mode": str(o.mode), "kconfig": o.symbol, "max_image_size": o.max_size,
                         "gain": o.gain, "cost": o.cost} for o in g.options],
            "note": g.note}
            for g in fm.geometry],
        "problems": list(fm.problems),
        "notes": list(fm.notes),
    }


def render_json(fm: FlashMap) -> str:
    return json.dumps(as_dict(fm), indent=2) + "\n"
