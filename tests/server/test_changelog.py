"""The changelog (sync/server/changelog.py) and the visibility rules (sync/server/scope.py), on both databases.

The reference for "what may this user see" is always the data tables filtered by
:func:`scope.row_condition`; a pull from cursor 0 must rebuild exactly that, whatever the page bounds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, Engine, select

from sync.protocol import decode_values, value_decoders
from sync.schema import (
    REPLICATED_TABLES,
    TABLES_BY_NAME,
    activities,
    budget_lines,
    classifications,
    departments,
    executions,
    inspections,
    policies,
    primary_key_column,
    project_milestones,
    projects,
    regions,
    review_thresholds,
    suggestion_contacts,
    suggestion_events,
    suggestions,
    users,
)
from sync.schema import changelog as changelog_table
from sync.server import changelog, db, scope

SHANGHAI = ZoneInfo("Asia/Shanghai")

# ---------------------------------------------------------------- a small district

CITY, DISTRICT, TOWNSHIP_1, TOWNSHIP_2, OTHER_DISTRICT = "610200", "610202", "610202001", "610202002", "610203"
FINANCE, HOUSING, OTHER_EDUCATION = "D610202-01", "D610202-02", "D610203-01"

(STAFF, DEPUTY, TOWNSHIP_DEPUTY, FINANCE_USER, HOUSING_USER, CITY_STAFF, OTHER_DEPUTY, ADMIN,
 TOWNSHIP_STAFF) = range(1, 10)
ROLE_OF = {
    STAFF: ("staff", DISTRICT, None), DEPUTY: ("deputy", DISTRICT, None),
    TOWNSHIP_DEPUTY: ("deputy", TOWNSHIP_1, None), FINANCE_USER: ("department", DISTRICT, FINANCE),
    HOUSING_USER: ("department", DISTRICT, HOUSING), CITY_STAFF: ("staff", CITY, None),
    OTHER_DEPUTY: ("deputy", OTHER_DISTRICT, None), ADMIN: ("admin", DISTRICT, None),
    TOWNSHIP_STAFF: ("staff", TOWNSHIP_1, None),
}
EVERYONE = tuple(ROLE_OF)
LABEL = {STAFF: "district-staff", DEPUTY: "district-deputy", TOWNSHIP_DEPUTY: "township-deputy",
         FINANCE_USER: "finance-department", HOUSING_USER: "housing-department", CITY_STAFF: "city-staff",
         OTHER_DEPUTY: "other-district-deputy", ADMIN: "admin", TOWNSHIP_STAFF: "township-staff"}

# suggestion id → (author, region, assigned department)
SUGGESTIONS = {
    "s-district-finance": (DEPUTY, DISTRICT, FINANCE),
    "s-township-housing": (TOWNSHIP_DEPUTY, TOWNSHIP_1, HOUSING),
    "s-township-new": (TOWNSHIP_DEPUTY, TOWNSHIP_1, None),
    "s-township2-finance": (DEPUTY, TOWNSHIP_2, FINANCE),
    "s-other-district": (OTHER_DEPUTY, OTHER_DISTRICT, OTHER_EDUCATION),
}


def at(day: int, hour: int = 9) -> dt.datetime:
    # Server code stamps times in Asia/Shanghai; the payload must keep the instant on both databases.
    return dt.datetime(2026, 3, day, hour, 30, tzinfo=SHANGHAI)


def build_district(conn: Connection) -> None:
    changelog.insert(conn, regions, [
        {"code": CITY, "name": "铜川市", "level": "city", "parent_code": None},
        {"code": DISTRICT, "name": "王益区", "level": "district", "parent_code": CITY},
        {"code": OTHER_DISTRICT, "name": "印台区", "level": "district", "parent_code": CITY},
    ])
    changelog.insert(conn, regions, [
        {"code": TOWNSHIP_1, "name": "城关街道", "level": "township", "parent_code": DISTRICT, "sort_order": 1},
        {"code": TOWNSHIP_2, "name": "王家河街道", "level": "township", "parent_code": DISTRICT, "sort_order": 2},
    ])
    changelog.insert(conn, classifications, [
        {"id": "function:208", "scheme": "function", "code": "208", "name": "社会保障和就业支出", "level": "类"},
        {"id": "economic:302", "scheme": "economic", "code": "302", "name": "商品和服务支出"},
    ])
    changelog.insert(conn, review_thresholds, [
        {"rule": "execution_lag", "yellow": Decimal("5"), "red": Decimal("10.5"), "updated_at": at(1)},
    ])
    changelog.insert(conn, departments, [
        {"code": FINANCE, "name": "王益区财政局", "region_code": DISTRICT},
        {"code": HOUSING, "name": "王益区住建局", "region_code": DISTRICT},
        {"code": OTHER_EDUCATION, "name": "印台区教育局", "region_code": OTHER_DISTRICT},
    ])
    changelog.insert(conn, users, [
        {"id": uid, "username": f"user{uid}", "display_name": f"用户{uid}", "role": role, "region_code": region,
         "department_code": department}
        for uid, (role, region, department) in ROLE_OF.items()
    ])
    lines = []
    for region, department, base in ((DISTRICT, FINANCE, 100), (TOWNSHIP_1, HOUSING, 200),
                                     (TOWNSHIP_2, FINANCE, 300), (OTHER_DISTRICT, OTHER_EDUCATION, 400)):
        for n in range(3):
            lines.append({
                "id": base + n, "year": 2026, "region_code": region, "department_code": department,
                "function_code": "2080501", "economic_code": "30201", "fund_code": "1",
                "project_name": f"项目{base + n}" if n == 2 else None,
                "is_livelihood": True, "approved": 1_000_000 * (n + 1), "adjusted": None,
            })
    changelog.insert(conn, budget_lines, lines)
    changelog.insert(conn, executions, [
        {"id": line["id"] * 100 + month, "line_id": line["id"], "region_code": line["region_code"], "year": 2026,
         "month": month, "amount": 50_000 * month}
        for line in lines for month in (1, 2)
    ])
    changelog.insert(conn, policies, [
        {"id": 1, "name": "乡村振兴", "region_code": DISTRICT, "year": 2026, "funds_arranged": 5_000_000_00},
    ])
    changelog.insert(conn, projects, [
        {"id": 1, "name": "老旧小区改造", "region_code": TOWNSHIP_1, "department_code": HOUSING, "year": 2026,
         "policy_id": 1, "budget": 300_000_00, "start_date": dt.date(2026, 3, 1)},
    ])
    changelog.insert(conn, project_milestones, [
        {"id": 1, "project_id": 1, "region_code": TOWNSHIP_1, "date": dt.date(2026, 4, 1), "text": "开工"},
    ])
    for sid, (author, region, department) in SUGGESTIONS.items():
        state = "assigned" if department else "submitted"
        changelog.insert(conn, suggestions, [{
            "id": sid, "author_id": author, "region_code": region, "title": f"建议 {sid}", "body": "正文",
            "source": "constituents", "state": state, "department_code": department,
            "deadline": dt.date(2026, 5, 1) if department else None, "submitted_at": at(2), "updated_at": at(3),
        }])
        changelog.insert(conn, suggestion_contacts, [{
            "suggestion_id": sid, "region_code": region, "department_code": department, "author_id": author,
            "name": "张三", "phone": "13800000000",
        }])
        events = [{"id": f"{sid}-e1", "suggestion_id": sid, "region_code": region, "department_code": department,
                   "actor_id": author, "actor_role": "deputy", "at": at(2), "action": "submit",
                   "to_state": "submitted"}]
        if department:
            events.append({"id": f"{sid}-e2", "suggestion_id": sid, "region_code": region,
                           "department_code": department, "actor_id": STAFF, "actor_role": "staff",
                           "at": at(3, 15), "action": "assign", "from_state": "submitted", "to_state": "assigned",
                           "assigned_department": department, "deadline": dt.date(2026, 5, 1)})
        changelog.insert(conn, suggestion_events, events)
    changelog.insert(conn, inspections, [
        {"id": "i-1", "deputy_id": DEPUTY, "region_code": DISTRICT, "date": dt.date(2026, 3, 5),
         "subject_type": "project", "subject_id": 1, "title": "视察老旧小区改造"},
        {"id": "i-2", "deputy_id": TOWNSHIP_DEPUTY, "region_code": TOWNSHIP_1, "date": dt.date(2026, 3, 6),
         "subject_type": "other", "title": "走访"},
    ])
    changelog.insert(conn, activities, [
        {"id": f"a-{uid}", "user_id": uid, "region_code": ROLE_OF[uid][1], "at": at(4), "kind": "sign_in"}
        for uid in (DEPUTY, TOWNSHIP_DEPUTY, OTHER_DEPUTY, STAFF)
    ])


@pytest.fixture
def district(server_engine) -> Engine:
    with server_engine.begin() as conn:
        build_district(conn)
    return server_engine


# ---------------------------------------------------------------- pulling like a client

@contextmanager
def reading(engine: Engine, *, snapshot: bool = True) -> Iterator[Connection]:
    """The server's read transaction (one snapshot: REPEATABLE READ on PostgreSQL), or with
    ``snapshot=False`` a READ COMMITTED one where each statement sees what has committed by then.
    Deferred on SQLite either way, so a reader never queues behind the writers."""
    if snapshot:
        with db.read_transaction(engine) as conn:
            yield conn
        return
    with engine.connect() as conn:
        conn.execution_options(readonly=True)
        with conn.begin():
            yield conn


def viewer(engine: Engine, user_id: int) -> scope.Viewer:
    with reading(engine) as conn:
        return scope.load_viewer(conn, user_id)


@dataclass
class Replica:
    """What a client holds after applying pages: ``(table, key) → payload``."""

    rows: dict[tuple[str, str], str] = field(default_factory=dict)
    cursor: int = 0
    pages: list[changelog.ChangePage] = field(default_factory=list)
    upserts_seen: Counter = field(default_factory=Counter)
    deletes_seen: Counter = field(default_factory=Counter)

    def apply(self, page: changelog.ChangePage) -> None:
        for table_name, changes in page.tables.items():
            assert not set(changes.deletes) & set(changes.upserts), "a key is both deleted and upserted"
            for key in changes.deletes:
                self.rows.pop((table_name, key), None)
                self.deletes_seen[(table_name, key)] += 1
            for key, payload in changes.upserts.items():
                self.rows[(table_name, key)] = payload
                self.upserts_seen[(table_name, key)] += 1
        self.cursor = page.next_seq
        self.pages.append(page)

    def pull(self, engine: Engine, who: scope.Viewer, *, max_rows: int = 5000, max_bytes: int = 2_000_000,
             limit: int = 10_000) -> list[changelog.ChangePage]:
        """Pull until ``has_more`` is false, checking the page contract on the way; returns the new pages."""
        new = []
        for _ in range(limit):
            with reading(engine) as conn:
                page = changelog.read_page(conn, who, self.cursor, max_rows=max_rows, max_bytes=max_bytes)
                check_page(page, self.cursor, max_rows, max_bytes)
                if not page.has_more:
                    assert page.next_seq == page.head == changelog.head(conn)
            self.apply(page)
            new.append(page)
            if not page.has_more:
                return new
        raise AssertionError("pull did not finish")

    def keys(self, table) -> set[str]:
        return {key for (name, key) in self.rows if name == table.name}


def check_page(page: changelog.ChangePage, since: int, max_rows: int, max_bytes: int) -> None:
    assert 0 <= page.entries <= max_rows
    assert page.next_seq >= since
    if page.entries > 1:
        assert page.payload_bytes <= max_bytes, "a page of several entries went over max_bytes"
    if page.has_more:
        assert page.entries >= 1, "has_more without progress"
        assert since < page.next_seq < page.head
    else:
        assert page.next_seq == max(page.head, since)


def expected_rows(engine: Engine, who: scope.Viewer) -> dict[tuple[str, str], dict]:
    """The reference: every replicated row the rules let ``who`` see, read from the data tables."""
    found = {}
    with reading(engine) as conn:
        for table in REPLICATED_TABLES:
            key_column = primary_key_column(table)
            for row in conn.execute(select(table).where(scope.row_condition(who, table))).mappings():
                found[(table.name, str(row[key_column.name]))] = dict(row)
    return found


def _comparable(value):
    if isinstance(value, dt.datetime):
        # SQLite hands timestamps back without an offset: they are stored as UTC.
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return value


def decoded(table_name: str, payload: str) -> dict:
    table = TABLES_BY_NAME[table_name]
    values = decode_values(json.loads(payload), value_decoders(table))
    assert len(values) == len(table.columns)
    return dict(zip(table.columns.keys(), values, strict=True))


def assert_replica_matches(engine: Engine, who: scope.Viewer, replica: Replica) -> None:
    expected = expected_rows(engine, who)
    assert set(replica.rows) == set(expected), (
        f"missing {sorted(set(expected) - set(replica.rows))[:10]}, "
        f"not visible {sorted(set(replica.rows) - set(expected))[:10]}"
    )
    for key, payload in replica.rows.items():
        got = {k: _comparable(v) for k, v in decoded(key[0], payload).items()}
        want = {k: _comparable(v) for k, v in expected[key].items()}
        assert got == want, key


PAGE_BOUNDS = [(5000, 2_000_000), (1, 2_000_000), (3, 2_000_000), (7, 150), (5000, 400)]


# ---------------------------------------------------------------- reading from zero

@pytest.mark.parametrize("user_id", EVERYONE, ids=LABEL.get)
def test_pull_from_zero_rebuilds_exactly_what_the_user_may_see(district, user_id):
    who = viewer(district, user_id)
    # Every bound for one user of each kind of rule; two for the rest, to keep the suite quick.
    bounds = PAGE_BOUNDS if user_id in (STAFF, FINANCE_USER, TOWNSHIP_DEPUTY, DEPUTY) else [(5000, 2_000_000), (3, 400)]
    for max_rows, max_bytes in bounds:
        replica = Replica()
        replica.pull(district, who, max_rows=max_rows, max_bytes=max_bytes)
        assert_replica_matches(district, who, replica)
        assert all(n == 1 for n in replica.upserts_seen.values()), "a row arrived twice"
        assert not replica.deletes_seen
        assert sum(p.entries for p in replica.pages) == len(replica.rows)
        seqs = [p.next_seq for p in replica.pages]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_each_role_sees_its_share(district):
    def pulled(user_id: int) -> Replica:
        replica = Replica()
        replica.pull(district, viewer(district, user_id), max_rows=4)
        return replica

    def ids(replica: Replica, table) -> set[str]:
        return replica.keys(table)

    everything_in_district = {s for s, (_, region, _) in SUGGESTIONS.items() if region != OTHER_DISTRICT}

    finance = pulled(FINANCE_USER)
    assigned_to_finance = {s for s, (_, _, dept) in SUGGESTIONS.items() if dept == FINANCE}
    assert ids(finance, suggestions) == assigned_to_finance
    assert ids(finance, suggestion_contacts) == assigned_to_finance
    assert {k.rsplit("-", 1)[0] for k in ids(finance, suggestion_events)} == assigned_to_finance
    assert not ids(finance, activities) and not ids(finance, inspections)
    assert len(ids(finance, budget_lines)) == 9  # the district and both townships, not the other district

    deputy = pulled(DEPUTY)
    assert ids(deputy, suggestions) == everything_in_district
    assert ids(deputy, suggestion_contacts) == {s for s, (a, r, _) in SUGGESTIONS.items() if a == DEPUTY}
    assert ids(deputy, activities) == {f"a-{DEPUTY}"}
    assert ids(deputy, inspections) == {"i-1", "i-2"}

    staff = pulled(STAFF)
    assert ids(staff, suggestions) == everything_in_district
    assert ids(staff, suggestion_contacts) == everything_in_district
    assert ids(staff, activities) == {f"a-{DEPUTY}", f"a-{TOWNSHIP_DEPUTY}", f"a-{STAFF}"}
    assert ids(staff, regions) == {CITY, DISTRICT, TOWNSHIP_1, TOWNSHIP_2}

    township = pulled(TOWNSHIP_DEPUTY)
    in_township = {s for s, (_, r, _) in SUGGESTIONS.items() if r == TOWNSHIP_1}
    assert ids(township, suggestions) == in_township
    assert ids(township, suggestion_contacts) == in_township  # they wrote both
    assert ids(township, budget_lines) == {"200", "201", "202"}
    assert {decoded("executions", p)["region_code"] for (t, _), p in township.rows.items() if t == "executions"} \
        == {TOWNSHIP_1}
    assert ids(township, regions) == {CITY, DISTRICT, TOWNSHIP_1}  # its own and the names above it
    assert ids(township, inspections) == {"i-2"}

    township_staff = pulled(TOWNSHIP_STAFF)
    assert ids(township_staff, suggestion_contacts) == in_township
    assert ids(township_staff, activities) == {f"a-{TOWNSHIP_DEPUTY}"}

    city = pulled(CITY_STAFF)
    assert ids(city, suggestions) == set(SUGGESTIONS)
    assert ids(city, budget_lines) == {str(i) for b in (100, 200, 300, 400) for i in range(b, b + 3)}

    other = pulled(OTHER_DEPUTY)
    assert ids(other, suggestions) == {"s-other-district"}
    assert ids(other, regions) == {CITY, OTHER_DISTRICT}

    admin = pulled(ADMIN)
    assert admin.rows == {}
    assert [p.entries for p in admin.pages] == [0]

    everyone_public = {"function:208", "economic:302"}
    for replica in (finance, deputy, staff, township, city, other):
        assert ids(replica, classifications) == everyone_public
        assert ids(replica, review_thresholds) == {"execution_lag"}


# ---------------------------------------------------------------- changes after the first pull

def reassign(engine: Engine, suggestion_id: str, department: str) -> None:
    """What the workflow does for 交办 to another department: the suggestion and its dependants move."""
    with engine.begin() as conn:
        changelog.update(conn, suggestions, {suggestion_id: {"department_code": department, "updated_at": at(10)}})
        changelog.update(conn, suggestion_contacts, {suggestion_id: {"department_code": department}})
        event_ids = conn.execute(
            select(suggestion_events.c.id).where(suggestion_events.c.suggestion_id == suggestion_id)
        ).scalars().all()
        changelog.update(conn, suggestion_events, {e: {"department_code": department} for e in event_ids})
        changelog.insert(conn, suggestion_events, [{
            "id": f"{suggestion_id}-e9", "suggestion_id": suggestion_id, "region_code": DISTRICT,
            "department_code": department, "actor_id": STAFF, "actor_role": "staff", "at": at(10),
            "action": "assign", "from_state": "assigned", "to_state": "assigned", "assigned_department": department,
        }])


@pytest.mark.parametrize("max_rows", [1, 2, 5000])
def test_reassignment_moves_the_suggestion_between_departments(district, max_rows):
    sid = "s-district-finance"
    replicas = {}
    for user_id in (FINANCE_USER, HOUSING_USER, STAFF, DEPUTY):
        replicas[user_id] = Replica()
        replicas[user_id].pull(district, viewer(district, user_id))
    assert ("suggestions", sid) in replicas[FINANCE_USER].rows
    assert ("suggestions", sid) not in replicas[HOUSING_USER].rows

    reassign(district, sid, HOUSING)

    for user_id, replica in replicas.items():
        replica.pages.clear()
        replica.pull(district, viewer(district, user_id), max_rows=max_rows)
        assert_replica_matches(district, viewer(district, user_id), replica)

    finance = replicas[FINANCE_USER]
    assert finance.deletes_seen[("suggestions", sid)] == 1
    assert finance.deletes_seen[("suggestion_contacts", sid)] == 1
    assert finance.deletes_seen[("suggestion_events", f"{sid}-e1")] == 1
    assert not any(key == sid for (_, key) in finance.rows)

    housing = replicas[HOUSING_USER]
    assert decoded("suggestions", housing.rows[("suggestions", sid)])["department_code"] == HOUSING
    assert {("suggestion_contacts", sid), ("suggestion_events", f"{sid}-e9")} <= set(housing.rows)
    assert not housing.deletes_seen

    for user_id in (STAFF, DEPUTY):  # they see both sides: the row stays, with the new department
        row = decoded("suggestions", replicas[user_id].rows[("suggestions", sid)])
        assert row["department_code"] == HOUSING


def test_tombstone_and_upsert_in_one_page_fold_into_the_upsert(district):
    who = viewer(district, STAFF)
    replica = Replica()
    replica.pull(district, who)
    reassign(district, "s-district-finance", HOUSING)
    (page,) = replica.pull(district, who)
    assert "s-district-finance" in page.tables["suggestions"].upserts
    assert page.tables["suggestions"].deletes == []


def test_delete_is_a_tombstone_for_everyone_who_saw_the_row(district):
    users_to_check = (STAFF, DEPUTY, FINANCE_USER, TOWNSHIP_DEPUTY, CITY_STAFF)
    replicas = {u: Replica() for u in users_to_check}
    for user_id, replica in replicas.items():
        replica.pull(district, viewer(district, user_id))
    with district.begin() as conn:
        assert changelog.delete(conn, executions, [10001, 20001]) == 2
        assert changelog.delete(conn, executions, [999_999]) == 0
        changelog.delete(conn, suggestion_events, ["s-township-housing-e1", "s-township-housing-e2"])
        changelog.delete(conn, suggestion_contacts, ["s-township-housing"])
        changelog.delete(conn, suggestions, ["s-township-housing"])
    for user_id, replica in replicas.items():
        before = set(replica.rows)
        replica.pull(district, viewer(district, user_id), max_rows=2)
        assert_replica_matches(district, viewer(district, user_id), replica)
        for key in before - set(replica.rows):
            assert replica.deletes_seen[key] == 1
    assert replicas[STAFF].deletes_seen.keys() == {
        ("executions", "10001"), ("executions", "20001"), ("suggestions", "s-township-housing"),
        ("suggestion_contacts", "s-township-housing"), ("suggestion_events", "s-township-housing-e1"),
        ("suggestion_events", "s-township-housing-e2"),
    }
    # A tombstone goes only to those who could see the row.
    assert ("executions", "10001") not in replicas[TOWNSHIP_DEPUTY].deletes_seen
    assert ("suggestions", "s-township-housing") not in replicas[FINANCE_USER].deletes_seen


def test_updates_carry_current_values(district):
    who = viewer(district, STAFF)
    replica = Replica()
    replica.pull(district, who, max_rows=3)
    with district.begin() as conn:
        changelog.update(conn, budget_lines, {100: {"adjusted": 1_500_000}, 101: {"final": 7}})
        changelog.update(conn, budget_lines, {100: {"adjusted": 1_600_000}})
        changelog.update(conn, review_thresholds, {"execution_lag": {"yellow": Decimal("6.25"), "updated_at": at(9)}})
        changelog.update(conn, suggestions, {"s-township-new": {"state": "declined", "decline_reason": "重复"}})
        with pytest.raises(KeyError):
            changelog.update(conn, budget_lines, {424242: {"final": 1}})
    replica.pull(district, who, max_rows=1)
    assert_replica_matches(district, who, replica)
    assert decoded("budget_lines", replica.rows[("budget_lines", "100")])["adjusted"] == 1_600_000
    assert decoded("review_thresholds", replica.rows[("review_thresholds", "execution_lag")])["yellow"] \
        == Decimal("6.25")


# ---------------------------------------------------------------- page bounds

def test_byte_bound_is_respected_except_for_a_single_large_entry(server_engine):
    small = [{"id": f"economic:{n}", "scheme": "economic", "code": str(n), "name": "经" * 10} for n in range(10)]
    big = {"id": "economic:big", "scheme": "economic", "code": "big", "name": "大" * 60}
    with server_engine.begin() as conn:
        changelog.insert(conn, classifications, small[:5])
        changelog.insert(conn, classifications, [big])
        changelog.insert(conn, classifications, small[5:])
        payloads = conn.execute(select(changelog_table.c.payload).order_by(changelog_table.c.seq)).scalars()
        sizes = [len(p.encode()) for p in payloads]
    who = viewer_for_public(server_engine)
    one, big_size = sizes[0], sizes[5]
    assert big_size > 2 * one
    for max_bytes in (1, one, one + 1, 2 * one - 1, 2 * one, 3 * one + 5, big_size, big_size + one, 10_000):
        replica = Replica()
        pages = replica.pull(server_engine, who, max_bytes=max_bytes)
        assert len(replica.rows) == 11
        # Pull checked each page against max_bytes; and no page is cut short: the next entry would not fit.
        for page, following in itertools.pairwise(pages):
            if following.entries:
                first_next = sizes[page.next_seq]  # seq n is sizes[n - 1]; the next page starts at seq next+1
                assert page.payload_bytes + first_next > max_bytes or page.entries == 5000
        if max_bytes <= one:
            assert [p.entries for p in pages] == [1] * 11


def viewer_for_public(engine: Engine) -> scope.Viewer:
    return scope.Viewer(user_id=1, role="deputy", region_code=DISTRICT, department_code=None,
                        scope=frozenset({DISTRICT}), ancestors=frozenset())


def test_row_bound_and_has_more(server_engine):
    with server_engine.begin() as conn:
        changelog.insert(conn, classifications, [
            {"id": f"fund:{n}", "scheme": "fund", "code": str(n), "name": "基金"} for n in range(6)
        ])
    who = viewer_for_public(server_engine)
    with reading(server_engine) as conn:
        top = changelog.head(conn)
        assert top == 6
        first = changelog.read_page(conn, who, 0, max_rows=3)
        assert (first.entries, first.has_more, first.next_seq, first.head) == (3, True, 3, 6)
        second = changelog.read_page(conn, who, first.next_seq, max_rows=3)
        # Exactly max_rows left: the page knows there is nothing after them.
        assert (second.entries, second.has_more, second.next_seq) == (3, False, 6)
        empty = changelog.read_page(conn, who, 6, max_rows=3)
        assert (empty.entries, empty.has_more, empty.next_seq, empty.tables) == (0, False, 6, {})
        # A cursor past the head is the API's business ("resync"); the page must not move it backwards.
        ahead = changelog.read_page(conn, who, 99)
        assert (ahead.entries, ahead.has_more, ahead.next_seq) == (0, False, 99)


def test_invisible_entries_still_advance_the_cursor(district):
    """A department's pull skips everyone else's rows but its cursor still ends at the head."""
    who = viewer(district, FINANCE_USER)
    replica = Replica()
    replica.pull(district, who)
    with district.begin() as conn:
        changelog.insert(conn, activities, [
            {"id": "a-late", "user_id": DEPUTY, "region_code": DISTRICT, "at": at(20), "kind": "sync"}
        ])
        top = changelog.head(conn)
    (page,) = replica.pull(district, who)
    assert page.entries == 0 and page.next_seq == top and not page.has_more


# ---------------------------------------------------------------- epoch

def test_epoch_is_stable_until_a_new_one_is_made(server_engine):
    with server_engine.begin() as conn:
        first = changelog.epoch(conn)
    with server_engine.begin() as conn:
        assert changelog.epoch(conn) == first
    with server_engine.begin() as conn:
        renewed = changelog.new_epoch(conn)
    assert renewed != first
    with server_engine.begin() as conn:
        assert changelog.epoch(conn) == renewed
    assert len(first) == len(renewed) == 12


# ---------------------------------------------------------------- concurrent writers

def _fund(key: str) -> dict:
    return {"id": f"fund:{key}", "scheme": "fund", "code": key, "name": key}


class Poller(threading.Thread):
    """A client pulling in a loop while writers run; records what it got and every cursor it moved to."""

    def __init__(self, engine: Engine, max_rows: int = 2) -> None:
        super().__init__(daemon=True)
        self.engine, self.max_rows = engine, max_rows
        self.who = viewer_for_public(engine)
        self.cursor = 0
        self.got: Counter = Counter()
        self.pages: list[tuple[int, int, list[str]]] = []  # (since, next, keys)
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def poll_once(self) -> changelog.ChangePage:
        # Both isolation levels a pull may run at; READ COMMITTED reads the head and the page in
        # different snapshots.
        with reading(self.engine, snapshot=len(self.pages) % 2 == 0) as conn:
            page = changelog.read_page(conn, self.who, self.cursor, max_rows=self.max_rows)
        keys = []
        for changes in page.tables.values():
            keys += list(changes.upserts)
            assert not changes.deletes
        self.got.update(keys)
        self.pages.append((self.cursor, page.next_seq, keys))
        assert page.next_seq >= self.cursor
        self.cursor = page.next_seq
        return page

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.poll_once()
                time.sleep(0.001)
        except BaseException as exc:  # reported by the test thread
            self.error = exc

    def finish(self) -> None:
        self.stop.set()
        self.join(30)
        assert not self.is_alive()
        if self.error:
            raise self.error
        while self.poll_once().has_more:  # what a client's next sync would fetch
            pass

    def check_against(self, engine: Engine, committed: set[str]) -> None:
        assert set(self.got) == committed, f"skipped {sorted(committed - set(self.got))}"
        assert all(n == 1 for n in self.got.values()), "a row arrived twice"
        with reading(engine) as conn:
            seq_of = dict(conn.execute(select(changelog_table.c.row_key, changelog_table.c.seq)).all())
        last = 0
        for since, next_seq, keys in self.pages:
            seqs = sorted(seq_of[k] for k in keys)
            assert all(since < s <= next_seq for s in seqs), "page entries outside its cursor range"
            assert not seqs or seqs[0] > last
            last = max([last, *seqs])


def _slow_and_fast_writers(engine: Engine, reader: Poller, *, hold: float = 0.4) -> dict[str, float]:
    """A slow transaction appends and stays open; meanwhile a fast one appends and commits."""
    slow_appended, release_slow = threading.Event(), threading.Event()
    timeline: dict[str, float] = {}
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            with engine.begin() as conn:
                changelog.insert(conn, classifications, [_fund("slow")])
                slow_appended.set()
                release_slow.wait(30)
                timeline["slow_commit"] = time.monotonic()
        except BaseException as exc:
            errors.append(exc)
            slow_appended.set()

    def fast() -> None:
        try:
            with engine.begin() as conn:
                changelog.insert(conn, classifications, [_fund("fast")])
            timeline["fast_done"] = time.monotonic()
        except BaseException as exc:
            errors.append(exc)

    slow_thread = threading.Thread(target=slow, daemon=True)
    fast_thread = threading.Thread(target=fast, daemon=True)
    slow_thread.start()
    assert slow_appended.wait(30)
    fast_thread.start()
    polls_before = len(reader.pages)
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline or len(reader.pages) < polls_before + 5:
        time.sleep(0.01)  # the reader keeps polling while the slow transaction is open
    release_slow.set()
    slow_thread.join(30)
    fast_thread.join(30)
    if errors:
        raise errors[0]
    return timeline


def test_reader_never_skips_a_row_held_back_by_a_slow_transaction(server_engine):
    with server_engine.begin() as conn:
        changelog.insert(conn, classifications, [_fund("before")])
    reader = Poller(server_engine)
    reader.start()
    timeline = _slow_and_fast_writers(server_engine, reader)
    reader.finish()
    reader.check_against(server_engine, {"fund:before", "fund:slow", "fund:fast"})
    # The fast writer queued behind the slow one (advisory lock on PostgreSQL, the write lock on SQLite):
    # that is what keeps seq order and commit order the same.
    assert timeline["fast_done"] >= timeline["slow_commit"]


@pytest.mark.postgres
def test_without_the_append_lock_a_reader_would_skip(server_engine, monkeypatch):
    """The control for the test above: it does catch the skip when appends are not serialised."""
    if server_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    monkeypatch.setattr(changelog, "lock_appends", lambda conn: None)
    reader = Poller(server_engine)
    reader.start()
    _slow_and_fast_writers(server_engine, reader)
    reader.finish()
    with reading(server_engine) as conn:
        seqs = dict(conn.execute(select(changelog_table.c.row_key, changelog_table.c.seq)).all())
    assert seqs["fund:slow"] < seqs["fund:fast"]  # seq order differs from commit order…
    assert set(reader.got) == {"fund:fast"}  # …and the reader passed the slow row for good


@pytest.mark.postgres
def test_changelog_sequence_hands_out_values_one_at_a_time(server_engine):
    """The lock orders appends only if nextval is ordered too: a sequence CACHE > 1 would let one
    session append a lower seq after another session's higher one, and a reader would skip it."""
    if server_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL sequences only")
    with reading(server_engine) as conn:
        cache = conn.exec_driver_sql(
            "SELECT seqcache FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('changelog', 'seq')::regclass"
        ).scalar_one()
    assert cache == 1


def _random_writers(engine: Engine, rng: random.Random, *, threads: int, transactions: int) -> set[str]:
    committed: set[str] = set()
    lock = threading.Lock()
    errors: list[BaseException] = []
    seeds = [rng.randrange(2**32) for _ in range(threads)]

    def writer(n: int) -> None:
        own = random.Random(seeds[n])
        try:
            for t in range(transactions):
                keys = [f"w{n}t{t}r{r}" for r in range(own.randint(1, 3))]
                rollback = own.random() < 0.1
                try:
                    with engine.begin() as conn:
                        time.sleep(own.random() * 0.003)  # work before the first append
                        for key in keys:
                            changelog.insert(conn, classifications, [_fund(key)])
                            time.sleep(own.random() * 0.003)  # and between appends, lock held
                        if rollback:
                            raise _Rollback
                except _Rollback:
                    continue
                with lock:
                    committed.update(f"fund:{k}" for k in keys)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    if errors:
        raise errors[0]
    return committed


class _Rollback(Exception):
    pass


def _random_run(engine: Engine, *, threads: int, transactions: int, max_rows: int) -> None:
    seed = int(os.environ.get("BUDGETWATCH_TEST_SEED", random.randrange(2**32)))
    print(f"random seed {seed} (BUDGETWATCH_TEST_SEED={seed} repeats this run)")
    reader = Poller(engine, max_rows=max_rows)
    reader.start()
    committed = _random_writers(engine, random.Random(seed), threads=threads, transactions=transactions)
    reader.finish()
    reader.check_against(engine, committed)
    assert len(reader.pages) > 10, "the reader should have polled while the writers ran"


def test_random_concurrent_writers_and_a_polling_reader(server_engine):
    _random_run(server_engine, threads=4, transactions=25, max_rows=3)


@pytest.mark.slow
@pytest.mark.parametrize("max_rows", [1, 7, 5000])
def test_random_concurrent_writers_long(server_engine, max_rows):
    _random_run(server_engine, threads=8, transactions=150, max_rows=max_rows)
