"""Interactive lesson widgets: ipywidgets controls driving a plotly FigureWidget.

One module per lesson topic, one pattern for all (`shoplab.widgets.base.LessonWidget`): a
`VBox` subclass built by a function, so the lesson notebook stays short and tests can move a
control in-process and watch the figure change; the browser tests check the same on screen.
Charts follow `shoplab.charts` for number formats and axes.
"""
