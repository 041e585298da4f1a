"""pyqtgraph charts of the panels: created once with their curves and bars, then fed with ``set…`` calls."""

import pyqtgraph as pg

pg.setConfigOptions(antialias=True, background="w", foreground="#3A4350")


def fixed_view(plot: pg.PlotItem) -> None:
    """A chart to read, not to explore: no context menu, zoom button or mouse panning to get lost in.

    The charts are made with ``enableMenu=False`` as well, so their view never builds the menu it won't show.
    """
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
