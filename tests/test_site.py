"""The course website (`make site`): built offline from whatever notebooks exist, every
chapter a page, no solution in it, every chart drawn from the site's own plotly.js, and no
page asking any other host for anything.

The site is built once for the module (about two minutes: the lessons are executed). What
counts as a solution is read from the instructor's source notebooks, not typed here.
"""

from __future__ import annotations

import functools
import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import plotly.io as pio
import pytest
from browser_support import CHROMIUM_ARGS, REPO, chromium_or_skip

from graders import cells, registry
from shoplab import contents, setup_notebook, site
from shoplab.widgets.customers import ltv_explorer

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

LESSONS = sorted(p.relative_to(REPO) for p in REPO.glob("notebooks/*.ipynb"))
EXERCISES = sorted(p.relative_to(REPO) for p in REPO.glob("release/ch*/*.ipynb"))
CHART = "plotly-graph-div"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    site.build(out)
    return out


def page(built: Path, notebook: Path) -> Path:
    return built / notebook.with_suffix(".html")


class Page(HTMLParser):
    """A page's visible text (scripts and styles left out), element ids and links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text, self.ids, self.links, self.loads = [], set(), [], []
        self._skip = 0
        self.feed(text)
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("src", "href") if tag != "a" else ():
            if attrs.get(name):
                self.loads.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parsed(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def site_pages(built: Path) -> list[Path]:
    """The site's pages (not the theme's templates under _static/)."""
    return [p for p in built.rglob("*.html") if "_static" not in p.relative_to(built).parts]


def test_every_lesson_and_exercise_notebook_is_a_page_in_the_contents(built):
    assert LESSONS and EXERCISES
    index = parsed(built / "index.html")
    for notebook in LESSONS + EXERCISES:
        assert page(built, notebook).is_file(), notebook
        assert notebook.with_suffix(".html").as_posix() in index.links, notebook
    assert [p.name for p in (built / "notebooks").glob("*.html")] != []


def test_every_page_opens_its_notebook_live_on_binder(built):
    for notebook in LESSONS + EXERCISES:
        assert contents.BINDER + notebook.as_posix() in parsed(page(built, notebook)).links


def solution_leaks(site_text: str) -> list[str]:
    """Lines of a worked solution (source/'s solution regions) found in `site_text`, apart
    from lines that the pages' own sources hold anyway (a lesson's `fig.show()`)."""
    shown = "\n".join(cells._text(cell) for notebook in LESSONS + EXERCISES
                      for cell in cells.read(REPO / notebook)["cells"])
    shown_lines = {line.strip() for line in shown.splitlines()}
    site_lines = {line.strip() for line in site_text.splitlines()}
    leaks = []
    for chapter in registry.chapters():
        for exercise in registry.exercises(chapter):
            solution = cells.solution_text(exercise.id)
            lines = {line.strip() for line in solution.splitlines()} - shown_lines - {""}
            leaks += sorted(lines & site_lines)
            if solution.strip() in site_text:
                leaks.append(solution.strip())
    return leaks


def test_no_solution_text_or_hidden_test_is_on_the_site(built):
    text = "\n".join(parsed(path).text for path in site_pages(built))
    for marker in (cells.BEGIN, cells.END, "BEGIN HIDDEN TESTS"):
        assert marker not in text, marker
    assert solution_leaks(text) == []
    # the check finds a solution when one is there
    exercise = registry.exercises(registry.chapters()[-1])[0]
    assert solution_leaks(text + "\n" + cells.solution_text(exercise.id)) != []


def test_each_lesson_shows_its_charts_and_no_widget_placeholder(built):
    for lesson in LESSONS:
        text = page(built, lesson).read_text(encoding="utf-8")
        assert CHART in text, f"{lesson} has no chart on the site"
        # a widget whose static figure is missing would show its text/plain repr instead
        assert "model_id" not in text and "Explorer(" not in text, lesson


def test_a_lesson_widget_carries_its_initial_chart_only_for_the_site(monkeypatch):
    monkeypatch.setattr(pio.renderers, "default", pio.renderers.default)
    monkeypatch.delenv("SHOPLAB_PLOTLY_RENDERER", raising=False)
    setup_notebook()
    assert "text/html" not in ltv_explorer(200.0, 0.5, 100.0)._repr_mimebundle_()
    monkeypatch.setenv("SHOPLAB_PLOTLY_RENDERER", "site")
    setup_notebook()
    widget = ltv_explorer(200.0, 0.5, 100.0)
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # live in Jupyter still
    assert CHART in bundle["text/html"] and "<script src" not in bundle["text/html"]
    assert widget.figure.data[0].name in bundle["text/html"]


def test_every_link_resolves_and_everything_loaded_is_the_sites_own(built):
    pages = {path: parsed(path) for path in site_pages(built)}
    assert len(pages) >= len(LESSONS + EXERCISES)
    for path, found in pages.items():
        for url in found.loads:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{path.name} loads {url}"
        for url in found.links + found.loads:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # a link out (Binder, a reference): followed only by a click
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.exists(), f"{path.relative_to(built)} links to missing {url}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in pages[target].ids, f"{path.name}: {url}"
    assert (built / "_static" / "plotly.min.js").is_file()


@pytest.mark.browser
def test_in_a_browser_every_chart_draws_with_no_request_to_another_host(built):
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    outside = []

    def route(request_route):
        if request_route.request.url.startswith(base):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()
    def visit():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.route("**/*", route)
            for lesson in LESSONS:
                tab.goto(base + lesson.with_suffix(".html").as_posix())
                charts = tab.locator(f".{CHART}")
                assert charts.count() > 0, lesson
                tab.wait_for_function(
                    f"document.querySelectorAll('.{CHART} .main-svg').length > 0 && "
                    f"[...document.querySelectorAll('.{CHART}')].every("
                    "d => d.querySelector('.main-svg'))", timeout=30_000)
                if 'class="math' in page(built, lesson).read_text(encoding="utf-8"):
                    tab.wait_for_selector("mjx-container", timeout=30_000)
            browser.close()

    # Playwright's sync API refuses a thread with a running asyncio loop, and an earlier test on
    # the same pytest worker may have left one: the browser gets a thread of its own.
    failures = []

    def in_thread():
        try:
            visit()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(error)

    try:
        browsing = threading.Thread(target=in_thread)
        browsing.start()
        browsing.join()
    finally:
        server.shutdown()
    if failures:
        raise failures[0]
    assert outside == []


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_build_leaves_no_page_for_a_notebook_that_is_not_there(tmp_path):
    """Pages come from the files: a course with one lesson and no exercises has one page."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    lesson = sorted(REPO.glob("notebooks/*.ipynb"))[0]
    (root / "notebooks" / lesson.name).write_bytes(lesson.read_bytes())
    assert site.pages(root) == [Path("notebooks") / lesson.name]
