"""The same 意见建议 panel for staff, a department and a deputy: each sees their work and queues their steps
offline; bad input is refused before anything is queued; a refused step shows the server's reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import insert, select

from desktop.dialogs.suggestion_step import StepDialog
from sync.client.home import Account
from sync.client.outbox import Answer, Outbox
from sync.client.replica import Replica, activity_log
from sync.schema import suggestions
from tests.desktop.fixture_replica import FENGBEI, SERVER, build_replica

NEW_ID = "s-0005"


def replica_of(home, username) -> Replica:
    return Replica(Account.of(home, SERVER, username).replica_path)


def add_new_suggestion(home, username: str) -> None:
    """A suggestion just submitted by deputy01, waiting for staff (the fixture has none)."""
    at = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    with replica_of(home, username) as replica, replica.engine.begin() as conn:
        conn.execute(insert(suggestions).values(
            id=NEW_ID, number="2026-0005", author_id=1, region_code=FENGBEI, title="凤北街道增设便民服务点",
            body="群众办事路远。", source="own", state="submitted", submitted_at=at, updated_at=at))


def queued(home, username) -> list[tuple[str, dict]]:
    with replica_of(home, username) as replica:
        return [(c.type, c.payload) for c in Outbox(replica, username).commands()]


def open_panel(desktop, qtbot, username: str):
    app = desktop(username)
    app.window.raise_panel("suggestions")
    panel = app.window.suggestions
    panel.ensure_loaded()
    qtbot.addWidget(panel)
    return app, panel


def pick(panel, suggestion_id: str) -> None:
    assert panel.show_suggestion(suggestion_id) or [i.suggestion_id for i in panel.table.model.rows()]
    assert panel.table.selected().suggestion_id == suggestion_id


def confirm(qtbot, app, dialog: StepDialog) -> None:
    with qtbot.waitSignal(app.writer.done, timeout=5000):
        dialog.accept()


@pytest.fixture
def staff_home(home):
    build_replica(home, "staff01")
    add_new_suggestion(home, "staff01")
    return home


def test_staff_assign_from_the_inbox_with_a_deadline_from_the_server_date(qtbot, qtmodeltester, desktop, staff_home):
    app, panel = open_panel(desktop, qtbot, "staff01")
    qtmodeltester.check(panel.table.model)
    assert panel.queue.currentData() == "inbox" and not panel.new_button.isVisible()
    assert [i.suggestion_id for i in panel.table.model.rows() if panel._in_queue(i, "inbox")] == [NEW_ID]
    pick(panel, NEW_ID)
    assert {k for k, b in panel.step_buttons.items() if not b.isHidden()} == {"assign", "decline", "merge"}

    dialog = panel.take_step("assign")
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.text() == "请选择承办部门" and queued(staff_home, "staff01") == []
    dialog.department.setCurrentIndex(dialog.department.findText("通川区交通运输局"))
    assert dialog.deadline.minimumDate() == QDate(2026, 11, 29)  # the server's date of the last sync
    confirm(qtbot, app, dialog)
    ((kind, payload),) = queued(staff_home, "staff01")
    assert (kind, payload["department_code"], payload["deadline"]) == ("suggestion.assign", "TC-JTJ", "2026-12-29")
    pick(panel, NEW_ID)
    assert panel.table.selected().step.waiting and "待上传交办" in panel._state_cell(panel.table.selected())
    assert not any(not b.isHidden() for b in panel.step_buttons.values())


def test_staff_decline_needs_a_reason_and_the_board_shows_overdue(qtbot, desktop, staff_home):
    app, panel = open_panel(desktop, qtbot, "staff01")
    pick(panel, NEW_ID)
    dialog = panel.take_step("decline")
    dialog.accept()
    assert dialog.problem.text() == "请填写不予立案的理由"
    dialog.text.setPlainText("属于民事纠纷")
    confirm(qtbot, app, dialog)
    assert queued(staff_home, "staff01")[0] == ("suggestion.decline", {"suggestion_id": NEW_ID,
                                                                      "reason": "属于民事纠纷"})
    panel.show_queue("board")
    assert panel.figures["due_soon"].value_text() == "0"
    assert [i.suggestion_id for i in panel.table.model.rows()] == []  # s-0002 is due 12-15: not overdue yet


def test_a_department_sees_its_work_accepts_and_must_write_a_reply(qtbot, qtmodeltester, desktop, home):
    build_replica(home, "jtj01")
    app, panel = open_panel(desktop, qtbot, "jtj01")
    qtmodeltester.check(panel.table.model)
    assert panel.queue.currentData() == "todo"
    assert [i.suggestion_id for i in panel.table.model.rows()] == ["s-0002"]
    pick(panel, "s-0002")
    assert {k for k, b in panel.step_buttons.items() if not b.isHidden()} == {"accept"}
    assert "陈大爷" in panel.detail.toPlainText()  # the constituent's contact, for the assigned department
    with qtbot.waitSignal(app.writer.done, timeout=5000):
        panel.step_buttons["accept"].click()
    assert queued(home, "jtj01") == [("suggestion.accept", {"suggestion_id": "s-0002", "text": None})]

    pick(panel, "s-0001")  # replied: nothing more for a department to do
    assert not any(not b.isHidden() for b in panel.step_buttons.values())
    dialog = panel._step_dialog("reply", panel.table.selected())
    dialog.text.setPlainText("   ")
    dialog.accept()
    assert dialog.problem.text() == "请填写答复内容"


def test_a_deputy_rates_the_answer_to_their_own_suggestion(qtbot, qtmodeltester, desktop, home):
    app, panel = open_panel(desktop, qtbot, "deputy01")
    panel.show_queue("feedback")
    qtmodeltester.check(panel.table.model)
    assert [i.suggestion_id for i in panel.table.model.rows()] == ["s-0001"]
    pick(panel, "s-0001")
    dialog = panel.take_step("feedback")
    dialog.unsatisfied.setChecked(True)
    dialog.accept()
    assert dialog.problem.text() == "请给出 1 到 5 星的满意度"
    dialog.rating.setCurrentIndex(2)
    confirm(qtbot, app, dialog)
    assert queued(home, "deputy01") == [("suggestion.feedback", {"suggestion_id": "s-0001", "satisfied": False,
                                                                 "rating": 2, "text": None})]


def test_a_step_the_server_refused_shows_its_reason_until_dismissed(qtbot, desktop, home):
    with replica_of(home, "deputy01") as replica:
        outbox = Outbox(replica, "deputy01")
        command = outbox.enqueue("suggestion.feedback", {"suggestion_id": "s-0001", "satisfied": True, "rating": 5},
                                 "deputy01")
        outbox.mark_sent([command])
        outbox.record_answers([Answer(command, "rejected", "已由 张敏 决定不予立案, 本次「反馈」未执行")])
    app, panel = open_panel(desktop, qtbot, "deputy01")
    pick(panel, "s-0001")
    item = panel.table.selected()
    assert panel._state_cell(item) == "已答复 · 反馈被退回"
    assert "已由 张敏 决定不予立案" in panel.detail.toPlainText()
    assert "有 1 项操作被服务器退回" in panel.hint.text()
    with qtbot.waitSignal(app.writer.done, timeout=5000):
        panel.step_buttons["dismiss"].click()
    assert queued(home, "deputy01") == []


def test_a_deputy_records_an_inspection_offline_and_sees_it_waiting(qtbot, desktop, home):
    app = desktop("deputy01")
    app.window.raise_panel("projects")
    projects = app.window.panels["projects"]
    projects.ensure_loaded()
    section = projects.inspections
    assert not section.record_button.isHidden()
    dialog = section.record_visit()
    dialog.notes.setPlainText("路面已铺设过半")
    with qtbot.waitSignal(app.writer.done, timeout=5000):
        dialog.accept()
    ((kind, payload),) = queued(home, "deputy01")
    assert (kind, payload["subject_type"], payload["date"]) == ("inspection.record", "project", "2026-11-29")
    assert [(v.state, v.deputy) for v in section.table.model.rows()] == [("pending", "王建国")]


def test_a_deputy_signing_in_and_opening_panels_is_recorded_once_each(qtbot, desktop, home):
    app = desktop("deputy01")
    for _ in range(2):
        app.window.raise_panel("execution")
        app.window.raise_panel("budget")
    app.writer.submit("flush", lambda _replica: None).result(5)
    with replica_of(home, "deputy01") as replica, replica.engine.connect() as conn:
        kinds = sorted(conn.execute(select(activity_log.c.kind, activity_log.c.detail)).all())
    assert kinds == [("module_opened", "乡镇预算"), ("module_opened", "预算执行"), ("sign_in", None)]


def test_staff_read_and_export_every_deputys_duty_record(qtbot, qtmodeltester, desktop, home, tmp_path):
    build_replica(home, "staff01")
    app = desktop("staff01")
    app.window.raise_panel("duty")
    panel = app.window.panels["duty"]
    panel.ensure_loaded()
    qtmodeltester.check(panel.table.model)
    rows = [(r.deputy, r.month, r.total) for r in panel.table.model.rows()]
    assert rows == [("李秀英", 10, 2), ("李秀英", 11, 1), ("王建国", 9, 2), ("王建国", 10, 3)]
    assert panel.figures["suggestion"].value_text() == "1"
    written = panel.export(tmp_path / "duty.csv")
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("代表,区域,月份,登录") and lines[1].startswith("李秀英,凤北街道,10,1")
    assert json.dumps(lines, ensure_ascii=False).count("王建国") == 2
