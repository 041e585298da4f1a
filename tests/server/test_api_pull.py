"""Pull (GET /changes, GET /tables/<name>): each user gets exactly the rows they may see, on both databases."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from sync.schema import REPLICATED_TABLES, SCHEMA_VERSION, primary_key_column, regions
from sync.server import changelog, pull
from sync.server.api import ServerSettings, create_app
from sync.server.api.models import ChangesPage, TableRows
from tests.server.api_world import (
    DISTRICT,
    EDUCATION,
    STAMP,
    TRANSPORT,
    USERS,
    Replica,
    assert_replica_matches,
    reassign,
    sign_in,
    visible_rows,
)

NEW_TOWNSHIP = "610202003"
PULLING_USERS = [name for name, (role, _, _) in USERS.items() if role != "admin"]


def test_pulling_every_page_from_the_start_gives_each_user_exactly_the_visible_rows(api, world):
    for username in PULLING_USERS:
        headers = sign_in(api, username)
        replica = Replica().pull(api, headers, limit=4)
        assert replica.requests >= 3
        assert_replica_matches(replica, world.engine, username)


def test_a_second_pull_is_one_request_with_nothing_in_it(api, world):
    headers = sign_in(api, "deputy01")
    replica = Replica().pull(api, headers, limit=50)
    before = replica.requests
    replica.pull(api, headers)
    assert replica.requests == before + 1
    assert replica.last_page["tables"] == {}
    assert_replica_matches(replica, world.engine, "deputy01")


LEAN = {"BudgetWatch-Protocol": "2", "BudgetWatch-Schema": str(SCHEMA_VERSION)}


def test_a_client_of_protocol_2_with_the_servers_schema_gets_pages_without_what_it_knows(api, world):
    headers = {**sign_in(api, "staff01"), **LEAN}
    replica = Replica().pull(api, headers, limit=7)
    assert_replica_matches(replica, world.engine, "staff01")
    reassign(world.engine, "s-transport", EDUCATION)
    page = api.get("/api/v1/changes", params={"since": replica.cursor}, headers=headers).json()
    assert "schema_version" not in page and page["tables"]["suggestions"].keys() == {"upserts"}
    replica.apply(page)
    assert_replica_matches(replica, world.engine, "staff01")
    for other in ({"BudgetWatch-Protocol": "2", "BudgetWatch-Schema": str(SCHEMA_VERSION + 1)},
                  {"BudgetWatch-Protocol": "2"}, {"BudgetWatch-Protocol": "1", "BudgetWatch-Schema": "1"}):
        full = api.get("/api/v1/changes", params={"limit": 3},
                       headers={"Authorization": headers["Authorization"], **other}).json()
        assert full["schema_version"] == SCHEMA_VERSION
        assert all(set(changes) == {"columns", "upserts", "deletes"} for changes in full["tables"].values())


def test_a_new_township_reaches_the_next_pull_of_a_deputy_of_the_district_above_it(api, world):
    headers = sign_in(api, "deputy01")
    replica = Replica().pull(api, headers)  # the server keeps the viewers it built from the region table
    with world.engine.begin() as conn:
        changelog.insert(conn, regions, [{"code": NEW_TOWNSHIP, "name": "新设镇", "level": "township",
                                          "parent_code": DISTRICT}])
    replica.pull(api, headers)
    assert NEW_TOWNSHIP in replica.tables["regions"]
    assert_replica_matches(replica, world.engine, "deputy01")


def test_a_department_pulls_only_its_own_suggestions(api, world):
    replica = Replica().pull(api, sign_in(api, "jiaotong"), limit=5)
    assert {row[9] for row in replica.tables["suggestions"].values()} == {TRANSPORT}
    assert set(replica.tables["suggestions"]) == {"s-transport"}
    assert set(replica.tables["suggestion_contacts"]) == {"s-transport"}
    assert replica.tables["activities"] == {} and replica.tables["inspections"] == {}


def test_reassigning_a_suggestion_is_a_tombstone_for_the_department_that_loses_it(api, world):
    transport, education = Replica(), Replica()
    transport.pull(api, sign_in(api, "jiaotong"))
    education.pull(api, sign_in(api, "jiaoyu"))
    reassign(world.engine, "s-transport", EDUCATION)

    transport.pull(api, sign_in(api, "jiaotong"))
    assert ("suggestions", "s-transport") in transport.deletes_seen
    assert "s-transport" not in transport.tables["suggestions"]
    assert_replica_matches(transport, world.engine, "jiaotong")
    education.pull(api, sign_in(api, "jiaoyu"))
    assert "s-transport" in education.tables["suggestions"]
    assert_replica_matches(education, world.engine, "jiaoyu")


def test_a_cursor_of_another_epoch_or_ahead_of_the_head_answers_resync(api, world):
    headers = sign_in(api, "deputy01")
    with world.engine.begin() as conn:
        epoch, head = changelog.epoch(conn), changelog.head(conn)
    for since, reason in ((f"0123456789ab.{head}", "epoch_changed"), (f"{epoch}.{head + 100}", "cursor_ahead")):
        page = api.get("/api/v1/changes", params={"since": since}, headers=headers).json()
        assert (page["resync"], page["tables"], page["cursor"], page.get("counts")) == (reason, {}, f"{epoch}.0", None)


def test_counts_are_cached_until_the_head_moves(api, world, monkeypatch):
    computed = []
    real = pull.visible_counts
    monkeypatch.setattr(pull, "visible_counts", lambda conn, viewer: computed.append(viewer) or real(conn, viewer))
    headers = sign_in(api, "deputy02")
    replica = Replica().pull(api, headers).pull(api, headers).pull(api, headers)
    assert len(computed) == 1
    reassign(world.engine, "s-education", TRANSPORT)
    replica.pull(api, headers)
    assert len(computed) == 2
    assert_replica_matches(replica, world.engine, "deputy02")


def test_a_large_page_is_gzipped_when_the_client_accepts_it(api):
    headers = sign_in(api, "staff01")
    response = api.get("/api/v1/changes", headers={**headers, "Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content)  # httpx decoded it
    plain = api.get("/api/v1/changes", headers={**headers, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json()["tables"] == response.json()["tables"]


def test_the_page_is_bounded_by_bytes_as_well_as_rows(api, world):
    everything = api.get("/api/v1/changes", headers=sign_in(api, "staff01")).json()
    row_bytes = sum(len(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode())
                    for changes in everything["tables"].values() for values in changes["upserts"])
    with TestClient(create_app(world.engine, ServerSettings(page_bytes=600))) as small_pages:
        replica = Replica().pull(small_pages, sign_in(small_pages, "staff01"))
    assert replica.requests >= row_bytes // 600 > 3
    assert_replica_matches(replica, world.engine, "staff01")


def test_refetching_a_table_gives_its_visible_rows_in_key_order(api, world):
    for username in ("deputy02", "jiaoyu"):
        headers = sign_in(api, username)
        expected = visible_rows(world.engine, username)
        for table in REPLICATED_TABLES:
            rows, cursor = refetch(api, headers, table)
            replica = Replica()
            replica.apply({"tables": {table.name: {"columns": [c.name for c in table.columns], "upserts": rows,
                                                   "deletes": []}}, "cursor": cursor})
            assert replica.tables[table.name] == expected[table.name], (username, table.name)
            keys = [row[0] for row in rows]
            assert keys == sorted(keys)


def refetch(api, headers: dict[str, str], table) -> tuple[list[list], str]:
    """Every row of one table, two to a page, the way a client heals a count mismatch."""
    key_index = [column.name for column in table.columns].index(primary_key_column(table).name)
    rows, after = [], None
    while True:
        params = {"limit": 2, **({"after": after} if after is not None else {})}
        page = api.get(f"/api/v1/tables/{table.name}", params=params, headers=headers).json()
        assert page["columns"] == [column.name for column in table.columns]
        rows += page["rows"]
        if not page["has_more"]:
            return rows, page["cursor"]
        after = str(page["rows"][-1][key_index])


def test_timestamps_arrive_as_the_same_instant_with_an_offset(api, world):
    replica = Replica().pull(api, sign_in(api, "deputy01"))
    submitted = replica.tables["suggestions"]["s-transport"][16]
    assert submitted.utcoffset() is not None
    assert submitted == STAMP


def test_answers_have_exactly_the_shape_the_openapi_document_gives(api, world):
    headers = sign_in(api, "deputy01")
    first = api.get("/api/v1/changes", params={"limit": 3}, headers=headers).json()
    last = api.get("/api/v1/changes", params={"since": first["cursor"]}, headers=headers).json()
    resync = api.get("/api/v1/changes", params={"since": "0123456789ab.1"}, headers=headers).json()
    rows = api.get("/api/v1/tables/suggestions", headers=headers).json()
    lean = api.get("/api/v1/changes", params={"limit": 3}, headers={**headers, **LEAN}).json()
    for answer, model in ((first, ChangesPage), (last, ChangesPage), (resync, ChangesPage), (rows, TableRows),
                          (lean, ChangesPage)):
        model.model_validate(answer)
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        assert required <= set(answer) <= set(model.model_fields)  # a null optional field is left out
    assert (first["has_more"], first.get("counts"), last["has_more"]) == (True, None, False)
