"""Rules every stored notebook follows (COURSE.md, CONTRIBUTING.md): checked on the JSON, no kernel needed."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import build_notebooks
import pytest

ROOT = Path(__file__).resolve().parents[1]

NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ABSOLUTE = re.compile(r"(?<![\w.])(/work/|/root/|/home/|/tmp/|/usr/|[A-Z]:\\\\)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def ids(paths):
    return [p.name for p in paths]


def test_first_notebook_exists():
    assert (NB_DIR / "01_perceptron.ipynb").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_source_and_notebook_agree(path):
    assert build_notebooks.source_of(path.stem).exists(), f"нет исходника notebooks/.src/{path.stem}.py"
    assert build_notebooks.disagreements(path.stem) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_executed_top_to_bottom(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), f"счётчики выполнения {counts}: перезапустите сборку"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_errors_and_no_stderr(path):
    for k, cell in enumerate(code_cells(load(path))):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"ячейка {k}: сохранена ошибка {out.get('ename')}"
            if out["output_type"] == "stream":
                assert out["name"] != "stderr", f"ячейка {k}: stderr: {''.join(out['text'])[:200]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_one_parameters_cell_first_with_seed(path):
    cells = code_cells(load(path))
    params = [k for k, c in enumerate(cells) if "parameters" in tags(c)]
    assert params == [0], f"ожидалась одна ячейка 'parameters', первая из ячеек кода; найдены {params}"
    tree = ast.parse("".join(cells[0]["source"]))
    names = {
        t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }
    assert "seed" in names, f"в ячейке parameters нет seed (есть: {sorted(names)})"
    assert all(isinstance(node, ast.Assign) for node in tree.body), "в parameters только присваивания констант"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_kernelspec_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_absolute_paths_and_no_sys_path_edits(path):
    text = path.read_text(encoding="utf-8")
    hit = ABSOLUTE.search(text)
    assert not hit, f"абсолютный путь: …{text[max(0, hit.start() - 40) : hit.end() + 40]!r}…"
    for cell in code_cells(load(path)):
        assert "sys.path" not in "".join(cell["source"]), "ноутбук правит sys.path: lib ставится пакетом"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_linked_pictures_exist(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"<img[^>]+src=\"([^\"]+)\"", text)
        for link in links:
            if link.startswith(("http://", "https://", "attachment:", "data:")):
                continue
            assert (path.parent / link).exists(), f"картинка {link} не найдена"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_stored_widget_state(path):
    """Widgets need a live kernel: the build clears widget cells (checking they are tagged
    nbval-ignore-output) and stores no widget state, which was most of a notebook's size."""
    nb = load(path)
    assert "widgets" not in nb["metadata"], "в ноутбуке сохранено состояние виджетов"
    for k, cell in enumerate(code_cells(nb)):
        has_widget = any(WIDGET_MIME in out.get("data", {}) for out in cell.get("outputs", []))
        assert not has_widget, f"ячейка {k}: сохранён вывод виджета (соберите ноутбук заново)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_written_in_russian(path):
    nb = load(path)
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert md and md[0].lstrip().startswith("#"), "ноутбук начинается с заголовка"
    russian = sum(bool(CYRILLIC.search(t)) for t in md)
    assert russian >= 0.8 * len(md), f"по-русски только {russian} из {len(md)} текстовых ячеек"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_is_light(path):
    assert path.stat().st_size < 1_000_000, f"{path.stat().st_size // 1000} кБ: уменьшите картинки"
