"""The 视察调研 part of a project's or a policy's detail: everyone in scope reads the visits and sees
their photos, a deputy records one with its photos (offline: it waits in the outbox, shown as 待上传,
until the next sync; the photos go up after it)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop import suggestion_steps as steps
from desktop.attachments_strip import AttachmentStrip, held_strip, inspection_owners, settle_held
from desktop.dialogs.suggestion_step import InspectionDialog
from desktop.panels.base import PanelContext
from desktop.panels.suggestion_states import state_colour
from desktop.panels.table_model import Column, RowTableModel
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.inspections import Visit, visits_of
from desktop.replica_writer import ReplicaWriter


class InspectionSection(QWidget):
    def __init__(self, subject_type: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._subject_type = subject_type
        self._subject: tuple[int, str] | None = None
        self._context: PanelContext | None = None
        self._writer: ReplicaWriter | None = None
        self._identity: UserIdentity | None = None
        self.heading = QLabel(objectName="sectionTitle")
        self.record_button = QPushButton(self.tr("记录视察…"))
        self.record_button.clicked.connect(self.record_visit)
        self.table = TableSection(RowTableModel(self._columns()), money=False)
        self.photos = AttachmentStrip()
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.photos)
        self._show_button()

    def _columns(self) -> list[Column[Visit]]:
        states = {"pending": self.tr("待上传"), "rejected": self.tr("被退回")}
        return [Column(self.tr("日期"), lambda v: v.date.isoformat()),
                Column(self.tr("代表"), lambda v: v.deputy),
                Column(self.tr("视察记录"), lambda v: " ".join(filter(None, [states.get(v.state), v.title, v.notes])),
                       tooltip=lambda v: v.reason or v.notes, stretch=True,
                       foreground=lambda v: state_colour(v.state))]

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        if self._writer is not None:
            self._writer.done.disconnect(self._on_written)
        self._writer, self._identity = writer, identity
        if writer is not None:
            writer.done.connect(self._on_written)
        self.photos.use(writer)
        self._show_button()

    def _show_button(self) -> None:
        deputy = self._identity is not None and self._identity.role == "deputy"
        self.record_button.setVisible(deputy and self._writer is not None and self._subject is not None)

    def show_subject(self, context: PanelContext, subject: tuple[int, str] | None) -> None:
        """The visits to one project or policy (``(id, name)``), or none."""
        self._context, self._subject = context, subject
        self._show_button()
        if subject is None:
            self.heading.clear()
            self.table.set_rows([])
            self.photos.show_owners([], None)
            return
        me = self._identity.display_name if self._identity else ""
        with context.replica.connect() as conn:
            visits = visits_of(conn, self._subject_type, subject[0], me)
            owners = inspection_owners(conn, self._subject_type, subject[0])
        self.photos.show_owners(owners, None)
        self.heading.setText(self.tr("视察调研（{count} 次）").format(count=len(visits)))
        self.table.set_rows(visits)

    def record_visit(self) -> InspectionDialog | None:
        if self._subject is None or self._writer is None or self._context is None:
            return None
        subject_id, name = self._subject
        key = str(uuid.uuid4())
        dialog = InspectionDialog(key, self._subject_type, subject_id, name, self._context.server_date, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.add_attachments(held_strip(self._writer, ("inspection", key), dialog))
        dialog.finished.connect(lambda result: self._recorded(result, dialog.chosen, key))
        dialog.open()
        return dialog

    def _recorded(self, result: int, step: steps.Step | None, key: str) -> None:
        """Queue the visit and its photos after it; a cancelled form drops the photos held for it."""
        author, account = self._identity.username, self._writer.account

        def queue(replica) -> None:
            command = steps.queue(replica, step, author) if result == QDialog.DialogCode.Accepted else None
            settle_held(replica, account, ("inspection", key), command)

        self._writer.submit("inspection", queue)

    def _on_written(self, what: str, _result: object) -> None:
        if what in ("inspection", "attachment") and self._context is not None:
            self.show_subject(self._context, self._subject)
