"""The student's own copy of the course: what ``make lab`` opens, so that saving never touches a tracked file.

    python scripts/student_copy.py my_course

``my_course/notebooks/`` receives the student edition of every lesson and ``my_course/pics/`` the pictures
(the lessons link them as ``../pics/…``); JupyterLab is then rooted in ``my_course/``, which git ignores.
Run again after a course update (``git pull``), it

- copies lessons that are new;
- updates a lesson the student has not changed since it was copied (its file still has the hash recorded in
  ``my_course/.course_versions.json``);
- never overwrites a lesson the student changed (even just saved): it stays, and a line says where the new
  version of the course's lesson is;
- refreshes the pictures (they are not the student's work).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ".course_versions.json"


@dataclass(frozen=True)
class Action:
    """What happened to one lesson: ``"new"``, ``"updated"``, ``"kept"`` (the student's changes) or ``"same"``."""

    lesson: str
    what: str

    def message(self, course_dir: Path) -> str | None:
        if self.what == "new":
            return f"новый урок: {self.lesson}"
        if self.what == "updated":
            return f"урок обновлён: {self.lesson}"
        if self.what == "kept":
            return (
                f"{self.lesson}: вы его меняли — оставлен ваш вариант; "
                f"новая версия урока лежит в {course_dir / self.lesson}"
            )
        return None


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync(course_root: Path, student_root: Path) -> list[Action]:
    """Bring ``student_root`` (``my_course/``) up to date with the course in ``course_root`` (the repository)."""
    src_nb, dst_nb = course_root / "notebooks", student_root / "notebooks"
    dst_nb.mkdir(parents=True, exist_ok=True)
    manifest_path = student_root / MANIFEST
    recorded = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    actions = []
    for lesson in sorted(src_nb.glob("*.ipynb")):
        target = dst_nb / lesson.name
        course_hash = digest(lesson)
        if not target.exists():
            what = "new"
        elif digest(target) != recorded.get(lesson.name):
            what = "kept"
        elif course_hash != recorded.get(lesson.name):
            what = "updated"
        else:
            what = "same"
        if what in ("new", "updated"):
            shutil.copyfile(lesson, target)
            recorded[lesson.name] = course_hash
        actions.append(Action(lesson.name, what))
    pics = student_root / "pics"
    if pics.exists():
        shutil.rmtree(pics)
    shutil.copytree(course_root / "pics", pics)
    manifest_path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return actions


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("student_dir", nargs="?", default="my_course", help="where the student's copy lives")
    args = ap.parse_args(argv)
    student_root = Path(args.student_dir)
    if not student_root.is_absolute():
        student_root = ROOT / student_root
    actions = sync(ROOT, student_root)
    for action in actions:
        line = action.message(Path("notebooks"))
        if line:
            print(line)
    print(f"ваша копия курса: {student_root.relative_to(ROOT) if student_root.is_relative_to(ROOT) else student_root}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
