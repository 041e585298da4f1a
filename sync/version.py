"""This installation's version: the package metadata (pyproject.toml's version, copied into the bundle)."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version


@functools.cache
def installed_version() -> str:
    try:
        return version("budgetwatch")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"
