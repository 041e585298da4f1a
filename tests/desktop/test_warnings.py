"""The 预警 dock on the fixture replica (its review worker: test_review_runner.py): groups by rule and level for the
selected region and year, counts on the other docks, a double-click to the cause, a suggestion from a
warning, and the thresholds staff edit (into the outbox) while everyone else reads them."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desktop.dialogs.suggestion_editor import SuggestionEditor
from desktop.main_window import MainWindow
from desktop.panels.warnings import WarningsPanel
from sync.client.home import Account
from sync.client.replica import Replica, drafts, outbox
from tests.desktop.fixture_replica import BEISHAN, BUDGET_LINES, SERVER, YEAR, build_replica

FENGBEI_2026 = ["执行进度滞后 · 预警（3）", "民生资金支付慢 · 预警（5）", "预算调整幅度大 · 预警（2）",
                "项目进度滞后 · 预警（2）", "项目进度滞后 · 提示（1）", "资金支付超进度 · 预警（1）",
                "政策资金拨付慢 · 预警（1）"]


def reviewed(qtbot, window: MainWindow) -> WarningsPanel:
    qtbot.waitUntil(lambda: window.review.warnings is not None, timeout=20_000)
    window.raise_panel("warnings")
    panel = window.panels["warnings"]
    panel.ensure_loaded()
    return panel


def titles(panel: WarningsPanel) -> list[str]:
    return [group.title() for group in panel.model.groups()]


def find(panel: WarningsPanel, rule: str, subject_type: str, subject_id: str):
    return next(w for w in panel.visible_warnings() if (w.rule, w.subject.type, w.subject.id) == (
        rule, subject_type, subject_id))


def double_click(qtbot, panel: WarningsPanel, warning) -> None:
    index = panel.model.index_of(warning)
    panel.tree.scrollTo(index)
    position = panel.tree.visualRect(index).center()
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=position)


def test_warnings_grouped_by_rule_and_level_for_the_selected_region_and_year(qtbot, qtmodeltester, window):
    panel = reviewed(qtbot, window)
    assert window.region_box.currentText() == "凤北街道" and titles(panel) == FENGBEI_2026
    qtmodeltester.check(panel.model)
    assert panel.figures["red"].value_text() == "14" and panel.figures["yellow"].value_text() == "1"
    panel.red_only.setChecked(True)
    assert "项目进度滞后 · 提示（1）" not in titles(panel)
    panel.red_only.setChecked(False)
    window.year_box.setCurrentIndex(window.year_box.findData(YEAR - 1))
    assert titles(panel) == ["决算偏离预算 · 预警（1）", "决算偏离预算 · 提示（4）", "预算调整幅度大 · 预警（1）",
                             "预算调整幅度大 · 提示（2）"]
    panel.all_years.setChecked(True)
    assert len(panel.visible_warnings()) == 15 + 8
    window.region_box.setCurrentIndex(window.region_box.findData(BEISHAN))
    panel.all_years.setChecked(False)
    assert titles(panel) == [] and "没有预警" in panel.detail.toPlainText()
    qtmodeltester.check(panel.model)


def test_the_other_docks_count_the_warnings_they_lead_to(qtbot, window):
    reviewed(qtbot, window)
    dock_titles = {name: dock.windowTitle() for name, dock in window.docks.items()}
    assert dock_titles["execution"] == "预算执行 (10)" and dock_titles["projects"] == "民生实事 (4)"
    assert dock_titles["policies"] == "重大政策执行 (1)" and dock_titles["warnings"] == "预警 (15)"
    assert dock_titles["budget"] == "乡镇预算"
    window.region_box.setCurrentIndex(window.region_box.findData(BEISHAN))
    assert window.docks["execution"].windowTitle() == "预算执行"


def test_double_click_shows_the_line_with_its_row_selected(qtbot, window):
    panel = reviewed(qtbot, window)
    double_click(qtbot, panel, find(panel, "livelihood_payment_lag", "line", "2"))
    execution = window.panels["execution"]
    assert "execution" in window.panels_on_screen()
    assert execution.table.selected().line_id == 2


def test_a_department_warning_narrows_the_table_to_its_lines(qtbot, window):
    panel = reviewed(qtbot, window)
    window.review.follow(find(panel, "execution_lag", "department", "FB-SHSW"))
    table = window.panels["execution"].table
    department = {line["id"]: line["department_code"] for line in BUDGET_LINES}
    assert {department[line.line_id] for line in table.model.rows()} > {"FB-SHSW"}
    shown = [table.model.row_at(table.proxy.mapToSource(table.proxy.index(row, 0)))
             for row in range(table.proxy.rowCount())]
    assert {department[line.line_id] for line in shown} == {"FB-SHSW"} and table.only_bar.isVisibleTo(table)
    assert "凤北街道社会事务办" in table.only_label.text()
    table.show_only(None)
    assert table.proxy.rowCount() == len(table.model.rows())


def test_following_a_warning_of_another_year_or_a_project_or_a_policy(qtbot, window):
    panel = reviewed(qtbot, window)
    window.review.follow(find(panel, "project_lag", "project", "4"))
    assert window.panels["projects"].table.selected().project_id == 4
    window.review.follow(find(panel, "policy_disbursement_lag", "policy", "1"))
    assert window.panels["policies"].table.selected().policy_id == 1
    panel.all_years.setChecked(True)
    window.review.follow(find(panel, "final_deviation", "line", "13"))
    assert window.year_box.currentData() == YEAR - 1
    assert window.panels["execution"].table.selected().line_id == 13


def test_a_warning_becomes_a_prefilled_suggestion_draft(qtbot, desktop, home):
    app = desktop("deputy01")
    panel = reviewed(qtbot, app.window)
    warning = find(panel, "project_lag", "project", "4")
    panel.select(warning)
    assert panel.suggest_button.isVisible() and panel.suggest_button.isEnabled()
    qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    editor = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SuggestionEditor) and w.isVisible())
    assert editor.title_edit.text() == "关于凤北街道老旧小区改造(一期)项目进度滞后的建议"
    assert warning.message in editor.body.toPlainText() and "实际进度：50%" in editor.body.toPlainText()
    assert editor.link.currentData() == (4, None)
    app.writer.submit("flush", lambda _replica: None).result(5)
    with Replica(Account.of(home, SERVER, "deputy01").replica_path) as replica, replica.engine.connect() as conn:
        saved = [json.loads(payload) for payload in conn.execute(select(drafts.c.payload)).scalars()]
    assert [(d["title"], d["project_id"], d["category"]) for d in saved] == [(editor.title_edit.text(), 4, "预算监督")]
    editor.reject()


def test_staff_change_a_threshold_into_the_outbox_and_deputies_only_read_them(qtbot, desktop, home):
    build_replica(home, "staff01")
    staff = desktop("staff01")
    panel = reviewed(qtbot, staff.window)
    assert not panel.suggest_button.isVisible()  # suggestions are the deputies'
    editor = panel.open_thresholds()
    row = next(r for r in editor.rows if r.rule == "execution_lag")
    row.red.setValue(12)
    off = next(r for r in editor.rows if r.rule == "year_end_rush")
    off.enabled.setChecked(False)
    with qtbot.waitSignal(editor.finished, timeout=5000):
        editor.save()
    with Replica(Account.of(home, SERVER, "staff01").replica_path) as replica, replica.engine.connect() as conn:
        queued = [(command_type, json.loads(payload)) for command_type, payload
                  in conn.execute(select(outbox.c.type, outbox.c.payload).where(outbox.c.type == "threshold.set"))]
    assert queued == [
        ("threshold.set", {"rule": "execution_lag", "yellow": "5", "red": "12", "min_amount": 50_000_000,
                           "enabled": True}),
        ("threshold.set", {"rule": "year_end_rush", "yellow": None, "red": "50", "min_amount": 50_000_000,
                           "enabled": False})]
    staff.shut_down()

    deputy = desktop("deputy01")
    read_only = reviewed(qtbot, deputy.window).open_thresholds()
    assert not hasattr(read_only, "save_button") and not read_only.rows[0].red.isEnabled()
    read_only.reject()


def test_a_bad_threshold_is_explained_and_not_queued(qtbot, desktop, home):
    build_replica(home, "staff01")
    staff = desktop("staff01")
    editor = reviewed(qtbot, staff.window).open_thresholds()
    row = next(r for r in editor.rows if r.rule == "project_lag")
    row.yellow.setValue(30)
    editor.save()
    assert "提示线不能高于预警线" in editor.problem.text() and editor.isVisible()
    editor.reject()
