"""The suggestion state machine, inspections and activity, pushed through the API (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from sync.schema import activities, inspections, suggestion_events, suggestions
from sync.server import changelog
from sync.server.inspections import MAX_ACTIVITY_ITEMS
from sync.server.settings import SERVER_TIMEZONE
from tests.server.api_world import DISTRICT, EDUCATION, STAMP, TOWNSHIP_1, TRANSPORT, Replica, sign_in, submit_command
from tests.server.test_api_push import count, push


def today() -> dt.date:
    return dt.datetime.now(SERVER_TIMEZONE).date()


def step(command_type: str, author: str, **payload: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "type": command_type, "author": author, "payload": payload}


def assign(author: str, suggestion_id: str, department: str = TRANSPORT, days: int = 30) -> dict[str, Any]:
    return step("suggestion.assign", author, suggestion_id=suggestion_id, department_code=department,
                deadline=(today() + dt.timedelta(days=days)).isoformat(), text="请按期办理")


class People:
    """Signed-in API users, each pushing as themselves and pulling into a replica of their own."""

    def __init__(self, api) -> None:
        self.api = api
        self.headers = {name: sign_in(api, name) for name in ("deputy01", "deputy02", "staff01", "jiaotong", "jiaoyu")}
        self.replicas = {name: Replica().pull(api, headers) for name, headers in self.headers.items()}

    def push(self, author: str, *items: dict[str, Any]) -> list[dict[str, Any]]:
        return push(self.api, self.headers[author], *items)

    def apply(self, author: str, item: dict[str, Any]) -> dict[str, Any]:
        (answer,) = self.push(author, item)
        assert answer["status"] == "applied", answer
        return answer["result"]

    def pull(self, name: str) -> Replica:
        return self.replicas[name].pull(self.api, self.headers[name])


@pytest.fixture
def people(api) -> People:
    return People(api)


def submitted(people: People, author: str = "deputy01", region: str = TOWNSHIP_1) -> str:
    item = submit_command(author, region=region, source="constituents", contact={"name": "李四", "phone": "139"})
    return people.apply(author, item)["suggestion_id"]


def history(engine, suggestion_id: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(suggestion_events.c.action, suggestion_events.c.from_state, suggestion_events.c.to_state,
                   suggestion_events.c.department_code, suggestion_events.c.rating)
            .where(suggestion_events.c.suggestion_id == suggestion_id)
            .order_by(suggestion_events.c.at, suggestion_events.c.id))]


def keys_of(replica: Replica, table: str, suggestion_id: str) -> set[str]:
    column = 1 if table == "suggestion_events" else 0
    return {key for key, row in replica.tables[table].items() if row[column] == suggestion_id}


def test_the_whole_loop_with_an_unsatisfied_round_and_a_reassignment(people, world):
    sid = submitted(people)
    people.apply("staff01", assign("staff01", sid, TRANSPORT))
    people.apply("jiaotong", step("suggestion.accept", "jiaotong", suggestion_id=sid))
    people.apply("jiaotong", step("suggestion.reply", "jiaotong", suggestion_id=sid, text="已安排维修"))
    assert people.apply("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=sid, satisfied=False,
                                         rating=2, text="没有解决"))["state"] == "reopened"
    transport = people.pull("jiaotong")
    assert sid in transport.tables["suggestions"] and sid in transport.tables["suggestion_contacts"]

    people.apply("staff01", assign("staff01", sid, EDUCATION))  # reassigned: the history moves with it
    transport, education = people.pull("jiaotong"), people.pull("jiaoyu")
    assert sid not in transport.tables["suggestions"] and not keys_of(transport, "suggestion_events", sid)
    assert sid not in transport.tables["suggestion_contacts"]
    assert ("suggestions", sid) in transport.deletes_seen
    assert len(keys_of(education, "suggestion_events", sid)) == 6
    assert education.tables["suggestion_contacts"][sid][4:] == ["李四", "139"]

    people.apply("jiaoyu", step("suggestion.accept", "jiaoyu", suggestion_id=sid))
    people.apply("jiaoyu", step("suggestion.reply", "jiaoyu", suggestion_id=sid, text="已协调学校解决"))
    people.apply("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=sid, satisfied=True, rating=5))

    assert history(world.engine, sid) == [
        ("submit", None, "submitted", EDUCATION, None), ("assign", "submitted", "assigned", EDUCATION, None),
        ("accept", "assigned", "accepted", EDUCATION, None), ("reply", "accepted", "replied", EDUCATION, None),
        ("feedback", "replied", "reopened", EDUCATION, 2), ("assign", "reopened", "assigned", EDUCATION, None),
        ("accept", "assigned", "accepted", EDUCATION, None), ("reply", "accepted", "replied", EDUCATION, None),
        ("feedback", "replied", "closed", EDUCATION, 5)]
    with world.engine.connect() as conn:
        row = conn.execute(select(suggestions).where(suggestions.c.id == sid)).mappings().one()
    assert (row["state"], row["department_code"], row["rating"]) == ("closed", EDUCATION, 5)
    assert count(world.engine, activities, activities.c.kind == "feedback") == 2
    for name in ("deputy01", "staff01", "jiaoyu"):
        assert len(keys_of(people.pull(name), "suggestion_events", sid)) == 9, name


def test_a_step_someone_else_took_first_is_refused_with_what_happened(people, world):
    sid = submitted(people)
    first, second = assign("staff01", sid, TRANSPORT), assign("staff01", sid, EDUCATION)
    people.apply("staff01", first)
    with world.engine.connect() as conn:
        head = changelog.head(conn)
    (answer,) = people.push("staff01", second)
    assert answer["status"] == "rejected"
    assert answer["reason"] == "已由 测试staff01 交办给 区交通运输局, 本次「交办」未执行"
    with world.engine.connect() as conn:
        assert changelog.head(conn) == head


def test_a_suggestion_still_without_a_number_is_numbered_when_registered(people, world):
    with world.engine.begin() as conn:
        changelog.insert(conn, suggestions, [{
            "id": "s-old", "author_id": world.user_ids["deputy01"], "region_code": DISTRICT, "title": "旧建议",
            "body": "补登记", "state": "submitted", "submitted_at": STAMP, "updated_at": STAMP}])
    result = people.apply("staff01", assign("staff01", "s-old"))
    year = today().year
    assert result["number"] == f"{year}-{4 if year == 2026 else 1:04d}"  # the world holds 2026-0001 to 0003


def test_decline_and_merge(people, world):
    kept, declined, merged = submitted(people), submitted(people), submitted(people)
    people.apply("staff01", step("suggestion.decline", "staff01", suggestion_id=declined, reason="属于民事纠纷"))
    people.apply("staff01", step("suggestion.merge", "staff01", suggestion_id=merged, into=kept))
    with world.engine.connect() as conn:
        rows = {row.id: row for row in conn.execute(select(suggestions).where(
            suggestions.c.id.in_([declined, merged])))}
    assert (rows[declined].state, rows[declined].decline_reason) == ("declined", "属于民事纠纷")
    assert (rows[merged].state, rows[merged].merged_into) == ("merged", kept)
    (into_merged,) = people.push("staff01", step("suggestion.merge", "staff01", suggestion_id=kept, into=merged))
    assert "已并入其他建议" in into_merged["reason"]


def _refusals(sid: str, township_sid: str) -> list[tuple[str, dict[str, Any], str]]:
    past = (today() - dt.timedelta(days=1)).isoformat()
    return [
        ("deputy01", assign("deputy01", sid), "您的角色不能执行此操作"),
        ("staff01", step("suggestion.accept", "staff01", suggestion_id="s-transport"), "您的角色不能执行此操作"),
        ("jiaoyu", step("suggestion.accept", "jiaoyu", suggestion_id="s-transport"), "不存在或不在您的范围内"),
        ("jiaotong", step("suggestion.reply", "jiaotong", suggestion_id="s-transport", text="  "), "说明: 不能为空"),
        ("jiaotong", step("suggestion.reply", "jiaotong", suggestion_id="s-transport", text="好"), "已由 测试staff01"),
        ("staff01", {**assign("staff01", sid), "payload": {**assign("staff01", sid)["payload"], "deadline": past}},
         "早于服务器日期"),
        ("staff01", assign("staff01", sid, "D610203-01"), "不存在或不在您的范围内"),
        ("staff01", assign("staff01", "s-far"), "不存在或不在您的范围内"),
        ("staff01", step("suggestion.decline", "staff01", suggestion_id=sid, reason=""), "理由: 不能为空"),
        ("staff01", step("suggestion.merge", "staff01", suggestion_id=sid, into=sid), "合并到它自己"),
        ("staff01", step("suggestion.merge", "staff01", suggestion_id=sid, into="s-far"), "要并入的建议不存在"),
        ("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=sid, satisfied=True, rating=6),
         "满意度: 不能大于 5"),
        ("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=sid, satisfied=True, rating=4),
         "建议当前状态为「已提交」"),
        ("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=township_sid, satisfied=True, rating=4),
         "只有提出这条建议的代表才能反馈"),
    ]


def test_refused_steps_of_role_scope_state_and_payload_write_nothing(people, world):
    sid, township_sid = submitted(people), submitted(people, "deputy02")
    with world.engine.connect() as conn:
        head = changelog.head(conn)
    for author, item, reason in _refusals(sid, township_sid):
        (answer,) = people.push(author, item)
        assert answer["status"] == "rejected" and reason in answer["reason"], (item, answer)
    with world.engine.connect() as conn:
        assert changelog.head(conn) == head


def test_an_inspection_is_recorded_in_its_subjects_region_for_everyone_in_scope(people, world):
    visit = step("inspection.record", "deputy01", inspection_id=str(uuid.uuid4()), date=today().isoformat(),
                 subject_type="project", subject_id=1, title="视察老旧小区改造", notes="进度正常")
    people.apply("deputy01", visit)
    key = visit["payload"]["inspection_id"]
    assert key in people.pull("deputy02").tables["inspections"]  # the project is in deputy02's township
    assert key in people.pull("staff01").tables["inspections"]
    assert key not in people.pull("jiaotong").tables["inspections"]
    assert count(world.engine, activities, activities.c.kind == "inspection") == 1
    refusals = [
        ({"subject_id": 2}, "不存在或不在您的范围内"),
        ({"date": (today() + dt.timedelta(days=2)).isoformat()}, "晚于服务器日期"),
        ({}, "已经提交过了"),
    ]
    for change, reason in refusals:
        (answer,) = people.push("deputy01", {**visit, "id": str(uuid.uuid4()), "payload": {**visit["payload"],
                                                                                           **change}})
        assert reason in answer["reason"]
    (department,) = people.push("jiaotong", {**visit, "id": str(uuid.uuid4()), "author": "jiaotong"})
    assert department["reason"] == "您的角色不能执行此操作"
    assert count(world.engine, inspections, inspections.c.id == key) == 1


def activity_item(kind: str = "module_opened", at: dt.datetime | None = None) -> dict[str, Any]:
    moment = at or dt.datetime.now(SERVER_TIMEZONE) - dt.timedelta(hours=1)
    return {"id": str(uuid.uuid4()), "kind": kind, "at": moment.isoformat(), "detail": "预算执行"}


def test_activity_items_are_stored_once_each_and_never_in_the_future(people, world):
    again, future = activity_item("sign_in"), activity_item(at=dt.datetime.now(SERVER_TIMEZONE) + dt.timedelta(days=3))
    first = people.apply("deputy02", step("activity.record", "deputy02", items=[again, future]))
    second = people.apply("deputy02", step("activity.record", "deputy02", items=[again, activity_item()]))
    assert (first, second) == ({"recorded": 2}, {"recorded": 1})
    with world.engine.connect() as conn:
        latest = conn.execute(select(func.max(activities.c.at))
                              .where(activities.c.user_id == world.user_ids["deputy02"])).scalar()
    assert latest.replace(tzinfo=latest.tzinfo or dt.UTC) <= dt.datetime.now(dt.UTC)
    refusals = [
        ("deputy02", [activity_item("suggestion")], "类型: 应为 'sign_in' 或 'module_opened'"),
        ("deputy02", [activity_item() for _ in range(MAX_ACTIVITY_ITEMS + 1)], f"最多 {MAX_ACTIVITY_ITEMS} 项"),
        ("staff01", [activity_item()], "您的角色不能执行此操作"),
    ]
    for author, items, reason in refusals:
        (answer,) = people.push(author, step("activity.record", author, items=items))
        assert reason in answer["reason"], answer


def test_a_reply_may_name_its_record_so_a_letter_queued_offline_can_hang_on_it(people, world):
    sid = submitted(people)
    people.apply("staff01", assign("staff01", sid, TRANSPORT))
    people.apply("jiaotong", step("suggestion.accept", "jiaotong", suggestion_id=sid))
    event = str(uuid.uuid4())
    people.apply("jiaotong", step("suggestion.reply", "jiaotong", suggestion_id=sid, text="已安排维修",
                                  event_id=event))
    with world.engine.connect() as conn:
        action = conn.execute(select(suggestion_events.c.action).where(suggestion_events.c.id == event)).scalar()
    assert action == "reply"
    people.apply("deputy01", step("suggestion.feedback", "deputy01", suggestion_id=sid, satisfied=False, rating=2))
    people.apply("staff01", assign("staff01", sid, TRANSPORT))
    people.apply("jiaotong", step("suggestion.accept", "jiaotong", suggestion_id=sid))
    (answer,) = people.push("jiaotong", step("suggestion.reply", "jiaotong", suggestion_id=sid, text="再次答复",
                                             event_id=event))
    assert (answer["status"], answer["reason"]) == ("rejected", f"办理记录编号 {event} 已被使用")
