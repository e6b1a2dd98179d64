"""The documentation site, opened in a real browser (headless Chromium): the API page and
a gallery page render, with their text, their cross-references and every image loaded.

The site is built by ``python -m sphinx -W -b html docs docs/_build/html`` (CI does it
before the suite). Where it is not built, or no Chromium is installed, these tests skip
and say so, unless RESAMPLE_REQUIRE_DOCS_SITE=1 (CI sets it): then they fail.
"""
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

SITE = Path(__file__).resolve().parents[1] / "docs" / "_build" / "html"
REQUIRED = os.environ.get("RESAMPLE_REQUIRE_DOCS_SITE") == "1"


def _missing(reason):
    if REQUIRED:
        pytest.fail(reason + " (RESAMPLE_REQUIRE_DOCS_SITE=1)")
    pytest.skip(reason)


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    _missing("no Chromium to open the site with (apt-get install chromium)")


# The probe page: it loads a page of the site in a frame of the same origin and, when the
# frame has loaded (images included), writes what it shows into its own body; the frame
# delays the probe's own load event, after which --dump-dom prints the probe. Synchronous
# on purpose: work left for later could run after the dump.
PROBE = """<!doctype html><html><body><pre id="report">waiting</pre>
<iframe id="page" src="{src}" style="width:1280px;height:900px"></iframe>
<script>
const frame = document.getElementById("page");
frame.addEventListener("load", () => {{
  const doc = frame.contentDocument;
  const images = Array.from(doc.images);
  document.getElementById("report").textContent = JSON.stringify({{
    title: doc.title,
    text: doc.body.innerText,
    images: images.map(im => ({{src: im.getAttribute("src"), width: im.naturalWidth,
                                height: im.naturalHeight, shown: im.getBoundingClientRect().width}})),
    links: Array.from(doc.querySelectorAll("a.reference.internal")).map(a => a.getAttribute("href")),
    stylesheets: doc.styleSheets.length,
  }});
}});
</script></body></html>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/__probe__?"):
            body = PROBE.format(src=self.path.split("?", 1)[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        _missing(f"the site is not built: python -m sphinx -W -b html docs {SITE.relative_to(SITE.parents[2])}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Handler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _render(site_url, page, tmp_path):
    """What Chromium shows of `page`: its title, text, images, internal links."""
    chromium = _chromium()
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000",
               "--dump-dom", f"{site_url}/__probe__?/{quote(page)}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="report">(.*?)</pre>', done.stdout, flags=re.S)
    assert match and match.group(1) != "waiting", (done.returncode, done.stderr[-2000:])
    return json.loads(html.unescape(match.group(1)))


def _check_images(report):
    assert report["images"], "no image on the page"
    for image in report["images"]:
        assert image["width"] > 0 and image["height"] > 0, f"{image['src']} did not load"
        assert image["shown"] > 0, f"{image['src']} is not displayed"


def test_api_page_renders(site_url, tmp_path):
    report = _render(site_url, "api/resample.html", tmp_path)
    assert "resample" in report["title"] and report["stylesheets"] > 0
    for name in ("resize(", "interpolate(", "interpolate_backward(", "resize_backward(",
                 "show_config(", "get_include("):
        assert name in report["text"], name
    for section in ("parameters", "returns", "raises", "examples"):   # the theme capitalises
        assert section in report["text"].lower(), section
    # the docstrings' numpydoc sections came out as rendered sections, not raw text
    assert "----------" not in report["text"]


def test_gallery_page_renders_its_pictures(site_url, tmp_path):
    report = _render(site_url, "gallery/plot_aliasing.html", tmp_path)
    assert "zone plate" in report["text"].lower()
    _check_images(report)
    assert any("sphx_glr_plot_aliasing" in image["src"] for image in report["images"])


def test_gallery_index_links_every_example(site_url, tmp_path):
    report = _render(site_url, "gallery/index.html", tmp_path)
    examples = sorted(p.stem for p in (SITE.parents[2] / "examples" / "gallery").glob("plot_*.py"))
    assert examples
    for stem in examples:
        assert any(stem in (href or "") for href in report["links"]), stem
    _check_images(report)                        # the thumbnails
