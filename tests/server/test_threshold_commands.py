"""``threshold.set`` (sync/server/threshold_commands.py): staff of a district set a rule's levels, minimum
and on/off; the row reaches every user's next pull; anything else is rejected with a reason."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from sync.schema import review_thresholds
from sync.server import accounts, changelog
from tests.server.api_world import PASSWORD, TOWNSHIP_1, Replica, sign_in
from tests.server.test_api_push import push


def threshold_command(author: str, **payload: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "type": "threshold.set", "author": author,
            "payload": {"rule": "execution_lag", "yellow": "6", "red": "12.5", "min_amount": 500_000_000,
                        "enabled": True, **payload}}


def stored(engine, rule: str) -> tuple | None:
    with engine.connect() as conn:
        row = conn.execute(select(review_thresholds.c.yellow, review_thresholds.c.red, review_thresholds.c.min_amount)
                           .where(review_thresholds.c.rule == rule)).first()
    return None if row is None else tuple(row)


def test_staff_set_a_rule_and_every_user_pulls_it(api, world):
    deputy = sign_in(api, "deputy02")
    replica = Replica().pull(api, deputy)
    (answer,) = push(api, sign_in(api, "staff01"), threshold_command("staff01"))
    assert answer["status"] == "applied" and answer["result"] == {
        "rule": "execution_lag", "yellow": "6", "red": "12.5", "min_amount": 500_000_000, "enabled": True}
    assert stored(world.engine, "execution_lag") == (Decimal(6), Decimal("12.5"), 500_000_000)
    replica.pull(api, deputy)
    assert replica.tables["review_thresholds"]["execution_lag"][1:4] == [Decimal(6), Decimal("12.5"), 500_000_000]


def test_a_rule_without_a_row_yet_gets_one(api, world):
    headers = sign_in(api, "staff01")
    (answer,) = push(api, headers, threshold_command("staff01", rule="idle_special_funds", yellow=None, red="4",
                                                     min_amount=0))
    assert answer["status"] == "applied"
    assert stored(world.engine, "idle_special_funds") == (None, Decimal(4), 0)


def test_switching_a_rule_off_stores_no_levels_and_on_again_restores_them(api, world):
    headers = sign_in(api, "staff01")
    (off,) = push(api, headers, threshold_command("staff01", enabled=False))
    assert off["result"]["enabled"] is False and (off["result"]["yellow"], off["result"]["red"]) == (None, None)
    assert stored(world.engine, "execution_lag") == (None, None, 500_000_000)
    push(api, headers, threshold_command("staff01", yellow="5", red="10"))
    assert stored(world.engine, "execution_lag") == (Decimal(5), Decimal(10), 500_000_000)


REJECTIONS = [  # payload change → what the reason says
    ({"rule": "weather"}, "没有名为"),
    ({"yellow": "15", "red": "10"}, "提示线不能高于预警线"),
    ({"yellow": None, "red": None}, "至少要有"),
    ({"red": "101"}, "0 到 100"),
    ({"red": "-1"}, "0 到 100"),
    ({"red": "7.555"}, "两位小数"),
    ({"rule": "idle_special_funds", "yellow": None, "red": "6.5"}, "整数"),
    ({"rule": "suggestion_overdue", "yellow": None, "red": "3651"}, "3650"),
    ({"red": 10.5}, "字符串形式"),
    ({"min_amount": -1}, "不能小于 0"),
    ({"colour": "red"}, "不认识的字段"),
]


@pytest.mark.parametrize(("change", "reason"), REJECTIONS)
def test_bad_thresholds_are_rejected_with_a_reason(api, world, change, reason):
    headers = sign_in(api, "staff01")
    with world.engine.connect() as conn:
        head = changelog.head(conn)
    (answer,) = push(api, headers, threshold_command("staff01", **change))
    assert answer["status"] == "rejected" and reason in answer["reason"], answer
    with world.engine.connect() as conn:
        assert changelog.head(conn) == head


def test_only_district_staff_set_thresholds(api, world):
    (deputy,) = push(api, sign_in(api, "deputy01"), threshold_command("deputy01"))
    assert deputy["status"] == "rejected" and "角色" in deputy["reason"]
    with world.engine.begin() as conn:
        accounts.add_user(conn, "staff_township", role="staff", password=PASSWORD, region_code=TOWNSHIP_1,
                          display_name="黄堡镇人大")
    (township,) = push(api, sign_in(api, "staff_township"), threshold_command("staff_township"))
    assert township["status"] == "rejected" and "乡镇" in township["reason"]
    assert stored(world.engine, "execution_lag") == (Decimal(5), Decimal("10.5"), 0)
