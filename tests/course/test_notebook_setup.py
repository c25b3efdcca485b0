"""`shoplab.setup_notebook()` makes plotly figures survive nbconvert HTML (nbgrader feedback)."""

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

FIGURE = "import plotly.express as px\npx.bar(x=['a', 'b'], y=[3, 4])"


def html_of(*cells: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    body, _ = HTMLExporter().from_notebook_node(nb)
    return body


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Your element with mimetype")  # the control figure
def test_figures_show_in_nbconvert_html_only_with_the_setup_line():
    assert "Plotly.newPlot" not in html_of(FIGURE)  # the kernel's default renderer is dropped
    assert "Plotly.newPlot" in html_of("import shoplab\nshoplab.setup_notebook()", FIGURE)


def test_the_setup_line_lets_pyarrow_give_freed_memory_back():
    """pyarrow's default pool (mimalloc) keeps what pandas' Arrow strings freed; the system
    allocator returns it (measured in benchmarks/notebooks.py, see shoplab.notebook)."""
    import pyarrow as pa

    import shoplab

    before = pa.default_memory_pool()
    try:
        shoplab.setup_notebook()
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(before)
