"""The supervision report: a demo township's PDF renders (pdftoppm) with its charts and Chinese text, the
font embedded; it is built off the UI thread; and the budget lines export as a Fiscal Data Package."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from desktop.amounts import format_wan_yuan
from desktop.export.export_actions import Selection
from desktop.queries.budget import BudgetDimension, budget_breakdown
from desktop.queries.replica import ReplicaReader, Scope
from desktop.report.builder import ReportCancelled, ReportRequest, build_report
from sync.client.home import Account
from sync.client.run import SyncRun
from sync.server import db
from sync.server.demo import PASSWORDS, load_demo
from tests.client.conftest import LiveServer
from tests.desktop.fixture_replica import DISTRICT, YEAR

FENGBEI = "511702001"  # 凤北街道 of the demo district
POPPLER = ("pdftoppm", "pdffonts", "pdftotext")
needs_poppler = pytest.mark.skipif(any(shutil.which(tool) is None for tool in POPPLER),
                                   reason="poppler-utils (pdftoppm) is not installed: scripts/test.sh installs it")


@pytest.fixture(scope="module")
def demo_replica(tmp_path_factory) -> Path:
    """A township deputy's replica of the demo district, synced from a live server."""
    folder = tmp_path_factory.mktemp("demo")
    engine = db.make_engine(f"sqlite:///{folder / 'server.db'}")
    db.upgrade(engine)
    load_demo(engine)
    engine.dispose()
    server = LiveServer(folder / "server.db").start()
    try:
        account = Account.of(folder / "home", server.url, "deputy11")
        SyncRun(account, password=lambda: PASSWORDS["deputy"]).run()
    finally:
        server.stop()
        server.engine.dispose()
    return account.replica_path


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@needs_poppler
def test_township_report_renders_with_charts_and_chinese(demo_replica, tmp_path, qapp):
    out = tmp_path / "凤北街道.pdf"
    steps: list[str] = []
    pages = build_report(ReportRequest(demo_replica, FENGBEI, 2026, out, "张代表"),
                         lambda step, total, what: steps.append(what))
    assert pages >= 4 and steps[-1] == "完成"
    fonts = run("pdffonts", str(out)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    text = run("pdftotext", "-layout", str(out), "-")
    reader = ReplicaReader(demo_replica)
    with reader.connect() as conn:
        adjusted = budget_breakdown(conn, Scope(2026, FENGBEI, frozenset({FENGBEI})),
                                    BudgetDimension.FUNCTION).total_adjusted
    reader.dispose()
    for expected in ("凤北街道2026年", "预算执行监督分析报告", "一、总体情况", "三、预算执行与序时进度",
                     "七、当前预警", "八、意见建议办理情况", "民生资金支付慢", format_wan_yuan(adjusted),
                     f"共{pages}页"):
        assert expected in text, expected
    run("pdftoppm", "-r", "50", "-png", "-f", "3", "-l", "3", str(out), str(tmp_path / "page"))
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    assert image.width() > 300
    inked = sum(image.pixelColor(x, y).lightness() < 235 for x in range(0, image.width(), 4)
                for y in range(0, image.height(), 4))
    assert inked > 500  # text, table rules and the execution chart's lines, not a blank page


def test_cancelled_report_leaves_no_file(demo_replica, tmp_path, qapp):
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        build_report(ReportRequest(demo_replica, FENGBEI, 2026, out), cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_report_is_built_while_the_window_stays_responsive(window, account, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No)
    ticks: list[int] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    out = tmp_path / "报告.pdf"
    job = window.exports.start_report(ReportRequest(account.replica_path, DISTRICT, YEAR, out, "王建国"))
    assert not window.exports.report_action.isEnabled()
    with qtbot.waitSignal(job.finished, timeout=60_000) as finished:
        pass
    timer.stop()
    job.wait()
    assert finished.args == [out, finished.args[1]] and out.stat().st_size > 10_000
    assert ticks, "the event loop must keep running while the report is built"
    assert window.exports.report_action.isEnabled()


def test_open_data_is_a_fiscal_data_package(window, account, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: None)
    reader = ReplicaReader(account.replica_path)
    scope = window.current_scope()
    folder = tmp_path / "fdp"
    rows = window.exports.export_open_data(Selection(reader, scope, "通川区", None), folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    measures = package["model"]["measures"]
    assert {m["phase"] for m in measures.values()} == {"approved", "adjusted", "executed"}
    assert {m["direction"] for m in measures.values()} == {"expenditure"}
    assert package["resources"][0]["path"] == "budget-lines.csv"
    lines = (folder / "budget-lines.csv").read_text(encoding="utf-8").splitlines()
    assert rows == len(lines) - 1 > 0
    header = lines[0].split(",")
    approved = sum(Decimal(line.split(",")[header.index("approved")]) for line in lines[1:])
    with reader.connect() as conn:
        total = budget_breakdown(conn, scope, BudgetDimension.FUNCTION).total_approved
    reader.dispose()
    assert approved == Decimal(total) / 100


def test_export_fdp_on_the_command_line(home, tmp_path, capsys):
    from desktop.cli import main

    out = tmp_path / "open-data"
    assert main(["export-fdp", str(out), "--home", str(home), "--user", "deputy01", "--year", str(YEAR)]) == 0
    assert "条预算行" in capsys.readouterr().out
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["fiscalPeriod"] == {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    assert main(["export-fdp", str(out), "--home", str(home)]) == 2  # two users on this PC: which one?
