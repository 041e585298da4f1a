"""The desktop's part of the duty record (履职考核): a deputy's sign-ins and the modules they open.

Counts, not keystrokes: a sign-in is each time a deputy starts using the app (online or not), and a
module counts once per session however often its dock comes back on screen. Items are written to
the user's activity log on the replica writer and leave with a later push (sync.client.activity).
Other roles' use is not recorded.
"""

from __future__ import annotations

from desktop.panels.base import ModulePanel
from desktop.queries.accounts import UserIdentity
from desktop.replica_writer import ReplicaWriter
from sync.client.activity import ActivityLog


class DutyRecorder:
    def __init__(self, writer: ReplicaWriter, identity: UserIdentity | None) -> None:
        self._writer = writer
        self._owner = identity.username if identity is not None and identity.role == "deputy" else None
        self._opened: set[str] = set()

    def record(self, kind: str, detail: str | None = None) -> None:
        owner = self._owner
        if owner is not None:
            self._writer.submit("activity", lambda replica: ActivityLog(replica, owner).record(kind, detail))

    def panel_opened(self, panel: ModulePanel) -> None:
        if panel.name not in self._opened:
            self._opened.add(panel.name)
            self.record("module_opened", panel.title())
