"""The inline stylesheet and script of the HTML flash map (one
self-contained page: nothing is fetched). Colours of partition kinds come
from ``kinds.KIND2STYLE``; the difference colour from ``kinds.DIFF_STYLE``."""

from __future__ import annotations

from extflash.flashmap.kinds import DIFF_STYLE

PARTIAL_STYLE = "#8a6d1d"  # "only in some views"

CSS = """
:root { --ink:#1d2330; --muted:#5d6778; --line:#d5dae1; --bg:#f4f6f8; --diff:%(diff)s; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:var(--ink); background:var(--bg); }
header, main, section, footer { max-width:1560px; margin:0 auto; padding:0 28px; }
header { padding-top:26px; }
h1 { font-size:24px; margin:0 0 4px; letter-spacing:-.01em; }
h2 { font-size:17px; margin:0; }
h3 { font-size:15px; margin:26px 0 8px; }
.facts { color:var(--muted); margin:0; }
.facts b { color:var(--ink); font-weight:600; }
code, .mono { font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;
  font-size:12.5px; }
.views { display:flex; flex-wrap:wrap; gap:6px 18px; margin:10px 0 0; padding:0; list-style:none; }
.views li { color:var(--muted); }
.views li b { color:var(--ink); }
.legend { display:flex; flex-wrap:wrap; gap:6px 16px; margin:16px auto 4px; }
.legend span { display:inline-flex; align-items:center; gap:6px; color:var(--muted);
  font-size:13px; }
.sw { width:14px; height:14px; border-radius:3px; border:1px solid rgba(0,0,0,.18);
  display:inline-block; }
.sw.gap { background:repeating-linear-gradient(135deg,#fff 0 3px,#cfd6de 3px 4px); }
.sw.diff { background:#fff; border:2px solid var(--diff); }
.dash { width:18px; height:0; border-top:2px dashed var(--ink); display:inline-block; }
.sw.partial { background:#fff; border:2px dashed %(partial)s; }
.sizes { margin:14px auto 6px; }
.sizes table { border-collapse:collapse; }
.sizes td { padding:2px 10px 2px 0; color:var(--muted); font-size:13px; white-space:nowrap; }
.sizes .rel { height:10px; border-radius:5px; background:#8796aa; }
main { display:flex; flex-wrap:wrap; gap:22px; padding-top:14px; }
figure.memory { margin:0; background:#fff; border:1px solid var(--line); border-radius:12px;
  padding:16px 18px 8px; box-shadow:0 1px 2px rgba(16,24,40,.05); }
figure.memory.has-diff { border-color:var(--diff); }
figcaption p { margin:2px 0 0; color:var(--muted); font-size:13px; overflow-wrap:anywhere; }
svg text { font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; fill:var(--ink); }
svg .mono { font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace; font-size:11px;
  fill:var(--muted); }
svg .view { font-size:11.5px; font-weight:600; }
svg .role { font-size:10px; fill:var(--muted); letter-spacing:.06em; text-transform:uppercase; }
svg .name { font-size:12.5px; font-weight:600; }
svg .alias { font-size:11px; fill:var(--muted); font-weight:400; }
svg .note { font-size:11px; font-weight:600; }
svg .mark { font-size:12px; font-weight:600; font-style:italic; }
svg .inbar { font-size:10.5px; font-weight:600; }
svg .leader { stroke:#a3adba; stroke-width:.9; fill:none; }
svg .seg { stroke:#fff; stroke-width:1; }
svg .seg.diff { stroke:var(--diff); stroke-width:2.5; }
svg .missing { fill:none; stroke:#c4cbd4; stroke-dasharray:4 3; }
svg .hl .seg, svg .seg.hl { stroke:var(--ink); stroke-width:2.5; }
svg g.hl text.name { text-decoration:underline; }
.diffs { margin-top:8px; }
.diffs li { margin:3px 0; }
.diffs li::marker { color:var(--diff); }
.ok { color:#2f7a4b; }
table.rows { border-collapse:collapse; background:#fff; border:1px solid var(--line);
  border-radius:8px; overflow:hidden; margin-bottom:8px; }
table.rows th, table.rows td { padding:4px 12px; border-bottom:1px solid #eef1f4; text-align:left;
  white-space:nowrap; font-size:13px; }
table.rows th { background:#f8f9fb; color:var(--muted); font-weight:600; }
table.rows td.diff { color:var(--diff); font-weight:600; }
table.rows td.absent { color:%(partial)s; }
table.rows tr.gap td { color:var(--muted); font-style:italic; }
table.rows tr.hl td { background:#fff7e0; }
table.rows tr.alt td { color:var(--muted); }
table.rows td { white-space:normal; }
.bad { color:var(--diff); font-weight:600; }
footer { color:var(--muted); font-size:12px; padding:18px 28px 30px; }
""" % {"diff": DIFF_STYLE.fill, "partial": PARTIAL_STYLE}  # noqa: UP031 (CSS is all braces)

SCRIPT = """
(function () {
  var keyed = document.querySelectorAll('[data-key]');
  function mark(key, on) {
    document.querySelectorAll('[data-key="' + key + '"]').forEach(function (el) {
      el.classList.toggle('hl', on);
    });
  }
  keyed.forEach(function (el) {
    el.addEventListener('mouseenter', function () { mark(el.dataset.key, true); });
    el.addEventListener('mouseleave', function () { mark(el.dataset.key, false); });
  });
  document.documentElement.dataset.keyed = String(keyed.length);
})();
"""

