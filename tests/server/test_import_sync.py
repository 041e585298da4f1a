"""End to end: files imported on the server, a desktop replica synced over HTTP, and the totals its
panels read (the desktop's own queries); a corrected month then arrives as just the changed rows."""

from __future__ import annotations

import pytest

from desktop.queries.budget import BudgetDimension, budget_breakdown
from desktop.queries.execution import monthly_execution
from desktop.queries.replica import ReplicaReader, Scope
from sync.client.home import Account
from sync.server import db
from tests.client.conftest import Deputy, LiveServer
from tests.server import import_files as files
from tests.server.import_files import BUDGET_LINES, DISTRICT, FENGBEI, YEAR


@pytest.fixture
def live(tmp_path):
    path = tmp_path / "server.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    files.build_district(engine)
    assert files.load(engine, "budget", files.budget_file(tmp_path)).ok
    for month in (1, 2, 3):
        assert files.load(engine, "execution", files.execution_csv(tmp_path, month), month=month).ok
    server = LiveServer(path).start()
    yield engine, server
    server.stop()
    server.engine.dispose()
    engine.dispose()


def shown(account: Account, region: str, codes: frozenset[str]) -> tuple[int, list[int]]:
    """What the budget and execution panels show for a region: total approved, cumulative paid by month."""
    reader = ReplicaReader(account.replica_path)
    try:
        with reader.connect() as conn:
            scope = Scope(YEAR, region, codes)
            return (budget_breakdown(conn, scope, BudgetDimension.FUNCTION).total_approved,
                    monthly_execution(conn, scope).cumulative[:3])
    finally:
        reader.dispose()


def test_synced_client_shows_imported_totals_then_only_the_correction(live, tmp_path):
    engine, server = live
    staff = Deputy(Account.of(tmp_path / "home", server.url, "staff01"))
    staff.sync()
    fengbei = [i for i, line in enumerate(BUDGET_LINES) if line[0] == "凤北街道"]
    approved, cumulative = shown(staff.account, FENGBEI, frozenset({FENGBEI}))
    assert approved == sum(BUDGET_LINES[i][7] for i in fengbei)
    assert cumulative == [sum(files.paid(i, m) for i in fengbei for m in range(1, month + 1)) for month in (1, 2, 3)]
    everything = shown(staff.account, DISTRICT, frozenset({DISTRICT, FENGBEI, files.BEISHAN}))
    assert everything == (files.budget_total(), [files.cumulative_paid(month) for month in (1, 2, 3)])

    rows = files.execution_rows(3, lines=range(len(BUDGET_LINES) - 1),
                                amount=lambda line, month: files.paid(line, month) + (month == 3 and line == 2))
    assert files.load(engine, "execution", files.execution_csv(tmp_path, 3, rows=rows, name="更正.csv"), month=3).ok
    report = staff.sync()
    assert (report.rows_pulled, report.rows_deleted) == (1, 1)
    _approved, cumulative = shown(staff.account, DISTRICT, frozenset({DISTRICT, FENGBEI, files.BEISHAN}))
    dropped = files.paid(len(BUDGET_LINES) - 1, 3)
    assert cumulative[2] == files.cumulative_paid(3) + 1 - dropped
