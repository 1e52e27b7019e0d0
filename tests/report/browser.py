"""Open a page in headless Chromium over the DevTools protocol: console errors, chart state, screenshot."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-port=0",
    "--window-size=1200,900",
]
# Every plotly div: how many traces it holds and how many data points the browser drew.
CHART_STATE = """JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(d => ({
  id: d.id, traces: (d.data || []).length,
  points: (d.data || []).reduce((n, t) => {
    const v = t.x || t.z || t.y || (t.cells && t.cells.values[0]) || (t.link && t.link.value) || [];
    // plotly 6 may keep numpy data as {dtype, bdata}: count its bytes' worth as present data
    return n + (v.length !== undefined ? v.length : (v.bdata ? v.bdata.length : 0)); }, 0),
  drawn: d.querySelectorAll('.main-svg g.trace, .main-svg g.hm, .table .y-column, g.sankey').length})))"""


@dataclass
class PageResult:
    charts: list[dict[str, Any]]
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    text: str = ""  # what a reader sees (document.body.innerText)


class _Session:
    """One DevTools websocket: commands by id; every event that arrives meanwhile is kept."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws, self.next_id, self.events = ws, 0, []

    def _recv(self) -> dict[str, Any]:
        message = json.loads(self.ws.recv(timeout=20))
        if "id" not in message:
            self.events.append(message)
        return message

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while (message := self._recv()).get("id") != self.next_id:
            pass
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result", {})

    def wait_for(self, method: str) -> None:
        if not any(e.get("method") == method for e in self.events):
            while self._recv().get("method") != method:
                pass


def _devtools_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = re.search(r"DevTools listening on (ws://\S+)", proc.stderr.readline())
        if found:
            return found.group(1)
    raise RuntimeError("chromium did not announce its DevTools endpoint")


def _new_tab(browser_url: str) -> str:
    with connect(browser_url, max_size=None, open_timeout=10) as ws:
        target = _Session(ws).call("Target.createTarget", url="about:blank")["targetId"]
    return browser_url.split("/devtools/")[0] + f"/devtools/page/{target}"


def open_page(path: Path, screenshot: Path, settle_s: float = 1.0, fragment: str = "") -> PageResult:
    """Load a file, wait for the load event plus a moment for plotly to draw, then inspect."""
    # Chromium's helper processes can still write into the profile just after the kill.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            with connect(_new_tab(_devtools_url(proc)), max_size=None, open_timeout=10) as ws:
                page = _Session(ws)
                for domain in ("Runtime", "Log", "Page", "Network"):
                    page.call(f"{domain}.enable")
                page.call("Page.navigate", url=path.resolve().as_uri() + fragment)
                page.wait_for("Page.loadEventFired")
                time.sleep(settle_s)
                state = page.call("Runtime.evaluate", expression=CHART_STATE, returnByValue=True)
                text = page.call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)
                shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
                result = _collect(json.loads(state["result"]["value"]), page.events)
                result.text = str(text["result"]["value"])
                return result
        finally:
            proc.kill()
            proc.wait(timeout=10)


def _collect(charts: list[dict[str, Any]], events: list[dict[str, Any]]) -> PageResult:
    result = PageResult(charts=charts)
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            result.errors.append(json.dumps(params["exceptionDetails"])[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            result.errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            result.errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
    return result
