"""Access matrix (issue 13, item 4, pulled rows): every replicated table × role, by a full pull over HTTP.

The expected rows are written here independently of ``sync.server.scope``: plain SQL, one rule per table
and role, transcribed from the "who sees what" matrix (DESIGN.md §2, summarised in ``sync/schema.py``
``AUDIENCES``). A replica built by pulling from the start (in small pages) must hold exactly those rows,
with the server's values, and the re-fetch of each table (``GET /tables/<name>``) must agree.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from sync.protocol import encode_row
from sync.schema import REPLICATED_TABLES, TABLES_BY_NAME, primary_key_column
from sync.server import changelog
from sync.server.api import create_app
from tests.server.api_world import (
    DISTRICT,
    OTHER_DISTRICT,
    STAMP,
    TOWNSHIP_1,
    TOWNSHIP_2,
    TRANSPORT,
    Replica,
    _decoded,
    build_world,
    sign_in,
)
from tests.verification.figures import count

#: viewer → role; the five of the brief plus a deputy of another district (everything of ours out of scope)
VIEWERS = {"deputy01": "deputy", "deputy02": "deputy", "staff01": "staff", "jiaotong": "department",
           "jiaoyu": "department", "deputy09": "deputy"}

# The user's region subtree and the regions above it, in plain SQL.
_CTE = """
WITH RECURSIVE me(region) AS (SELECT region_code FROM users WHERE id = :uid),
scope(code) AS (SELECT region FROM me UNION SELECT r.code FROM regions r JOIN scope s ON r.parent_code = s.code),
up(code) AS (SELECT parent_code FROM regions WHERE code = (SELECT region FROM me)
             UNION SELECT r.parent_code FROM regions r JOIN up u ON r.code = u.code)
"""
IN_SCOPE = "{col} IN (SELECT code FROM scope)"
MY_DEPT = "{col} = (SELECT department_code FROM users WHERE id = :uid)"
EVERYONE = {"deputy": "1=1", "staff": "1=1", "department": "1=1"}
NOBODY = "1=0"


def _region(col: str = "region_code") -> dict[str, str]:
    return dict.fromkeys(("deputy", "staff", "department"), IN_SCOPE.format(col=col))


def _region_tree(col: str) -> dict[str, str]:
    rule = f"({IN_SCOPE.format(col=col)} OR {col} IN (SELECT code FROM up))"
    return dict.fromkeys(("deputy", "staff", "department"), rule)


#: table → role → WHERE clause: the matrix, one cell at a time
MATRIX: dict[str, dict[str, str]] = {
    "classifications": EVERYONE,
    "review_thresholds": EVERYONE,
    "regions": _region_tree("code"),
    "departments": _region_tree("region_code"),
    "users": _region_tree("region_code"),
    **{name: _region() for name in ("budget_lines", "executions", "policies", "policy_disbursements", "projects",
                                    "project_milestones")},
    # deputies and staff in scope; a department only what is assigned to it (wherever it is)
    **{name: {"deputy": IN_SCOPE.format(col="region_code"), "staff": IN_SCOPE.format(col="region_code"),
              "department": MY_DEPT.format(col="department_code")}
       for name in ("suggestions", "suggestion_events")},
    # constituents' details: the author, staff in scope, the assigned department
    "suggestion_contacts": {"deputy": "author_id = :uid", "staff": IN_SCOPE.format(col="region_code"),
                            "department": MY_DEPT.format(col="department_code")},
    "inspections": {"deputy": IN_SCOPE.format(col="region_code"), "staff": IN_SCOPE.format(col="region_code"),
                    "department": NOBODY},
    "activities": {"deputy": "user_id = :uid", "staff": IN_SCOPE.format(col="region_code"), "department": NOBODY},
    "attachments": {"deputy": IN_SCOPE.format(col="region_code"), "staff": IN_SCOPE.format(col="region_code"),
                    "department": f"({MY_DEPT.format(col='department_code')} OR "
                                  f"(department_code = '*' AND {IN_SCOPE.format(col='region_code')}))"},
}

LATER = STAMP + dt.timedelta(days=1)


def _more_rows(conn, ids: dict[str, int]) -> None:
    """Rows that tell the cells apart, beyond the API tests' world."""
    changelog.insert(conn, TABLES_BY_NAME["suggestions"], [
        {"id": "s-unassigned", "number": "2026-0101", "author_id": ids["deputy01"], "region_code": TOWNSHIP_2,
         "title": "未交办", "body": "正文", "source": "constituents", "state": "submitted", "department_code": None,
         "submitted_at": LATER, "updated_at": LATER},
        {"id": "s-d02-transport", "number": "2026-0102", "author_id": ids["deputy02"], "region_code": TOWNSHIP_1,
         "title": "交通局办理", "body": "正文", "source": "constituents", "state": "assigned",
         "department_code": TRANSPORT, "submitted_at": LATER, "updated_at": LATER},
    ])
    changelog.insert(conn, TABLES_BY_NAME["suggestion_contacts"], [
        {"suggestion_id": "s-unassigned", "region_code": TOWNSHIP_2, "department_code": None,
         "author_id": ids["deputy01"], "name": "李四", "phone": "13900000000"},
        {"suggestion_id": "s-d02-transport", "region_code": TOWNSHIP_1, "department_code": TRANSPORT,
         "author_id": ids["deputy02"], "name": "王五", "phone": "13700000000"},
    ])
    changelog.insert(conn, TABLES_BY_NAME["inspections"], [
        {"id": "i-district", "deputy_id": ids["deputy01"], "region_code": DISTRICT, "date": dt.date(2026, 3, 21),
         "subject_type": "other", "title": "区级视察"},
        {"id": "i-far", "deputy_id": ids["deputy09"], "region_code": OTHER_DISTRICT, "date": dt.date(2026, 3, 22),
         "subject_type": "other", "title": "印台区视察"},
    ])
    changelog.insert(conn, TABLES_BY_NAME["activities"], [
        {"id": "a-jiaotong", "user_id": ids["jiaotong"], "region_code": DISTRICT, "at": LATER, "kind": "sync"},
        {"id": "a-staff01", "user_id": ids["staff01"], "region_code": DISTRICT, "at": LATER, "kind": "sync"},
    ])
    attachment = {"uploader_id": ids["deputy02"], "file_name": "照片.jpg", "content_type": "image/jpeg",
                  "size": 10, "sha256": "0" * 64, "created_at": LATER}
    changelog.insert(conn, TABLES_BY_NAME["attachments"], [
        {"id": "f-suggestion", "owner_type": "suggestion", "owner_id": "s-education", "region_code": TOWNSHIP_1,
         "department_code": "D610202-02", **attachment},
        {"id": "f-inspection", "owner_type": "inspection", "owner_id": "i-1", "region_code": TOWNSHIP_1,
         "department_code": None, **attachment},
        {"id": "f-milestone", "owner_type": "milestone", "owner_id": "1", "region_code": TOWNSHIP_1,
         "department_code": "*", **attachment},
        {"id": "f-far", "owner_type": "milestone", "owner_id": "9", "region_code": OTHER_DISTRICT,
         "department_code": "*", **attachment},
    ])


@pytest.fixture
def matrix_world(server_engine):
    world = build_world(server_engine)
    with server_engine.begin() as conn:
        _more_rows(conn, world.user_ids)
    return world


def _all_rows(conn, table) -> dict[str, list]:
    """Every row of the table by key, as a replica holds it (no visibility rule applied)."""
    key = primary_key_column(table).name
    return {str(row._mapping[key]): _decoded(table.name, json.loads(encode_row(
                table, changelog.in_utc(table, dict(row._mapping)))))
            for row in conn.execute(select(table))}


def _expected_keys(conn, table_name: str, role: str, user_id: int) -> set[str]:
    table = TABLES_BY_NAME[table_name]
    key = primary_key_column(table).name
    sql = f"{_CTE} SELECT {key} FROM {table_name} WHERE {MATRIX[table_name][role]}"
    return {str(k) for k in conn.execute(text(sql), {"uid": user_id}).scalars()}


def test_matrix_covers_every_replicated_table():
    assert set(MATRIX) == {table.name for table in REPLICATED_TABLES}


def test_full_pull_holds_exactly_what_the_matrix_allows(matrix_world):
    engine, ids = matrix_world.engine, matrix_world.user_ids
    with engine.connect() as conn:
        everything = {table.name: _all_rows(conn, table) for table in REPLICATED_TABLES}
        expected = {(name, viewer): _expected_keys(conn, name, role, ids[viewer])
                    for viewer, role in VIEWERS.items() for name in MATRIX}
    cells = 0
    with TestClient(create_app(engine)) as http:
        for viewer in VIEWERS:
            headers = sign_in(http, viewer)
            replica = Replica().pull(http, headers, limit=7)
            assert replica.requests > 1  # the pull went through several pages
            for name in MATRIX:
                keys = expected[(name, viewer)]
                assert set(replica.tables[name]) == keys, (viewer, name)
                assert replica.tables[name] == {k: everything[name][k] for k in keys}, (viewer, name)
                assert replica.last_page["counts"][name] == len(keys), (viewer, name)
                refetch = http.get(f"/api/v1/tables/{name}", params={"limit": 5000}, headers=headers).json()
                key_index = refetch["columns"].index(primary_key_column(TABLES_BY_NAME[name]).name)
                assert {str(row[key_index]) for row in refetch["rows"]} == keys, (viewer, name)
                cells += 1
    assert cells == len(VIEWERS) * len(MATRIX)
    count("access matrix: pulled table × viewer cells", cells)
    # The matrix is not trivial: every viewer misses something and sees something in the shared tables.
    for viewer in VIEWERS:
        assert expected[("suggestions", viewer)] != set(everything["suggestions"]), viewer


def test_constituents_contacts_reach_only_author_staff_and_assigned_department(matrix_world):
    engine, ids = matrix_world.engine, matrix_world.user_ids
    with engine.connect() as conn:
        contacts = conn.execute(text(
            "SELECT suggestion_id, author_id, department_code, region_code FROM suggestion_contacts")).all()
    received: dict[str, set[str]] = {row.suggestion_id: set() for row in contacts}
    with TestClient(create_app(engine)) as http:
        for viewer in VIEWERS:
            replica = Replica().pull(http, sign_in(http, viewer))
            for key in replica.tables["suggestion_contacts"]:
                received[key].add(viewer)
    departments = {"jiaotong": TRANSPORT, "jiaoyu": "D610202-02"}
    district = {DISTRICT, TOWNSHIP_1, TOWNSHIP_2}
    for row in contacts:
        allowed = {name for name, uid in ids.items() if uid == row.author_id}
        allowed |= {"staff01"} if row.region_code in district else set()
        allowed |= {name for name, code in departments.items() if code == row.department_code}
        assert received[row.suggestion_id] == allowed & set(VIEWERS), row
    assert received["s-unassigned"] == {"deputy01", "staff01"}
    assert received["s-d02-transport"] == {"deputy02", "staff01", "jiaotong"}
    count("access matrix: constituents' contacts × viewer cells", len(contacts) * len(VIEWERS))
