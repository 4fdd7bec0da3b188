"""The two editions made from one source (scripts/build_notebooks.py, nbgrader's preprocessors).

The student's edition (notebooks/) carries no answer anywhere, and every check in its stored run says
«Пока не решено»; the teacher's edition, graded by nbgrader's own autograde, gets full marks with every
check saying «Верно».
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import build_notebooks
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NAMES = build_notebooks.all_names()
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def writes_code(source: str) -> bool:
    """A code-writing exercise (a function, or several lines of code), not a one-line prediction."""
    lines = [ln.strip() for region in REGION.findall(source) for ln in region.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return "def " in source or len(lines) >= 2


def stored(name: str):
    return nbformat.read(build_notebooks.notebook_of(name), as_version=4)


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.parametrize("name", NAMES)
def test_every_lesson_has_exercises_with_checks(name):
    teacher = build_notebooks.from_source(name)
    solutions = [c for c in teacher.cells if nbgrader_meta(c).get("solution") and c.cell_type == "code"]
    checks = [c for c in teacher.cells if nbgrader_meta(c).get("grade")]
    writing = [c for c in solutions if writes_code(c.source)]
    predictions = [c for c in solutions if not writes_code(c.source)]
    assert len(writing) >= 4, f"{name}: упражнений, где ученик пишет код, {len(writing)}; нужно не меньше 4"
    assert predictions, f"{name}: нет ни одного вопроса «предскажите до запуска»"
    assert checks, f"{name}: нет ни одной проверяемой ячейки"
    for cell in checks:
        assert "BEGIN HIDDEN TESTS" in cell.source, (
            f"{name}: у проверки {nbgrader_meta(cell)['grade_id']} нет скрытого теста для autograde"
        )


@pytest.mark.parametrize("name", NAMES)
def test_no_answer_reaches_the_student_edition(name):
    teacher = build_notebooks.from_source(name)
    student = stored(name)
    for t_cell, s_cell in zip(teacher.cells, student.cells, strict=True):
        for marker in MARKERS:
            assert marker not in s_cell.source, f"{name}: маркер {marker!r} попал в издание ученика"
        for region in REGION.findall(t_cell.source):
            for line in region.splitlines():
                line = line.strip()
                if len(line) >= 12 and not line.startswith("#"):
                    assert line not in s_cell.source, f"{name}: строка решения попала к ученику: {line!r}"
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert not re.search(r"<details>.*?(Решени|Ответ)", markdown, re.S), f"{name}: ответ спрятан в <details>"


@pytest.mark.parametrize("name", NAMES)
def test_untouched_exercises_print_nothing_stray(name):
    """An untouched stub shows no «Ellipsis» (the value of a bare ``...``) under its cell."""
    for k, cell in enumerate(stored(name).cells):
        for out in cell.get("outputs", []):
            assert "Ellipsis" not in str(out.get("data", {}).get("text/plain", "")), f"{name}, ячейка {k}: Ellipsis"


@pytest.mark.parametrize("name", NAMES)
def test_every_check_of_the_untouched_student_edition_says_not_yet(name):
    for cell in stored(name).cells:
        if nbgrader_meta(cell).get("grade"):
            out = text_of(cell).strip()
            gid = nbgrader_meta(cell)["grade_id"]
            assert out.startswith("Пока не решено"), f"{name}: проверка {gid} в издании ученика: {out[:120]!r}"


def test_the_student_edition_is_what_nbgraders_preprocessors_make():
    """The build uses ClearSolutions/ClearHiddenTests themselves (no hand-written stripping), with the stub
    the README's nbgrader_config.py gives teachers."""
    text = Path(build_notebooks.__file__).read_text(encoding="utf-8")
    assert "ClearSolutions" in text and "ClearHiddenTests" in text
    config = (ROOT / "nbgrader_config.py").read_text(encoding="utf-8")
    assert repr(build_notebooks.CODE_STUB)[1:-1] in config.replace('"', "'")


@pytest.mark.slow
def test_nbgrader_autograde_gives_the_teacher_edition_full_marks(tmp_path):
    """A teacher's nbgrader workflow as is: generate_assignment from the teacher's edition, a submission of it,
    autograde; every lesson gets full marks and every check prints «Верно»."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    (course / "source" / "lessons").mkdir(parents=True)
    config = (ROOT / "nbgrader_config.py").read_text(encoding="utf-8")  # the one the README gives teachers
    (course / "nbgrader_config.py").write_text(config + f"c.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    for name in NAMES:
        nbformat.write(build_notebooks.from_source(name), course / "source" / "lessons" / f"{name}.ipynb")
    nbgrader = str(Path(sys.executable).parent / "nbgrader")

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")  # alembic

    def run(*args):
        res = subprocess.run([nbgrader, *args], cwd=course, env=env, capture_output=True, text=True, timeout=1200)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]

    run("generate_assignment", "lessons", "--force")
    submitted = course / "submitted" / "student1" / "lessons"
    submitted.mkdir(parents=True)
    for name in NAMES:
        nbformat.write(build_notebooks.from_source(name), submitted / f"{name}.ipynb")
    run("autograde", "lessons", "--force")

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission("lessons", "student1")
        scores = {nb.name: (nb.score, nb.max_score) for nb in sub.notebooks}
    assert scores and all(score == top and top > 0 for score, top in scores.values()), scores
    for name in NAMES:
        graded = nbformat.read(course / "autograded" / "student1" / "lessons" / f"{name}.ipynb", as_version=4)
        for cell in graded.cells:
            if nbgrader_meta(cell).get("grade"):
                out = text_of(cell).strip()
                assert out.startswith("Верно"), f"{name}: {nbgrader_meta(cell)['grade_id']}: {out[:200]!r}"
