"""The course in a real browser, the way a learner meets it on Binder.

One JupyterLab (the learner's view: the repo's `.jupyter/` config, as Binder uses it) serves
a temporary copy of the course; headless Chromium opens each lesson, runs all cells, moves
every control of each chart widget and checks the chart on screen changed; then opens each
exercise notebook, runs it blank ("not attempted yet"), and types a wrong and a right answer.
Screenshots of failures go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    REPO,
    LabServer,
    chromium_or_skip,
    course_env,
    free_port,
    http_status,
    lab_command,
)

from graders.cells import solution_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LESSONS = sorted(REPO.glob("notebooks/[0-9][0-9]_*.ipynb"))
EXERCISE_NOTEBOOKS = sorted(REPO.glob("release/ch[0-9][0-9]/ch[0-9][0-9]_exercises.ipynb"))
RUN_TIMEOUT = 240  # seconds for Run All on a loaded 2-core machine (first run builds the data)
CHANGE_TIMEOUT = 20  # seconds for a chart to redraw after a control moves
CONTROLS = ".widget-slider, .widget-dropdown"


@pytest.fixture(scope="session")
def chromium() -> str:
    return chromium_or_skip()


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """JupyterLab on a copy of the course, configured exactly as Binder configures it."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "release", ".jupyter"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    data = os.environ.get("SHOPLAB_DATA") or str(REPO / "datasets")
    env = course_env(JUPYTER_CONFIG_DIR=str(root / ".jupyter"), SHOPLAB_DATA=data)
    port = free_port()
    server = LabServer(lab_command(port, root), root, env, port, root / "jupyterlab.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, lab, request):
    """A fresh tab that records JavaScript errors; on failure, a screenshot is saved."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.js_errors = []
    tab.on("pageerror", lambda exc: tab.js_errors.append(f"pageerror: {exc}"))
    tab.on("console", lambda msg: msg.type == "error" and tab.js_errors.append(
        f"console.error: {msg.text}"))
    yield tab
    report = getattr(request.node, "browser_failed", True)
    if report:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    lab.shutdown_kernels()


@contextlib.contextmanager
def recorded(request):
    """Mark the test passed only if the block finishes, so the page fixture keeps a
    screenshot of every failure (pytest gives fixtures no outcome without a conftest hook)."""
    request.node.browser_failed = True
    yield
    request.node.browser_failed = False


# --- driving JupyterLab as a learner does ---------------------------------------------------

def open_notebook(page, lab: LabServer, path: str) -> None:
    """Open `path` alone, in a workspace of its own (no tabs restored from earlier tests)."""
    workspace = re.sub(r"\W+", "-", path)
    page.goto(lab.api(f"/lab/workspaces/{workspace}/tree/{path}?reset"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    wait_for_idle_kernel(page)
    assert page.locator(".jp-Dialog").count() == 0, (
        f"{path} opened with a dialog (e.g. 'Select Kernel': missing kernelspec metadata): "
        + " / ".join(page.locator(".jp-Dialog").all_inner_texts()))
    assert_unmodified(page, path)


def assert_unmodified(page, path: str) -> None:
    """Opening a notebook and starting its kernel must not change it (JupyterLab marks a
    changed document's tab `jp-mod-dirty`): else closing and Validate ask to save, autosave
    rewrites the file and `git pull` refuses to update the course. The kernel's metadata
    arrives just after it turns idle, so look twice."""
    for _ in range(2):
        page.wait_for_timeout(1000)
        assert page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty").count() == 0, (
            f"{path} turned 'modified' on opening, before anything ran")


def wait_for_idle_kernel(page, timeout: float = 120) -> None:
    """The status bar reads "<kernel> | Idle" once the kernel has started and connected."""
    status = page.locator(".jp-StatusBar-TextItem").filter(has_text=re.compile(r"\| Idle$"))
    status.filter(has_not_text="No Kernel").first.wait_for(timeout=timeout * 1000)


def prompts_of_code_cells(page) -> list[str]:
    """Execution prompts ([3]:, [*]:, [ ]:) of every code cell, also those scrolled away
    (offscreen cells are not rendered, so read the DOM's text rather than the screen's)."""
    return page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").evaluate_all(
        "els => els.map(e => e.textContent.trim())")


def run_all_cells(page) -> None:
    """Run ▸ Run All Cells from the menu bar, then wait until every code cell has run.

    Run All stops at a cell that raises: when the kernel has sat idle with nothing queued for
    a few seconds, the traceback on the page is the failure message."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator(".lm-Menu [data-command='runmenu:run-all']").click()
    deadline = time.monotonic() + RUN_TIMEOUT
    texts, settled_since = [], None
    while time.monotonic() < deadline:
        texts = prompts_of_code_cells(page)
        ran = [re.fullmatch(r"\[\d+\]:", t) is not None for t in texts]
        if texts and all(ran):
            return
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        if idle and any(ran) and "[*]:" not in texts:
            settled_since = settled_since or time.monotonic()
            if time.monotonic() - settled_since > 5:
                raise AssertionError(
                    f"Run All stopped at an error: {error_outputs(page)} (prompts: {texts})")
        else:
            settled_since = None
        time.sleep(0.5)
    raise AssertionError(f"Run All did not finish in {RUN_TIMEOUT} s; prompts: {texts}")


def error_outputs(page) -> list[str]:
    """Tracebacks and warnings shown under cells (stderr outputs)."""
    stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    return stderr.evaluate_all("els => els.map(e => e.textContent)")


def chart_signature(area) -> str:
    """What the plotly charts in `area` draw: each SVG path's shape and position (a marker
    moves by its transform) and each text, in order; the hover layer is left out."""
    return area.evaluate("""el => [...el.querySelectorAll('.js-plotly-plot .main-svg')].map(svg =>
        [...svg.querySelectorAll('path, text')].filter(n => !n.closest('.hoverlayer')).map(n =>
            (n.getAttribute('d') || n.textContent) + '@' + (n.getAttribute('transform') || ''))
        .join('|')).join('##')""")


def wait_for_redraw(area, before: str, what: str) -> None:
    deadline = time.monotonic() + CHANGE_TIMEOUT
    while time.monotonic() < deadline:
        if chart_signature(area) != before:
            return
        time.sleep(0.25)
    raise AssertionError(f"{what}: the chart on screen did not change within {CHANGE_TIMEOUT} s")


def control_label(control) -> str:
    label = control.locator(".widget-label").first
    return (label.inner_text() if label.count() else "") or control.get_attribute("class")


def slider_position(control) -> tuple[str, str]:
    """The handle's aria value and the readout the learner reads: aria values are rounded
    (a 0–30 % slider reads "0.1" at both 10 % and 13 %), the readout is not."""
    readout = control.locator(".widget-readout").first
    text = readout.inner_text() if readout.count() else ""
    return control.locator(".noUi-handle").first.get_attribute("aria-valuenow"), text


def move_slider(page, control, drag: bool) -> None:
    """Move a slider as a person would: drag its handle, or focus it and use the arrow keys."""
    handle = control.locator(".noUi-handle").first
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    before = slider_position(control)
    handle.scroll_into_view_if_needed()
    if drag:
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + (-40 if at_max else 40), y, steps=8)
        page.mouse.up()
    else:
        handle.focus()
        for _ in range(3):
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    assert slider_position(control) != before, "the slider did not move"


def pick_other_option(control) -> None:
    select = control.locator("select")
    options = select.locator("option")
    current = select.evaluate("s => s.selectedIndex")
    assert options.count() >= 2, "a dropdown with a single option cannot change anything"
    select.select_option(index=(current + 1) % options.count())


def chart_widgets(page):
    """Cell outputs that hold both controls and a plotly chart: the lesson's widgets."""
    areas = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".js-plotly-plot")).filter(has=page.locator(CONTROLS))
    return [areas.nth(i) for i in range(areas.count())]


def assert_readouts_show_sentences_not_code(page, lesson: Path) -> None:
    """Each readout cell (see shoplab.readouts) shows its sentence under a collapsed input —
    JupyterLab swaps the editor for a one-line placeholder — while other code stays open."""
    from shoplab.readouts import is_readout

    nb = nbformat.read(lesson, as_version=4)
    readout = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and is_readout(c.source)]
    assert readout, f"{lesson.name} has no readout cell"
    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in range(len(nb.cells)):
        if nb.cells[index].cell_type != "code":
            continue
        cell = cells.nth(index)
        editors = cell.locator(".jp-InputArea-editor").count()
        if index in readout:
            assert editors == 0 and cell.locator(".jp-InputPlaceholder").count() == 1, (
                f"{lesson.name}: readout cell {index} shows its code")
            text = cell.locator(".jp-OutputArea").evaluate("e => e.textContent").strip()
            assert text, f"{lesson.name}: readout cell {index} shows no sentence"
        else:
            assert editors == 1, f"{lesson.name}: code cell {index} has its code hidden"


# --- the tests ---------------------------------------------------------------------------------

OPENED = [p.relative_to(REPO).as_posix() for p in [*LESSONS, *EXERCISE_NOTEBOOKS]]


@pytest.mark.parametrize("path", OPENED, ids=[Path(p).stem for p in OPENED])
def test_notebook_opens_unmodified(lab, page, request, path: str):
    """...and its text has no line that JupyterLab's markdown turned into a numbered list by
    accident (a line starting "2022." or "2022)" becomes item 2022 of a new list)."""
    with recorded(request):
        open_notebook(page, lab, path)
        starts = page.locator(".jp-RenderedMarkdown ol[start]").evaluate_all(
            "els => els.map(e => e.start).filter(n => n > 99)")
        assert starts == [], f"{path}: a line starting with a number became a list: {starts}"


def test_a_notebook_saved_on_another_python_opens_unmodified(lab, page, request):
    """A lesson last saved on Binder (its kernelspec's display name) with Python 3.10: the
    server fills in this kernel's metadata as it reads the file, and leaves the file alone."""
    nb = nbformat.read(LESSONS[0], as_version=4)
    nb.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb.metadata["language_info"] = {"name": "python", "version": "3.10.12",
                                    "codemirror_mode": {"name": "ipython", "version": 3}}
    path = Path(lab.root) / "notebooks" / "other_python.ipynb"
    nbformat.write(nb, path)
    on_disk = path.read_text()
    try:
        with recorded(request):
            open_notebook(page, lab, "notebooks/other_python.ipynb")
        assert path.read_text() == on_disk
    finally:
        path.unlink()

@pytest.mark.skipif(not LESSONS, reason="no lesson notebooks yet")
@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_widgets_redraw_their_chart(lab, page, request, lesson: Path):
    with recorded(request):
        open_notebook(page, lab, f"notebooks/{lesson.name}")
        run_all_cells(page)
        assert error_outputs(page) == []
        assert_readouts_show_sentences_not_code(page, lesson)
        widgets = chart_widgets(page)
        assert widgets, f"{lesson.name}: no widget with controls and a plotly chart rendered"
        moved, dragged = 0, False
        for area in widgets:
            area.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let plotly finish its first draw
            controls = area.locator(CONTROLS)
            for i in range(controls.count()):
                control = controls.nth(i)
                if control.locator(":disabled, [disabled]").count():
                    continue
                before = chart_signature(area)
                if "widget-dropdown" in (control.get_attribute("class") or ""):
                    pick_other_option(control)
                else:
                    move_slider(page, control, drag=not dragged)
                    dragged = True
                wait_for_redraw(area, before, f"{lesson.name}: control {control_label(control)!r}")
                moved += 1
        assert moved, f"{lesson.name}: its widgets have no slider or dropdown to move"
        ARTIFACTS.mkdir(exist_ok=True)
        widgets[0].screenshot(path=str(ARTIFACTS / f"widget_{lesson.stem}.png"))
        assert error_outputs(page) == []
        assert page.js_errors == []


def grade_cells(notebook: Path) -> list[tuple[int, str]]:
    """(cell index, exercise id) of each check cell, from the notebook's nbgrader metadata."""
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        match = re.search(r'check\("([^"]+)"', cell.source)
        if cell.metadata.get("nbgrader", {}).get("grade") and match:
            found.append((index, match.group(1)))
    return found


def check_feedback(page, cell_index: int) -> str:
    """The text under a check cell (read from the DOM: offscreen cells are not painted)."""
    output = page.locator(".jp-Notebook .jp-Cell").nth(cell_index).locator(".jp-OutputArea")
    return output.evaluate("e => e.textContent")


@pytest.mark.skipif(not EXERCISE_NOTEBOOKS, reason="no released exercise notebooks yet")
@pytest.mark.parametrize("notebook", EXERCISE_NOTEBOOKS, ids=[p.parent.name for p in
                                                              EXERCISE_NOTEBOOKS])
def test_blank_exercise_notebook_says_not_attempted(lab, page, request, notebook: Path):
    checks = grade_cells(notebook)
    assert checks, f"{notebook} has no check cells"
    with recorded(request):
        open_notebook(page, lab, notebook.relative_to(REPO).as_posix())
        run_all_cells(page)
        for index, exercise_id in checks:
            feedback = check_feedback(page, index)
            assert re.search(rf"…\s*{re.escape(exercise_id)}\b.*not attempted yet", feedback), (
                f"check cell of {exercise_id} shows {feedback!r}")
        assert error_outputs(page) == []
        assert page.js_errors == []


def answer_cell(notebook: Path):
    """The first `name = ...` solution cell (followed by its check cell) whose exercise has a
    named mistake with a plain value to type: (cell index, name, exercise, mistaken value)."""
    from graders import registry
    from graders.data import Data

    nb = nbformat.read(notebook, as_version=4)
    for index, exercise_id in grade_cells(notebook):
        solution_cell = nb.cells[index - 1]
        placeholder = re.match(r"(\w+) = \.\.\.", solution_cell.source)
        if not (placeholder and solution_cell.metadata.get("nbgrader", {}).get("solution")):
            continue
        exercise = registry.find(exercise_id)
        for mistake in exercise.mistakes:
            value = mistake.answer(Data())
            value = value.item() if hasattr(value, "item") else value
            if isinstance(value, int | float | str):
                return index - 1, placeholder.group(1), exercise, mistake, value
    return None


def type_and_run(page, cell_index: int, code: str) -> None:
    """Replace a cell's code as a learner would, then Shift+Enter it and the check below it."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(cell_index)
    editor = cell.locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")


def wait_for_feedback(page, cell_index: int, pattern: str) -> str:
    deadline = time.monotonic() + CHANGE_TIMEOUT + 20
    while time.monotonic() < deadline:
        text = check_feedback(page, cell_index)
        if re.search(pattern, text, re.S):
            return text
        time.sleep(0.3)
    raise AssertionError(f"feedback never matched {pattern!r}; the page shows {text!r}")


@pytest.mark.skipif(not EXERCISE_NOTEBOOKS, reason="no released exercise notebooks yet")
def test_typing_a_wrong_then_a_right_answer(lab, page, request):
    """A known mistake gets its targeted "not yet" message; the worked solution gets ✓."""
    found = next(((nb, cell) for nb in EXERCISE_NOTEBOOKS if (cell := answer_cell(nb))), None)
    if found is None:
        pytest.skip("no released exercise with a `name = ...` answer and a named mistake yet")
    notebook, (index, name, exercise, mistake, wrong) = found
    with recorded(request):
        open_notebook(page, lab, notebook.relative_to(REPO).as_posix())
        run_all_cells(page)
        type_and_run(page, index, f"{name} = {wrong!r}")
        feedback = wait_for_feedback(page, index + 1, rf"✗ {re.escape(exercise.id)}.*not yet")
        assert mistake.message in " ".join(feedback.split())
        type_and_run(page, index, solution_text(exercise.id))
        wait_for_feedback(page, index + 1, rf"✓ {re.escape(exercise.id)}.*correct")
        assert error_outputs(page) == []
        assert page.js_errors == []


def test_learners_do_not_see_instructor_tools(lab, page, request):
    """Binder's config hides nbgrader's formgrader, course and assignment lists and the
    Create Assignment panel; the Validate button (a learner's tool) stays."""
    for instructor_url in ("/formgrader", "/formgraders", "/assignments", "/courses"):
        assert http_status(lab.api(instructor_url)) == 404, instructor_url
    with recorded(request):
        page.goto(lab.api("/lab"))
        page.wait_for_selector(".lm-MenuBar-content")
        menus = page.locator(".lm-MenuBar-content").inner_text()
        assert "Nbgrader" not in menus and "Help" in menus
        page.wait_for_selector("#jp-property-inspector, .jp-SideBar")
        assert page.get_by_text("Create Assignment").count() == 0
        assert page.js_errors == []


def test_the_plan_simulator_shows_what_the_grader_computes(lab, page, request):
    """Chapter 13's plan simulator, moved by keyboard: last year's 满减 taken off, the readout
    shows the profit `capstone.simulate` gives that plan, and the page never shows the
    optimiser's profit."""
    from shoplab import capstone, charts
    from shoplab.widgets.plan import REDUCTION_STEP

    baseline = capstone.baseline_plan()
    no_promotion = {**baseline, "promotion": {**baseline["promotion"], "reduction": 0.0}}
    yen = charts.fmt("yen")
    with recorded(request):
        open_notebook(page, lab, "notebooks/13_capstone.ipynb")
        run_all_cells(page)
        area = next(a for a in chart_widgets(page) if "Expected profit" in a.inner_text())
        area.scroll_into_view_if_needed()
        assert yen(capstone.simulate(baseline).profit) in area.inner_text()
        before = chart_signature(area)
        handle = area.locator(".widget-slider").filter(has_text="减").locator(".noUi-handle")
        handle.focus()
        for _ in range(round(baseline["promotion"]["reduction"] / REDUCTION_STEP)):
            page.keyboard.press("ArrowLeft")
        wait_for_redraw(area, before, "the 满减 reduction slider")
        expected = yen(capstone.simulate(no_promotion).profit)
        deadline = time.monotonic() + CHANGE_TIMEOUT
        while expected not in area.inner_text() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert expected in area.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        area.screenshot(path=str(ARTIFACTS / "widget_plan_simulator.png"))
        best = capstone.simulate(capstone.best_plan()).profit
        assert yen(best) not in page.locator(".jp-Notebook").inner_text()
        assert error_outputs(page) == []
        assert page.js_errors == []
