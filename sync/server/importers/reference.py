"""What the database already knows that a file is checked against: regions, departments, codes, funds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from sync.schema import classifications, departments, regions


@dataclass(frozen=True)
class KnownRegion:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass
class Reference:
    regions: dict[str, KnownRegion]
    departments: dict[str, str]  # code → region code
    function_codes: frozenset[str]
    economic_codes: frozenset[str]
    funds: dict[str, str]  # code or name → code

    @classmethod
    def load(cls, conn: Connection) -> Reference:
        region_rows = conn.execute(select(regions.c.code, regions.c.name, regions.c.level, regions.c.parent_code))
        codes: dict[str, set[str]] = {"function": set(), "economic": set()}
        funds: dict[str, str] = {}
        for scheme, code, name in conn.execute(select(classifications.c.scheme, classifications.c.code,
                                                      classifications.c.name)):
            if scheme == "fund":
                funds[code] = funds[name] = code
            else:
                codes[scheme].add(code)
        return cls(
            regions={row.code: KnownRegion(*row) for row in region_rows},
            departments=dict(conn.execute(select(departments.c.code, departments.c.region_code)).all()),
            function_codes=frozenset(codes["function"]), economic_codes=frozenset(codes["economic"]), funds=funds,
        )

    def lineage(self, code: str) -> list[str]:
        """The region and its ancestors, nearest first."""
        found: list[str] = []
        while code in self.regions and code not in found:
            found.append(code)
            code = self.regions[code].parent_code
        return found

    def fund_code(self, written: str) -> str | None:
        """资金性质 as a code (``1``) or a name (``一般公共预算``, also ``一般公共预算资金``)."""
        if written in self.funds:
            return self.funds[written]
        return next((code for name, code in self.funds.items() if len(name) > 2 and written.startswith(name)), None)
