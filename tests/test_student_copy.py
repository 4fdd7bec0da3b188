"""The student's copy (`make lab` → my_course/): new lessons appear, unchanged ones follow the course,
a lesson the student changed is never overwritten."""

from __future__ import annotations

import student_copy


def course(tmp_path, lessons: dict[str, str]):
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    (root / "pics").mkdir(exist_ok=True)
    (root / "pics" / "a.png").write_bytes(b"png")
    for name, text in lessons.items():
        (root / "notebooks" / name).write_text(text, encoding="utf-8")
    return root


def actions(course_root, student_root):
    return {a.lesson: a.what for a in student_copy.sync(course_root, student_root)}


def test_first_run_copies_every_lesson_and_the_pictures(tmp_path):
    root = course(tmp_path, {"01.ipynb": "v1", "02.ipynb": "v1"})
    mine = tmp_path / "my_course"
    assert actions(root, mine) == {"01.ipynb": "new", "02.ipynb": "new"}
    assert (mine / "notebooks" / "01.ipynb").read_text(encoding="utf-8") == "v1"
    assert (mine / "pics" / "a.png").read_bytes() == b"png"  # the lessons link ../pics/…


def test_update_brings_new_lessons_updates_untouched_and_keeps_changed(tmp_path):
    root = course(tmp_path, {"01.ipynb": "v1", "02.ipynb": "v1"})
    mine = tmp_path / "my_course"
    actions(root, mine)
    (mine / "notebooks" / "01.ipynb").write_text("v1 + моё решение", encoding="utf-8")  # the student's work
    course(tmp_path, {"01.ipynb": "v2", "02.ipynb": "v2", "03.ipynb": "v1"})  # git pull
    assert actions(root, mine) == {"01.ipynb": "kept", "02.ipynb": "updated", "03.ipynb": "new"}
    assert (mine / "notebooks" / "01.ipynb").read_text(encoding="utf-8") == "v1 + моё решение"
    assert (mine / "notebooks" / "02.ipynb").read_text(encoding="utf-8") == "v2"
    # and again: nothing changes, the student's lesson stays theirs
    assert actions(root, mine) == {"01.ipynb": "kept", "02.ipynb": "same", "03.ipynb": "same"}
    assert (mine / "notebooks" / "01.ipynb").read_text(encoding="utf-8") == "v1 + моё решение"


def test_a_deleted_lesson_comes_back(tmp_path):
    root = course(tmp_path, {"01.ipynb": "v1"})
    mine = tmp_path / "my_course"
    actions(root, mine)
    (mine / "notebooks" / "01.ipynb").unlink()
    assert actions(root, mine) == {"01.ipynb": "new"}


def test_message_says_where_the_new_version_is(tmp_path):
    msg = student_copy.Action("01.ipynb", "kept").message(tmp_path)
    assert "оставлен ваш вариант" in msg and "01.ipynb" in msg


def test_the_student_copy_is_not_tracked_by_git():
    ignored = (student_copy.ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "my_course/" in ignored
