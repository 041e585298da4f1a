"""The closed loop end to end: deputy, staff and departments, each with their own replica, on a real server."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from desktop import suggestion_steps as steps
from desktop.queries.local_suggestions import merge_suggestions, step_commands
from desktop.queries.suggestions import suggestion_rows
from sync.client.activity import ActivityLog
from sync.client.outbox import Outbox
from sync.schema import activities, suggestion_contacts, suggestion_events, suggestions
from tests.client.conftest import Deputy, replica_rows, visible_rows

TOWNSHIP = "511702001"


def server_date(user: Deputy) -> dt.date:
    with user.replica() as replica:
        return dt.datetime.fromisoformat(replica.state()["server_time"]).date()


def act(user: Deputy, step: steps.Step, *, sync: bool = True) -> str:
    """Queue a step as the desktop does (and sync it out unless the user is offline)."""
    with user.replica() as replica:
        command_id = steps.queue(replica, step, user.account.username)
    if sync:
        user.sync()
    return command_id


def submit(deputy: Deputy) -> str:
    suggestion_id = str(uuid.uuid4())
    payload = {"suggestion_id": suggestion_id, "title": "东城路口增设红绿灯", "body": "上下学时段车多人多",
               "source": "constituents", "region_code": TOWNSHIP, "contact": {"name": "陈大爷", "phone": "138"}}
    with deputy.replica() as replica:
        Outbox(replica, deputy.account.username).enqueue("suggestion.submit", payload, deputy.account.username)
    deputy.sync()
    return suggestion_id


def assign(staff: Deputy, suggestion_id: str, department: str, *, sync: bool = True) -> str:
    deadline = server_date(staff) + dt.timedelta(days=30)
    return act(staff, steps.assign(suggestion_id, department, deadline, server_date(staff)), sync=sync)


def handle(department: Deputy, suggestion_id: str, answer: str) -> None:
    department.sync()
    act(department, steps.accept(suggestion_id))
    act(department, steps.reply(suggestion_id, answer))


def history(user: Deputy, suggestion_id: str) -> list[tuple]:
    with user.replica() as replica, replica.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(suggestion_events).where(suggestion_events.c.suggestion_id == suggestion_id)
            .order_by(suggestion_events.c.at, suggestion_events.c.id))]


def held(user: Deputy, table) -> dict[str, str | None]:
    """Key → department_code of every row of a suggestion table in the user's replica."""
    key = table.c.id if table is suggestions else table.c.suggestion_id
    with user.replica() as replica, replica.engine.connect() as conn:
        return dict(conn.execute(select(key, table.c.department_code)).all())


def test_three_clients_play_the_loop_with_an_unsatisfied_round_and_end_with_one_history(server, client):
    deputy, staff, education, transport = (client(server.url, name) for name in
                                           ("deputy01", "staff01", "dept01", "dept02"))
    for user in (deputy, staff, education, transport):
        user.sync()
    sid = submit(deputy)
    assert sid not in held(education, suggestions) | held(transport, suggestions)  # not assigned yet

    staff.sync()
    assign(staff, sid, "D01")
    handle(education, sid, "已协调交警部门现场勘查")
    deputy.sync()
    act(deputy, steps.feedback(sid, False, 2, "还没有装"))
    staff.sync()
    assign(staff, sid, "D02")  # 重新交办 to another department
    education.sync()
    assert sid not in held(education, suggestions) and sid not in held(education, suggestion_contacts)
    assert not history(education, sid)
    handle(transport, sid, "红绿灯已安装并投入使用")
    deputy.sync()
    act(deputy, steps.feedback(sid, True, 5))

    for user in (deputy, staff, transport, education):
        user.sync()
    actions = [(event[7], event[9]) for event in history(deputy, sid)]
    assert actions == [("submit", "submitted"), ("assign", "assigned"), ("accept", "accepted"),
                       ("reply", "replied"), ("feedback", "reopened"), ("assign", "assigned"),
                       ("accept", "accepted"), ("reply", "replied"), ("feedback", "closed")]
    assert history(deputy, sid) == history(staff, sid) == history(transport, sid)
    for user in (deputy, staff, transport, education):
        name = user.account.username
        with user.replica() as replica:
            assert replica_rows(replica) == visible_rows(server.engine, name), name


def test_a_department_replica_holds_only_what_is_assigned_to_it(server, client):
    deputy, staff, education = (client(server.url, name) for name in ("deputy01", "staff01", "dept01"))
    unassigned, elsewhere = submit(deputy), submit(deputy)
    staff.sync()
    assign(staff, elsewhere, "D02")
    education.sync()
    assert set(held(education, suggestions).values()) == {"D01"}
    assert set(held(education, suggestion_events).values()) <= {"D01"}
    assert not {unassigned, elsewhere} & set(held(education, suggestion_contacts))
    assert set(held(education, suggestion_contacts)) <= set(held(education, suggestions))


def test_two_staff_assigning_offline_one_applies_and_the_other_sees_why_not(server, client):
    deputy, first, second = (client(server.url, name) for name in ("deputy01", "staff01", "staff02"))
    sid = submit(deputy)
    first.sync()
    second.sync()
    assign(first, sid, "D01", sync=False)
    losing = assign(second, sid, "D02", sync=False)
    first.sync()
    second.sync()

    assert second.outbox_states()[losing] == "rejected"
    with second.replica() as replica, replica.engine.connect() as conn:
        rows = suggestion_rows(conn, frozenset({TOWNSHIP}))
        (item,) = [i for i in merge_suggestions(rows, [], [], step_commands(conn)) if i.suggestion_id == sid]
    assert (item.state, item.server.department) == ("assigned", "教育局")  # the winner's assignment came back
    assert item.step.state == "rejected"
    assert item.step.reason == "已由 测试staff01 交办给 教育局, 本次「交办」未执行"


def activity_count(server, user_id: int = 1) -> int:
    with server.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(activities)
                            .where(activities.c.user_id == user_id, activities.c.kind != "suggestion")).scalar_one()


def test_the_duty_record_rides_on_other_work_or_goes_once_a_server_day(server, client):
    deputy = client(server.url, "deputy01")
    deputy.sync()
    with deputy.replica() as replica:
        ActivityLog(replica, "deputy01").record("sign_in")
        ActivityLog(replica, "deputy01").record("module_opened", "预算执行")
    assert deputy.sync().commands_pushed == 1  # never sent before: goes now
    with deputy.replica() as replica:
        ActivityLog(replica, "deputy01").record("module_opened", "民生实事")
    report = deputy.sync()
    assert (report.traffic.requests, report.commands_pushed) == (1, 0)  # same server day, nothing else: waits
    assert activity_count(server) == 2

    deputy.queue_suggestion()
    assert deputy.sync().commands_pushed == 2  # with other work: goes along
    assert activity_count(server) == 3
    with deputy.replica() as replica:
        ActivityLog(replica, "deputy01").record("sign_in")
        replica.update_state({"activity_sent_on": "2000-01-01"})  # the server's day has moved on since
    assert deputy.sync().commands_pushed == 1
    assert activity_count(server) == 4
