"""The demo data (sync/server/demo.py): deterministic, coherent, and tripping every review rule on purpose.

The checks of the planted figures are test oracles written from DESIGN.md §5 over plain SQL, not the
review rules themselves, so a generator change that stops tripping a rule fails here.

Most tests read one demo per seed loaded into a module-wide SQLite file (loading takes seconds); the
tests that need a database of their own take ``server_engine`` from tests/conftest.py (SQLite and
PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, Engine, case, func, select

from sync.protocol import decode_values, value_decoders
from sync.schema import (
    REPLICATED_TABLES,
    REVIEW_RULES,
    SUGGESTION_STATES,
    budget_lines,
    changelog,
    classifications,
    credentials,
    departments,
    executions,
    policies,
    policy_disbursements,
    primary_key_column,
    projects,
    regions,
    review_thresholds,
    suggestion_contacts,
    suggestion_events,
    suggestions,
    users,
)
from sync.server import accounts, db
from sync.server.demo import (
    AS_OF,
    CURRENT_YEAR,
    PASSWORDS,
    PLANTED,
    PLANTS,
    REPORTED_MONTH,
    STORY_DISTRICT,
    DemoError,
    load_default_thresholds,
    load_demo,
    load_reference,
)

SEEDS = (1, 7)
#: Time progress (序时进度) at the demo's as-of date, in %.
TIME_PROGRESS = Fraction(REPORTED_MONTH * 100, 12)
LAST_YEAR = CURRENT_YEAR - 1
END_OF_AS_OF = dt.datetime.combine(AS_OF, dt.time.max, ZoneInfo("Asia/Shanghai"))
PLANT = {p.rule: p for p in PLANTS}


def _migrated_sqlite(path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    return engine


@pytest.fixture
def _engine(tmp_path) -> Iterator[Engine]:
    """A fresh migrated SQLite database (``server_engine`` runs the same on PostgreSQL too)."""
    engine = _migrated_sqlite(tmp_path / "s.db")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Iterator[Callable[[int], Engine]]:
    """``demo_db(seed)``: a SQLite database holding the district demo of that seed, loaded once."""
    engines: dict[int, Engine] = {}

    def get(seed: int) -> Engine:
        if seed not in engines:
            engines[seed] = _migrated_sqlite(tmp_path_factory.mktemp(f"demo-{seed}") / "s.db")
            load_demo(engines[seed], seed=seed)
        return engines[seed]

    yield get
    for engine in engines.values():
        engine.dispose()


# ---------------------------------------------------------------- content, counts, hash

def _instant(value: dt.datetime) -> dt.datetime:
    """SQLite gives timestamps back naive, in UTC (the changelog writes them in UTC)."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _canonical(value: Any) -> Any:
    """A value the same way from both databases: instants in UTC, decimals without trailing zeros."""
    if isinstance(value, dt.datetime):
        return _instant(value).isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _rows(conn: Connection, table) -> list[tuple]:
    query = select(table).order_by(primary_key_column(table))
    return [tuple(_canonical(v) for v in row) for row in conn.execute(query)]


def _counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in REPLICATED_TABLES}


def _content_hash(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(REPLICATED_TABLES, key=lambda t: t.name):
            digest.update(table.name.encode())
            for row in _rows(conn, table):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_seed_gives_the_same_data_on_both_databases(server_engine, demo_db):
    made = load_demo(server_engine, seed=1)
    reference = demo_db(1)
    with server_engine.connect() as conn, reference.connect() as ref:
        assert _counts(conn) == _counts(ref)
    assert _content_hash(server_engine) == _content_hash(reference)
    assert [a.username for a in made][:2] == ["deputy01", "deputy02"]


def test_a_different_seed_gives_different_figures_on_the_same_skeleton(demo_db):
    one, other = demo_db(SEEDS[0]), demo_db(SEEDS[1])
    assert _content_hash(one) != _content_hash(other)
    with one.connect() as a, other.connect() as b:
        assert _rows(a, regions) == _rows(b, regions)
        assert _rows(a, users) == _rows(b, users)
        assert _rows(a, budget_lines) != _rows(b, budget_lines)


def test_district_scale_is_the_size_asked_for(demo_db):
    with demo_db(1).connect() as conn:
        counts = _counts(conn)
        per_year = dict(conn.execute(select(budget_lines.c.year, func.count()).group_by(budget_lines.c.year)).all())
        levels = Counter(conn.execute(select(regions.c.level)).scalars())
    assert set(per_year) == {2024, 2025, 2026}
    assert all(2000 <= n <= 3000 for n in per_year.values()), per_year
    assert counts["executions"] == 12 * (per_year[2024] + per_year[2025]) + REPORTED_MONTH * per_year[2026]
    assert levels == {"city": 1, "district": 1, "township": 12}
    assert counts["policies"] == 8 * 3 and counts["projects"] == 20 and counts["suggestions"] == 40


def test_the_changelog_has_one_upsert_per_replicated_row_and_it_holds_the_row(demo_db):
    with demo_db(1).connect() as conn:
        counts = _counts(conn)
        entries = dict(conn.execute(select(changelog.c.table_name, func.count())
                                    .group_by(changelog.c.table_name)).all())
        distinct = dict(conn.execute(select(changelog.c.table_name, func.count(changelog.c.row_key.distinct()))
                                     .group_by(changelog.c.table_name)).all())
        assert conn.execute(select(func.count()).where(changelog.c.op != "u")).scalar_one() == 0
        for table in REPLICATED_TABLES:
            _assert_payloads_hold_rows(conn, table)
    assert entries == {name: n for name, n in counts.items() if n}
    assert distinct == entries


def _assert_payloads_hold_rows(conn: Connection, table) -> None:
    key = primary_key_column(table)
    decoders = value_decoders(table)
    for row in conn.execute(select(table).order_by(key).limit(3)).mappings():
        payload = conn.execute(select(changelog.c.payload).where(
            changelog.c.table_name == table.name, changelog.c.row_key == str(row[key.name]))).scalar_one()
        decoded = decode_values(json.loads(payload), decoders)
        assert [_canonical(v) for v in decoded] == [_canonical(row[c.name]) for c in table.columns], table.name


def test_money_is_integers_in_fen(demo_db):
    money = [(budget_lines, ("approved", "adjusted", "final")), (executions, ("amount",)),
             (policies, ("funds_arranged",)), (policy_disbursements, ("amount",)), (projects, ("budget", "paid"))]
    with demo_db(1).connect() as conn:
        for table, names in money:
            for row in conn.execute(select(*(table.c[n] for n in names))):
                assert all(v is None or type(v) is int for v in row), (table.name, row)
        refunds = conn.execute(select(func.count()).where(executions.c.amount < 0)).scalar_one()
    assert refunds > 0  # a few payments come back


def test_second_load_is_refused_and_changes_nothing(demo_db):
    engine = demo_db(1)
    with engine.connect() as conn:
        before = _counts(conn)
    with pytest.raises(DemoError, match="已有"):
        load_demo(engine, seed=2)
    with engine.connect() as conn:
        assert _counts(conn) == before


def test_an_unknown_scale_is_refused(_engine):
    with pytest.raises(DemoError, match="规模"):
        load_demo(_engine, scale="province")


def test_reference_and_thresholds_load_once(_engine):
    with _engine.begin() as conn:
        assert load_reference(conn) > 80 and load_default_thresholds(conn) == len(REVIEW_RULES)
        assert load_reference(conn) == 0 and load_default_thresholds(conn) == 0
        rows = {r.rule: r for r in conn.execute(select(review_thresholds))}
        assert conn.execute(select(classifications.c.name).where(classifications.c.id == "function:2080505")
                            ).scalar_one() == "机关事业单位基本养老保险缴费支出"
    assert set(rows) == set(REVIEW_RULES)
    assert (rows["execution_lag"].yellow, rows["execution_lag"].red) == (Decimal(5), Decimal(10))
    assert rows["idle_special_funds"].red == Decimal(6) and rows["paid_ahead_of_work"].red == Decimal(30)


# ---------------------------------------------------------------- coherence

def test_closed_years_add_up_to_final_accounts_and_the_current_year_has_no_final(demo_db):
    with demo_db(1).connect() as conn:
        query = (select(budget_lines.c.year, budget_lines.c.final, func.sum(executions.c.amount),
                        func.max(executions.c.month))
                 .join(executions, executions.c.line_id == budget_lines.c.id)
                 .group_by(budget_lines.c.id, budget_lines.c.year, budget_lines.c.final))
        for year, final, paid, last_month in conn.execute(query):
            if year < CURRENT_YEAR:
                assert (int(paid), last_month) == (final, 12)
            else:
                assert final is None and last_month == REPORTED_MONTH


def test_projects_and_policies_are_what_their_lines_paid(demo_db):
    with demo_db(1).connect() as conn:
        line_paid = dict(conn.execute(
            select(budget_lines.c.project_id, func.sum(executions.c.amount))
            .join(executions, executions.c.line_id == budget_lines.c.id)
            .where(budget_lines.c.project_id.is_not(None)).group_by(budget_lines.c.project_id)).all())
        for project in conn.execute(select(projects)):
            assert project.paid == int(line_paid[project.id]), project.name
        for policy in conn.execute(select(policies)):
            linked = select(budget_lines.c.id).where(budget_lines.c.policy_id == policy.id)
            arranged = conn.execute(select(func.sum(budget_lines.c.adjusted)).where(
                budget_lines.c.policy_id == policy.id)).scalar_one()
            paid = conn.execute(select(func.sum(executions.c.amount)).where(executions.c.line_id.in_(linked))
                                ).scalar_one()
            disbursed = conn.execute(select(func.sum(policy_disbursements.c.amount)).where(
                policy_disbursements.c.policy_id == policy.id)).scalar_one()
            assert policy.funds_arranged == int(arranged) and int(disbursed) == int(paid), policy.name


def test_seed_text_subjects_are_there(demo_db):
    with demo_db(1).connect() as conn:
        found = {p.name: p for p in conn.execute(select(projects))}
        titles = set(conn.execute(select(suggestions.c.title)).scalars())
        township_deputies = conn.execute(select(func.count()).where(
            users.c.role == "deputy", users.c.region_code != STORY_DISTRICT)).scalar_one()
    assert found["肖公庙社区道路小修整治工程"].paid == found["肖公庙社区道路小修整治工程"].budget
    assert found["双鱼湖环湖公路建设工程"].paid * 2 == found["双鱼湖环湖公路建设工程"].budget
    assert found["凤凰山片区乡村振兴示范线路"].policy_id is not None
    assert "大力发展通川脆李产业助力建设宜居宜业和美乡村" in titles
    assert any("城市社区专职工作者绩效报酬" in t for t in titles)
    assert 0 < township_deputies < 14


# ---------------------------------------------------------------- suggestions and people

#: Transitions of DESIGN.md §4: (from state, action) → to state.
TRANSITIONS = {
    (None, "submit"): "submitted",
    ("submitted", "assign"): "assigned", ("reopened", "assign"): "assigned",
    ("assigned", "accept"): "accepted", ("accepted", "reply"): "replied",
    ("replied", "feedback"): ("closed", "reopened"),
    ("submitted", "decline"): "declined", ("submitted", "merge"): "merged",
}
ROLE_OF_ACTION = {"submit": "deputy", "feedback": "deputy", "assign": "staff", "decline": "staff", "merge": "staff",
                  "accept": "department", "reply": "department"}


def test_suggestions_cover_every_state_with_a_consistent_history(demo_db):
    with demo_db(1).connect() as conn:
        found = {s.id: s for s in conn.execute(select(suggestions))}
        events = defaultdict(list)
        for event in conn.execute(select(suggestion_events).order_by(suggestion_events.c.at)):
            events[event.suggestion_id].append(event)
        roles = dict(conn.execute(select(users.c.id, users.c.role)).all())
        contacts = {c.suggestion_id: c for c in conn.execute(select(suggestion_contacts))}
    assert Counter(s.state for s in found.values()).keys() == set(SUGGESTION_STATES)
    for s in found.values():
        _assert_history(s, events[s.id], roles)
        _assert_state_fields(s, found)
        contact = contacts.get(s.id)
        assert (contact is not None) == (s.source == "constituents")
        if contact:
            assert (contact.region_code, contact.department_code, contact.author_id) == (
                s.region_code, s.department_code, s.author_id)
            assert contact.name and contact.phone
    numbers = [s.number for s in found.values() if s.number]
    assert len(numbers) == len(set(numbers)) and all(len(n) == 9 and n[4] == "-" for n in numbers)


def test_assignments_name_real_departments(demo_db):
    with demo_db(1).connect() as conn:
        codes = set(conn.execute(select(departments.c.code)).scalars())
        assigned = set(conn.execute(select(suggestion_events.c.assigned_department)
                                    .where(suggestion_events.c.assigned_department.is_not(None))).scalars())
    assert assigned and assigned <= codes


def _assert_history(s, history: list, roles: dict[int, str]) -> None:
    state = None
    for event in history:
        allowed = TRANSITIONS[state, event.action]
        assert event.to_state in (allowed if isinstance(allowed, tuple) else (allowed,)), (s.title, event.action)
        assert event.from_state == state and roles[event.actor_id] == event.actor_role == ROLE_OF_ACTION[event.action]
        assert (event.region_code, event.department_code) == (s.region_code, s.department_code)
        assert _instant(event.at) <= END_OF_AS_OF
        if event.action == "assign":
            assert event.assigned_department and event.deadline
        if event.action == "feedback":
            assert 1 <= event.rating <= 5
        state = event.to_state
    assert state == s.state, s.title
    assert _instant(history[0].at) == _instant(s.submitted_at)
    assert _instant(history[-1].at) == _instant(s.updated_at)


def _assert_state_fields(s, found: dict) -> None:
    assert (s.decline_reason is not None) == (s.state == "declined")
    assert (s.merged_into is not None) == (s.state == "merged")
    if s.merged_into:
        assert found[s.merged_into].number
    registered = s.state not in ("submitted", "declined", "merged")
    assert (s.department_code is not None) == registered == (s.number is not None) == (s.deadline is not None)
    if s.state in ("closed", "reopened"):
        assert s.rating is not None


def test_accounts_one_password_per_role(demo_db):
    with demo_db(1).connect() as conn:
        made = conn.execute(select(users.c.username, users.c.role, users.c.region_code, users.c.department_code,
                                   credentials.c.password_hash).join(credentials)).all()
    by_role = Counter(row.role for row in made)
    assert by_role["deputy"] == 14 and by_role["staff"] == 2 and by_role["department"] >= 5
    assert {row.username for row in made} >= {"deputy01", "deputy14", "staff01", "dept_jiaotong"}
    assert all(len(p) >= 8 for p in PASSWORDS.values())
    for role in ("deputy", "staff", "department"):
        row = next(r for r in made if r.role == role)
        assert accounts.verify_password(row.password_hash, PASSWORDS[role])
    assert len({row.password_hash for row in made}) == 3  # hashed once per role


# ---------------------------------------------------------------- planted warnings (DESIGN.md §5 at red level)

def _line_figures(conn: Connection) -> list[dict[str, Any]]:
    """Every line with its amount paid: in total, Jan–Nov, December and Jan–REPORTED_MONTH."""
    month = executions.c.month
    paid = (select(executions.c.line_id, func.sum(executions.c.amount).label("paid"),
                   func.sum(case((month <= 11, executions.c.amount), else_=0)).label("to_november"),
                   func.sum(case((month == 12, executions.c.amount), else_=0)).label("december"),
                   func.sum(case((month <= REPORTED_MONTH, executions.c.amount), else_=0)).label("to_reported"))
            .group_by(executions.c.line_id).subquery())
    query = select(budget_lines, paid.c.paid, paid.c.to_november, paid.c.december, paid.c.to_reported).join(
        paid, paid.c.line_id == budget_lines.c.id)
    lines = []
    for row in conn.execute(query).mappings():
        line = dict(row)
        for name in ("paid", "to_november", "december", "to_reported"):
            line[name] = int(line[name])
        lines.append(line)
    return lines


def _percent(part: int, whole: int) -> Fraction:
    return Fraction(part * 100, whole) if whole else Fraction(0)


def _lagging(lines: list[dict], *, livelihood: bool) -> set[tuple[str, str | None]]:
    return {(x["unit_name"], x["project_name"]) for x in lines
            if x["year"] == CURRENT_YEAR and x["is_livelihood"] == livelihood
            and _percent(x["paid"], x["adjusted"]) < TIME_PROGRESS - 10}


def _year_end_rush(lines: list[dict]) -> set[tuple[str, int]]:
    units: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for x in lines:
        if x["year"] < CURRENT_YEAR:
            units[x["unit_name"], x["year"]][0] += x["to_november"]
            units[x["unit_name"], x["year"]][1] += x["december"]
    return {unit for unit, (early, december) in units.items()
            if _percent(early, early + december) < 50 < _percent(december, early + december)}


def _deviating(lines: list[dict], part: str, whole: str) -> set[tuple[str, int]]:
    return {(x["project_name"], x["year"]) for x in lines
            if x[part] is not None and abs(_percent(x[part] - x[whole], x[whole])) >= 20}


def _three_public_up(lines: list[dict]) -> set[str]:
    """Units whose 三公经费 rise on last year, in both the budget and Jan–REPORTED_MONTH spending."""
    budget: dict[tuple[str, int], int] = Counter()
    spent: dict[tuple[str, int], int] = Counter()
    for x in lines:
        if x["is_three_public"]:
            budget[x["unit_name"], x["year"]] += x["approved"]
            spent[x["unit_name"], x["year"]] += x["to_reported"]
    return {unit for unit, year in budget if year == CURRENT_YEAR
            and budget[unit, year] > budget[unit, LAST_YEAR] and spent[unit, year] > spent[unit, LAST_YEAR]}


def _idle_special(lines: list[dict]) -> set[str]:
    return {x["project_name"] for x in lines if x["year"] == CURRENT_YEAR and x["is_special"]
            and x["adjusted"] > 0 and x["paid"] == 0 and REPORTED_MONTH >= 6}


def _projects(conn: Connection, fires: Callable[[Any], bool]) -> set[str]:
    return {p.name for p in conn.execute(select(projects)) if fires(p)}


def _lagging_policies(conn: Connection) -> set[str]:
    disbursed = dict(conn.execute(select(policy_disbursements.c.policy_id, func.sum(policy_disbursements.c.amount))
                                  .group_by(policy_disbursements.c.policy_id)).all())
    return {p.name for p in conn.execute(select(policies).where(policies.c.year == CURRENT_YEAR))
            if _percent(int(disbursed.get(p.id, 0)), p.funds_arranged) < TIME_PROGRESS - 20}


def _overdue(conn: Connection) -> set[str]:
    replied = set(conn.execute(select(suggestion_events.c.suggestion_id).where(
        suggestion_events.c.action == "reply")).scalars())
    return {s.title for s in conn.execute(select(suggestions).where(suggestions.c.state.in_(("assigned", "accepted"))))
            if s.deadline < AS_OF and s.id not in replied}


def _fired(conn: Connection, rule: str) -> set:
    """What trips ``rule`` at red level in the demo, named like :func:`_plant_key`."""
    lines = _line_figures(conn) if rule in LINE_RULES else []
    return {
        "execution_lag": lambda: _lagging(lines, livelihood=False),
        "livelihood_payment_lag": lambda: _lagging(lines, livelihood=True),
        "year_end_rush": lambda: _year_end_rush(lines),
        "final_deviation": lambda: _deviating(lines, "final", "adjusted"),
        "large_adjustment": lambda: _deviating(lines, "adjusted", "approved"),
        "three_public_expenses": lambda: _three_public_up(lines),
        "idle_special_funds": lambda: _idle_special(lines),
        "project_lag": lambda: _projects(conn, lambda p: p.actual_progress < p.planned_progress - 20),
        "paid_ahead_of_work": lambda: _projects(conn, lambda p: _percent(p.paid, p.budget) - p.actual_progress >= 30),
        "policy_disbursement_lag": lambda: _lagging_policies(conn),
        "suggestion_overdue": lambda: _overdue(conn),
    }[rule]()


LINE_RULES = ("execution_lag", "livelihood_payment_lag", "year_end_rush", "final_deviation", "large_adjustment",
              "three_public_expenses", "idle_special_funds")
#: Rules only the plant trips (lags are also tripped by slow building projects, as in real districts).
ONLY_THE_PLANT = tuple(r for r in REVIEW_RULES if r not in ("execution_lag", "livelihood_payment_lag"))


def _plant_key(rule: str) -> Any:
    """The plant as :func:`_fired` names what it finds."""
    plant = PLANT[rule]
    if rule in ("execution_lag", "livelihood_payment_lag"):
        return (plant.unit, plant.subject)
    if rule in ("year_end_rush", "final_deviation", "large_adjustment"):
        return (plant.subject, plant.year)
    return plant.subject


def test_every_rule_is_planted():
    assert set(PLANTED) == set(REVIEW_RULES)
    assert all(PLANTED[rule].startswith(PLANT[rule].subject) for rule in REVIEW_RULES)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("rule", REVIEW_RULES)
def test_the_plant_trips_its_rule(demo_db, rule, seed):
    with demo_db(seed).connect() as conn:
        found = _fired(conn, rule)
    assert _plant_key(rule) in found, (rule, PLANTED[rule], found)


@pytest.mark.parametrize("rule", ONLY_THE_PLANT)
def test_only_the_plant_trips_its_rule(demo_db, rule):
    with demo_db(1).connect() as conn:
        found = _fired(conn, rule)
    assert found == {_plant_key(rule)}, (rule, found)


def test_livelihood_plant_is_the_only_community_pay_line_behind(demo_db):
    """The seed text's warning: 凤北's community workers' pay lags, the other streets' does not."""
    with demo_db(1).connect() as conn:
        behind = {unit for unit, project in _fired(conn, "livelihood_payment_lag")
                  if project == PLANT["livelihood_payment_lag"].subject}
    assert behind == {PLANT["livelihood_payment_lag"].unit}


# ---------------------------------------------------------------- city scale, by hand

@pytest.mark.slow
def test_city_scale(tmp_path):
    engine = _migrated_sqlite(tmp_path / "city.db")
    started = time.perf_counter()
    made = load_demo(engine, scale="city")
    seconds = time.perf_counter() - started
    with engine.connect() as conn:
        counts = _counts(conn)
        districts = conn.execute(select(func.count()).where(regions.c.level == "district")).scalar_one()
    print(f"city scale: {seconds:.1f} s, {counts['executions']} executions, {sum(counts.values())} rows")
    assert districts == 7 and counts["executions"] >= 1_000_000
    assert any(a.username == "city_staff01" and a.region_code == "511700" for a in made)
    if os.environ.get("BUDGETWATCH_DEMO_TIME_LIMIT"):
        assert seconds < float(os.environ["BUDGETWATCH_DEMO_TIME_LIMIT"])
