"""The templates shipped in resources/templates/ import as they are, in the order their README gives."""

from __future__ import annotations

import resources
from sync.server.demo import load_reference
from tests.server import import_files as files

ORDER = (("regions", "regions/regions.csv"), ("departments", "departments/departments.csv"),
         ("policies", "policies/policies.csv"), ("projects", "projects/projects.csv"),
         ("projects", "projects/milestones.csv"), ("budget", "budget/budget.csv"),
         ("execution", "execution/execution.csv"), ("final", "final/final.csv"))


def test_every_template_imports(server_engine):
    with server_engine.begin() as conn:
        load_reference(conn)
    for kind, name in ORDER:
        outcome = files.load(server_engine, kind, resources.path("templates", *name.split("/")))
        assert outcome.ok, (name, [str(p) for p in outcome.problems])
        assert outcome.rows > 0 and outcome.changes, name
