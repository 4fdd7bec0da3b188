"""Drive a real JupyterLab in headless Chromium: start a throwaway server, open a notebook, run all,
move sliders with the keyboard and time how long the output takes to change.

Used by the browser tests (``tests/browser``) and by ``make bench`` (slider latency). Nothing here
touches the repository's notebooks: the server serves a temporary copy of ``notebooks/`` and ``pics/``.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = "установите Chromium: sudo apt-get install chromium (или задайте путь в переменной CHROMIUM)"

# JupyterLab settings for a test: no autosave (the copy stays as stored), no news prompt, every cell
# rendered in the DOM (no windowing), so that outputs can be inspected.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab server: ``url``, ``token``, ``root`` (the served temp folder)."""

    def __init__(self, root: Path, port: int, token: str, proc: subprocess.Popen, log: Path):
        self.root, self.port, self.token, self.proc, self.log = root, port, token, proc, log
        self.url = f"http://127.0.0.1:{port}"

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/notebooks/{name}?reset&token={self.token}"


@contextmanager
def lab_server(tmp: Path, timeout: float = 90.0):
    """Start JupyterLab on loopback with a token and throwaway settings; stop it afterwards."""
    root = tmp / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".src", ".ipynb_checkpoints"))
    for extra in ("pics", "bench/results"):  # notebooks link pictures and show committed bench tables
        if (ROOT / extra).exists():
            shutil.copytree(ROOT / extra, root / extra)
    settings = tmp / "settings"
    for rel, value in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    (tmp / "workspaces").mkdir(exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    log = tmp / "jupyterlab.log"
    env = dict(os.environ, BROWSER="true", JUPYTER_PORT=str(port))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log, "w") as logf:
        proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, cwd=root)
    lab = Lab(root, port, token, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{lab.url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab не запустился:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield lab
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# --- in-page JavaScript -------------------------------------------------------------------------------

JS_NOTEBOOK_READY = """() => {
  const app = window.jupyterapp; if (!app) return false;
  const w = app.shell.currentWidget; if (!w || !w.content || !w.sessionContext) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.length > 0;
}"""

JS_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:run-all-cells');
}"""

JS_EXECUTION_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  const pending = cells.filter(c => c.model.executionCount === null).length;
  const busy = document.querySelectorAll('.jp-InputPrompt').length &&
    [...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
  return {status: k ? k.status : 'none', pending, busy, total: cells.length};
}"""

JS_PROBLEMS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  w.content.widgets.forEach((c, idx) => {
    if (c.model.type !== 'code') return;
    const outputs = c.model.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const o = outputs.get(j).toJSON();
      if (o.output_type === 'error') out.push(`ячейка ${idx}: ошибка ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr' && String(o.text).trim())
        out.push(`ячейка ${idx}: stderr: ${String(o.text).slice(0, 200)}`);
    }
  });
  document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(n => {
    const t = n.textContent.trim(); if (t) out.push('stderr на странице: ' + t.slice(0, 300));
  });
  const body = document.body.innerText;
  for (const bad of ['Error displaying widget', 'Error rendering output', 'Failed to load model class'])
    if (body.includes(bad)) out.push('на странице: ' + bad);
  return out;
}"""

# A fingerprint of a cell's output without the sliders themselves (their handle and readout move anyway).
JS_INSTALL_PROBE = """() => {
  window.__course = {
    signature(cell) {
      const area = cell.querySelector('.jp-Cell-outputArea') || cell;
      const copy = area.cloneNode(true);
      copy.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider, .widget-readout, .noUi-target')
          .forEach(n => n.remove());
      return copy.innerHTML;
    },
    sliders() {
      return [...document.querySelectorAll('.jp-Cell-outputArea .widget-slider, .jp-Cell-outputArea .widget-hslider')]
        .filter(s => s.querySelector('.noUi-handle'));
    },
  };
  return true;
}"""

JS_ARM = """(k) => {
  const s = window.__course.sliders()[k];
  const cell = s.closest('.jp-Cell');
  const before = window.__course.signature(cell);
  const state = {before, t0: null, t1: null, tl: null};
  window.__armed = state;
  const handle = s.querySelector('.noUi-handle');
  const now = Number(handle.getAttribute('aria-valuenow'));
  const max = Number(handle.getAttribute('aria-valuemax'));
  handle.addEventListener('keydown', () => { if (state.t0 === null) state.t0 = performance.now(); },
                          {capture: true, once: true});
  // t1: the first change this key press caused; tl: the last one before the cell settles (the full update:
  // a widget may change a caption first and its picture later).
  const check = () => {
    if (state.t0 === null) return;                        // only changes caused by this key press
    if (window.__course.signature(cell) !== before) {
      const now = performance.now();
      if (state.t1 === null) state.t1 = now;
      state.tl = now;
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(cell, {subtree: true, childList: true, attributes: true, characterData: true});
  state.obs = obs;
  const label = (s.querySelector('.widget-label') || {}).textContent || '';
  return {key: now >= max ? 'ArrowLeft' : 'ArrowRight', label};
}"""

# Resolve once a cell's output has not changed for ``quiet`` ms (a previous redraw must not count as this one's).
JS_WAIT_QUIET = """([k, quiet, limit]) => new Promise(resolve => {
  const cell = window.__course.sliders()[k].closest('.jp-Cell');
  let timer = setTimeout(done, quiet);
  const obs = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
  obs.observe(cell, {subtree: true, childList: true, attributes: true, characterData: true});
  const cap = setTimeout(done, limit);
  function done() { obs.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(true); }
})"""

JS_RESULT = """() => {
  const s = window.__armed; if (!s) return null;
  return {t0: s.t0, t1: s.t1, ms: (s.t0 !== null && s.tl !== null) ? s.tl - s.t0 : null};
}"""


def open_and_run(page, lab: Lab, name: str, timeout_s: float = 240.0) -> float:
    """Open ``notebooks/name`` in JupyterLab, run all cells, wait until done; returns seconds."""
    page.goto(lab.notebook_url(name))
    page.wait_for_function(JS_NOTEBOOK_READY, timeout=120_000, polling=250)
    t0 = time.monotonic()
    page.evaluate(JS_RUN_ALL)
    deadline = t0 + timeout_s
    while True:
        st = page.evaluate(JS_EXECUTION_STATE)
        if st["pending"] == 0 and not st["busy"] and st["status"] == "idle":
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: ячейки не выполнились за {timeout_s:.0f} с: {st}")
        time.sleep(0.25)
    page.wait_for_timeout(800)  # widget views render asynchronously after the kernel is idle
    return time.monotonic() - t0


def problems(page) -> list[str]:
    return page.evaluate(JS_PROBLEMS)


def slider_count(page) -> int:
    page.evaluate(JS_INSTALL_PROBE)
    return page.evaluate("() => window.__course.sliders().length")


def move_slider(page, k: int, timeout_s: float = 10.0) -> dict:
    """Press an arrow key on slider ``k``; wait for its cell's output to change and settle.

    Returns label, key, whether the output changed, and ``ms`` from the keydown to the last change (the full update).
    """
    page.evaluate(JS_INSTALL_PROBE)
    page.evaluate(JS_WAIT_QUIET, [k, 300, 5000])
    armed = page.evaluate(JS_ARM, k)
    handle = page.locator(".jp-Cell-outputArea .noUi-handle").nth(k)
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press(armed["key"])
    deadline = time.monotonic() + timeout_s
    res = page.evaluate(JS_RESULT)
    while res["t1"] is None and time.monotonic() < deadline:
        time.sleep(0.02)
        res = page.evaluate(JS_RESULT)
    if res["t1"] is not None:                      # changed: wait until the whole update has landed
        page.evaluate(JS_WAIT_QUIET, [k, 300, 5000])
        res = page.evaluate(JS_RESULT)
    page.evaluate("() => window.__armed && window.__armed.obs.disconnect()")
    return {"label": armed["label"].strip(), "key": armed["key"], "ms": res["ms"], "changed": res["t1"] is not None}


def screenshot_widgets(page, prefix: Path) -> list[Path]:
    """Screenshot the whole window and each cell that holds a widget, for a human to look at."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    shots = [prefix.with_name(prefix.name + ".png")]
    page.screenshot(path=str(shots[0]))
    cells = page.locator(".jp-CodeCell:has(.jupyter-widgets)")
    for j in range(cells.count()):
        path = prefix.with_name(f"{prefix.name}-widget{j + 1}.png")
        cells.nth(j).scroll_into_view_if_needed()
        cells.nth(j).screenshot(path=str(path))
        shots.append(path)
    return shots
