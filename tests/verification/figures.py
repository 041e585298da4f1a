"""The figures a verification run produces (fuzz cases, hypothesis examples, faults survived, matrix cells),
counted by the tests themselves and printed at the end of the session by ``tests/verification/conftest.py``.

Counts are added only after the check they count has passed, so a figure is what was actually verified.
``BUDGETWATCH_FIGURES_FILE=path.json`` also writes them to a file (for the README's figures).
"""

from __future__ import annotations

from collections import Counter

FIGURES_FILE_ENV = "BUDGETWATCH_FIGURES_FILE"

#: figure name → count, for this session
FIGURES: Counter[str] = Counter()


def count(name: str, amount: int = 1) -> None:
    FIGURES[name] += amount
