"""Checking a page before anything of it is applied: every way a page can break the protocol."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sync.client.errors import ProtocolError
from sync.client.pull import parse_page
from sync.schema import project_milestones, regions, review_thresholds, suggestions

REGION_COLUMNS = list(regions.columns.keys())


def page(**overrides) -> dict:
    body = {"cursor": "abc.7", "has_more": False, "resync": None, "server_time": "2026-11-29T22:00:00+08:00",
            "protocol": {"min": 1, "max": 1}, "schema_version": 1,
            "tables": {"regions": {"columns": REGION_COLUMNS, "upserts": [["5117", "达州市", "city", None, 0]],
                                   "deletes": ["5118"]}},
            "counts": {"regions": 1}}
    body.update(overrides)
    return body


def test_a_good_page_decodes_values_and_state():
    milestone = ["1", "2", "511702", "2026-03-01", "开工"]
    threshold = ["execution_lag", "5.00", "10.00", 0, "2026-11-29T22:00:00+08:00"]
    parsed = parse_page(page(tables={
        "project_milestones": {"columns": list(project_milestones.columns.keys()), "upserts": [milestone],
                               "deletes": ["9"]},
        "review_thresholds": {"columns": list(review_thresholds.columns.keys()), "upserts": [threshold]},
    }), "测试")
    milestones = parsed.changes[0]
    milestone_row, threshold_row = (dict(zip(changes.table.columns.keys(), changes.upserts[0], strict=True))
                                    for changes in parsed.changes)
    assert milestone_row["date"] == dt.date(2026, 3, 1)
    assert milestones.deletes == [9]  # integer key from its string
    assert threshold_row["yellow"] == Decimal("5.00")
    assert threshold_row["updated_at"] == dt.datetime(2026, 11, 29, 14, 0)  # stored as UTC
    assert parsed.state == {"cursor": "abc.7", "epoch": "abc", "server_time": "2026-11-29T22:00:00+08:00",
                            "server_protocol": {"min": 1, "max": 1}, "server_schema_version": 1,
                            "latest_client": None}  # absent: none announced
    assert parsed.counts == {"regions": 1}


def test_columns_may_come_in_another_order():
    columns = list(reversed(REGION_COLUMNS))
    upserts = [[0, None, "city", "达州市", "5117"]]
    parsed = parse_page(page(tables={"regions": {"columns": columns, "upserts": upserts}}), "测试")
    assert parsed.changes[0].upserts == [("5117", "达州市", "city", None, 0)]  # in the table's own order


@pytest.mark.parametrize(("body", "message"), [
    (["not", "a", "page"], "不是一个同步页面"),
    (page(cursor=None), "cursor"),
    ({k: v for k, v in page().items() if k != "has_more"}, "缺少字段 'has_more'"),
    (page(has_more="yes"), "'has_more' 类型不对"),
    (page(cursor="no-dot"), "同步游标无效"),
    (page(tables={"credentials": {"columns": ["user_id"], "upserts": []}}), "不认识的数据表 'credentials'"),
    (page(tables={"regions": {"columns": [*REGION_COLUMNS[:-1], "extra"], "upserts": []}}), "多出 \\['extra'\\]"),
    (page(tables={"regions": {"columns": REGION_COLUMNS, "upserts": [["5117", "达州市"]]}}), "值个数与列数不符"),
    (page(tables={"regions": {"columns": REGION_COLUMNS, "upserts": [], "deletes": [None]}}), "删除列表格式不对"),
    (page(tables={"suggestions": {"columns": list(suggestions.columns.keys()),
                                  "upserts": [["x"] * len(suggestions.columns)]}}), "值无法识别"),
    (page(tables={"project_milestones": {"columns": list(project_milestones.columns.keys()), "deletes": ["a"]}}),
     "删除键无效"),
    (page(counts={"regions": "1"}), "行数统计格式不对"),
])
def test_a_page_that_breaks_the_protocol_is_one_clear_error(body, message):
    with pytest.raises(ProtocolError, match=message) as caught:
        parse_page(body, "拉取第 3 页")
    assert "拉取第 3 页" in str(caught.value) or "页面" in str(caught.value)


def test_resync_page_carries_no_changes():
    parsed = parse_page(page(resync="epoch_changed", tables={}), "测试")
    assert parsed.resync == "epoch_changed" and parsed.changes == [] and "cursor" not in parsed.state
