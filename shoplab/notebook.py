"""One line at the top of every notebook: `shoplab.setup_notebook()`.

plotly's default renderer in a kernel is `plotly_mimetype`, which JupyterLab, Notebook 7 and
VS Code draw but nbconvert HTML drops — and nbgrader's feedback is nbconvert HTML. Adding the
`notebook` renderer also embeds each figure (and plotly.js, once) as HTML, so the same figure
shows everywhere, offline.
"""

import plotly.io as pio

RENDERER = "plotly_mimetype+notebook"


def setup_notebook() -> None:
    pio.renderers.default = RENDERER
