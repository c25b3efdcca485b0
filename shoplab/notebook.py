"""One line at the top of every notebook: `shoplab.setup_notebook()`.

plotly's default renderer in a kernel is `plotly_mimetype`, which JupyterLab, Notebook 7 and
VS Code draw but nbconvert HTML drops — and nbgrader's feedback is nbconvert HTML. Adding the
`notebook` renderer also embeds each figure (and plotly.js, once) as HTML, so the same figure
shows everywhere, offline.

The course website (`shoplab.site`) runs the lessons with SHOPLAB_PLOTLY_RENDERER=site: each
figure is then only a `<div>` and the script that draws it, because every page of the site
loads the one plotly.js the site serves itself (4 MB once, not once per page).

A lesson kernel lives as long as the notebook is open, and memory it has freed should go back
to the machine (Binder gives a learner about 2 GB for every open notebook). Two allocators keep
it by default: pyarrow's mimalloc pool, which pandas' Arrow-backed strings allocate from, and
glibc's heap, which returns freed memory only above a threshold that grows with use. After Run
All, lesson 08's kernel held about 446 MB with both defaults and about 345 MB with pyarrow on
the system allocator and glibc trimming above 1 MB (`benchmarks/notebooks.py`; the same setting
as Dask's advice for its workers, `MALLOC_TRIM_THRESHOLD_`). That threshold only trims the
top of the heap: after each cell the kernel also asks glibc to give back the free pages inside
it (`malloc_trim`, a few milliseconds): lesson 08 went from 291 to 284 MB after Run All and
lesson 07 from 265 to 256 MB (one run each, on a shared machine).
"""

import ctypes
import ctypes.util
import os

import plotly.io as pio
import pyarrow as pa
from plotly.io._base_renderers import MimetypeRenderer

RENDERER = "plotly_mimetype+notebook"
SITE = "site"


class SiteRenderer(MimetypeRenderer):
    """A figure as HTML that expects plotly.js already loaded by the page."""

    def to_mimebundle(self, fig_dict) -> dict:
        return {"text/html": pio.to_html(fig_dict, include_plotlyjs=False, full_html=False)}


pio.renderers[SITE] = SiteRenderer()


GLIBC_TRIM_THRESHOLD = -1  # mallopt's M_TRIM_THRESHOLD (glibc's malloc.h)
TRIM_ABOVE = 1 << 20  # bytes of free memory at the top of the heap that glibc gives back


def setup_notebook() -> None:
    pio.renderers.default = SITE if os.environ.get("SHOPLAB_PLOTLY_RENDERER") == SITE else RENDERER
    return_freed_memory()


def return_freed_memory() -> None:
    """Let freed memory go back to the machine (see the module's docstring). A no-op where the
    C library is not glibc (macOS, musl): mallopt is glibc's."""
    pa.set_memory_pool(pa.system_memory_pool())
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if getattr(libc, "mallopt", None) is not None:
        libc.mallopt(GLIBC_TRIM_THRESHOLD, TRIM_ABOVE)
    if getattr(libc, "malloc_trim", None) is not None:
        _trim_after_each_cell(libc.malloc_trim)


def _trim_after_each_cell(malloc_trim) -> None:
    """In an IPython kernel, run glibc's `malloc_trim(0)` after every cell (once registered)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    shell = get_ipython()
    if shell is None:
        return
    callbacks = shell.events.callbacks["post_run_cell"]
    if not any(getattr(c, "__name__", "") == "trim_freed_memory" for c in callbacks):
        def trim_freed_memory(result):
            malloc_trim(0)

        shell.events.register("post_run_cell", trim_freed_memory)


def static_figure(fig) -> dict:
    """`fig` as a static HTML figure when building the site, else nothing (the live widget
    draws itself in Jupyter)."""
    if pio.renderers.default != SITE:
        return {}
    return pio.renderers[SITE].to_mimebundle(fig.to_plotly_json())
