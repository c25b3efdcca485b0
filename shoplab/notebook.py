"""One line at the top of every notebook: `shoplab.setup_notebook()`.

plotly's default renderer in a kernel is `plotly_mimetype`, which JupyterLab, Notebook 7 and
VS Code draw but nbconvert HTML drops — and nbgrader's feedback is nbconvert HTML. Adding the
`notebook` renderer also embeds each figure (and plotly.js, once) as HTML, so the same figure
shows everywhere, offline.

The course website (`shoplab.site`) runs the lessons with SHOPLAB_PLOTLY_RENDERER=site: each
figure is then only a `<div>` and the script that draws it, because every page of the site
loads the one plotly.js the site serves itself (4 MB once, not once per page).
"""

import os

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

RENDERER = "plotly_mimetype+notebook"
SITE = "site"


class SiteRenderer(MimetypeRenderer):
    """A figure as HTML that expects plotly.js already loaded by the page."""

    def to_mimebundle(self, fig_dict) -> dict:
        return {"text/html": pio.to_html(fig_dict, include_plotlyjs=False, full_html=False)}


pio.renderers[SITE] = SiteRenderer()


def setup_notebook() -> None:
    pio.renderers.default = SITE if os.environ.get("SHOPLAB_PLOTLY_RENDERER") == SITE else RENDERER


def static_figure(fig) -> dict:
    """`fig` as a static HTML figure when building the site, else nothing (the live widget
    draws itself in Jupyter)."""
    if pio.renderers.default != SITE:
        return {}
    return pio.renderers[SITE].to_mimebundle(fig.to_plotly_json())
