"""Helpers for the tests that use the course as a learner does: a JupyterLab server and Chromium.

`LabServer` starts a real JupyterLab on a free 127.0.0.1 port with a token, in its own process
group so that it and its kernels stop together. `chromium_or_skip` finds Debian's Chromium
(Playwright's own browser download is not used) and skips loudly when it is missing — except
under CI, where a missing browser is a failure, not a reason to test less.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ARTIFACTS = REPO / "test-artifacts"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = "install it with `apt-get install chromium` (Debian/Ubuntu), then rerun"


def chromium_or_skip() -> str:
    """Path of Debian's Chromium; skip (or, under CI, fail) when it is not installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    message = f"CHROMIUM NOT FOUND — the real-browser tests did not run: {INSTALL_HINT}."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must run them: .ci/run installs chromium first.)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str, timeout: float = 10) -> int:
    """Status code of a GET, without following redirects into the login page."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class LabServer:
    """A JupyterLab process started from `command` in `cwd`, reachable at `self.url`.

    The token is passed as JUPYTER_TOKEN, which both `jupyter lab` and `make lab` honour.
    """

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], port: int,
                 log_path: Path):
        self.port = port
        self.root = cwd
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=cwd, env={**env, "JUPYTER_TOKEN": self.token}, stdout=self._log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def api(self, path: str) -> str:
        """URL of `path` on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log()}")
            try:
                if http_status(self.api("/api/status"), timeout=2) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def shutdown_kernels(self) -> None:
        """Stop every kernel (a learner closing their notebooks), so tests do not pile up."""
        with urllib.request.urlopen(self.api("/api/kernels"), timeout=10) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(self.api(f"/api/kernels/{kernel['id']}"),
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        """Stop the server and its kernels: they share the process group we started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()


def lab_command(port: int, root: Path) -> list[str]:
    """`jupyter lab` as `make lab` runs it (localhost only, no browser, root only as root)."""
    command = [str(VENV_BIN / "jupyter"), "lab", "--ip=127.0.0.1", f"--port={port}",
               "--no-browser", f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command


def course_env(**extra: str) -> dict[str, str]:
    """The environment `make lab` gives JupyterLab: the venv's bin first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTEST"))}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env
