"""Writing suggestions offline: saved on every edit, one outbox command on submit, each user's own."""

from __future__ import annotations

import json

from sqlalchemy import select

from sync.client.credentials import TokenStore
from sync.client.home import Account
from sync.client.outbox import Answer, Outbox
from sync.client.replica import Replica, drafts
from tests.desktop.fixture_replica import SERVER


def outbox_of(home, username):
    with Replica(Account.of(home, SERVER, username).replica_path) as replica:
        return Outbox(replica, username).commands()


def drafts_of(home, username):
    with Replica(Account.of(home, SERVER, username).replica_path) as replica, replica.engine.connect() as conn:
        return [json.loads(payload) for payload in conn.execute(select(drafts.c.payload)).scalars()]


def local_states(app) -> dict[str, str]:
    """This PC's suggestions as the 意见建议 panel lists them."""
    app.window.raise_panel("suggestions")
    panel = app.window.suggestions
    panel.ensure_loaded()
    return {item.title: item.state for item in panel.table.model.rows() if item.is_local}


def write(qtbot, app, title: str, *, constituents: bool = False):
    """Open the editor and type a suggestion; returns the editor once the last edit is saved."""
    editor = app.window.suggestions.new_suggestion()
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "draft"):
        editor.title_edit.setText(title)
        editor.title_edit.textEdited.emit(title)
        editor.body.setPlainText("路灯坏了三个月，晚上行人看不清路面。")
        if constituents:
            editor.constituents.setChecked(True)
            editor.contact_name.setText("陈大爷")
            editor.contact_phone.setText("13800000000")
    return editor


def test_a_draft_is_saved_while_typing_and_survives_a_restart(qtbot, desktop, home):
    app = desktop("deputy01")
    assert app.window.sync_label.text() == "● 未登录"  # no token yet: still every panel readable
    editor = write(qtbot, app, "滨河路路灯维修")
    editor.reject()  # 存为草稿并关闭
    assert drafts_of(home, "deputy01")[0]["title"] == "滨河路路灯维修"
    app.shut_down()
    again = desktop("deputy01")
    assert local_states(again) == {"滨河路路灯维修": "draft"}


def test_closing_the_app_before_the_autosave_fires_keeps_what_was_typed(qtbot, desktop, home):
    app = desktop("deputy01")
    editor = app.window.suggestions.new_suggestion()
    editor.title_edit.setText("桥面裂缝")
    editor.title_edit.textEdited.emit("桥面裂缝")
    assert editor._autosave.isActive()  # typed just now: the save waits for a pause in typing
    app.shut_down()  # e.g. 切换用户 or closing the window at once
    assert not editor.isVisible() and not editor._autosave.isActive()
    assert [draft["title"] for draft in drafts_of(home, "deputy01")] == ["桥面裂缝"]


def test_submitting_offline_queues_exactly_one_command_for_that_user_only(qtbot, desktop, home):
    app = desktop("deputy01")
    editor = write(qtbot, app, "滨河路路灯维修", constituents=True)
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "submit"):
        editor.submit_button.click()
    commands = outbox_of(home, "deputy01")
    assert [(c.type, c.state, c.author) for c in commands] == [("suggestion.submit", "pending", "deputy01")]
    payload = commands[0].payload
    assert payload["title"] == "滨河路路灯维修" and payload["source"] == "constituents"
    assert payload["contact"] == {"name": "陈大爷", "phone": "13800000000"} and payload["region_code"] == "511702001"
    assert drafts_of(home, "deputy01") == []
    qtbot.waitUntil(lambda: local_states(app) == {"滨河路路灯维修": "pending"})
    assert app.window.pending_label.text() == "待上传 1 条"
    assert outbox_of(home, "deputy02") == []
    TokenStore(Account.of(home, SERVER, "deputy02")).save("token-of-deputy02")  # 记住我
    switch = app.window.switch_menu.actions()[0]  # 账号 › 切换用户 › 李秀英: the second click
    assert switch.text() == "李秀英（deputy02）"
    switch.trigger()
    assert app.account.username == "deputy02"
    assert local_states(app) == {} and app.window.pending_label.text() == ""
    assert app.window.suggestions.figures["local"].value_text() == "0"


def test_an_incomplete_suggestion_is_not_submitted(qtbot, desktop, home):
    app = desktop("deputy01")
    editor = app.window.suggestions.new_suggestion()
    editor.constituents.setChecked(True)
    editor.submit_button.click()
    assert "请填写标题" in editor.problem.text() and "群众姓名或电话" in editor.problem.text()
    assert outbox_of(home, "deputy01") == []


def test_a_refused_suggestion_shows_the_reason_and_is_resent_as_a_new_command(qtbot, desktop, home):
    app = desktop("deputy01")
    editor = write(qtbot, app, "重复的建议")
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "submit"):
        editor.submit_button.click()
    (command,) = outbox_of(home, "deputy01")
    with Replica(app.account.replica_path) as replica:  # what a push brings back from the server
        outbox = Outbox(replica, "deputy01")
        outbox.mark_sent([command.uuid])
        outbox.record_answers([Answer(command.uuid, "rejected", "与 2026-0001 号建议重复")])
    app.window.reload()
    panel = app.window.suggestions
    assert local_states(app) == {"重复的建议": "rejected"}
    panel.table.select_first()
    assert "与 2026-0001 号建议重复" in panel.detail.toPlainText()
    assert panel.edit_button.text() == "修改后重新提交"
    panel.edit_button.click()
    corrected = panel.findChildren(type(editor))[-1]
    corrected.title_edit.setText("修改后的建议")
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "submit"):
        corrected.submit_button.click()
    (resent,) = outbox_of(home, "deputy01")
    assert resent.uuid != command.uuid and resent.state == "pending"
    assert resent.payload["suggestion_id"] == command.payload["suggestion_id"]
