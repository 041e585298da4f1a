"""The review on the district demo: every rule fires, on the planted rows (sync/server/demo.py PLANTS), and
agrees with the plain-SQL oracles of tests/server/test_demo.py; nothing absurd besides."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop.queries.replica import ReplicaReader
from desktop.review.model import Warning
from sync.client.replica import Replica
from sync.schema import REVIEW_RULES, budget_lines, review_thresholds
from sync.server.demo import AS_OF, CURRENT_YEAR, PLANTS, REPORTED_MONTH
from tests.review.conftest import reviewed
from tests.review.demo_replica import demo_replica
from tests.server.test_demo import _fired, _plant_key

PLANT = {p.rule: p for p in PLANTS}
#: Rules judged while a year is under way, and rules judged on a closed year.
IN_YEAR = ("execution_lag", "livelihood_payment_lag", "policy_disbursement_lag")


@pytest.fixture(scope="module")
def warnings(staff_replica) -> list[Warning]:
    return reviewed(staff_replica)


def line_names(path: Path, found: list[Warning]) -> dict[str, tuple[str, str | None, int]]:
    """Line id → (unit, project, year), to name line subjects the way the oracles do."""
    ids = [int(w.subject.id) for w in found if w.subject.type == "line"]
    reader = ReplicaReader(path)
    try:
        with reader.connect() as conn:
            rows = conn.execute(select(budget_lines.c.id, budget_lines.c.unit_name, budget_lines.c.project_name,
                                       budget_lines.c.year).where(budget_lines.c.id.in_(ids)))
            return {str(row.id): (row.unit_name, row.project_name, row.year) for row in rows}
    finally:
        reader.dispose()


def oracle_key(rule: str, warning: Warning, lines: dict[str, tuple[str, str | None, int]]):
    """A warning named like tests/server/test_demo.py's ``_fired`` names what trips a rule."""
    if warning.subject.type == "line":
        unit, project, year = lines[warning.subject.id]
        if rule in ("execution_lag", "livelihood_payment_lag"):
            return unit, project
        return project if rule == "idle_special_funds" else (project, year)
    if rule == "year_end_rush":
        return warning.subject.name, warning.year
    return warning.subject.name


def test_all_eleven_rules_fire_on_the_demo(warnings):
    assert {w.rule for w in warnings} == set(REVIEW_RULES)
    print("\n" + "\n".join(f"{rule}: {count}" for rule, count in Counter(w.rule for w in warnings).items()))


@pytest.mark.parametrize("rule", REVIEW_RULES)
def test_the_planted_subject_trips_its_rule_at_red(staff_replica, warnings, rule):
    plant = PLANT[rule]
    red = [w for w in warnings if w.rule == rule and w.level.value == "red" and w.year == plant.year]
    lines = line_names(staff_replica, red)
    assert _plant_key(rule) in {oracle_key(rule, w, lines) for w in red}, [w.message for w in red]


def test_nothing_absurd(warnings):
    """Lags only in the year under way, judged at its reported month; closed-year rules only on closed
    years; overdue by the server's date; no figure about a month that was not reported."""
    for warning in warnings:
        if warning.rule in IN_YEAR:
            assert warning.year == CURRENT_YEAR, warning.message
            assert f"1–{REPORTED_MONTH}月" in warning.message or "没有安排" in warning.message
        if warning.rule in ("year_end_rush", "final_deviation"):
            assert warning.year < CURRENT_YEAR, warning.message
        if warning.rule == "idle_special_funds":
            assert warning.figure("idle_months") == REPORTED_MONTH
        if warning.rule == "suggestion_overdue":
            assert 0 < warning.figure("days_overdue") <= (AS_OF - AS_OF.replace(month=1, day=1)).days
        assert "11月" not in warning.message or warning.rule == "year_end_rush"
    assert len(warnings) < 200  # the minimum amounts keep the list readable


@pytest.fixture(scope="module")
def without_minimums(staff_replica, tmp_path_factory) -> list[Warning]:
    """The review with every minimum amount set to 0, as the oracles have none."""
    copy = tmp_path_factory.mktemp("no-minimum") / "replica.sqlite"
    shutil.copy(staff_replica, copy)
    with Replica(copy) as replica, replica.engine.begin() as conn:
        conn.execute(update(review_thresholds).values(min_amount=0))
    return reviewed(copy)


@pytest.mark.parametrize("rule", [r for r in REVIEW_RULES if r != "three_public_expenses"])
def test_red_warnings_are_what_the_oracles_find(demo_engine, staff_replica, without_minimums, rule):
    red = [w for w in without_minimums if w.rule == rule and w.level.value == "red"
           and w.subject.type in ("line", "unit", "project", "policy", "suggestion")]
    lines = line_names(staff_replica, red)
    with demo_engine.connect() as conn:
        assert {oracle_key(rule, w, lines) for w in red} == _fired(conn, rule)


def test_three_public_expenses_finds_the_oracles_units_and_more_only_where_design_says(demo_engine, warnings):
    """The oracle asks for budget *and* spending up on last year; DESIGN.md §5 fires on either, or on
    spending above budget — which the plant also does, in its final accounts of 2025."""
    found = {(w.subject.name, w.year) for w in warnings if w.rule == "three_public_expenses"}
    with demo_engine.connect() as conn:
        oracle = {(unit, CURRENT_YEAR) for unit in _fired(conn, "three_public_expenses")}
    assert found == oracle | {(PLANT["three_public_expenses"].subject, CURRENT_YEAR - 1)}


def test_a_township_deputy_has_the_township_judged_not_the_district(demo_engine, tmp_path):
    """deputy11 (凤北街道) holds the township's lines only: the district named in the replica is not judged
    on them, and the township's own warnings are there."""
    path = demo_replica(demo_engine, tmp_path, "deputy11")
    with Replica(path) as replica:
        township = json.loads(replica.state()["user"])["region_code"]
    found = reviewed(path)
    assert {w.subject.region_code for w in found} == {township}
    assert {w.rule for w in found} >= {"livelihood_payment_lag", "suggestion_overdue"}
    assert [w.subject.id for w in found if w.subject.type == "region"] == [township]
