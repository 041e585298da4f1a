"""One import from start to end: read the file, validate every row, then write it all or nothing.

The checks and the writes happen in one transaction that holds the changelog's append lock, so what
was validated is what gets written. Any problem — or ``dry_run`` — rolls it back: nothing changes.
A written import leaves a record (file name, sha256, who, when, rows, changes per table) and an
audit-log entry; a file whose sha256 is already recorded is refused as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from sync.schema import imports
from sync.server import audit, changelog
from sync.server.importers import budget, departments, execution, final, policies, projects, regions
from sync.server.importers.context import ImportContext, ImportOptions
from sync.server.importers.layout import recognise
from sync.server.importers.plan import Plan
from sync.server.importers.problems import Problem, Problems
from sync.server.importers.workbook import UnreadableFile, open_sheets

#: Each kind's module: ``TEMPLATES`` (its sheets) and ``plan(context) -> Plan``.
KINDS: dict[str, ModuleType] = {
    "regions": regions, "departments": departments, "policies": policies, "projects": projects,
    "budget": budget, "execution": execution, "final": final,
}


@dataclass(frozen=True)
class ImportRequest:
    kind: str
    path: Path
    options: ImportOptions = field(default_factory=ImportOptions)
    sheet: str | None = None
    dry_run: bool = False


@dataclass
class ImportOutcome:
    request: ImportRequest
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0
    year: int | None = None
    months: list[int] = field(default_factory=list)
    record_id: int | None = None  # the import record, when written

    @property
    def month(self) -> int | None:
        """The month imported, when the file held exactly one (execution)."""
        return self.months[0] if len(self.months) == 1 else None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        request = self.request
        return {"kind": request.kind, "file": request.path.name, "sha256": self.sha256, "ok": self.ok,
                "dry_run": request.dry_run, "year": self.year, "months": self.months, "rows": self.rows,
                "changes": self.changes, "record_id": self.record_id,
                "problems": [problem.as_json() for problem in self.problems]}


def run_import(engine: Engine, request: ImportRequest, actor: str | None = None) -> ImportOutcome:
    """Import ``request.path`` (raises ``OSError`` when it cannot be read at all)."""
    data = request.path.read_bytes()
    outcome = ImportOutcome(request, hashlib.sha256(data).hexdigest())
    problems = Problems()
    label = request.path.name
    try:
        sheets = open_sheets(request.path, data, request.sheet)
    except UnreadableFile as exc:
        problems.add(label, None, None, str(exc))
        outcome.problems = problems.in_file_order()
        return outcome
    kind = KINDS[request.kind]
    recognised = recognise(sheets, kind.TEMPLATES, problems)
    with engine.connect() as conn, conn.begin() as transaction:
        changelog.lock_appends(conn)
        duplicate = _refuse_duplicate(conn, label, outcome.sha256, problems)
        context = ImportContext(conn, label, recognised, request.options, problems)
        plan: Plan = Plan() if duplicate else kind.plan(context)
        outcome.rows, outcome.year, outcome.months = context.rows_read, context.year, context.months
        outcome.problems = problems.in_file_order()
        outcome.changes = plan.counts()
        if problems or request.dry_run:
            transaction.rollback()
            return outcome
        plan.apply(conn)
        outcome.record_id = _record(conn, outcome, actor or audit.cli_actor())
    return outcome


def _refuse_duplicate(conn: Connection, label: str, sha256: str, problems: Problems) -> bool:
    earlier = conn.execute(select(imports).where(imports.c.sha256 == sha256)).mappings().first()
    if earlier is not None:
        when = earlier["imported_at"].strftime("%Y-%m-%d %H:%M")
        problems.add(label, None, None, f"这个文件已经导入过 (导入记录 #{earlier['id']}，{when} UTC，"
                                        f"{earlier['imported_by']} 导入的 {earlier['file_name']})")
    return earlier is not None


def _record(conn: Connection, outcome: ImportOutcome, actor: str) -> int:
    request = outcome.request
    row = {"kind": request.kind, "file_name": request.path.name[:255], "sha256": outcome.sha256,
           "year": outcome.year, "month": outcome.month, "imported_by": actor[:64],
           "imported_at": dt.datetime.now(dt.UTC), "rows": outcome.rows,
           "changes": json.dumps(outcome.changes, ensure_ascii=False, sort_keys=True)}
    record_id = conn.execute(insert(imports).values(**row).returning(imports.c.id)).scalar_one()
    audit.record(conn, actor=actor, device=audit.CLI_DEVICE, action=f"import.{request.kind}",
                 detail={"import_id": record_id, "file": row["file_name"], "sha256": outcome.sha256,
                         "year": outcome.year, "months": outcome.months, "rows": outcome.rows,
                         "changes": outcome.changes})
    return record_id
