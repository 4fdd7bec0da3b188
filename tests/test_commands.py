"""The README's commands work as a newcomer runs them: `make lab` serves the student's own copy of the course
(saving there changes no tracked file), `make run` re-runs a lesson with other parameters (papermill), and a
second setup installs nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import run_notebooks
from labkit import free_port

ROOT = Path(__file__).resolve().parents[1]

FIRST = "notebooks/01_perceptron.ipynb"


def tracked_changes() -> str:
    res = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return res.stdout


def test_setup_is_up_to_date_after_install():
    """Re-running `make lab`/`make test` reinstalls nothing while requirements and pyproject are unchanged."""
    res = subprocess.run(["make", "--question", "setup", "setup-dev"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, "make setup снова что-то ставил бы: " + res.stdout + res.stderr


@pytest.mark.slow
def test_make_lab_serves_the_students_copy_and_a_save_changes_no_tracked_file():
    before = tracked_changes()
    port = free_port()
    env = dict(os.environ, JUPYTER_PORT=str(port), BROWSER="true")
    proc = subprocess.Popen(
        ["make", "lab"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines, url = [], None
    try:
        deadline = time.monotonic() + 90
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline()
            lines.append(line)
            m = re.search(rf"(http://127\.0\.0\.1:{port}/\S*token=[0-9a-f]+)", line)
            if m:
                url = m.group(1)
        assert url, "адрес с токеном не напечатан:\n" + "".join(lines[-30:])
        assert f"/lab/tree/{FIRST}" in url, f"открывается не первый ноутбук: {url}"
        token = url.rsplit("token=", 1)[1]
        api = f"http://127.0.0.1:{port}/api/contents/{FIRST}?token={token}"
        # jupyter_server prints the address a moment before it listens: retry until it answers.
        while True:
            try:
                with urllib.request.urlopen(api, timeout=10) as r:
                    model = json.load(r)
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline + 30:
                    raise
                time.sleep(0.5)
        assert model["type"] == "notebook"
        # What Ctrl+S does: the student's edit is written through the contents API.
        model["content"]["cells"][0]["source"] = "# моя заметка\n" + "".join(model["content"]["cells"][0]["source"])
        body = json.dumps({"type": "notebook", "format": "json", "content": model["content"]}).encode()
        req = urllib.request.Request(api, data=body, method="PUT", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=20) as r:
            assert r.status in (200, 201)
        saved = (ROOT / "my_course" / FIRST).read_text(encoding="utf-8")
        assert "моя заметка" in saved, "правка сохранилась не в копию ученика my_course/"
        assert tracked_changes() == before, "сохранение в JupyterLab изменило файл, который отслеживает git"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_parameters_are_parsed_as_literals():
    assert run_notebooks.parse_assignment("seed=3") == ("seed", 3)
    assert run_notebooks.parse_assignment("lr = 1e-3") == ("lr", 1e-3)
    assert run_notebooks.parse_assignment("text=облака") == ("text", "облака")
    with pytest.raises(ValueError, match="имя=значение"):
        run_notebooks.parse_assignment("seed")


def test_unknown_parameter_is_an_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="нет параметров sed; есть: .*seed"):
        run_notebooks.run(ROOT / FIRST, {"sed": 1})


def test_unknown_notebook_is_an_error():
    with pytest.raises(ValueError, match="не найден"):
        run_notebooks.resolve("07_transformer")


@pytest.mark.slow
def test_make_run_reruns_a_lesson_with_another_seed(tmp_path):
    res = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "run_notebooks.py"),
            "--nb",
            "01_perceptron",
            "-p",
            "seed=7",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    out = json.loads((tmp_path / "01_perceptron_seed-7.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in out["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    assert injected and "seed = 7" in "".join(injected[0]["source"])
    errors = [
        o for c in out["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert not errors
