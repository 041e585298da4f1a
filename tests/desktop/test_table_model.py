"""The table every panel shows its rows in: the model sorts and narrows its rows itself (so a reset costs no
Python per row), by flag, by department and by the text typed in the filter box; the view's selection
follows its row through all of them."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop.panels.table_model import LEVEL_ROLE, SORT_ROLE, Column, RowTableModel, count_column
from desktop.panels.table_section import MAX_COLUMN_WIDTH, TEXT_SHARE, TableSection, fit_within
from desktop.queries.thresholds import Level
from desktop.style import LEVEL_BACKGROUND


class Line(NamedTuple):
    name: str
    unit: str
    lag: int | None


LINES = [Line("道路", "交通局", 3), Line("校舍", "教育局", None), Line("Bridge", "交通局", 7),
         Line("医院", "卫健委", 3), Line("路灯", "住建局", None), Line("学校", "教育局", 1)]
LEVELS = {"道路": Level.YELLOW, "Bridge": Level.RED}


def line_level(line: Line) -> Level | None:
    return LEVELS.get(line.name)


@pytest.fixture
def table(qtbot) -> TableSection:
    columns = [Column("名称", lambda line: line.name), Column("单位", lambda line: line.unit),
               count_column("落后", lambda line: line.lag)]
    section = TableSection(RowTableModel(columns, line_level), "筛选…", "只看滞后", money=False)
    qtbot.addWidget(section)
    section.set_rows(LINES)
    return section


def shown(table: TableSection) -> list[str]:
    return [line.name for line in table.proxy.shown_rows()]


@pytest.mark.qt_log_level_fail("WARNING")  # Qt's own tester reports by warnings
def test_model_and_proxy_pass_the_testers_through_sorting_narrowing_and_resets(table, qtmodeltester):
    # Both stay connected (the proxy's tester to the end of the test): they recheck at every change below.
    qtmodeltester.check(table.model, force_py=True)
    proxy_tester = QAbstractItemModelTester(table.proxy, QAbstractItemModelTester.FailureReportingMode.Warning)
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    table.flagged_only.setChecked(True)
    table.show_only("交通局", lambda line: line.unit == "交通局")
    table.set_rows(LINES[:3])
    table.filter_box.setText("b")
    table.show_only(None)
    table.flagged_only.setChecked(False)
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert shown(table) == ["Bridge"]
    del proxy_tester


def test_a_header_click_sorts_by_value_with_no_figure_below_every_number(table):
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert shown(table) == ["校舍", "路灯", "学校", "道路", "医院", "Bridge"]  # equal lags keep their order
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert shown(table) == ["Bridge", "道路", "医院", "学校", "校舍", "路灯"]
    table.set_rows(list(reversed(LINES)))  # a new scope keeps the sort
    assert shown(table) == ["Bridge", "医院", "道路", "学校", "路灯", "校舍"]
    assert [table.proxy.index(row, 2).data(SORT_ROLE) for row in range(3)] == [7, 3, 3]
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert shown(table) == [line.name for line in reversed(LINES)]  # the order given
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown(table) == sorted(line.name for line in LINES)  # text by its text


def test_flagged_only_show_only_and_the_text_filter_narrow_together(table):
    table.flagged_only.setChecked(True)
    assert shown(table) == ["道路", "Bridge"]
    assert [table.proxy.index(row, 0).data(LEVEL_ROLE) for row in range(2)] == ["yellow", "red"]
    assert table.proxy.index(1, 1).data(Qt.ItemDataRole.BackgroundRole) == LEVEL_BACKGROUND[Level.RED]
    table.flagged_only.setChecked(False)
    assert table.proxy.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # 校舍: no level

    table.show_only("教育局", lambda line: line.unit == "教育局")
    assert shown(table) == ["校舍", "学校"] and table.only_bar.isVisibleTo(table)
    table.set_rows(LINES)  # narrowing outlives a reset, as the checkbox and the 只看 bar do
    assert shown(table) == ["校舍", "学校"]
    assert table.model.rows() == LINES  # every row, the narrowed-out ones too
    table.show_only(None)

    table.filter_box.setText("交通")  # any column, case-insensitive
    assert shown(table) == ["道路", "Bridge"]
    table.filter_box.setText("bRIDGE")
    assert shown(table) == ["Bridge"]
    table.filter_box.setText("路")
    table.flagged_only.setChecked(True)
    assert shown(table) == ["道路"]
    table.flagged_only.setChecked(False)
    table.set_rows(list(reversed(LINES)))  # the filter outlives a reset too
    assert shown(table) == ["路灯", "道路"]
    table.filter_box.setText("7")  # names and codes are searched, not the figures
    assert shown(table) == []


def test_the_selection_follows_its_row_and_a_row_narrowed_out_is_unselected(table, qtbot):
    selected = []
    table.row_selected.connect(selected.append)
    assert table.select_where(lambda line: line.name == "Bridge")
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert table.selected().name == "Bridge" and table.view.currentIndex().row() == 0
    table.flagged_only.setChecked(True)
    assert table.selected().name == "Bridge" and selected == [LINES[2]]

    table.flagged_only.setChecked(False)
    assert table.select_where(lambda line: line.name == "医院")
    table.flagged_only.setChecked(True)
    assert table.selected() is None and selected[-1] is None  # the panel clears what it showed for it

    assert table.select_where(lambda line: line.name == "学校")  # clears 只看滞后 to find it
    assert not table.flagged_only.isChecked() and table.selected().name == "学校"
    table.show_only("教育局", lambda line: line.unit == "教育局")
    assert table.selected().name == "学校"
    with qtbot.waitSignal(table.row_activated) as activated:
        table.view.doubleClicked.emit(table.proxy.index(0, 0))
    assert activated.args == [table.model.row_at(table.proxy.mapToSource(table.proxy.index(0, 0)))]


@pytest.mark.parametrize(("room", "natural", "floor", "widths"), [
    (430, [80, 60, 200, 90], [60, 60, 60, 60], [80, 60, 200, 90]),  # fits: nobody is narrowed
    (330, [80, 60, 200, 90], [60, 60, 60, 60], [80, 60, 100, 90]),  # only the widest gives way
    (330, [80, 60, 200, 180], [60, 60, 60, 60], [80, 60, 95, 95]),  # the two widest share what is left
    (100, [80, 60, 200], [60, 60, 60], [60, 60, 60]),  # no room: each at its floor
    (150, [100, 120], [90, 40], [90, 60]),  # a floor holds where the cap would go below it
])
def test_a_narrow_table_takes_width_from_its_widest_columns_first(room, natural, floor, widths):
    assert fit_within(room, natural, floor) == widths


class Suggestion(NamedTuple):
    number: str
    title: str
    department: str
    date: str
    amount: str


@pytest.fixture
def narrow(qtbot) -> TableSection:
    """A suggestions-like table in a dock's width, filled once shown."""
    columns = [Column("编号", lambda s: s.number), Column("标题", lambda s: s.title, stretch=True),
               Column("承办部门", lambda s: s.department), Column("日期", lambda s: s.date),
               Column("安排资金（万元）", lambda s: s.amount, numeric=True)]
    section = TableSection(RowTableModel(columns), money=False)
    qtbot.addWidget(section)
    section.resize(540, 300)
    section.show()
    qtbot.waitExposed(section)
    section.set_rows([Suggestion("2026-0026", "关于增设北山镇农村客运班线的建议",
                                 "通川区住房和城乡建设局（城市更新办公室）", "2026-10-19", "13,500.00")])
    return section


def test_in_a_narrow_table_a_number_a_date_and_an_amount_are_shown_whole(narrow):
    section, header = narrow, narrow.view.horizontalHeader()
    for column in (0, 3, 4):  # as wide as their text needs (the figure perhaps not its header)
        assert header.sectionSize(column) >= section.view.sizeHintForColumn(column), column
    assert header.sectionSize(2) < MAX_COLUMN_WIDTH  # the long name gives way
    assert header.sectionSize(1) >= section.view.viewport().width() * TEXT_SHARE - 1


def test_a_wider_table_gives_its_columns_back_until_the_user_sizes_one(narrow, qtbot):
    header = narrow.view.horizontalHeader()
    assert header.sectionSize(2) < MAX_COLUMN_WIDTH
    narrow.resize(900, 300)
    qtbot.waitUntil(lambda: header.sectionSize(2) == MAX_COLUMN_WIDTH)  # the whole department name
    header.resizeSection(0, 150)  # the user drags 编号 wider: from now on, the widths are theirs
    narrow.resize(540, 300)
    qtbot.wait(50)
    assert header.sectionSize(0) == 150 and header.sectionSize(2) == MAX_COLUMN_WIDTH
