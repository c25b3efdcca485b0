"""The course as a static website, built offline: `python -m shoplab.site [OUT]` (`make site`).

    make site      # -> _site/index.html

The pages are made from whatever notebooks exist — every lesson in `notebooks/` and every
*release* exercise notebook in `release/` (the learner's, with no solutions), in the order of
the table of contents (`shoplab.contents.rows`) — so a new chapter needs no change here.

* Lessons are executed here with SHOPLAB_PLOTLY_RENDERER=site (`shoplab.notebook`): each
  plotly figure becomes static HTML, and each lesson widget also shows its initial chart.
  Exercise notebooks are rendered as they are: run blank, they would only show their checks
  saying "not attempted".
* The data dictionary (`datasets/README.md`), which the lessons link to, is a page too.
* Every notebook page starts with a link that opens the same notebook live on Binder
  (`shoplab.contents.BINDER`).
* Sphinx + MyST-NB + sphinx-book-theme build the site from a staging folder; nothing is
  fetched: the site serves its own plotly.js (one copy in `_static/`, which every page loads)
  and its own MathJax (sphinx-mathjax-offline), and no widget JavaScript is added (the live
  widgets are Binder's job).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import plotly
from nbclient import NotebookClient
from sphinx.cmd.build import build_main

from shoplab.contents import BINDER, ROOT, rows
from shoplab.notebook import SITE

OUT = ROOT / "_site"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
DICTIONARY = Path("datasets/README.md")  # the lessons link to it: a page of the site too
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT = 600  # seconds a lesson cell may take on a busy machine

CONF = f"""\
project = "Shop Lab"
html_title = "Shop Lab"
extensions = ["myst_nb", "sphinx-mathjax-offline"]
html_theme = "sphinx_book_theme"
html_theme_options = {{"home_page_in_toc": True}}
html_static_path = ["_static"]
html_js_files = ["plotly.min.js"]
html_copy_source = False
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]  # the exercise notebooks go from a title to ### exercises
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 2  # the data dictionary links to its tables' headings
nb_execution_mode = "off"
# a widget's live view needs a kernel: the page shows its static figure (text/html) instead
nb_mime_priority_overrides = [("html", "{WIDGET_VIEW}", None)]
nb_ipywidgets_js = {{}}
"""


def pages(root: Path = ROOT) -> list[Path]:
    """The site's notebooks, relative to `root`: each chapter's lesson, then its exercises."""
    found = []
    for row in rows(root):
        found += [p.relative_to(root) for p in (row.lesson, row.exercises) if p]
    return found


def launch_cell(page: Path) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(
        f"[▶ Open this notebook live on Binder]({BINDER}{page.as_posix()}) — move the "
        "widgets' controls and run the checks there; the charts on this page are static.")


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    """Run a lesson as the site shows it: static figures, no widget state kept."""
    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(cwd)}}).execute(
        env={**os.environ, "SHOPLAB_PLOTLY_RENDERER": SITE})


def stage(folder: Path, root: Path = ROOT) -> list[Path]:
    """Write the Sphinx project into `folder`: conf.py, index.md, the pages, plotly.js."""
    chosen = pages(root)
    for page in chosen:
        nb = nbformat.read(root / page, as_version=4)
        if page.parts[0] == "notebooks":
            execute(nb, (root / page).parent)
        nb.cells.insert(0, launch_cell(page))
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / page)
    (folder / DICTIONARY).parent.mkdir(exist_ok=True)
    shutil.copy(root / DICTIONARY, folder / DICTIONARY)
    (folder / "_static").mkdir(exist_ok=True)
    shutil.copy(PLOTLY_JS, folder / "_static" / "plotly.min.js")
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    toc = "\n".join(page.with_suffix("").as_posix() for page in [*chosen, DICTIONARY])
    (folder / "index.md").write_text(
        "# Shop Lab\n\nAn auto-graded Jupyter course that teaches e-commerce merchants to run "
        "their shop on numbers. Each chapter is a lesson, then its exercises; every page "
        f"opens live on Binder.\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n",
        encoding="utf-8")
    return chosen


def build(out: Path = OUT, root: Path = ROOT) -> list[Path]:
    """Build the site into `out` (replaced); returns the notebook pages it has."""
    with tempfile.TemporaryDirectory(prefix="shoplab-site-") as tmp:
        chosen = stage(Path(tmp), root)
        shutil.rmtree(out, ignore_errors=True)
        status = build_main(["-b", "html", "-q", "-W", "--keep-going", tmp, str(out)])
    if status:
        raise RuntimeError(f"sphinx-build failed ({status}): see the warnings above")
    return chosen


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=OUT)
    args = parser.parse_args(argv)
    start = time.monotonic()
    chosen = build(args.out)
    print(f"{len(chosen)} notebooks -> {args.out / 'index.html'} "
          f"in {time.monotonic() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
