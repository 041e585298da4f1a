"""Whether a newer desktop exists: the district's announcement, which every pull stores in the replica
(``latest_client``), against this build's version. No Qt: the status bar shows what this decides."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Release:
    version: str
    download_url: str | None


def version_key(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2)``: numbers compared as numbers, anything else ignored."""
    return tuple(int(number) for number in re.findall(r"\d+", text))


def announced_release(state: dict[str, str]) -> Release | None:
    """The ``latest_client`` of the last pull, or ``None`` (nothing announced, or not understood)."""
    try:
        announced = json.loads(state.get("latest_client") or "null")
    except json.JSONDecodeError:
        return None
    if not isinstance(announced, dict) or not isinstance(announced.get("version"), str):
        return None
    url = announced.get("download_url")
    return Release(announced["version"], url if isinstance(url, str) and url else None)


def newer_release(state: dict[str, str], running: str, update_url: str | None) -> Release | None:
    """The announced release if it is newer than ``running``; without an announced address, the
    district's ``update_url`` from budgetwatch.toml."""
    release = announced_release(state)
    if release is None or not version_key(running) or version_key(release.version) <= version_key(running):
        return None
    return Release(release.version, release.download_url or update_url)
