"""The shop's tables as the checks see them: read from disk, never from the learner's session.

References are computed from the same datasets the learner's notebook loaded, but from a
private copy, so a learner who edits their `orders` frame cannot move the target.
"""

from __future__ import annotations

import pandas as pd

import shoplab


class Data:
    """Lazy access to tables by attribute: `data.orders`. Each instance loads a table once."""

    def __init__(self):
        self._tables: dict[str, pd.DataFrame] = {}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._tables:
            self._tables[name] = shoplab.load_table(name)
        return self._tables[name]
