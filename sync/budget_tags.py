"""The budget-line tags derived from codes (DESIGN.md §2), by the lists of ``resources/domain/tags.toml``.

三公经费 is a set of economic codes, 民生 a set of function classes (the first three digits). 专项 is not
derivable: it comes from the source data's own column.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

import resources


@dataclass(frozen=True)
class BudgetTags:
    three_public: frozenset[str]  # economic codes
    livelihood: frozenset[str]  # function classes

    def is_three_public(self, economic_code: str) -> bool:
        return economic_code in self.three_public

    def is_livelihood(self, function_code: str) -> bool:
        return function_code[:3] in self.livelihood


@cache
def budget_tags() -> BudgetTags:
    data = tomllib.loads(resources.path("domain", "tags.toml").read_text(encoding="utf-8"))
    return BudgetTags(frozenset(data["three_public"]["economic_codes"]),
                      frozenset(data["livelihood"]["function_classes"]))
