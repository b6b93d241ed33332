"""The offline HTML viewer opened in headless Chromium, driven over the DevTools protocol."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from queries.export import export
from queries.export.viewer import script_json
from queries.project import open_dataset

FIXTURE = Path(__file__).with_name("fixtures") / "exports.trig"
CHROMIUM = "/usr/bin/chromium"
XSS = '"><img src=x onerror=alert(1)>'
SCREENSHOT_DIR = Path(os.environ.get("NEWSGRAPH_SCREENSHOTS", tempfile.gettempdir()))


class Page:
    """A minimal Chrome DevTools Protocol client for one page target."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0

    def send(self, method: str, **params: object) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, f"{method}: {message['error']}"
                return message["result"]

    def js(self, expression: str) -> object:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, *, tries: int = 300) -> object:
        for _ in range(tries):
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"never true in the page: {expression}")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture(scope="module")
def viewer_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viewer")
    export(open_dataset(str(FIXTURE)), fmt="html", view="events", output=folder / "viewer.html")
    return folder / "viewer.html"


@pytest.fixture(scope="module")
def page(viewer_file, tmp_path_factory):
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing; run make system-deps (Debian chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,800",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(400):
            if port_file.is_file() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        target = next(t for t in targets if t["type"] == "page")
        client = Page(target["webSocketDebuggerUrl"])
        client.send("Runtime.enable")
        client.send("Page.enable")
        client.send("Page.navigate", url=viewer_file.as_uri())
        client.wait_for("document.readyState === 'complete' && !!window.newsgraph")
        client.wait_for("window.newsgraphReady === true")
        yield client
        client.ws.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_viewer_is_self_contained(viewer_file):
    html = viewer_file.read_text(encoding="utf-8")
    assert "vis-network" in html and "@version 9.1.2" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    assert XSS not in html and "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def test_viewer_renders_every_node(page):
    assert page.js("window.newsgraph.nodes.length") == 21
    assert page.js("Object.keys(window.newsgraph.network.getPositions()).length") == 21
    assert page.js("document.querySelectorAll('#graph canvas').length") == 1
    assert page.js("document.getElementById('counts').textContent") == "21 of 21 nodes, 21 edges"
    assert page.js("performance.getEntriesByType('resource').length") == 0  # nothing fetched: offline


def test_viewer_search_shows_the_xss_label_as_text(page):
    page.js("document.getElementById('search').focus()")
    page.send("Input.insertText", text="onerror")
    results = page.wait_for("Array.from(document.querySelectorAll('#results li')).map(li => li.textContent)")
    assert results == [f"{XSS} (Person)"]
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("window.newsgraph.network.getSelectedNodes().length") == 1
    page.js("document.getElementById('search').value = ''; window.newsgraph.search('')")


def test_viewer_click_on_a_node_shows_its_facts_and_sentences(page):
    node = page.js("window.newsgraph.data.nodes.find(n => n.kind === 'AirStrike').id")
    page.js(f"window.newsgraph.network.focus({json.dumps(node)}, {{scale: 1.5}})")
    x, y = page.js(
        f"(() => {{ const n = window.newsgraph.network; const p = n.canvasToDOM(n.getPositions([{json.dumps(node)}])"
        f"[{json.dumps(node)}]); const r = document.getElementById('graph').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; })()")
    page.click(x, y)
    facts = page.wait_for("Array.from(document.querySelectorAll('#facts li')).map(li => li.textContent)")
    assert page.js("document.querySelector('#selected strong').textContent") == "Air strike in Hodeidah, 2018-08-02"
    assert any("UN OCHA · asserts · at least 28 people" in f for f in facts)
    assert any("killing at least 28 people" in f for f in facts)
    assert any(f.startswith("location → al-Hali fish market") for f in facts)


def test_viewer_filters_by_kind_and_date(page):
    page.js("document.querySelector('#kinds input[value=Settlement]').click()")
    assert page.js("document.getElementById('counts').textContent") == "17 of 21 nodes, 21 edges"
    page.js("document.querySelector('#kinds input[value=Settlement]').click()")
    page.js("{ const f = document.getElementById('from'); f.value = '2020-01-01'; f.dispatchEvent(new Event('change')); }")
    hidden = page.js("window.newsgraph.nodes.get({filter: n => n.hidden}).map(n => n.label)")
    assert "Air strike in Hodeidah, 2018-08-02" in hidden and "Missile strike in Kharkiv, 2022-03-01" not in hidden
    page.js("{ const f = document.getElementById('from'); f.value = ''; f.dispatchEvent(new Event('change')); }")
    assert page.js("document.getElementById('counts').textContent") == "21 of 21 nodes, 21 edges"


def test_viewer_screenshot(page):
    page.js("window.newsgraph.network.fit()")
    shot = page.send("Page.captureScreenshot", format="png")
    path = SCREENSHOT_DIR / "newsgraph-viewer.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a & b <c>", "\u2028line"])
def test_viewer_script_json_cannot_close_the_block(text):
    encoded = script_json({"label": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == {"label": text}


def test_viewer_chromium_is_the_debian_one():
    assert shutil.which("chromium") == CHROMIUM
