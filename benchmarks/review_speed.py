"""How long a full automatic review (desktop/review) takes at district and city scale — measured, never asserted.

    python benchmarks/review_speed.py [district] [city]

Loads the demo (sync/server/demo.py) into a temporary server database, makes the replica its staff
would sync (the demo's staff of the district — or, at city scale, of the city — see every replicated
row, so the tables are copied whole with SQLite's ATTACH), then reviews it a few times and prints the
median of the whole review, of what every review reads before its rules (each line's payments added up,
the as-of, the places) and of each rule.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from desktop.queries.replica import ReplicaReader
from desktop.queries.thresholds import all_thresholds
from desktop.review import RULES, review
from desktop.review.context import review_context
from desktop.review.model import ReviewScope
from sync.client import line_payments
from sync.client.replica import Replica
from sync.schema import REPLICATED_TABLES, budget_lines, executions, users
from sync.server import db
from sync.server.demo import AS_OF, load_demo

RUNS = 5
STAFF = {"district": "staff01", "city": "city_staff01"}


def build(folder: Path, scale: str) -> Path:
    server = folder / "server.db"
    engine = db.make_engine(f"sqlite:///{server}")
    db.upgrade(engine)
    started = time.perf_counter()
    load_demo(engine, scale=scale)
    engine.dispose()
    print(f"{scale}: demo loaded in {time.perf_counter() - started:.1f} s")
    return replica_of(server, folder / "replica.sqlite", STAFF[scale])


def replica_of(server: Path, path: Path, username: str) -> Path:
    """The replica ``username`` (a staff member, who sees every replicated row of their region) would sync
    from the server database ``server``, made at ``path`` by copying the tables whole."""
    engine = db.make_engine(f"sqlite:///{server}")
    with engine.connect() as conn:
        user = conn.execute(select(users).where(users.c.username == username)).mappings().one()
    engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    with Replica(path) as replica, replica.engine.begin() as conn:
        conn.exec_driver_sql(f"ATTACH DATABASE '{server}' AS server")
        for table in REPLICATED_TABLES:
            conn.exec_driver_sql(f"INSERT INTO main.{table.name} SELECT * FROM server.{table.name}")
        line_payments.rebuild(conn)  # derived from the executions, as a snapshot's load derives it
    with Replica(path) as replica:
        replica.update_state({"server_time": f"{AS_OF.isoformat()}T20:00:00+08:00", "user": {
            "id": user["id"], "username": user["username"], "role": user["role"], "region_code": user["region_code"]}})
    return path


def median_ms(run) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(path: Path, scale: str) -> dict[str, object]:
    """Prints and returns the counts, the median full review and each rule's median (ms)."""
    reader = ReplicaReader(path)
    with reader.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(budget_lines)).scalar_one()
        paid = conn.execute(select(func.count()).select_from(executions)).scalar_one()
        found = review(conn)
        print(f"{scale}: {lines} budget lines, {paid} monthly executions → {len(found)} warnings")
        review_ms = median_ms(lambda: review(conn))
        print(f"{scale}: full review, median of {RUNS}: {review_ms:.0f} ms")
        context_ms = median_ms(lambda: _context(conn))
        print(f"  {'(before the rules)':<26}{context_ms:8.1f} ms")
        rules = {}
        context = review_context(conn, ReviewScope())
        for rule, limits in all_thresholds(conn).items():
            rules[rule] = median_ms(lambda rule=rule, limits=limits: list(RULES[rule](context, limits)))
            print(f"  {rule:<26}{rules[rule]:8.1f} ms")
    reader.dispose()
    return {"lines": lines, "executions": paid, "warnings": len(found), "review_ms": review_ms,
            "context_ms": context_ms, "rules": rules}


def _context(conn) -> None:
    """What every review does before its rules: read the as-of and the places."""
    review_context(conn, ReviewScope())


def main(scales: list[str]) -> None:
    for scale in scales or ["district"]:
        with tempfile.TemporaryDirectory(prefix=f"bw-review-{scale}-") as folder:
            measure(build(Path(folder), scale), scale)


if __name__ == "__main__":
    main(sys.argv[1:])
