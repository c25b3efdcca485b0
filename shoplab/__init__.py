"""Shop Lab's helpers: the sample shop's data and the business formulas the course teaches.

Learners use `load_table("orders")`; formulas live in topic modules (`shoplab.pricing`,
`shoplab.metrics`, ...) so that lessons, exercises and graders share one definition each.
"""

from shoplab.datasets import DatasetError, load_table, table_names
from shoplab.notebook import setup_notebook

__all__ = ["DatasetError", "load_table", "setup_notebook", "table_names"]
