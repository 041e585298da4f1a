"""The main window on a replica with no network: six docks with the right figures, models that pass
``qtmodeltester``, a layout that survives a restart, and the region/year every panel follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.charts.chart_export import chart_image
from desktop.main_window import MainWindow
from desktop.panels.table_model import PanelProxy
from desktop.settings import ui_state
from tests.desktop.fixture_replica import BEISHAN

MODULES = {"budget": "乡镇预算", "execution": "预算执行", "final": "决算监督", "policies": "重大政策执行",
           "projects": "民生实事", "suggestions": "意见建议", "duty": "履职记录"}


def shown(window: MainWindow, name: str):
    window.raise_panel(name)
    panel = window.panels[name]
    panel.ensure_loaded()
    return panel


def cells(section, column: int) -> list[str]:
    proxy = section.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_six_docks_open_with_data_and_no_network(window):
    # A title may carry its count of warnings once the review is in: 预算执行 (3).
    assert {name: window.docks[name].windowTitle().split(" (")[0] for name in MODULES} == MODULES
    assert set(window.docks) == {*MODULES, "warnings"}  # 预警: tests/desktop/test_warnings.py
    assert all(window.findChild(type(dock), name) is dock for name, dock in window.docks.items())
    for name in MODULES:
        panel = shown(window, name)
        assert not panel.is_empty(), name
        assert panel.table.proxy.rowCount() > 0, name
    assert window.region_box.currentText() == "凤北街道"  # deputy01's own township
    assert window.as_of_label.text() == "数据截至 2026年10月 · 序时进度 83.3%"


def test_panels_show_the_fixture_figures(window):
    execution = shown(window, "execution")
    assert execution.figures["budget"].value_text() == "482.00"
    assert execution.figures["paid"].value_text() == "311.50"
    assert execution.figures["executed"].value_text() == "64.6%"
    assert cells(execution.table, 6)[0] == "+33.3"  # furthest behind first
    budget = shown(window, "budget")
    assert cells(budget.table, 0) == ["213", "201", "208"]
    assert budget.figures["approved"].value_text() == "472.00"
    final = shown(window, "final")
    assert "2025" in final.notice.text()
    assert final.figures["deviation"].value_text() == "-13.3%"  # 360 万 final on 415 万 adjusted
    policies = shown(window, "policies")
    assert cells(policies.table, 0) == ["乡村振兴", "老旧小区改造"]
    assert policies.related.proxy.rowCount() == 1  # the selected policy's projects
    projects = shown(window, "projects")
    assert projects.milestones.proxy.rowCount() == 3 and projects.suggestions.proxy.rowCount() == 1


def test_the_budget_chart_writes_each_share_after_its_bar(window):
    budget = shown(window, "budget")
    assert budget.chart.labels.texts() == cells(budget.table, 4)  # 占比, in the chart's order
    with_labels = chart_image(budget.chart, 600)
    budget.chart.labels.hide()
    assert chart_image(budget.chart, 600) != with_labels


def test_region_and_year_drive_every_panel(window):
    window.region_box.setCurrentIndex(window.region_box.findData(BEISHAN))
    budget = shown(window, "budget")
    assert budget.figures["approved"].value_text() == "80.00"
    window.year_box.setCurrentIndex(window.year_box.findData(2025))
    assert budget.figures["approved"].value_text() == "70.00"
    assert shown(window, "execution").figures["time"].value_text() == "100.0%"


def test_drill_down_from_class_to_item_and_back(window, qtbot):
    budget = shown(window, "budget")
    view = budget.table.view
    row = cells(budget.table, 0).index("213")
    view.doubleClicked.emit(budget.table.proxy.index(row, 0))
    assert cells(budget.table, 0) == ["21305"]
    budget.drill._back.click()
    assert cells(budget.table, 0) == ["213", "201", "208"]


def test_lagging_only_filter(window):
    execution = shown(window, "execution")
    execution.table.flagged_only.setChecked(True)
    # The 2万元 line 8.3 points behind is under execution_lag's minimum amount: not judged, as in the dock.
    assert cells(execution.table, 6) == ["+33.3", "+23.3"]
    assert execution.table.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


@pytest.mark.parametrize("name", list(MODULES))
def test_every_model_passes_qtmodeltester(window, qtmodeltester, name):
    panel = shown(window, name)
    sections = [value for value in vars(panel).values() if hasattr(value, "proxy")]
    assert sections
    for section in sections:
        qtmodeltester.check(section.model)
        qtmodeltester.check(section.proxy)
        assert isinstance(section.proxy, PanelProxy)


def test_dock_layout_survives_a_restart_and_resets(qtbot, home, window):
    window.docks["final"].toggleViewAction().trigger()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.docks["suggestions"])  # dragged aside
    hidden = {name: dock.isHidden() for name, dock in window.docks.items()}
    assert hidden["final"] and not hidden["suggestions"]
    window.close()  # saves the layout
    again = MainWindow(ui_state(home))
    qtbot.addWidget(again)
    again.show()
    assert {name: dock.isHidden() for name, dock in again.docks.items()} == hidden
    assert ui_state(home).value("window/geometry") == window.saveGeometry()
    assert again.dockWidgetArea(again.docks["suggestions"]) == Qt.DockWidgetArea.RightDockWidgetArea
    again.reset_layout()
    assert not again.docks["final"].isHidden()


def test_sorting_is_by_number_not_text(window):
    execution = shown(window, "execution")
    execution.table.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # 调整后预算
    assert cells(execution.table, 3) == ["300.00", "120.00", "60.00", "2.00"]
