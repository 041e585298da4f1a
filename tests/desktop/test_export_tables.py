"""Tables export what they show (filter and sort applied) as .xlsx and CSV; charts export as PNG and to
the clipboard."""

from __future__ import annotations

import csv
from decimal import Decimal

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.amounts import wan_yuan
from desktop.charts.chart_export import copy_chart, save_chart
from desktop.export import save_dialog
from desktop.panels.table_model import CellKind
from desktop.queries.execution import line_names
from desktop.queries.replica import ReplicaReader


def execution_table(window):
    window.region_box.setCurrentIndex(window.region_box.findData("511702"))  # the district: every line
    window.raise_panel("execution")
    panel = window.panels["execution"]
    panel.ensure_loaded()
    return panel.table


def test_xlsx_has_the_rows_shown_with_number_formats(window, account, tmp_path):
    table = execution_table(window)
    table.filter_box.setText("凤北")
    table.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # 调整后预算, largest first
    shown = table.proxy.shown_rows()
    assert 0 < len(shown) < len(table.model.rows())
    path = tmp_path / "执行.xlsx"
    table.export_to(path)

    sheet = load_workbook(path).active
    assert sheet.title == "预算执行"
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    assert headers[3:7] == ["调整后预算（万元）", "累计支出（万元）", "执行进度（%）", "落后序时（百分点）"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in rows] == [float(wan_yuan(line.budget)) for line in shown]
    reader = ReplicaReader(account.replica_path)
    with reader.connect() as conn:
        names = line_names(conn, [line.line_id for line in shown])
    reader.dispose()
    labels = [names[line.line_id].label for line in shown]
    assert [row[1] for row in rows] == labels
    first = sheet[2]
    assert (first[3].number_format, first[5].number_format, first[6].number_format) == (
        "#,##0.00", "0.0%", "+0.0;-0.0;0.0")
    assert first[5].value == float(shown[0].execution_percent / 100)
    assert sheet.column_dimensions["B"].width >= 2 * max(map(len, labels))


def test_csv_is_excel_readable_utf8_with_plain_numbers(window, tmp_path):
    table = execution_table(window)
    table.flagged_only.setChecked(True)
    shown = table.proxy.shown_rows()
    path = tmp_path / "执行.csv"
    table.export_to(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header[0] == "预算单位" and len(rows) == len(shown)
    assert [Decimal(row[4]) for row in rows] == [wan_yuan(line.paid) for line in shown]


def test_every_money_column_of_the_panels_exports_as_money(window):
    for name in ("budget", "execution", "final", "policies", "projects"):
        window.panels[name].ensure_loaded()
    kinds = {column.title: column.kind for panel in window.panels.values()
             for section in panel.findChildren(type(execution_table(window)))
             for column in section.model.columns()}
    assert kinds["年初预算"] is kinds["已拨付"] is kinds["预算"] is CellKind.MONEY
    assert kinds["实际进度"] is kinds["偏离率"] is CellKind.PERCENT


def test_export_menu_asks_where_and_writes(window, tmp_path, monkeypatch):
    table = execution_table(window)
    target = tmp_path / "选的文件.xlsx"
    monkeypatch.setattr("desktop.panels.table_section.ask_save_path", lambda *args: target)
    table.export_menu.actions()[0].trigger()
    assert load_workbook(target).active.max_row == table.proxy.rowCount() + 1


def test_default_file_name_is_dated_in_documents():
    path = save_dialog.default_path("预算执行", ".xlsx")
    assert path.name.startswith("预算执行-") and path.suffix == ".xlsx"


def test_chart_to_png_and_clipboard(window, tmp_path):
    window.raise_panel("execution")
    chart = window.panels["execution"].chart
    path = tmp_path / "chart.png"
    save_chart(chart, path)
    assert path.read_bytes().startswith(b"\x89PNG")
    copy_chart(chart)
    image = QApplication.clipboard().image()
    assert image.width() == 1600 and image.height() > 300
