"""BudgetWatch's data files: reference codes, tag derivation lists, templates, translations, icons.

A package (rather than a loose folder) so that wheels, editable installs and the PyInstaller bundle
all find the files the same way.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable


def path(*parts: str) -> Traversable:
    """The resource at ``resources/<parts…>``."""
    node = files(__name__)
    for part in parts:
        node = node / part
    return node
