"""Open data: the budget lines as a Fiscal Data Package — ``datapackage.json`` and one CSV — in the shape
OpenSpending-style tools read (FDP 0.3: a logical ``model`` of measures and dimensions over the CSV).

Each measure says its phase (approved, adjusted, executed) and direction (expenditure); amounts are
yuan with two decimals (currency CNY, factor 1). No Qt here: ``budgetwatch export-fdp`` runs headless.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select

from desktop.queries.budget import current_budget
from desktop.queries.replica import classification_names, department_names
from sync.schema import budget_lines, executions, regions

RESOURCE = "budget-lines"
CSV_NAME = f"{RESOURCE}.csv"
YUAN = Decimal(100)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # Table Schema: string | integer | number | boolean
    title: str


FIELDS = (
    FieldSpec("line_id", "integer", "预算行"),
    FieldSpec("year", "integer", "年度"),
    FieldSpec("region_code", "string", "区划编码"), FieldSpec("region_name", "string", "区划名称"),
    FieldSpec("department_code", "string", "部门编码"), FieldSpec("department_name", "string", "部门名称"),
    FieldSpec("unit_name", "string", "预算单位"),
    FieldSpec("function_class", "string", "功能分类（类）"), FieldSpec("function_code", "string", "功能分类编码"),
    FieldSpec("function_name", "string", "功能分类名称"),
    FieldSpec("economic_class", "string", "经济分类（类）"), FieldSpec("economic_code", "string", "经济分类编码"),
    FieldSpec("economic_name", "string", "经济分类名称"),
    FieldSpec("fund_code", "string", "资金性质编码"), FieldSpec("fund_name", "string", "资金性质"),
    FieldSpec("project_name", "string", "项目名称"),
    FieldSpec("is_special", "boolean", "专项资金"), FieldSpec("is_three_public", "boolean", "三公经费"),
    FieldSpec("is_livelihood", "boolean", "民生支出"),
    FieldSpec("approved", "number", "年初预算（元）"), FieldSpec("adjusted", "number", "调整后预算（元）"),
    FieldSpec("final", "number", "决算（元）"), FieldSpec("paid", "number", "累计支出（元）"),
)
#: measure → (source column, phase, what it is)
MEASURES = {
    "approved": ("approved", "approved", "年初预算"),
    "adjusted": ("adjusted", "adjusted", "调整后预算（无调整时为年初预算）"),
    "final": ("final", "executed", "决算"),
    "paid": ("paid", "executed", "累计支出（截至数据的最新月份，年度未结束时不是决算）"),
}


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(fen) / YUAN:.2f}"


def _rows(conn: Connection, region_codes: frozenset[str] | None, year: int | None) -> Iterator[dict[str, Any]]:
    paid = (select(executions.c.line_id, func.sum(executions.c.amount).label("paid"))
            .group_by(executions.c.line_id).subquery())
    query = (select(budget_lines, current_budget().label("current"), paid.c.paid, regions.c.name.label("region_name"))
             .outerjoin(paid, paid.c.line_id == budget_lines.c.id)
             .outerjoin(regions, regions.c.code == budget_lines.c.region_code)
             .order_by(budget_lines.c.year, budget_lines.c.region_code, budget_lines.c.id))
    conditions = []
    if region_codes is not None:
        conditions.append(budget_lines.c.region_code.in_(sorted(region_codes)))
    if year is not None:
        conditions.append(budget_lines.c.year == year)
    names = {scheme: classification_names(conn, scheme) for scheme in ("function", "economic", "fund")}
    departments = department_names(conn)
    for row in conn.execute(query.where(and_(*conditions)) if conditions else query).mappings():
        yield {
            "line_id": row["id"], "year": row["year"], "region_code": row["region_code"],
            "region_name": row["region_name"] or "", "department_code": row["department_code"],
            "department_name": departments.get(row["department_code"], ""), "unit_name": row["unit_name"] or "",
            "function_class": row["function_code"][:3], "function_code": row["function_code"],
            "function_name": names["function"].get(row["function_code"], ""),
            "economic_class": row["economic_code"][:3], "economic_code": row["economic_code"],
            "economic_name": names["economic"].get(row["economic_code"], ""), "fund_code": row["fund_code"],
            "fund_name": names["fund"].get(row["fund_code"], ""), "project_name": row["project_name"] or "",
            "is_special": bool(row["is_special"]), "is_three_public": bool(row["is_three_public"]),
            "is_livelihood": bool(row["is_livelihood"]), "approved": _yuan(row["approved"]),
            "adjusted": _yuan(row["current"]), "final": _yuan(row["final"]), "paid": _yuan(row["paid"] or 0),
        }


def _dimension(kind: str, attributes: dict[str, str], key: str, **extra: str) -> dict[str, Any]:
    return {"dimensionType": kind, "primaryKey": [key], **extra,
            "attributes": {name: {"source": source} for name, source in attributes.items()}}


def _model() -> dict[str, Any]:
    measures = {name: {"source": source, "currency": "CNY", "factor": 1, "direction": "expenditure", "phase": phase,
                       "title": title} for name, (source, phase, title) in MEASURES.items()}
    return {"measures": measures, "dimensions": {
        "date": _dimension("datetime", {"year": "year"}, "year"),
        "location": _dimension("location", {"code": "region_code", "name": "region_name"}, "code"),
        "administrative-classification": _dimension(
            "classification", {"code": "department_code", "name": "department_name", "unit": "unit_name"}, "code",
            classificationType="administrative"),
        "functional-classification": _dimension(
            "classification", {"code": "function_code", "name": "function_name", "level1": "function_class"},
            "code", classificationType="functional"),
        "economic-classification": _dimension(
            "classification", {"code": "economic_code", "name": "economic_name", "level1": "economic_class"},
            "code", classificationType="economic"),
        "fund": _dimension("classification", {"code": "fund_code", "name": "fund_name"}, "code"),
        "project": _dimension("activity", {"title": "project_name"}, "title"),
        "tags": _dimension("other", {"special": "is_special", "three_public": "is_three_public",
                                     "livelihood": "is_livelihood"}, "special"),
    }}


def descriptor(name: str, title: str, year: int | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": name, "title": title, "profiles": {"fiscal": "*", "tabular": "*"}, "countryCode": "cn",
        "granularity": "aggregated", "license": "odc-pddl",
        "resources": [{"name": RESOURCE, "path": CSV_NAME, "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "schema": {"fields": [field.__dict__ for field in FIELDS],
                                                       "primaryKey": ["line_id"]}}],
        "model": _model(),
    }
    if year is not None:
        found["fiscalPeriod"] = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    return found


def write_fiscal_data_package(conn: Connection, folder: Path, *, region_codes: frozenset[str] | None = None,
                              year: int | None = None, title: str = "预算联网监督 预算数据") -> int:
    """Write ``datapackage.json`` and the CSV into ``folder`` (made if missing); returns the rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as file:
        out = csv.DictWriter(file, [field.name for field in FIELDS])
        out.writeheader()
        for row in _rows(conn, region_codes, year):
            out.writerow({key: str(value).lower() if isinstance(value, bool) else value for key, value in row.items()})
            count += 1
    name = "budgetwatch-budget" + (f"-{year}" if year is not None else "")
    (folder / "datapackage.json").write_text(json.dumps(descriptor(name, title, year), ensure_ascii=False, indent=2),
                                             encoding="utf-8")
    return count
