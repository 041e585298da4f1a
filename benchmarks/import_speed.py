"""How fast ``budgetwatch-server import execution`` loads a city-year, against raw sqlite3 ``executemany``.

A city of seven districts with about 17 000 budget lines reports twelve months: about 200 000
execution rows in one CSV (thousands separators, a title and a unit row, as finance bureaus export).
The import reads, validates (codes, lines, cumulative figures) and writes them through the changelog
in one transaction; the baseline inserts the same parsed rows with sqlite3's ``executemany`` and
nothing else. Prints both times and their ratio.

    .venv/bin/python benchmarks/import_speed.py [--lines N]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sync.schema import budget_lines, departments, regions
from sync.server import changelog, db
from sync.server.demo import load_reference
from sync.server.importers import ImportRequest, run_import

YEAR = 2026
LINES = {"district": 2_600, "city": 16_700}  # budget lines of a year (the demo district has ~2 600 a year)
FUNCTIONS = ("20101", "20103", "20502", "20802", "20805", "21003", "21301", "21401", "22101")
ECONOMICS = ("30101", "30102", "30201", "30211", "310", "303")


def _city(lines: int) -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(7)
    region_rows = [{"code": "5117", "name": "达州市", "level": "city", "parent_code": None, "sort_order": 0}]
    department_rows, line_rows = [], []
    for d in range(1, 8):
        district = f"5117{d:02d}"
        region_rows.append({"code": district, "name": f"第{d}区", "level": "district", "parent_code": "5117",
                            "sort_order": d})
        department_rows += [{"code": f"{district}{n:03d}", "name": f"第{d}区部门{n}", "region_code": district}
                            for n in range(1, 31)]
    for line_id in range(1, lines + 1):
        department = rng.choice(department_rows)
        line_rows.append({
            "id": line_id, "year": YEAR, "region_code": department["region_code"],
            "department_code": department["code"], "unit_name": f"单位{line_id % 97}",
            "function_code": rng.choice(FUNCTIONS), "economic_code": rng.choice(ECONOMICS), "fund_code": "1",
            "project_name": f"项目{line_id}", "approved": rng.randint(1, 5000) * 1_000_000})
    return region_rows, department_rows, line_rows


def _months(line_rows: list[dict]) -> list[tuple[dict, int, int]]:
    rng = random.Random(11)
    return [(line, month, line["approved"] // 12 - rng.randint(0, 100_000)) for line in line_rows
            for month in range(1, 13)]


def _write_csv(path: Path, months: list[tuple[dict, int, int]]) -> None:
    cumulative: dict[int, int] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow([f"{YEAR}年全市预算执行情况"])
        out.writerow(["单位：元"])
        out.writerow(["年度", "月份", "区划编码", "部门编码", "预算单位", "功能分类编码", "经济分类编码", "资金性质",
                      "项目名称", "本月支出", "累计支出"])
        for line, month, amount in months:
            cumulative[line["id"]] = cumulative.get(line["id"], 0) + amount
            out.writerow([YEAR, month, line["region_code"], line["department_code"], line["unit_name"],
                          line["function_code"], line["economic_code"], "一般公共预算", line["project_name"],
                          f"{amount / 100:,.2f}", f"{cumulative[line['id']] / 100:,.2f}"])


def _prepared_database(path: Path, lines: int) -> tuple[object, list[dict]]:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    region_rows, department_rows, line_rows = _city(lines)
    with engine.begin() as conn:
        load_reference(conn)
        changelog.insert(conn, regions, region_rows)
        changelog.insert(conn, departments, department_rows)
        changelog.insert(conn, budget_lines, line_rows)
    return engine, line_rows


def _raw_executemany(path: Path, months: list[tuple[dict, int, int]]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE executions (id INTEGER PRIMARY KEY, line_id BIGINT NOT NULL, region_code VARCHAR(12) "
                 "NOT NULL, year SMALLINT NOT NULL, month SMALLINT NOT NULL, amount BIGINT NOT NULL)")
    rows = [(n, line["id"], line["region_code"], YEAR, month, amount)
            for n, (line, month, amount) in enumerate(months, 1)]
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO executions VALUES (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _schema_floor(path: Path, months: list[tuple[dict, int, int]]) -> float:
    """Raw executemany of the same rows into the prepared database itself — its indexes, foreign keys and
    WAL, as the server opens it — with a changelog entry per row, in one transaction: what the import's
    writing cannot beat, without reading the file, checking it or building the entries in Python."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    start = conn.execute("SELECT coalesce(max(id), 0) FROM executions").fetchone()[0]
    rows = [(start + n, line["id"], line["region_code"], YEAR, month, amount)
            for n, (line, month, amount) in enumerate(months, 1)]
    entries = [("executions", str(row[0]), "u", row[2], None, None, json.dumps(row, separators=(",", ":")))
               for row in rows]
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO executions VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO changelog (table_name, row_key, op, region_code, department_code, user_id, "
                     "payload, at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", entries)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def measure(lines: int) -> dict[str, float]:
    """Rows, seconds of the import, of raw executemany of the same rows into a bare table, and of the
    schema floor (:func:`_schema_floor`)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        engine, line_rows = _prepared_database(work / "server.db", lines)
        engine.dispose()  # its WAL checkpointed into the file, which the floor starts from
        shutil.copy(work / "server.db", work / "floor.db")
        months = _months(line_rows)
        source = work / "execution-city-year.csv"
        _write_csv(source, months)
        started = time.perf_counter()
        outcome = run_import(engine, ImportRequest("execution", source), actor="benchmark")
        imported = time.perf_counter() - started
        assert outcome.ok, outcome.problems[:5]
        raw = _raw_executemany(work / "raw.db", months)
        floor = _schema_floor(work / "floor.db", months)
        engine.dispose()
    return {"rows": len(months), "imported": imported, "raw": raw, "floor": floor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=LINES["city"], help="budget lines of the city (× 12 months)")
    args = parser.parse_args()
    found = measure(args.lines)
    rows, imported, raw = found["rows"], found["imported"], found["raw"]
    print(f"行数 rows: {rows:,} (budget lines {args.lines:,} × 12 months)")
    print(f"import execution (read + validate + changelog, one transaction): {imported:.2f} s "
          f"({rows / imported:,.0f} rows/s)")
    print(f"raw sqlite3 executemany of the same rows:                      {raw:.2f} s")
    print(f"ratio import / raw executemany: {imported / raw:.1f}×")
    print(f"the same rows and their changelog entries into the prepared database: {found['floor']:.2f} s "
          f"(import / that: {imported / found['floor']:.1f}×)")


if __name__ == "__main__":
    main()
