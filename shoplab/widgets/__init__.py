"""Interactive lesson widgets: ipywidgets controls driving a plotly FigureWidget.

One module per lesson topic. Each exposes a builder that returns the widget box, so the
lesson notebook stays short and tests can move a control in-process and watch the figure
change; the browser tests check the same thing on screen.
"""
