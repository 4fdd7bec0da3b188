"""The course's JupyterLab speaks Russian and asks no «Jupyter news?» question (``jupyter/overrides.json``,
installed into ``.venv`` by ``make setup``; the lab of the tests runs from that venv with throwaway user settings,
so what it shows is what ``make lab`` shows on a fresh clone)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from labkit import ROOT

OVERRIDES = ROOT / "jupyter" / "overrides.json"


def test_venv_has_the_course_overrides():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.exists(), f"нет {installed}: выполните make setup (он копирует {OVERRIDES.relative_to(ROOT)})"
    assert json.loads(installed.read_text()) == json.loads(OVERRIDES.read_text()), (
        f"{installed} отличается от {OVERRIDES.relative_to(ROOT)}: выполните make setup"
    )


@pytest.mark.browser
def test_menu_bar_is_russian_and_no_news_prompt(page, lab):
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")
    page.wait_for_function("() => document.querySelectorAll('.lm-MenuBar-itemLabel').length >= 5", timeout=120_000)
    labels = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    for word in ("Файл", "Ядро", "Справка"):
        assert word in labels, f"в строке меню нет «{word}»: {labels}"
    assert "File" not in labels and "Kernel" not in labels, f"меню по-английски: {labels}"
    locale = page.evaluate("() => document.documentElement.lang")
    assert locale.startswith("ru"), f"язык страницы JupyterLab: {locale!r}"
    settings = page.evaluate("""async () => {
      const s = window.jupyterapp.serviceManager.settings;
      const n = await s.fetch('@jupyterlab/apputils-extension:notification');
      const t = await s.fetch('@jupyterlab/translation-extension:plugin');
      // overrides.json becomes the schemas' defaults on the server
      return {news: n.schema.properties.fetchNews.default, locale: t.schema.properties.locale.default};
    }""")
    assert settings == {"news": "false", "locale": "ru_RU"}, f"настройки JupyterLab курса: {settings}"
