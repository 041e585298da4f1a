"""Push (POST /commands): per-item answers, idempotency by UUID, and ``suggestion.submit`` end to end."""

from __future__ import annotations

import threading
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.schema import activities, command_results, suggestion_contacts, suggestion_events, suggestions
from sync.server import changelog, commands
from tests.server.api_world import DISTRICT, OTHER_DISTRICT, TOWNSHIP_1, Replica, sign_in, submit_command


def push(api, headers: dict[str, str], *items: dict) -> list[dict]:
    response = api.post("/api/v1/commands", headers=headers, json={"commands": list(items)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def count(engine, table, *conditions) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*conditions)).scalar()


def test_a_submitted_suggestion_is_stored_numbered_and_comes_back_in_the_next_pull(api, world):
    headers = sign_in(api, "deputy01")
    replica = Replica().pull(api, headers)
    item = submit_command("deputy01", region=TOWNSHIP_1, source="constituents",
                          contact={"name": "李四", "phone": "13900000000"}, project_id=1)
    (answer,) = push(api, headers, item)
    suggestion_id = item["payload"]["suggestion_id"]
    assert answer == {"id": item["id"], "status": "applied", "reason": None,
                      "result": {"suggestion_id": suggestion_id, "number": answer["result"]["number"]}}
    assert answer["result"]["number"].endswith("-0004")  # the world holds 0001–0003

    replica.pull(api, headers)
    row = dict(zip([c.name for c in suggestions.columns], replica.tables["suggestions"][suggestion_id], strict=True))
    assert (row["state"], row["author_id"], row["region_code"], row["project_id"]) == (
        "submitted", world.user_ids["deputy01"], TOWNSHIP_1, 1)
    assert replica.tables["suggestion_contacts"][suggestion_id][4:] == ["李四", "13900000000"]
    events = [e for e in replica.tables["suggestion_events"].values() if e[1] == suggestion_id]
    assert [(e[7], e[8], e[9]) for e in events] == [("submit", None, "submitted")]
    assert count(world.engine, activities, activities.c.kind == "suggestion") == 1


def test_a_command_pushed_twice_is_applied_once_and_the_second_answer_is_duplicate(api, world):
    headers = sign_in(api, "deputy01")
    item = submit_command("deputy01")
    (first,) = push(api, headers, item)
    with world.engine.connect() as conn:
        head = changelog.head(conn)
    (second,) = push(api, headers, item)
    assert second == {**first, "status": "duplicate"}
    assert count(world.engine, suggestions, suggestions.c.id == item["payload"]["suggestion_id"]) == 1
    with world.engine.connect() as conn:
        assert changelog.head(conn) == head


def test_one_rejected_command_does_not_block_the_others(api, world):
    headers = sign_in(api, "deputy02")
    good, bad, also_good = (submit_command("deputy02", region=TOWNSHIP_1),
                            submit_command("deputy02", region=OTHER_DISTRICT),
                            submit_command("deputy02", region=TOWNSHIP_1))
    answers = push(api, headers, good, bad, also_good)
    assert [a["status"] for a in answers] == ["applied", "rejected", "applied"]
    assert "不在您的范围内" in answers[1]["reason"]
    assert [a["id"] for a in answers] == [good["id"], bad["id"], also_good["id"]]
    assert count(world.engine, suggestions, suggestions.c.author_id == world.user_ids["deputy02"]) == 3


REJECTIONS = [  # what is changed in a good command, and what the reason must say
    ({"type": "suggestion.fly"}, "不认识命令类型"),
    ({"payload": {"title": "只有标题"}}, "缺少此项"),
    ({"title": "   "}, "标题: 不能为空"),
    ({"title": "长" * 201}, "最多 200 个字符"),
    ({"source": "staff"}, "来源: 应为 'own' 或 'constituents'"),
    ({"colour": "red"}, "不认识的字段"),
    ({"contact": {"name": "王五"}}, "群众点单"),
    ({"project_id": 2}, "不存在或不在您的范围内"),
    ({"project_id": 2**70}, "民生实事项目"),
    ({"body": "含\x00字"}, "NUL"),
    ({"suggestion_id": "s-transport"}, "UUID"),
    ({"region_code": OTHER_DISTRICT}, "不在您的范围内"),
]


def test_a_rejection_says_why_in_chinese_and_is_answered_again_on_resend(api, world):
    headers = sign_in(api, "deputy01")
    with world.engine.connect() as conn:
        head = changelog.head(conn)
    for change, reason in REJECTIONS:
        item = submit_command("deputy01")
        if "type" in change or "payload" in change:
            item.update(change)
        else:
            item["payload"].update(change)
        (answer,) = push(api, headers, item)
        assert answer["status"] == "rejected" and reason in answer["reason"], (change, answer)
        assert push(api, headers, item) == [answer]
    with world.engine.connect() as conn:
        assert changelog.head(conn) == head


def test_a_suggestion_id_already_on_the_server_is_rejected(api, world):
    headers = sign_in(api, "deputy01")
    first = submit_command("deputy01")
    again = {**submit_command("deputy01"), "payload": first["payload"]}
    assert [a["status"] for a in push(api, headers, first, again)] == ["applied", "rejected"]


def test_only_deputies_submit_suggestions(api, world):
    (answer,) = push(api, sign_in(api, "staff01"), submit_command("staff01"))
    assert (answer["status"], answer["reason"]) == ("rejected", "您的角色不能执行此操作")


def test_a_command_of_another_user_is_rejected_and_not_remembered(api, world):
    item = submit_command("deputy01")
    (answer,) = push(api, sign_in(api, "deputy02"), item)
    assert answer["status"] == "rejected" and "deputy01" in answer["reason"]
    assert count(world.engine, command_results) == 0
    (answer,) = push(api, sign_in(api, "deputy01"), item)
    assert answer["status"] == "applied"


def test_numbers_count_up_within_the_year(api):
    headers = sign_in(api, "deputy01")
    answers = push(api, headers, *(submit_command("deputy01") for _ in range(3)))
    assert [a["result"]["number"][5:] for a in answers] == ["0004", "0005", "0006"]


def test_two_pushes_of_one_command_racing_apply_it_once(api, world):
    headers = sign_in(api, "deputy01")
    item = submit_command("deputy01", region=DISTRICT)
    answers: list[dict] = []
    start = threading.Barrier(4)

    def push_once() -> None:
        with TestClient(api.app) as client:
            start.wait()
            answers.extend(push(client, headers, item))

    threads = [threading.Thread(target=push_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a["status"] for a in answers) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert len({a["result"]["number"] for a in answers}) == 1
    assert count(world.engine, suggestions, suggestions.c.id == item["payload"]["suggestion_id"]) == 1
    suggestion_id = item["payload"]["suggestion_id"]
    assert count(world.engine, suggestion_events, suggestion_events.c.suggestion_id == suggestion_id) == 1


def test_losing_the_race_after_the_lookup_still_answers_duplicate(api, world, monkeypatch):
    """The other push committed between this one's lookup and its insert: a unique key decides."""
    headers = sign_in(api, "deputy01")
    item = submit_command("deputy01")
    (first,) = push(api, headers, item)
    real_lookup, misses = commands._stored_answer, []

    def lookup_missing_once(conn, key, actor):
        if not misses:
            misses.append(key)
            return None
        return real_lookup(conn, key, actor)

    monkeypatch.setattr(commands, "_stored_answer", lookup_missing_once)
    assert push(api, headers, item) == [{**first, "status": "duplicate"}]
    assert misses == [item["id"]]
    assert count(world.engine, suggestions, suggestions.c.id == item["payload"]["suggestion_id"]) == 1


def test_concurrent_submissions_get_distinct_numbers(api, world):
    headers = sign_in(api, "deputy01")
    answers: list[dict] = []
    start = threading.Barrier(4)

    def push_two() -> None:
        with TestClient(api.app) as client:
            start.wait()
            answers.extend(push(client, headers, submit_command("deputy01"), submit_command("deputy01")))

    threads = [threading.Thread(target=push_two) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a["status"] for a in answers] == ["applied"] * 8
    assert sorted(a["result"]["number"][5:] for a in answers) == [f"{n:04d}" for n in range(4, 12)]
    assert count(world.engine, suggestion_contacts) == 3  # only the world's: own suggestions carry no contact


def test_every_stored_answer_belongs_to_its_pusher(api, world):
    push(api, sign_in(api, "deputy01"), submit_command("deputy01"), submit_command("deputy01", region=OTHER_DISTRICT))
    with world.engine.connect() as conn:
        stored = conn.execute(select(command_results.c.user_id, command_results.c.status)).all()
    assert sorted(stored) == [(world.user_ids["deputy01"], "applied"), (world.user_ids["deputy01"], "rejected")]


def test_the_same_uuid_from_another_user_is_not_answered_with_the_first_users_result(api, world):
    item = submit_command("deputy01")
    push(api, sign_in(api, "deputy01"), item)
    stolen = {**submit_command("deputy02", region=TOWNSHIP_1), "id": item["id"]}
    (answer,) = push(api, sign_in(api, "deputy02"), stolen)
    assert answer["status"] == "rejected" and answer["result"] is None
    assert uuid.UUID(answer["id"]) == uuid.UUID(item["id"])
