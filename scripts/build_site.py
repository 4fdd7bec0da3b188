"""Build the course's static site into ``build/site/``: an index and every lesson as HTML, with live-looking
widgets drawn from their saved state, and every script, style and font on disk, so the site opens with no
network at all (from a USB stick, on a classroom computer without internet).

    python scripts/build_site.py                 # every lesson (make site)
    python scripts/build_site.py 01_perceptron   # some lessons (the index lists only those)
    python scripts/build_site.py --no-slides     # without the printable reveal.js slides

How:
1. the assets come from npm packages pinned in ``site/package.json`` (+ ``package-lock.json``):
   ``@jupyter-widgets/html-manager`` (draws widgets from their state), ``requirejs``, ``mathjax`` 2 (what
   nbconvert's template configures), ``reveal.js`` (slides); ``npm ci`` fetches them into ``build/site-npm/``
   once (again only when the lock changes), and the needed files are copied into ``build/site/assets/``;
2. each lesson (the student edition ``notebooks/NN_name.ipynb``) is executed fresh with nbclient in
   ``notebooks/`` with ``store_widget_state=True`` (the committed notebooks carry no widget state), two at a
   time;
3. nbconvert's ``lab`` template (``--to html``) and ``reveal`` template (``--to slides``) write the pages,
   with every URL pointing at ``assets/`` (``site/templates/course`` drops the mermaid loader the course does
   not need). Pictures linked as ``../pics/…`` are copied to ``build/site/pics/``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SITE_SRC = ROOT / "site"
NPM_DIR = ROOT / "build" / "site-npm"
OUT = ROOT / "build" / "site"
TIMEOUT = 600

FONTS = ["*.woff", "*.woff2", "*.ttf", "*.eot", "*.svg"]
# (package path inside node_modules, what to copy from it, where under build/site/)
ASSETS = [
    ("requirejs", ["require.js"], "assets/requirejs"),
    ("@jupyter-widgets/html-manager/dist", ["embed-amd.js", "libembed-amd.js", *FONTS], "assets/html-manager"),
    # the html-manager's widget CSS asks for its Font Awesome files relative to the page, at these two places
    ("@jupyter-widgets/html-manager/dist", FONTS, "notebooks/@jupyter-widgets"),
    ("@jupyter-widgets/html-manager/dist", FONTS, "notebooks/@jupyter-widgets/html-manager/dist"),
    (
        "mathjax",
        [
            "MathJax.js",
            "config",
            "extensions",
            "jax/element",
            "jax/input/TeX",
            "jax/output/CommonHTML",
            "fonts/HTML-CSS/TeX/woff",
            "localization/ru",
        ],
        "assets/mathjax",
    ),
    ("reveal.js", ["dist", "plugin/notes", "plugin/zoom"], "assets/reveal.js"),
    ("@fortawesome/fontawesome-free", ["css", "webfonts"], "assets/fontawesome"),
]
URLS = {  # relative to a lesson page in build/site/notebooks/
    "require_js_url": "../assets/requirejs/require.js",
    "mathjax_url": "../assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": "../assets/html-manager/embed-amd.js",
    "jquery_url": "",
}


def npm_assets() -> Path:
    """``build/site-npm/node_modules`` with the packages of ``site/package-lock.json`` (npm ci, once)."""
    lock = SITE_SRC / "package-lock.json"
    stamp = NPM_DIR / ".lock-sha256"
    digest = hashlib.sha256(lock.read_bytes() + (SITE_SRC / "package.json").read_bytes()).hexdigest()
    modules = NPM_DIR / "node_modules"
    if modules.is_dir() and stamp.exists() and stamp.read_text() == digest:
        return modules
    if shutil.which("npm") is None:
        raise SystemExit("нужен npm (Node.js): sudo apt-get install npm — он скачивает скрипты сайта один раз")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(SITE_SRC / name, NPM_DIR / name)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], cwd=NPM_DIR, check=True
    )
    stamp.write_text(digest)
    return modules


def copy_assets(modules: Path, dest: Path) -> None:
    for package, patterns, target in ASSETS:
        src = modules / package
        for pattern in patterns:
            for item in sorted(src.glob(pattern)):
                to = dest / target / item.relative_to(src)
                to.parent.mkdir(parents=True, exist_ok=True)
                if item.is_dir():
                    shutil.copytree(
                        item,
                        to,
                        dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.map", "*.scss", "*.less", "*.esm.js"),
                    )
                else:
                    shutil.copy2(item, to)


def execute(path: Path):
    """The lesson executed fresh in ``notebooks/``, widget state stored; returns (notebook, seconds)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": str(NB_DIR)}},
    ).execute()
    return nb, time.perf_counter() - t0


def title_of(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def export(nb, stem: str, slides: bool) -> list[str]:
    from nbconvert import HTMLExporter, SlidesExporter
    from traitlets.config import Config

    cfg = Config()
    for key, value in URLS.items():
        cfg.HTMLExporter[key] = value
    cfg.HTMLExporter.language_code = "ru"
    cfg.HTMLExporter.extra_template_basedirs = [str(SITE_SRC / "templates")]
    cfg.SlidesExporter.extra_template_basedirs = [str(SITE_SRC / "templates")]
    for key, value in URLS.items():
        cfg.SlidesExporter[key] = value
    cfg.SlidesExporter.language_code = "ru"
    cfg.SlidesExporter.reveal_url_prefix = "../assets/reveal.js"
    cfg.SlidesExporter.reveal_theme = "white"  # its fonts are inside reveal.js (simple.css loads Google's)
    cfg.SlidesExporter.font_awesome_url = "../assets/fontawesome/css/all.min.css"
    written = []
    exporter = HTMLExporter(config=cfg, template_name="course")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stem}})
    (OUT / "notebooks" / f"{stem}.html").write_text(body, encoding="utf-8")
    written.append(f"notebooks/{stem}.html")
    if slides:
        exporter = SlidesExporter(config=cfg, template_name="course_slides")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stem}})
        (OUT / "notebooks" / f"{stem}.slides.html").write_text(body, encoding="utf-8")
        written.append(f"notebooks/{stem}.slides.html")
    return written


def index_page(lessons: list[tuple[str, str, list[str]]]) -> str:
    rows = []
    for stem, title, pages in lessons:
        links = [f'<a href="{html.escape(pages[0])}">{html.escape(title)}</a>']
        if len(pages) > 1:
            links.append(f'<a class="slides" href="{html.escape(pages[1])}">слайды</a>')
        rows.append(f"<li>{' · '.join(links)} <span class='file'>{html.escape(stem)}</span></li>")
    template = (SITE_SRC / "index.html").read_text(encoding="utf-8")
    return template.replace("{{ lessons }}", "\n      ".join(rows))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="lessons without extension (default: all)")
    ap.add_argument("--no-slides", action="store_true", help="skip the reveal.js slides")
    ap.add_argument("--jobs", type=int, default=2, help="lessons executed at once (default 2)")
    args = ap.parse_args(argv)
    paths = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
    if args.names:
        wanted = {n.removesuffix(".ipynb") for n in args.names}
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            print(f"нет ноутбуков: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    modules = npm_assets()
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "notebooks").mkdir(parents=True)
    copy_assets(modules, OUT)
    if (ROOT / "pics").is_dir():
        shutil.copytree(ROOT / "pics", OUT / "pics")
    lessons, failed = [], []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(execute, path) for path in paths]
        for path, future in zip(paths, futures):
            try:
                nb, seconds = future.result()
            except Exception as err:  # one broken lesson must not take the others' pages down
                failed.append(path.stem)
                print(
                    f"{path.stem}: НЕ выполнился, в сайт не вошёл: {str(err).strip().splitlines()[-1][:300]}",
                    file=sys.stderr,
                )
                continue
            pages = export(nb, path.stem, slides=not args.no_slides)
            lessons.append((path.stem, title_of(nb, path.stem), pages))
            print(f"{path.stem}: выполнен за {seconds:.0f} с → {', '.join(pages)}")
    (OUT / "index.html").write_text(index_page(lessons), encoding="utf-8")
    (OUT / "lessons.json").write_text(
        json.dumps([{"name": s, "title": t, "pages": p} for s, t, p in lessons], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"сайт: {OUT.relative_to(ROOT)}/index.html ({time.perf_counter() - t0:.0f} с)")
    if failed:
        print(f"не выполнились: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
