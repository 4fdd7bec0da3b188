"""Fixtures of the browser tests: one JupyterLab server and one headless Chromium for the session.

When ``CI=true`` a missing Chromium is a failure (CI must install it: see ``.ci/run``); elsewhere the tests
skip with a message saying how to install it.
"""

from __future__ import annotations

import os

import pytest
from labkit import INSTALL_HINT, chromium_available, chromium_browser, lab_server


def _require_chromium():
    if chromium_available():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, а браузера нет: {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"браузерные тесты пропущены: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    _require_chromium()
    with lab_server(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    pg = context.new_page()
    yield pg
    context.close()
