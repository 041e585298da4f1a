"""Finance files in: ``budgetwatch-server import KIND FILE``.

One module per kind (regions, departments, policies, projects, budget, execution, final) declares its
sheet templates and plans the changes; the shared parts read sheets (:mod:`.workbook`), find the table
in a messy sheet (:mod:`.layout`), read cells (:mod:`.cells`), name budget lines (:mod:`.lines`), and
write the plan through the changelog (:mod:`.plan`). :func:`run_import` ties them together; the
templates and the rules of each kind are documented in ``resources/templates/``.
"""

from sync.server.importers.context import ImportOptions
from sync.server.importers.run import KINDS, ImportOutcome, ImportRequest, run_import

__all__ = ["KINDS", "ImportOptions", "ImportOutcome", "ImportRequest", "run_import"]
