"""The static site (``make site``) works with no network at all, and every lesson's widgets are drawn.

Chromium opens ``build/site/`` from disk with every non-``file://`` request blocked (Playwright routing); any
blocked or failed request fails the test, as does a saved widget view that did not turn into a drawn widget.
The site is built first if it is missing or older than a lesson (``scripts/build_site.py``, about 1–2 min).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from labkit import ROOT

SITE = ROOT / "build" / "site"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Widget views saved in the page, and the ones the html-manager drew (a view it could not draw shows an error).
JS_WIDGETS = """() => {
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const drawn = views.filter(s => {
    const box = s.parentElement;
    return box && box.querySelector('.jupyter-widgets, .widget-box, .widget-inline-hbox, .widget-html, .widget-image');
  });
  const errors = [...document.querySelectorAll('.jupyter-widgets')].filter(n => /Error|Ошибка/.test(
      n.textContent || '') && n.classList.contains('jupyter-widgets-disconnected')).length;
  const sliders = document.querySelectorAll('.widget-slider .noUi-handle, .widget-hslider .noUi-handle').length;
  return {views: views.length, drawn: drawn.length, errors, sliders,
          text: document.body.innerText.includes('Error displaying widget')};
}"""


def _site_is_fresh() -> bool:
    index = SITE / "lessons.json"
    if not index.exists():
        return False
    built = index.stat().st_mtime
    listed = {entry["name"] for entry in json.loads(index.read_text(encoding="utf-8"))}
    sources = [ROOT / "scripts" / "build_site.py", *NOTEBOOKS]
    return listed == {p.stem for p in NOTEBOOKS} and all(p.stat().st_mtime < built for p in sources)


@pytest.fixture(scope="module")
def site():
    if not _site_is_fresh():
        if shutil.which("npm") is None and not (ROOT / "build" / "site-npm" / "node_modules").is_dir():
            hint = "для сайта нужен npm (sudo apt-get install npm): он один раз скачивает скрипты и шрифты сайта"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"CI=true, а npm нет: {hint}", pytrace=False)
            pytest.skip(hint)
        # a lesson that does not execute is left out of the site (its test below fails); the others are built
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py")], cwd=ROOT, check=False)
    return json.loads((SITE / "lessons.json").read_text(encoding="utf-8"))


@pytest.fixture
def offline(browser):
    """A page that may load only ``file://`` URLs; ``page.blocked`` lists every other request and failure."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", offline=True)
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(f"заблокирован запрос в сеть: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfailed", lambda req: blocked.append(f"не загрузилось: {req.url} ({req.failure})"))
    page.on("pageerror", lambda err: blocked.append(f"ошибка JavaScript: {err}"))
    page.blocked = blocked
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_site_index_lists_every_lesson(site, offline):
    offline.goto((SITE / "index.html").as_uri())
    links = offline.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    for nb in NOTEBOOKS:
        assert f"notebooks/{nb.stem}.html" in links, f"в оглавлении сайта нет урока {nb.stem}"
    assert not offline.blocked, "\n".join(offline.blocked)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("nb", [p.stem for p in NOTEBOOKS])
def test_site_lesson_offline_with_widgets_drawn(site, offline, nb):
    page = SITE / "notebooks" / f"{nb}.html"
    assert page.exists(), f"{page} не собран"
    offline.goto(page.as_uri())
    offline.wait_for_load_state("load")
    views = offline.evaluate(JS_WIDGETS)["views"]
    if views:  # the html-manager draws them after the page has loaded
        offline.wait_for_function(
            "n => document.querySelectorAll('.jupyter-widgets, .widget-box').length > 0",
            arg=views,
            timeout=30_000,
            polling=200,
        )
        offline.wait_for_function(
            """() => {
          const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
          return views.every(s => s.parentElement.querySelector('.jupyter-widgets, .widget-box, .widget-inline-hbox'));
        }""",
            timeout=30_000,
            polling=200,
        )
    # MathJax typesets after load: wait until it has nothing queued (it loads its parts from disk)
    offline.wait_for_function(
        "() => !window.MathJax || !window.MathJax.Hub || window.MathJax.Hub.queue.pending === 0",
        timeout=30_000,
        polling=200,
    )
    state = offline.evaluate(JS_WIDGETS)
    assert not offline.blocked, f"{nb}: сайт обращается к сети или не загрузил файл:\n" + "\n".join(offline.blocked)
    assert not state["text"], f"{nb}: на странице «Error displaying widget»"
    assert state["drawn"] == state["views"], f"{nb}: нарисовано {state['drawn']} виджетов из {state['views']}"
    expected = _widget_cells(nb)
    assert state["views"] >= expected, f"{nb}: в ноутбуке {expected} ячеек с виджетами, на странице {state['views']}"


def _widget_cells(nb: str) -> int:
    """How many cells of the lesson display a widget (the site's executed copy must show at least these)."""
    import nbformat

    lesson = nbformat.read(ROOT / "notebooks" / f"{nb}.ipynb", as_version=4)
    tagged = [
        c
        for c in lesson.cells
        if c.cell_type == "code"
        and "nbval-ignore-output" in c.metadata.get("tags", [])
        and "widget" in c.source.lower()
    ]
    return len(tagged)
