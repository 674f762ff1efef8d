"""Merge the Kconfig settings init needs into a fragment (``prj.conf``,
``sysbuild.conf``, ``sysbuild/mcuboot.conf``, ``child_image/mcuboot.conf``).

Rules (README "init: merging"):

- every line the user wrote stays, in its order, comments included;
- a symbol that is already set to the value we need is left alone (for
  ``at_least`` settings a larger value also counts);
- a symbol that is missing is appended, below a comment saying that
  ``west extflash init`` wrote it;
- a symbol set to another value is a conflict: nothing is written unless
  ``--force``, which replaces exactly the conflicting line(s) (keeping their
  line ending) and nothing else;
- another ``=y`` of the same Kconfig choice (``exclusive``) is a conflict too.

Kconfig itself keeps the last assignment of a symbol, so every assignment
line of a symbol is compared, not only the first.
"""

from __future__ import annotations

from extflash import kconfig
from extflash.scaffold.model import Conflict, KconfigSpec, Setting
from extflash.scaffold.textfile import append_block, ending_of, lines


def render_value(value: bool | int | str) -> str:
    return kconfig.encode(value)


def _satisfied(setting: Setting, have: bool | int | str) -> bool:
    if setting.at_least and isinstance(have, int) and not isinstance(have, bool):
        return have >= setting.value
    return have == setting.value


def merge(spec: KconfigSpec, old: str | None, newline: str, force: bool
          ) -> tuple[str, list[Conflict], list[Conflict]]:
    """Returns ``(new text, conflicts left, conflicts replaced by --force)``."""
    text = old or ""
    file_lines = lines(text)
    by_symbol: dict[str, list[kconfig.Assignment]] = {}
    for a in kconfig.parse(text).assignments:
        by_symbol.setdefault(a.symbol, []).append(a)

    def have(a: kconfig.Assignment) -> str:
        return file_lines[a.line - 1].strip()

    replace_lines: dict[int, str] = {}  # line number -> new line body
    conflicts: list[Conflict] = []
    missing: list[Setting] = []
    for s in spec.settings:
        need = f"{s.symbol}={render_value(s.value)}"
        found = by_symbol.get(s.symbol, [])
        for a in found:
            if not _satisfied(s, a.value):
                conflicts.append(Conflict(spec.path, a.line, s.symbol, have(a), need,
                                          at_least=s.at_least))
                replace_lines[a.line] = need
        for other in s.exclusive:
            for a in by_symbol.get(other, []):
                if a.value is True:
                    conflicts.append(Conflict(spec.path, a.line, s.symbol, have(a), need))
                    replace_lines[a.line] = f"# {other} is not set"
        if not found:
            missing.append(s)

    forced: list[Conflict] = []
    if conflicts and force:
        text = "".join(
            (replace_lines[n] + (ending_of(line) or newline)) if n in replace_lines else line
            for n, line in enumerate(file_lines, start=1)
        )
        forced, conflicts = conflicts, []

    if missing:
        block = [f"# {h}" if h else "#" for h in spec.header]
        for s in missing:
            block += [f"# {c}" for c in s.comment]
            block.append(f"{s.symbol}={render_value(s.value)}")
        text = append_block(text, block, newline)
    return text, conflicts, forced
