"""The HTML flash map in a real browser (Debian's ``chromium``, headless).

For each build the page is rendered by ``west extflash map --format html``
and opened in chromium twice: once dumping the DOM after the page's script
ran, with a probe that records script errors and measures the laid-out SVG
(every label inside its drawing, no two labels overlapping, no bar
segment thinner than 1 px), and once taking a screenshot (a real PNG of the
expected size that is not blank). The DOM must name every partition and
gap the JSON map has, in the figure of its memory.

chromium is required when CI is set (.ci/run installs it with apt-get);
elsewhere the test skips with the command that installs it.
``EXTFLASH_UPDATE_SCREENSHOT=1`` copies the screenshot of the nRF5340 DK
network-core build to docs/flash-map.png (the README's picture).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, REPO_ROOT, require_corpus, run_cli
from test_map import materialize

BUILDS = FIXTURES / "builds"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
SCREENSHOT_FOR_README = "nrf5340dk-netcore-dts"
WIDTH = 1400

PROBE = """<script>
(function () {
  var root = document.documentElement, errors = [];
  function note(text) { errors.push(String(text)); root.setAttribute('data-probe-errors',
    errors.join(' | ')); }
  window.addEventListener('error', function (e) { note(e.message); });
  var original = console.error;
  console.error = function () { note([].slice.call(arguments).join(' '));
    original.apply(console, arguments); };
  window.__probeLayout = function () {
    var problems = [], labels = 0;
    document.querySelectorAll('figure.memory svg').forEach(function (svg) {
      var box = svg.getBoundingClientRect(), placed = [];
      svg.querySelectorAll('g.label, g.marker').forEach(function (g) {
        if (g.classList.contains('label')) labels++;
        var r = null;
        g.querySelectorAll('text').forEach(function (t) {
          var b = t.getBoundingClientRect();
          r = r ? {l: Math.min(r.l, b.left), t: Math.min(r.t, b.top), r: Math.max(r.r,
            b.right), b: Math.max(r.b, b.bottom)}
                : {l: b.left, t: b.top, r: b.right, b: b.bottom};
        });
        var name = g.querySelector('text').textContent;
        if (r.l < box.left - 0.5 || r.r > box.right + 0.5 || r.t < box.top - 0.5
          || r.b > box.bottom + 0.5)
          problems.push('label outside its drawing: ' + name);
        placed.forEach(function (o) {
          if (r.l < o.r.r && o.r.l < r.r && r.t < o.r.b - 0.5 && o.r.t < r.b - 0.5)
            problems.push('labels overlap: ' + name + ' / ' + o.name);
        });
        placed.push({r: r, name: name});
      });
      svg.querySelectorAll('rect.seg').forEach(function (s) {
        if (s.getBoundingClientRect().height < 1) problems.push('segment under 1 px');
      });
    });
    root.setAttribute('data-probe-layout', JSON.stringify({labels: labels, problems: problems}));
  };
})();
</script>"""
RUN_PROBE = "<script>window.__probeLayout();</script>"


def _chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; CI installs it (.ci/run: apt-get install chromium)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return CHROMIUM


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={tmp / 'profile'}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp)


def _page(build: Path, dest: Path) -> tuple[Path, dict]:
    code, out, err = run_cli(["map", "-d", str(build), "--format", "html",
                              "-o", str(dest / "map.html")])
    assert code == 0, err
    code, text, err = run_cli(["map", "-d", str(build), "--format", "json"])
    assert code == 0, err
    return dest / "map.html", json.loads(text)


class _Labels(HTMLParser):
    """figure id -> names in its SVG labels; view names above its bars."""

    def __init__(self):
        super().__init__()
        self.figure2names: dict[str, list[str]] = {}
        self.figure2views: dict[str, list[str]] = {}
        self._figure = None
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self._figure = a.get("id")
            self.figure2names[self._figure] = []
            self.figure2views[self._figure] = []
        elif tag == "text" and self._figure and a.get("class") in ("name", "view"):
            self._in = a["class"]
        elif tag in ("tspan", "title"):
            self._in = None

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        if tag == "text":
            self._in = None

    def handle_data(self, data):
        if self._in == "name":
            self.figure2names[self._figure].append(data)
        elif self._in == "view":
            self.figure2views[self._figure].append(data)


def _png_facts(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the image data)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))



CASES = [
    ("nrf5340dk-netcore", lambda tmp: BUILDS / "nrf5340dk-netcore"),
    ("nrf5340dk-netcore-dts", lambda tmp: BUILDS / "nrf5340dk-netcore-dts"),
    ("nrf9160dk-spi-nor", lambda tmp: BUILDS / "nrf9160dk-spi-nor"),
    ("EXF107-layout-mismatch-dts",
     lambda tmp: materialize("EXF107-layout-mismatch-dts", tmp / "case")),
    ("real:shuhao-dong__BORUS__build",
     lambda tmp: CORPUS / "real-builds" / "shuhao-dong__BORUS__build"),
    ("real:br4inn__CSSE4011__build",
     lambda tmp: CORPUS / "real-builds" / "br4inn__CSSE4011__build"),
    ("real:mitch680l__thingy__build_1",
     lambda tmp: CORPUS / "real-builds" / "mitch680l__thingy__build_1"),
]


@pytest.mark.parametrize("name,where", CASES, ids=[c[0] for c in CASES])
def test_html_map_in_a_real_browser(name, where, tmp_path):
    _chromium()
    build = where(tmp_path)
    if name.startswith("real:"):
        require_corpus(build)
    page, doc = _page(build, tmp_path)
    html = page.read_text()
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("<head>", "<head>" + PROBE, 1)
                      .replace("</body>", RUN_PROBE + "</body>", 1))

    dom = _run(["--dump-dom", probed.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Uncaught" not in dom.stderr, dom.stderr[-2000:]
    root = re.search(r"<html[^>]*>", dom.stdout).group(0)  # the probe writes onto <html>
    assert "data-probe-errors" not in root, root
    keyed = re.search(r'data-keyed="(\d+)"', root)
    assert keyed and int(keyed.group(1)) > 0, "the page's own script did not run"
    layout = re.search(r"data-probe-layout=\"([^\"]*)\"", root)
    assert layout, "the layout probe did not run"
    facts = json.loads(layout.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert facts["problems"] == []

    parsed = _Labels()
    parsed.feed(dom.stdout)
    rows = 0
    for memory in doc["memories"]:
        names = parsed.figure2names[memory["id"]]
        expected = [p["name"] for p in memory["partitions"]] + ["gap"] * len(memory["gaps"])
        assert sorted(names) == sorted(expected), memory["id"]
        views = [v.rstrip("…") for v in parsed.figure2views[memory["id"]]]
        all_views = [v["view"] for v in memory["views"]] + memory["absent_in"]
        assert len(views) == len(all_views)
        assert all(any(full.startswith(v) for full in all_views) for v in views)
        rows += len(expected)
    assert facts["labels"] == rows
    assert len(parsed.figure2names) == len(doc["memories"])
    text = re.sub(r"<[^>]+>", " ", dom.stdout)
    for difference in doc["differences"]:
        assert difference["message"] in text.replace("&gt;", ">").replace("&amp;", "&")

    shot = tmp_path / "map.png"
    proc = _run([f"--screenshot={shot}", f"--window-size={WIDTH},1600", page.as_uri()], tmp_path)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    width, height, distinct = _png_facts(shot)
    assert (width, height) == (WIDTH, 1600)
    assert distinct > 50, "the screenshot is blank"
    if name == SCREENSHOT_FOR_README and os.environ.get("EXTFLASH_UPDATE_SCREENSHOT"):
        (REPO_ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, REPO_ROOT / "docs" / "flash-map.png")


def test_signed_image_markers_in_a_real_browser(tmp_path):
    """The markers of the largest updatable image and of a signed image that
    does not fit, drawn and labelled without overlap or clipping."""
    from test_signed_image import APP_SIGNED, SWAP_MOVE_MAX, build_copy, imgtool, sign

    _chromium()
    keys = tmp_path / "keys"
    keys.mkdir()
    imgtool("keygen", "-k", "sign.pem", "-t", "ed25519", cwd=keys)
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, SWAP_MOVE_MAX + 0x3000, build / APP_SIGNED, slot_size=0x100000)
    page, _doc = _page(build, tmp_path)
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("<head>", "<head>" + PROBE, 1)
                      .replace("</body>", RUN_PROBE + "</body>", 1))
    dom = _run(["--dump-dom", probed.as_uri()], tmp_path)
    root = re.search(r"<html[^>]*>", dom.stdout).group(0)
    assert "data-probe-errors" not in root, root
    facts = json.loads(re.search(r'data-probe-layout="([^"]*)"', root).group(1)
                       .replace("&quot;", '"'))
    assert facts["problems"] == []
    assert "signed image is too large" in dom.stdout
    assert "largest image (swap-using-move)" in dom.stdout
