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
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "установите Chromium: sudo apt-get install chromium (или задайте путь в переменной CHROMIUM)"

# JupyterLab settings for a test: no autosave (the copy stays as stored), every cell rendered in the DOM
# (no windowing), so that outputs can be inspected. Language and the news prompt come from the course's own
# defaults (jupyter/overrides.json in .venv), as in make lab.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
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
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.port_retries=0",
    ]
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
  // «Run All» stops at the first error: the cells after it stay unexecuted, so an error ends the run too.
  const errored = cells.some(c => {
    const o = c.model.outputs;
    for (let j = 0; j < o.length; j++) if (o.get(j).type === 'error') return true;
    return false;
  });
  return {status: k ? k.status : 'none', pending, busy, errored, total: cells.length};
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
        if (st["pending"] == 0 or st["errored"]) and not st["busy"] and st["status"] == "idle":
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: ячейки не выполнились за {timeout_s:.0f} с: {st}")
        time.sleep(0.25)
    settle(page, 400, 10_000)  # widget views render asynchronously after the kernel is idle: wait for a quiet DOM
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
    if res["t1"] is not None:  # changed: wait until the whole update has landed
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


# --- the projector: 1280×720 at browser zoom 150 % ------------------------------------------------------------
# Chrome's zoom of 150 % on a 1280×720 screen gives the page a CSS viewport of 853×480 with devicePixelRatio 1.5;
# Playwright's ``viewport`` + ``device_scale_factor`` give exactly that (the same media queries, the same layout,
# screenshots of 1280×720 device pixels). The browser's own bars are left out: full screen (F11) on a projector.
PROJECTOR = {"viewport": {"width": 853, "height": 480}, "device_scale_factor": 1.5}

JS_CLOSE_SIDEBARS = """() => {
  const shell = window.jupyterapp.shell;
  shell.collapseLeft(); shell.collapseRight();
  return true;
}"""

# Every clipped part of every widget output: an element cut by its own hidden overflow (scrollWidth > clientWidth),
# text ending in an ellipsis, a part past the output area's right edge, an output that scrolls sideways, and an
# explorer (a picture plus controls) taller than the notebook's visible height.
JS_LAYOUT_PROBLEMS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const screenH = nb.node.clientHeight;
  const describe = el => {
    const cls = [...el.classList].filter(c => c.startsWith('widget') || c.startsWith('jupyter') || c.startsWith('noUi'))
      .slice(0, 2).join('.');
    const text = (el.textContent || el.getAttribute('title') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}>${text ? ' «' + text + '»' : ''}`;
  };
  const found = [];
  nb.widgets.forEach((cell, idx) => {
    if (cell.model.type !== 'code') return;
    const source = cell.model.sharedModel.getSource().trim().split('\\n').pop().slice(0, 60);
    cell.node.querySelectorAll('.jp-OutputArea-output').forEach(out => {
      const root = out.querySelector(':scope > .jupyter-widgets');
      if (!root) return;
      const where = `ячейка ${idx} (${source})`;
      const edge = out.getBoundingClientRect().right;
      if (out.scrollWidth > out.clientWidth + 1)
        found.push({cell: idx, where, kind: 'прокрутка',
                    what: `вывод шире области: ${out.scrollWidth} px при ${out.clientWidth} px`});
      const reported = new Set();
      root.querySelectorAll('*').forEach(el => {
        if (!el.offsetWidth && !el.offsetHeight) return;      // hidden
        if (el.closest('.noUi-base')) return;                  // the slider's own track and handle
        for (let a = el.parentElement; a && a !== root; a = a.parentElement) if (reported.has(a)) return;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        let problem = null;
        if (r.right > edge + 1)
          problem = ['за правым краем', `${describe(el)}: на ${Math.round(r.right - edge)} px за правым краем`];
        else if (['hidden', 'clip'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1
                 && el.tagName !== 'svg')
          problem = [cs.textOverflow === 'ellipsis' ? 'многоточие' : 'обрезано',
                     `${describe(el)}: видно ${el.clientWidth} px из ${el.scrollWidth} px` +
                     (cs.textOverflow === 'ellipsis' ? ' (текст обрезан многоточием)' : '')];
        if (problem) { reported.add(el); found.push({cell: idx, where, kind: problem[0], what: problem[1]}); }
      });
      const picture = root.querySelector('img, svg, canvas');
      const controls = root.querySelector('.noUi-handle, button, select, input');
      const h = root.getBoundingClientRect().height;
      if (picture && controls && h > screenH + 1)
        found.push({cell: idx, where, kind: 'не на одном экране',
                    what: `картинка и управление не помещаются на экран: высота ${Math.round(h)} px, ` +
                          `видно ${screenH} px`});
    });
  });
  return found;
}"""

# The sizes that must grow with Presentation Mode: widget text (labels, readouts, buttons, HTML) and diagram text
# (SVG <text> as drawn). Returns, per widget cell, the median drawn size of each kind in CSS px.
JS_TEXT_SIZES = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const median = xs => { if (!xs.length) return null; xs.sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)]; };
  const sizes = {};
  nb.widgets.forEach((cell, idx) => {
    const roots = [...cell.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')];
    if (!roots.length) return;
    const ui = [], svg = [];
    roots.forEach(root => {
      root.querySelectorAll('.widget-label, .widget-readout, .widget-button, .widget-toggle-button, ' +
                            'select, input[type=text]')
        .forEach(el => { if (el.offsetWidth) ui.push(parseFloat(getComputedStyle(el).fontSize)); });
      root.querySelectorAll('svg text').forEach(t => {
        const h = t.getBoundingClientRect().height; if (h) svg.push(h);
      });
    });
    sizes[idx] = {ui: median(ui), svg: median(svg)};
  });
  return sizes;
}"""

# How much each picture of the outputs is scaled down to fit (shown width / own width), for figure text legibility.
JS_PICTURE_SCALES = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const out = [];
  nb.widgets.forEach((cell, idx) => {
    cell.node.querySelectorAll('.jp-OutputArea-output img').forEach(img => {
      if (img.naturalWidth && img.clientWidth)
        out.push({cell: idx, widget: !!img.closest('.jupyter-widgets'), natural: img.naturalWidth,
                  shown: img.clientWidth, scale: img.clientWidth / img.naturalWidth});
    });
  });
  return out;
}"""


def close_sidebars(page) -> None:
    page.evaluate(JS_CLOSE_SIDEBARS)
    page.wait_for_function(
        "() => !document.querySelector('#jp-left-stack:not(.lm-mod-hidden)') || "
        "document.querySelector('#jp-left-stack').offsetWidth === 0",
        timeout=10_000,
    )


def layout_problems(page) -> list[dict]:
    return page.evaluate(JS_LAYOUT_PROBLEMS)


def text_sizes(page) -> dict:
    return page.evaluate(JS_TEXT_SIZES)


def picture_scales(page) -> list[dict]:
    return page.evaluate(JS_PICTURE_SCALES)


def set_presentation_mode(page, on: bool) -> None:
    """JupyterLab's View → Appearance → Presentation Mode (command ``application:toggle-presentation-mode``)."""
    now = page.evaluate("() => document.querySelector('#main').classList.contains('jp-mod-presentationMode')")
    if now != on:
        page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-presentation-mode')")
        page.wait_for_function(
            "on => document.querySelector('#main').classList.contains('jp-mod-presentationMode') === on",
            arg=on,
            timeout=10_000,
        )
    settle(page)


def settle(page, quiet_ms: int = 300, limit_ms: int = 5000) -> None:
    """Wait until the notebook's DOM has not changed for ``quiet_ms`` (renders and reflows have landed)."""
    page.evaluate(
        """([quiet, limit]) => new Promise(resolve => {
      const node = window.jupyterapp.shell.currentWidget.content.node;
      let timer = setTimeout(done, quiet);
      const obs = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
      obs.observe(node, {subtree: true, childList: true, attributes: true, characterData: true});
      const cap = setTimeout(done, limit);
      function done() {
        obs.disconnect(); clearTimeout(timer); clearTimeout(cap); requestAnimationFrame(() => resolve(true));
      }
    })""",
        [quiet_ms, limit_ms],
    )


def screenshot_projector(page, prefix: Path) -> list[Path]:
    """What the class sees: the screen with each widget cell scrolled to the top, as 1280×720 PNGs."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    shots = []
    cells = page.locator(".jp-CodeCell:has(.jp-OutputArea-output > .jupyter-widgets)")
    for j in range(cells.count()):
        cells.nth(j).evaluate("c => c.scrollIntoView({block: 'start'})")
        settle(page, 200, 2000)
        path = prefix.with_name(f"{prefix.name}-widget{j + 1}.png")
        page.screenshot(path=str(path))
        shots.append(path)
    return shots


# --- every control of every widget: used once, its cell's output must change ----------------------------------
CONTROLS = ("noUi-handle", "widget-button", "widget-toggle-button", "select", "text", "checkbox", "textarea")

JS_TAG_CONTROLS = """() => {
  const sel = ['.noUi-handle', 'button.widget-button', 'button.widget-toggle-button', '.widget-dropdown select',
               '.widget-text input', '.widget-textarea textarea', '.widget-checkbox input'].join(', ');
  const list = [...document.querySelectorAll('.jp-Cell-outputArea')].flatMap(a => [...a.querySelectorAll(sel)]);
  list.forEach((el, k) => el.setAttribute('data-course-control', String(k)));
  return list.map((el, k) => {
    const kind = el.classList.contains('noUi-handle') ? 'ползунок'
      : el.matches('.widget-toggle-buttons button') ? 'переключатель-вариант'
      : el.classList.contains('widget-toggle-button') ? 'переключатель'
      : el.classList.contains('widget-button') ? 'кнопка'
      : el.tagName === 'SELECT' ? 'список'
      : el.type === 'checkbox' ? 'флажок' : el.type === 'number' ? 'число' : 'текст';
    const box = el.closest('.widget-inline-hbox') || el;
    const label = (box.querySelector('.widget-label') || {}).textContent || el.textContent
      || el.getAttribute('title') || '';
    const cell = el.closest('.jp-Cell');
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    return {k, kind, label: label.trim().slice(0, 40),
            disabled: !!el.disabled || el.getAttribute('aria-disabled') === 'true',
            active: el.classList.contains('mod-active'), cell: cells.indexOf(cell),
            visible: el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden',
            value: el.value === undefined ? null : String(el.value)};
  });
}"""

# A fingerprint of the control's cell output without any slider (handles and readouts move anyway) and without the
# control itself (a toggle's own look changes).
JS_CELL_SIGNATURE = """(k) => {
  const el = document.querySelector(`[data-course-control="${k}"]`);
  const area = el.closest('.jp-Cell-outputArea');
  const own = el.closest('.widget-inline-hbox') || el;
  own.setAttribute('data-course-own', '1');
  const copy = area.cloneNode(true);
  own.removeAttribute('data-course-own');
  copy.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider, .widget-readout, .noUi-target, ' +
                        '[data-course-own]')
      .forEach(n => n.remove());
  copy.querySelectorAll('[data-course-control]').forEach(n => n.removeAttribute('data-course-control'));
  return copy.innerHTML;
}"""


def list_controls(page) -> list[dict]:
    return page.evaluate(JS_TAG_CONTROLS)


def use_control(page, control: dict, timeout_s: float = 10.0) -> bool:
    """Use one control the way a student would (arrow key, click, another option, an edited text + Enter);
    True when its cell's output changed."""
    k = control["k"]
    loc = page.locator(f'[data-course-control="{k}"]')
    loc.scroll_into_view_if_needed(timeout=10_000)
    settle(page, 250, 4000)
    before = page.evaluate(JS_CELL_SIGNATURE, k)
    kind = control["kind"]
    if kind == "ползунок":
        now, hi = (float(loc.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemax"))
        loc.focus()
        loc.press("ArrowLeft" if now >= hi else "ArrowRight")
    elif kind == "список":
        n = loc.evaluate("s => s.options.length")
        idx = loc.evaluate("s => s.selectedIndex")
        loc.select_option(index=(idx + 1) % n, timeout=10_000)
    elif kind == "число":
        value = float(control["value"] or 0)
        hi = loc.get_attribute("max")
        step = float(loc.get_attribute("step") or 1)
        new = value - step if hi is not None and value + step > float(hi) else value + step
        loc.fill(f"{new:g}", timeout=10_000)
        loc.press("Enter")
    elif kind == "текст":
        words = (control["value"] or "").split()
        loc.fill(" ".join(words[:-1]) if len(words) > 1 else (control["value"] or "") + " а", timeout=10_000)
        loc.press("Enter")
    else:
        loc.click(timeout=10_000)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(JS_CELL_SIGNATURE, k) != before:
            settle(page, 250, 5000)
            return True
        time.sleep(0.05)
    return False
