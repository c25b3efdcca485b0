"""`setup_notebook()` lets a lesson kernel give freed memory back (shoplab/notebook.py; glibc,
as on every machine the course runs on: Binder, JupyterHub images, CI)."""

from __future__ import annotations

from IPython.core.interactiveshell import InteractiveShell

from shoplab import setup_notebook


def trims(shell) -> list:
    return [c for c in shell.events.callbacks["post_run_cell"]
            if getattr(c, "__name__", "") == "trim_freed_memory"]


def test_every_cell_ends_by_trimming_once_however_often_setup_runs():
    shell = InteractiveShell.instance()
    try:
        setup_notebook()
        setup_notebook()  # a learner re-running the setup cell registers nothing more
        assert len(trims(shell)) == 1
        result = shell.run_cell("big = bytearray(50 << 20); del big")
        assert result.success
    finally:
        InteractiveShell.clear_instance()
