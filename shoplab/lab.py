"""JupyterLab as the course serves it: notebooks that open unmodified, and local lab settings.

Why notebooks turned "modified" on open: as soon as a notebook's kernel starts, JupyterLab writes
the kernel's `language_info` (with its exact Python version) and its kernelspec (name, display
name, language) into the notebook's metadata. The course commits `language_info: {"name":
"python"}` and the kernelspec `make lab` registers ("Python 3 (Shop Lab)"), so on every Python,
and on Binder (whose `python3` kernel is "Python 3 (ipykernel)"), opening a lesson changed it:
closing and Validate asked to save, autosave rewrote the file, and a learner's `git pull` then
refused to overwrite it. JupyterLab skips a metadata write that changes nothing, so
`CourseContentsManager` fills in, as it reads a notebook, exactly what the kernel is about to
write; the file on disk is left as it is. `make lab` and Binder's `.jupyter/` both use it.

`python -m shoplab.lab overrides` prints the course's JupyterLab settings (Binder's user
settings in `.jupyter/lab/user-settings/`, e.g. the "Jupyter news" pop-up off) as an
`overrides.json`, which `make lab` installs in the venv: app-wide defaults that leave the
learner's own settings theirs, without the rest of `.jupyter/` (which hides nbgrader's
instructor tools, wanted locally).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, NoSuchKernel
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from traitlets import default

USER_SETTINGS = Path(__file__).resolve().parent.parent / ".jupyter" / "lab" / "user-settings"


@functools.cache
def this_pythons_language_info() -> dict:
    """The `language_info` an ipykernel running on this interpreter reports."""
    from ipykernel.ipkernel import IPythonKernel

    return json.loads(json.dumps(IPythonKernel.language_info))


def language_info(spec: KernelSpec) -> dict | None:
    """What a kernel of `spec` reports as `language_info`, when it is ipykernel on this very
    interpreter (jupyter_client runs a bare `python`/`python3`/`python3.N` as sys.executable);
    None for any other kernel, whose version this process cannot know."""
    if not spec.argv or spec.language.lower() != "python" or "ipykernel" not in " ".join(spec.argv):
        return None
    program = spec.argv[0]
    major, minor = sys.version_info[:2]
    if program in {"python", f"python{major}", f"python{major}.{minor}"}:
        program = sys.executable
    if os.path.realpath(program) != os.path.realpath(sys.executable):
        return None
    return this_pythons_language_info()


class CourseContentsManager(AsyncLargeFileManager):
    """Jupyter Server's file manager, with notebooks' kernel metadata filled in on read (see
    the module's docstring) and setuptools' `*.egg-info` hidden from the file browser."""

    @default("hide_globs")
    def _hide_globs_default(self) -> list[str]:
        return [*AsyncLargeFileManager.hide_globs.default(), "*.egg-info"]

    async def get(self, path, content=True, type=None, format=None, require_hash=False):
        model = await super().get(path, content=content, type=type, format=format,
                                  require_hash=require_hash)
        if model["type"] == "notebook" and model.get("content") is not None:
            self.fill_kernel_metadata(model["content"]["metadata"])
        return model

    def fill_kernel_metadata(self, metadata: dict) -> None:
        """Set `kernelspec` and `language_info` as JupyterLab will once the notebook's kernel
        (the one its kernelspec names, if the server has it) has started."""
        name = (metadata.get("kernelspec") or {}).get("name")
        if not name:
            return
        try:
            spec = self.parent.kernel_spec_manager.get_kernel_spec(name)
        except NoSuchKernel:
            return  # JupyterLab will ask which kernel to use: nothing to foresee
        metadata["kernelspec"] = {"name": name, "display_name": spec.display_name,
                                  "language": spec.language}
        info = language_info(spec)
        if info is not None:
            metadata["language_info"] = info


def overrides(user_settings: Path = USER_SETTINGS) -> dict:
    """Binder's user settings files, keyed as JupyterLab's overrides.json wants them:
    `<package>/<plugin>.jupyterlab-settings` becomes `"<package>:<plugin>"`."""
    found = {}
    for path in sorted(user_settings.rglob("*.jupyterlab-settings")):
        package = path.parent.relative_to(user_settings).as_posix()
        found[f"{package}:{path.name.removesuffix('.jupyterlab-settings')}"] = json.loads(
            path.read_text())
    if not found:
        raise SystemExit(f"no *.jupyterlab-settings under {user_settings}")
    return found


def main(argv: list[str]) -> None:
    if argv != ["overrides"]:
        raise SystemExit("usage: python -m shoplab.lab overrides > <prefix>/share/jupyter/lab/"
                         "settings/overrides.json")
    print(json.dumps(overrides(), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
