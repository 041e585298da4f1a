"""Writing a suggestion, online or not: every edit is saved on this PC, 提交 puts it in the outbox.

Photos and documents may be attached (file dialog or drop) while writing: copied at once and held with
the draft, they go up after the suggestion once it is submitted.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.attachments_strip import AttachmentStrip, AttachTarget
from desktop.queries.local_suggestions import SuggestionDraft
from desktop.replica_writer import ReplicaWriter
from desktop.suggestion_drafts import resubmit, save_draft, submit_draft
from sync.client.attachments import AttachmentQueue
from sync.client.replica import Replica

AUTOSAVE_DELAY_MS = 500
TITLE_LIMIT = 200
CATEGORIES = ("乡村振兴", "城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境", "产业发展", "社会治理",
              "其他")


class SuggestionEditor(QDialog):
    """``links`` are (label, project id, policy id) choices for 关联; ``rejected_command`` set means the
    deputy is correcting a refused suggestion, which is sent again as a new command."""

    def __init__(self, draft: SuggestionDraft, links: list[tuple[str, int | None, int | None]],
                 writer: ReplicaWriter, author: str, rejected_command: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._writer = writer
        self._author = author
        self._rejected_command = rejected_command
        self._submitted = False
        self.setWindowTitle(self.tr("修改后重新提交") if rejected_command else self.tr("提出意见建议"))
        self.setMinimumWidth(640)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self._save_now)
        self.attachments = AttachmentStrip(self)
        self.attachments.use(writer)
        owner = ("suggestion", draft.suggestion_id)
        self.attachments.show_owners([owner], AttachTarget(owner, held=True))
        self._build(links)
        self._fill(draft)
        self._connect_edits()
        writer.done.connect(self._on_written)
        writer.failed.connect(self._on_write_failed)

    # ------------------------------------------------------------ layout

    def _build(self, links: list[tuple[str, int | None, int | None]]) -> None:
        self.title_edit = QLineEdit(maxLength=TITLE_LIMIT,
                                    placeholderText=self.tr("一句话说明建议，如：某路段请增设路灯"))
        self.category = QComboBox(editable=True)
        self.category.addItems(CATEGORIES)
        self.body = QPlainTextEdit(placeholderText=self.tr("情况、问题和具体建议"))
        self.body.setMinimumHeight(180)
        self.own = QRadioButton(self.tr("本人提出"))
        self.constituents = QRadioButton(self.tr("群众反映（群众点单）"))
        sources = QButtonGroup(self)
        sources.addButton(self.own)
        sources.addButton(self.constituents)
        source_row = QHBoxLayout()
        source_row.addWidget(self.own)
        source_row.addWidget(self.constituents)
        source_row.addStretch(1)
        self.contact_name = QLineEdit(placeholderText=self.tr("群众姓名（只有您、人大工委和承办部门能看到）"))
        self.contact_phone = QLineEdit(placeholderText=self.tr("联系电话"))
        self.link = QComboBox()
        self.link.addItem(self.tr("（不关联）"), (None, None))
        for label, project_id, policy_id in links:
            self.link.addItem(label, (project_id, policy_id))
        form = QFormLayout()
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow(self.tr("类别"), self.category)
        form.addRow(self.tr("内容"), self.body)
        form.addRow(self.tr("来源"), source_row)
        form.addRow(self.tr("群众姓名"), self.contact_name)
        form.addRow(self.tr("联系电话"), self.contact_phone)
        form.addRow(self.tr("关联项目或政策"), self.link)
        form.addRow(self.tr("附件"), self.attachments)
        self.save_state = QLabel(objectName="figureCaption")
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #B3261E;")
        buttons = QDialogButtonBox()
        self.submit_button = buttons.addButton(self.tr("重新提交") if self._rejected_command else self.tr("提交"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(self.tr("关闭") if self._rejected_command else self.tr("存为草稿并关闭"),
                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self._submit)
        self.submit_button.setObjectName("primary")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_state, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)

    def _fill(self, draft: SuggestionDraft) -> None:
        self.title_edit.setText(draft.title)
        self.category.setCurrentText(draft.category)
        self.body.setPlainText(draft.body)
        (self.constituents if draft.source == "constituents" else self.own).setChecked(True)
        self.contact_name.setText(draft.contact_name)
        self.contact_phone.setText(draft.contact_phone)
        # Not findData: it compares Python objects by identity, and a draft's tuple is never the item's.
        wanted = (draft.project_id, draft.policy_id)
        self.link.setCurrentIndex(next((i for i in range(self.link.count()) if self.link.itemData(i) == wanted), 0))
        self._show_contact_fields()
        self.save_state.setText(self.tr("离线也可以写：每次修改都会保存在本机"))

    def _connect_edits(self) -> None:
        for signal in (self.title_edit.textEdited, self.category.currentTextChanged, self.body.textChanged,
                       self.contact_name.textEdited, self.contact_phone.textEdited, self.link.currentIndexChanged,
                       self.constituents.toggled):
            signal.connect(self._edited)

    def _show_contact_fields(self) -> None:
        for field in (self.contact_name, self.contact_phone):
            field.setEnabled(self.constituents.isChecked())

    # ------------------------------------------------------------ the draft

    def draft(self) -> SuggestionDraft:
        project_id, policy_id = self.link.currentData() or (None, None)
        constituents = self.constituents.isChecked()
        return replace(
            self._draft, title=self.title_edit.text(), body=self.body.toPlainText(),
            category=self.category.currentText(), source="constituents" if constituents else "own",
            contact_name=self.contact_name.text() if constituents else "",
            contact_phone=self.contact_phone.text() if constituents else "",
            project_id=project_id, policy_id=policy_id,
        )

    def problems(self) -> list[str]:
        draft = self.draft()
        found = []
        if not draft.title.strip():
            found.append(self.tr("请填写标题"))
        if not draft.body.strip():
            found.append(self.tr("请填写建议内容"))
        if draft.source == "constituents" and not (draft.contact_name.strip() or draft.contact_phone.strip()):
            found.append(self.tr("群众反映的建议请至少留下群众姓名或电话，便于部门回访"))
        return found

    def _edited(self) -> None:
        self._show_contact_fields()
        self.problem.clear()
        if self._rejected_command is None:
            self.save_state.setText(self.tr("正在保存…"))
            self._autosave.start()

    def _save_now(self) -> None:
        draft = self.draft()
        self._writer.submit("draft", lambda replica: save_draft(replica, draft))

    def _on_written(self, what: str, _result: object) -> None:
        if what == "draft" and not self._submitted:
            self.save_state.setText(self.tr("已保存在本机（草稿）"))
        elif what == "submit" and self._submitted:
            self.accept()

    def _on_write_failed(self, _what: str, message: str) -> None:
        self._submitted = False
        self.submit_button.setEnabled(True)
        self.save_state.setText(self.tr("保存失败：{message}").format(message=message))

    def _submit(self) -> None:
        problems = self.problems()
        if problems:
            self.problem.setText("；".join(problems))
            return
        self._autosave.stop()
        self._submitted = True
        self.submit_button.setEnabled(False)
        self.save_state.setText(self.tr("正在放入待上传…"))
        draft, author, rejected, account = self.draft(), self._author, self._rejected_command, self._writer.account

        def submit(replica: Replica) -> str:
            command = (submit_draft(replica, draft, author) if rejected is None
                       else resubmit(replica, rejected, draft, author))
            AttachmentQueue.of(replica, account).release("suggestion", draft.suggestion_id, command,
                                                         failed_with=rejected)
            return command

        self._writer.submit("submit", submit)

    def reject(self) -> None:
        """Closing keeps the draft: save what is typed if a save is still waiting."""
        if self._autosave.isActive():
            self._autosave.stop()
            self._save_now()
        super().reject()

    def done(self, result: int) -> None:
        self.attachments.use(None)
        self._writer.done.disconnect(self._on_written)
        self._writer.failed.disconnect(self._on_write_failed)
        super().done(result)
