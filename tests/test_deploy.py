"""The class-server files, checked as far as this machine allows (no Kubernetes, no Docker engine here):
the Helm values parse, link the course's first lesson through nbgitpuller and give each student the memory
tests/test_hub.py measured; the image's Dockerfile copies only files that exist."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
Z2JH = ROOT / "deploy" / "z2jh"
MEASURED_SERVER_MIB = 132  # tests/test_hub.py: a student's jupyterhub-singleuser
MEASURED_KERNEL_MIB = 132  # … and a kernel with numpy, matplotlib and the course's lib imported


def mib(text: str) -> float:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([MG])i?", str(text))
    assert m, f"размер памяти {text!r}"
    return float(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def test_values_link_the_first_lesson_through_nbgitpuller():
    values = yaml.safe_load((Z2JH / "values.yaml").read_text(encoding="utf-8"))
    url = urlparse(values["singleuser"]["defaultUrl"])
    assert url.path == "/git-pull"
    query = parse_qs(url.query)
    assert query["targetpath"] == ["course"]
    lesson = query["urlpath"][0].removeprefix("lab/tree/course/")
    assert (ROOT / lesson).exists(), lesson


def test_values_give_each_student_what_was_measured():
    memory = yaml.safe_load((Z2JH / "values.yaml").read_text(encoding="utf-8"))["singleuser"]["memory"]
    assert mib(memory["guarantee"]) >= MEASURED_SERVER_MIB + 2 * MEASURED_KERNEL_MIB
    assert mib(memory["limit"]) >= mib(memory["guarantee"])


def test_dockerfile_copies_files_that_exist():
    for line in (Z2JH / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"Dockerfile копирует {src}, а его нет"
