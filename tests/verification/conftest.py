"""Fixtures of the verification tests, and the session's figures printed at its end (see ``figures.py``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.client.conftest import district_templates  # noqa: F401  (a fixture, reused)
from tests.verification.figures import FIGURES, FIGURES_FILE_ENV


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not FIGURES:
        return
    terminalreporter.section("verification figures")
    for name, value in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name:<48} {value:>8}")
    target = os.environ.get(FIGURES_FILE_ENV)
    if target:
        Path(target).write_text(json.dumps(dict(sorted(FIGURES.items())), indent=2) + "\n", encoding="utf-8")
