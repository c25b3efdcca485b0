"""One widget pattern: every lesson widget is a `LessonWidget` (a `VBox`) made by a builder.

Two shapes (a `VBox` subclass here, a plain object holding `.box` there) meant two ways to
display, test and extend a widget; this keeps it one. A new widget module is checked without
being listed.
"""

import importlib
import inspect
import pkgutil
import typing

import ipywidgets as widgets
import pytest

import shoplab.widgets
from shoplab.widgets.base import LessonWidget

MODULES = [importlib.import_module(f"shoplab.widgets.{info.name}")
           for info in pkgutil.iter_modules(shoplab.widgets.__path__) if info.name != "base"]


def own(module, kind):
    return [obj for _, obj in inspect.getmembers(module, kind)
            if obj.__module__ == module.__name__]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.rsplit(".", 1)[1] for m in MODULES])
def test_each_widget_is_a_lesson_widget_with_a_builder(module):
    classes = [c for c in own(module, inspect.isclass) if issubclass(c, widgets.Widget)]
    assert classes, f"{module.__name__} defines no widget"
    built = {typing.get_type_hints(f).get("return") for f in own(module, inspect.isfunction)
             if not f.__name__.startswith("_")}
    for cls in classes:
        assert issubclass(cls, LessonWidget), f"{cls.__name__} is not a LessonWidget"
        assert cls in built, f"no builder function returns {cls.__name__}"


def test_holding_redraw_draws_once_at_the_end():
    class Counter(LessonWidget):
        def __init__(self):
            self.a, self.b, self.draws = widgets.IntSlider(), widgets.IntSlider(), 0
            super().__init__([self.a, self.b], controls=[self.a, self.b])

        def _redraw(self):
            self.draws += 1

    counter = Counter()
    assert counter.draws == 1 and isinstance(counter, widgets.VBox)
    counter.a.value = 5
    assert counter.draws == 2
    with counter.holding_redraw():
        counter.a.value, counter.b.value = 7, 8
        assert counter.draws == 2
    assert counter.draws == 3
