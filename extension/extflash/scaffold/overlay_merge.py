"""Merge the devicetree settings init needs into an overlay
(``boards/<board>.overlay``, ``sysbuild/mcuboot.overlay``,
``child_image/mcuboot.overlay``).

Why text and not ``devicetree.dtlib``: an overlay is not a devicetree on its
own. It refers to labels (``&mx25r64``, ``&boot_partition``) that only the
board's DTS defines, uses ``#include`` and C macros that only the C
preprocessor expands, and dtlib refuses such input standalone. Writing it back
through dtlib would also drop the user's comments, macros and layout. So init
reads the few things it needs with careful text scanning (comments blanked
out first, braces matched), never rewrites a user line except a conflicting
one under ``--force``, and appends its own block. The tests parse every
generated overlay with dtlib on top of a stand-in board devicetree to prove
the syntax is valid.

What is looked for:

- ``nordic,pm-ext-flash = &label;`` inside a ``chosen { ... }`` node (or
  ``&{/chosen} { ... }``); the last one counts, as in devicetree. Another
  label is a conflict. The same property name in any other node is not the
  chosen entry and is left alone.
- an unterminated ``/*`` comment: init would append its block inside it,
  where it has no effect, so the file is refused with its line.
- ``status = "..."`` directly inside a ``&label { ... }`` node reference;
  ``"disabled"`` is a conflict, anything missing is appended. The flash
  node's status is checked on every board (``spec.flash_node``), also where
  the board devicetree already has it okay: a user's ``status = "disabled"``
  in an overlay applied after the board DTS turns the device off (issue 9).
- ``zephyr,code-partition`` (MCUboot overlays only): present in any form
  means the user chose it; init only adds it when absent.
"""

from __future__ import annotations

import re

from extflash.errors import AppDirError
from extflash.scaffold.model import Conflict, OverlaySpec
from extflash.scaffold.textfile import append_block

_CHOSEN_RE = re.compile(r"nordic,pm-ext-flash\s*=\s*(&[A-Za-z_][A-Za-z0-9_]*|\"[^\"]*\"|[^;]*)\s*;")
_CODE_PART_RE = re.compile(r"zephyr,code-partition\s*=")
_STATUS_RE = re.compile(r"\bstatus\s*=\s*\"([^\"]*)\"\s*;")
_INCLUDE_RE = re.compile(r"^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]+)[\">]", re.MULTILINE)


def blank_comments(text: str) -> str:
    """``text`` with comments replaced by spaces (newlines kept), so offsets
    and line numbers stay those of the original."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\r\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


_CHOSEN_NODE_RE = re.compile(r"(?<![A-Za-z0-9,._+\-])chosen\s*\{|&\{/chosen\}\s*\{")


def _closing_braces(code: str) -> dict[int, int]:
    """Offset of each ``{`` -> offset just after its matching ``}`` (the end
    of the text for one never closed), in one pass: scanning forward from
    every opening brace would be quadratic (``chosen {`` 20000 times)."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for m in re.finditer(r"[{}]", code):
        if m.group() == "{":
            stack.append(m.start())
        elif stack:
            match[stack.pop()] = m.end()
    for start in stack:
        match[start] = len(code)
    return match


def _chosen_spans(code: str) -> list[tuple[int, int]]:
    closing = _closing_braces(code)
    return [(m.end(), closing[m.end() - 1]) for m in _CHOSEN_NODE_RE.finditer(code)]


def unterminated_comment(text: str) -> int | None:
    """The line of a ``/*`` that is never closed, else None."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return _line_of(text, i)
            i = j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            i += 1
    return None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_span(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def _statuses_directly_in(code: str, label: str) -> list[re.Match]:
    """``status = "...";`` matches directly inside (depth 1) any
    ``&label { ... }``, in file order, in one pass over the text (linear:
    the overlay may be hostile, e.g. ``&mx25r64 {`` 20000 times)."""
    openers = {m.end() - 1 for m in re.finditer(r"&" + re.escape(label) + r"\s*\{", code)}
    if not openers:
        return []
    found, stack = [], []
    for m in re.finditer(r"[{}]|\bstatus\b", code):
        token = m.group()
        if token == "{":
            stack.append(m.start())
        elif token == "}":
            if stack:
                stack.pop()
        elif stack and stack[-1] in openers:
            status = _STATUS_RE.match(code, m.start())
            if status:
                found.append(status)
    return found


def merge(spec: OverlaySpec, old: str | None, newline: str, force: bool
          ) -> tuple[str, list[Conflict], list[Conflict]]:
    """Returns ``(new text, conflicts left, conflicts replaced by --force)``."""
    text = old or ""
    code = blank_comments(text)
    conflicts: list[Conflict] = []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in text

    need_chosen = spec.chosen
    if spec.chosen:
        spans = _chosen_spans(code)
        found = [m for m in _CHOSEN_RE.finditer(code)
                 if any(s <= m.start() < e for s, e in spans)]
        if found:
            m = found[-1]
            value = m[1].strip()
            if value == f"&{spec.chosen}":
                need_chosen = None
            else:
                s, e = _line_span(text, m.start())
                conflicts.append(Conflict(spec.path, _line_of(text, m.start()),
                                          "nordic,pm-ext-flash", text[s:e].strip(),
                                          f"nordic,pm-ext-flash = &{spec.chosen};"))
                edits.append((m.start(1), m.end(1), f"&{spec.chosen}"))
                need_chosen = None  # replaced in place under --force

    need_status = spec.status_okay
    status_label = spec.status_okay or spec.flash_node
    if status_label:
        statuses = _statuses_directly_in(code, status_label)
        if statuses:
            m = statuses[-1]
            if m[1] == "okay":
                need_status = None
            else:
                ls, le = _line_span(text, m.start())
                conflicts.append(Conflict(spec.path, _line_of(text, m.start()),
                                          f"&{status_label} status", text[ls:le].strip(),
                                          'status = "okay";'))
                edits.append((m.start(1), m.end(1), "okay"))
                need_status = None

    need_code_part = spec.code_partition and not _CODE_PART_RE.search(code)
    need_include = bool(spec.include) and spec.include not in _INCLUDE_RE.findall(code)

    forced: list[Conflict] = []
    if conflicts and force:
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        forced, conflicts = conflicts, []

    block = render_block(spec, need_chosen, need_status, need_code_part and bool(
        need_chosen or need_status or need_include or not old), need_include)
    if block and old:
        line = unterminated_comment(text)
        if line is not None:
            raise AppDirError(f"{spec.path}:{line}: this /* comment is never closed, so a block "
                              "init appends would be part of the comment; nothing was written",
                              hint="close the comment with */, then run init "
                                                   "again")
    if block:
        text = append_block(text, block, newline)
    return text, conflicts, forced


def render_block(spec: OverlaySpec, chosen: str | None, status: str | None,
                 code_partition: bool, include: bool = False) -> list[str]:
    """Our overlay block, in Zephyr's style (tabs), as lines without endings."""
    if not (chosen or status or code_partition or include):
        return []
    block = ["/*"] + [f" * {h}" if h else " *" for h in spec.header] + [" */"]
    if include:
        block += [f'#include "{spec.include}"']
        if chosen or status or code_partition:
            block.append("")
    if chosen or code_partition:
        block += ["/ {", "\tchosen {"]
        if chosen:
            block.append(f"\t\tnordic,pm-ext-flash = &{chosen};")
        if code_partition:
            block.append(f"\t\tzephyr,code-partition = &{spec.code_partition_label};")
        block += ["\t};", "};"]
    if status:
        if chosen or code_partition:
            block.append("")
        block += [f"&{status} {{", '\tstatus = "okay";', "};"]
    return block
