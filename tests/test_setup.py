"""The README's two commands: `make lab` starts a local, private JupyterLab on the course home,
and the Makefile refuses a Python that is too old with a message that says what to do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    REPO,
    LabServer,
    chromium_or_skip,
    course_env,
    free_port,
    http_status,
)

HOME_NOTEBOOK = "notebooks/00_welcome.ipynb"
LAB_SETTINGS = ".venv/share/jupyter/lab/settings/overrides.json"


def make(*args: str, env: dict | None = None, user: str | None = None, directory: Path = REPO):
    command = ["make", "--no-print-directory", "-C", str(directory), *args]
    if user:  # run make as another user (we are root): setpriv drops to that uid
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def lab_recipe() -> str:
    """The command line `make lab` would run, as `make -n` prints it (setup not included)."""
    return " ".join(make("-n", "-o", "setup", "lab").stdout.replace("\\\n", " ").split())


def test_make_lab_serves_localhost_only_and_opens_the_home_notebook():
    recipe = lab_recipe()
    assert "--ip=127.0.0.1" in recipe
    assert "--no-browser" in recipe
    # JupyterLab's own default_url (the Launcher) overrides ServerApp's: it must be LabApp's.
    assert f"--LabApp.default_url=/lab/tree/{HOME_NOTEBOOK}" in recipe
    assert "--ServerApp.contents_manager_class=shoplab.lab.CourseContentsManager" in recipe


def test_binder_config_uses_the_same_contents_manager_as_make_lab():
    config = json.loads((REPO / ".jupyter" / "jupyter_server_config.json").read_text())
    assert (f"--ServerApp.contents_manager_class={config['ServerApp']['contents_manager_class']}"
            in lab_recipe())


@pytest.fixture
def fake_jupyter():
    """A `jupyter` that only prints its arguments, to see what `make lab` passes to it, beside a
    copy of the Makefile: all in a world-readable folder, so that another user can run `make`
    there even when the checkout itself lives in a private (0700) directory such as /root."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)
        script = Path(folder) / "jupyter"
        script.write_text('#!/bin/sh\necho "ARGS: $*"\n')
        script.chmod(0o755)
        (Path(folder) / "Makefile").write_text((REPO / "Makefile").read_text())
        yield Path(folder)


def jupyter_args(result) -> str:
    """What the stand-in `jupyter` received (make also echoes the recipe: skip that)."""
    lines = [line for line in result.stdout.splitlines() if line.startswith("ARGS: ")]
    assert lines, result.stdout + result.stderr
    return lines[0]


def test_make_lab_allows_root_only_as_root(fake_jupyter: Path):
    """The copy of the Makefile is the checkout's own, so this tests the real recipe."""
    lab = ("-o", "setup", "-o", LAB_SETTINGS, "lab", f"BIN={fake_jupyter}")
    own = jupyter_args(make(*lab, directory=fake_jupyter))
    assert ("--allow-root" in own) is (os.geteuid() == 0)
    if os.geteuid() == 0:
        as_nobody = make(*lab, user="65534", directory=fake_jupyter)
        assert "--allow-root" not in jupyter_args(as_nobody)


@pytest.mark.slow
@pytest.mark.xdist_group("jupyterlab")
def test_make_lab_really_serves_the_course(tmp_path: Path):
    """Start JupyterLab exactly as `make lab` does (on a free port) and fetch the course home."""
    if not (REPO / HOME_NOTEBOOK).exists():
        pytest.skip(f"{HOME_NOTEBOOK} not written yet")
    port = free_port()
    command = ["make", "--no-print-directory", "-o", "setup", "lab", f"PORT={port}"]
    server = LabServer(command, REPO, course_env(), port, tmp_path / "make-lab.log")
    try:
        server.wait_ready()
        for path in ("/lab", f"/lab/tree/{HOME_NOTEBOOK}", f"/api/contents/{HOME_NOTEBOOK}"):
            assert http_status(server.api(path)) == 200, f"{path}\n{server.log()}"
        # Local installs are for instructors too: their nbgrader formgrader is on here.
        assert http_status(server.api("/formgrader")) != 404
        assert f"http://127.0.0.1:{port}/lab" in server.log()  # bound to loopback
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("jupyterlab")
def test_the_url_make_lab_prints_opens_the_welcome_notebook(tmp_path: Path):
    """A first visit (no saved workspace): the printed URL shows the welcome notebook, its
    kernel started and the notebook unmodified, the file browser in notebooks/, no Launcher,
    and the course's lab settings (the news pop-up off) in the venv's overrides.json."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_or_skip()
    port = free_port()
    command = ["make", "--no-print-directory", "-o", "setup", "lab", f"PORT={port}"]
    env = course_env(JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    server = LabServer(command, REPO, env, port, tmp_path / "make-lab.log")
    try:
        server.wait_ready()
        printed = re.findall(rf"http://127\.0\.0\.1:{port}/\S+", server.log())
        assert printed, server.log()
        # JUPYTER_TOKEN is masked as "..." in the log; a learner's generated token is printed.
        url = printed[0].replace("token=...", f"token={server.token}")
        assert f"/lab/tree/{HOME_NOTEBOOK}?token=" in url
        def visit() -> None:
            # Its own thread: another browser test on this xdist worker may hold a
            # running Playwright (asyncio) loop, and the sync API refuses to nest in it.
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
                page.locator(".jp-StatusBar-TextItem").filter(
                    has_text=re.compile(r"Shop Lab\) \| Idle$")).first.wait_for(timeout=120_000)
                tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab")
                assert tabs.all_inner_texts() == ["00_welcome.ipynb"]
                assert page.locator(".jp-Launcher").count() == 0
                page.locator(".jp-Notebook h1", has_text="Welcome to Shop Lab").wait_for()
                page.wait_for_function("""() => [...document.querySelectorAll(
                    '.jp-FileBrowser .jp-DirListing-itemName')].some(e => e.textContent.trim()
                    === '04_pricing.ipynb')""")
                crumbs = page.locator(".jp-FileBrowser .jp-BreadCrumbs").inner_text()
                assert crumbs.strip("/ ") == "notebooks", crumbs
                dirty = page.locator(".jp-mod-dirty").count()
                assert dirty == 0, "the welcome notebook is modified"
                browser.close()
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(visit).result()
        settings = json.loads((REPO / LAB_SETTINGS).read_text())
        assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    finally:
        server.stop()


STAND_IN_PYTHON = '''#!{real}
"""A stand-in interpreter that reports Python {version} and runs `-c CODE` with it."""
import sys
import tempfile
sys.version_info = tuple(int(p) for p in "{version}".split(".")) + ("final", 0)
sys.version = "{version} (stand-in)"
if sys.argv[1:2] != ["-c"]:
    sys.exit("stand-in python: only -c is supported")
exec(sys.argv[2])
'''


@pytest.mark.parametrize("version, accepted", [("3.10.12", False), ("3.11.0", True)])
def test_makefile_names_the_python_it_needs(tmp_path: Path, version: str, accepted: bool):
    python = tmp_path / "python3"
    python.write_text(STAND_IN_PYTHON.format(real=sys.executable, version=version))
    python.chmod(0o755)
    venv = tmp_path / "venv"
    result = make("setup", f"PYTHON={python}", f"VENV={venv}")
    assert result.returncode != 0  # the stand-in cannot build a venv either way
    refused = f"Shop Lab needs Python >= 3.11; found {version}." in result.stderr
    assert refused is not accepted, result.stderr
    if not accepted:
        assert "make PYTHON=python3.11" in result.stderr
        assert not venv.exists(), "make went on to build a venv with a too-old Python"
    else:
        assert "only -c is supported" in result.stderr  # got past the check to `-m venv`


def test_make_test_runs_the_suite_with_the_venv_first_on_path():
    recipe = " ".join(make("-n", "-o", "setup", "test").stdout.split())
    assert f'PATH="{REPO}/.venv/bin:$PATH" .venv/bin/python -m pytest' in recipe
