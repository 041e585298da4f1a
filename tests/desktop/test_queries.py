"""The read layer against the hand-made replica: every figure checked against the fixture's numbers."""

import threading
from decimal import Decimal

import pytest

from desktop.queries.budget import BudgetDimension, budget_breakdown
from desktop.queries.execution import (
    UNKNOWN_LINE,
    NamesOnDemand,
    line_executions,
    line_names,
    monthly_execution,
)
from desktop.queries.final import final_comparison, final_years
from desktop.queries.local_suggestions import SubmitCommand, SuggestionDraft, merge_suggestions
from desktop.queries.policies import monthly_disbursement, policy_progress
from desktop.queries.projects import project_milestones_of, project_progress
from desktop.queries.replica import ReplicaReader, Scope, as_of_month, budget_years, region_list, subtree_codes
from desktop.queries.suggestions import suggestion_contact, suggestion_history, suggestion_rows
from desktop.queries.thresholds import Level, thresholds
from tests.desktop.fixture_replica import AS_OF_MONTH, DISTRICT, FENGBEI, YEAR


@pytest.fixture
def conn(account):
    reader = ReplicaReader(account.replica_path)
    with reader.connect() as connection:
        yield connection
    reader.dispose()


def scope(conn, region=DISTRICT, year=YEAR) -> Scope:
    return Scope(year, region, subtree_codes(region_list(conn), region))


def test_regions_years_and_the_data_own_as_of_month(conn):
    assert [r.name for r in region_list(conn)] == ["达州市", "通川区", "凤北街道", "北山镇"]
    assert subtree_codes(region_list(conn), DISTRICT) == {DISTRICT, FENGBEI, "511702002"}
    assert budget_years(conn) == [YEAR, YEAR - 1]
    assert as_of_month(conn, YEAR) == AS_OF_MONTH and as_of_month(conn, YEAR - 1) == 12
    assert as_of_month(conn, YEAR + 1) == 0


def test_budget_by_function_class_with_share_and_change_on_last_year(conn):
    breakdown = budget_breakdown(conn, scope(conn), BudgetDimension.FUNCTION)
    rows = {g.code: g for g in breakdown.groups}
    assert [g.code for g in breakdown.groups] == ["214", "213", "221", "201", "208"]  # largest first
    assert breakdown.total_approved == 1_175_456_789 and breakdown.total_adjusted == 1_135_456_789
    assert rows["214"].name == "交通运输支出" and rows["214"].adjusted == 450_000_000
    assert breakdown.share(rows["214"]) == Decimal("42.5")
    assert rows["213"].change_on_last_year == Decimal("40.7")  # 380 万 on 270 万
    assert rows["221"].previous_approved is None and rows["221"].change_on_last_year is None
    drilled = budget_breakdown(conn, scope(conn), BudgetDimension.FUNCTION, parent="213")
    assert [(g.code, g.approved) for g in drilled.groups] == [("21305", 300_000_000), ("21301", 80_000_000)]
    leaf = budget_breakdown(conn, scope(conn), BudgetDimension.FUNCTION, parent="21305").groups
    assert [(g.code, g.name, g.can_drill) for g in leaf] == [("2130505", "生产发展", False)]


def test_budget_by_department_and_fund_for_one_township(conn):
    fengbei = scope(conn, FENGBEI)
    departments = budget_breakdown(conn, fengbei, BudgetDimension.DEPARTMENT).groups
    assert [(g.name, g.approved) for g in departments] == [("凤北街道党政办", 422_000_000),
                                                          ("凤北街道社会事务办", 50_000_000)]
    funds = budget_breakdown(conn, scope(conn), BudgetDimension.FUND).groups
    assert [(g.name, g.approved) for g in funds] == [("一般公共预算", 675_456_789), ("政府性基金预算", 500_000_000)]


def test_execution_month_by_month_and_each_line_lag(conn):
    monthly = monthly_execution(conn, scope(conn, FENGBEI))
    assert monthly.budget == 482_000_000
    assert monthly.cumulative[AS_OF_MONTH - 1] == 311_500_000
    assert monthly.cumulative_percent(AS_OF_MONTH)[-1] == Decimal("64.6")
    assert monthly.paid[10:] == (0, 0)
    lines = {line.line_id: line for line in line_executions(conn, scope(conn), AS_OF_MONTH)}
    assert lines[2].execution_percent == Decimal("50.0") and lines[2].lag_points(AS_OF_MONTH) == Decimal("33.3")
    assert lines[6].paid == 400_000_000 and lines[6].lag_points(AS_OF_MONTH) == Decimal("-5.6")
    names = line_names(conn, [1, 3, 999_999])
    assert names[3].label == "凤凰山片区乡村振兴示范线路" and names[1].label == "行政运行" and 999_999 not in names
    rules = thresholds(conn, "execution_lag")
    assert [rules.level(lines[i].lag_points(AS_OF_MONTH)) for i in (1, 4, 2)] == [None, Level.YELLOW, Level.RED]


def test_the_names_of_a_fills_lines_are_read_a_block_at_a_time_as_they_are_shown(account, conn, monkeypatch):
    monkeypatch.setattr(NamesOnDemand, "BLOCK", 2)
    order = sorted((line.line_id for line in line_executions(conn, scope(conn), AS_OF_MONTH)), reverse=True)
    expected = line_names(conn, order)
    assert len(order) >= 5
    reader = ReplicaReader(account.replica_path)
    names = NamesOnDemand(reader, scope(conn), order)
    assert names[order[3]] == expected[order[3]]  # reads the block of the 3rd and 4th lines, in the given order
    reader.dispose()
    moved = account.replica_path.rename(account.replica_path.with_suffix(".away"))
    assert names[order[2]] == expected[order[2]]  # no read: its block came with the line beside it
    with pytest.raises(Exception, match="unable to open"):
        names[order[0]]  # another block: a read, and there is no replica to read now
    moved.rename(account.replica_path)
    names.read_all()
    reader.dispose()
    account.replica_path.rename(moved)
    assert [names[line_id] for line_id in order] == [expected[line_id] for line_id in order]
    moved.rename(account.replica_path)


def test_after_a_few_blocks_the_names_of_every_line_are_read_at_once(account, conn, monkeypatch):
    monkeypatch.setattr(NamesOnDemand, "BLOCK", 2)
    monkeypatch.setattr(NamesOnDemand, "BLOCKS_BEFORE_ALL", 1)
    order = [line.line_id for line in line_executions(conn, scope(conn), AS_OF_MONTH)]
    expected = line_names(conn, order)
    reader = ReplicaReader(account.replica_path)
    names = NamesOnDemand(reader, scope(conn), order)
    assert names[order[0]] == expected[order[0]]  # one block
    assert names[order[2]] == expected[order[2]]  # a second: every line's, as a sort by a name would need
    reader.dispose()
    moved = account.replica_path.rename(account.replica_path.with_suffix(".away"))
    assert [names[line_id] for line_id in order] == [expected[line_id] for line_id in order]
    moved.rename(account.replica_path)


def test_a_line_gone_since_the_fill_is_shown_without_names(account, conn):
    reader = ReplicaReader(account.replica_path)
    names = NamesOnDemand(reader, scope(conn), [1, 10**9])
    assert names[10**9] == UNKNOWN_LINE and names[1].label == "行政运行"
    reader.dispose()


def test_a_read_aside_runs_on_another_thread_and_brings_back_its_answer_or_its_error(account, conn):
    reader = ReplicaReader(account.replica_path)
    threads = []

    def monthly(connection):
        threads.append(threading.current_thread())
        return monthly_execution(connection, scope(connection, FENGBEI))

    assert reader.read_aside(monthly).result(timeout=10) == monthly_execution(conn, scope(conn, FENGBEI))
    assert threads and threads[0] is not threading.current_thread()

    def broken(connection):
        raise LookupError("没有这个表")

    with pytest.raises(LookupError, match="没有这个表"):
        reader.read_aside(broken).result(timeout=10)
    reader.dispose()


def test_final_accounts_against_budget(conn):
    assert final_years(conn, scope(conn).region_codes) == [YEAR - 1]
    rows = {c.code: c for c in final_comparison(conn, scope(conn, year=YEAR - 1))}
    assert (rows["213"].approved, rows["213"].adjusted, rows["213"].final) == (270_000_000, 320_000_000, 259_000_000)
    assert rows["213"].difference == -61_000_000 and rows["213"].deviation_percent == Decimal("-19.1")
    assert rows["208"].deviation_percent == Decimal("16.0")
    assert final_comparison(conn, scope(conn)) == []  # 2026 has no final accounts yet


def test_policies_disbursed_against_time(conn):
    progress = {p.name: p for p in policy_progress(conn, scope(conn), AS_OF_MONTH)}
    assert progress["乡村振兴"].disbursed == 150_000_000 and progress["乡村振兴"].disbursed_percent == Decimal("50.0")
    assert progress["乡村振兴"].lag_points(AS_OF_MONTH) == Decimal("33.3")
    assert progress["交通三年大会战"].project_count == 2
    assert monthly_disbursement(conn, [1], YEAR)[2] == 50_000_000


def test_projects_paid_against_progress_with_milestones(conn):
    projects = {p.name: p for p in project_progress(conn, scope(conn))}
    road = projects["肖公庙社区道路小修整治工程"]
    assert road.paid_percent == Decimal("100.0") and road.paid_ahead_points == Decimal("30.0")
    assert projects["凤北街道老旧小区改造(一期)"].progress_lag_points == 30
    assert [m.text for m in project_milestones_of(conn, 1)] == ["开工", "路基工程完成", "沥青路面铺设过半"]
    assert [p.name for p in project_progress(conn, scope(conn), policy_id=2)] == [
        "双鱼湖环湖公路建设工程", "肖公庙社区道路小修整治工程"]


def test_suggestions_with_history_and_contacts(conn):
    rows = {r.number: r for r in suggestion_rows(conn, scope(conn).region_codes)}
    assert rows["2026-0001"].state == "replied" and rows["2026-0001"].department == "通川区农业农村局"
    assert rows["2026-0003"].decline_reason.startswith("属于小区业主自治事项")
    history = suggestion_history(conn, "s-0001")
    assert [(e.action, e.actor) for e in history] == [("submit", "王建国"), ("assign", "张敏"),
                                                      ("accept", "区农业农村局"), ("reply", "区农业农村局")]
    assert history[1].assigned_department == "通川区农业农村局"
    assert suggestion_contact(conn, "s-0002").name == "陈大爷" and suggestion_contact(conn, "s-0001") is None


def test_each_suggestion_listed_once_in_its_furthest_state(conn):
    server_rows = suggestion_rows(conn, scope(conn).region_codes)
    uploaded = SuggestionDraft(server_rows[0].suggestion_id, title="came back")
    queued, refused, draft = (SuggestionDraft(key, title=key) for key in ("q", "r", "d"))
    commands = [SubmitCommand("c1", "applied", None, "2026-11-29T21:00:00+08:00", uploaded),
                SubmitCommand("c2", "sent", None, "2026-11-29T21:01:00+08:00", queued),
                SubmitCommand("c3", "rejected", "标题重复", "2026-11-29T21:02:00+08:00", refused)]
    items = merge_suggestions(server_rows, [draft, queued], commands)
    states = {item.suggestion_id: item.state for item in items}
    assert states == {**{r.suggestion_id: r.state for r in server_rows}, "q": "pending", "r": "rejected",
                      "d": "draft"}
    assert len(items) == len(server_rows) + 3
