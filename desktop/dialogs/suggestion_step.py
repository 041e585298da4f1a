"""The small forms of the closed loop: 交办, 答复, 不予立案, 合并, 代表反馈, and 记录视察.

Each checks what was typed with :mod:`desktop.suggestion_steps` when OK is pressed and stays open with
the problem shown until it is right; the caller queues :attr:`StepDialog.chosen` once it is accepted.
答复 and 记录视察 may carry files (:meth:`StepDialog.add_attachments`), held until the step is queued.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
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

from desktop import suggestion_steps as steps
from desktop.suggestion_steps import Step, StepProblem

DEFAULT_DAYS_TO_ANSWER = 30


def _date_edit(value: dt.date) -> QDateEdit:
    return QDateEdit(QDate(value.year, value.month, value.day), calendarPopup=True, displayFormat="yyyy-MM-dd")


def _date_of(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class StepDialog(QDialog):
    """A form whose OK builds a :class:`Step`; subclasses add rows and implement :meth:`step`."""

    def __init__(self, title: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.chosen: Step | None = None
        self.form = QFormLayout()
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #B3261E;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("放入待上传"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(heading, objectName="sectionTitle", wordWrap=True))
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel(self.tr("离线也可以操作：下次同步时上传，服务器确认后生效。"),
                                objectName="figureCaption"))
        layout.addWidget(buttons)

    def step(self) -> Step:
        raise NotImplementedError

    def add_attachments(self, strip: QWidget) -> None:
        """Files that go with the step (a reply letter, a visit's photos): the caller's attachment strip."""
        self.form.addRow(self.tr("附件"), strip)

    def accept(self) -> None:
        try:
            self.chosen = self.step()
        except StepProblem as problem:
            self.problem.setText(str(problem))
            return
        super().accept()


class AssignDialog(StepDialog):
    """交办: a department (``(code, name)`` choices) and a deadline from the server's date on."""

    def __init__(self, suggestion_id: str, heading: str, departments: list[tuple[str, str]],
                 server_date: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("交办"), heading, parent)
        self._suggestion_id, self._server_date = suggestion_id, server_date
        self.department = QComboBox()
        self.department.addItem(self.tr("（请选择）"), None)
        for code, name in departments:
            self.department.addItem(name, code)
        start = server_date or dt.date.today()  # only where the picker opens: the server's date is what counts
        self.deadline = _date_edit(start + dt.timedelta(days=DEFAULT_DAYS_TO_ANSWER))
        if server_date is not None:
            self.deadline.setMinimumDate(QDate(server_date.year, server_date.month, server_date.day))
        self.note = QPlainTextEdit(placeholderText=self.tr("交办意见（可不填）"))
        self.note.setMaximumHeight(90)
        self.form.addRow(self.tr("承办部门"), self.department)
        self.form.addRow(self.tr("办理期限"), self.deadline)
        self.form.addRow(self.tr("交办意见"), self.note)

    def step(self) -> Step:
        return steps.assign(self._suggestion_id, self.department.currentData(), _date_of(self.deadline),
                            self._server_date, self.note.toPlainText())


class TextStepDialog(StepDialog):
    """答复 or 不予立案: one text that must not be empty."""

    def __init__(self, title: str, heading: str, label: str, build: Callable[[str], Step],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, heading, parent)
        self._build = build
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(160)
        self.form.addRow(label, self.text)

    def step(self) -> Step:
        return self._build(self.text.toPlainText())


class MergeDialog(StepDialog):
    """合并: into another suggestion, chosen from ``(id, label)`` candidates."""

    def __init__(self, suggestion_id: str, heading: str, candidates: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("合并"), heading, parent)
        self._suggestion_id = suggestion_id
        self.target = QComboBox()
        self.target.addItem(self.tr("（请选择）"), None)
        for key, label in candidates:
            self.target.addItem(label, key)
        self.note = QLineEdit(placeholderText=self.tr("说明（可不填）"))
        self.form.addRow(self.tr("并入"), self.target)
        self.form.addRow(self.tr("说明"), self.note)

    def step(self) -> Step:
        return steps.merge(self._suggestion_id, self.target.currentData(), self.note.text())


class FeedbackDialog(StepDialog):
    """代表反馈: satisfied or not, and 1–5 stars."""

    def __init__(self, suggestion_id: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("反馈办理结果"), heading, parent)
        self._suggestion_id = suggestion_id
        self.satisfied = QRadioButton(self.tr("满意，办结"))
        self.unsatisfied = QRadioButton(self.tr("不满意，请重新办理"))
        self.satisfied.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.satisfied)
        group.addButton(self.unsatisfied)
        choice = QHBoxLayout()
        choice.addWidget(self.satisfied)
        choice.addWidget(self.unsatisfied)
        choice.addStretch(1)
        self.rating = QComboBox()
        self.rating.addItem(self.tr("（请选择）"), None)
        for stars in steps.RATINGS:
            self.rating.addItem("★" * stars + "☆" * (5 - stars), stars)
        self.note = QPlainTextEdit(placeholderText=self.tr("意见（可不填）"))
        self.note.setMaximumHeight(90)
        self.form.addRow(self.tr("结果"), choice)
        self.form.addRow(self.tr("满意度"), self.rating)
        self.form.addRow(self.tr("意见"), self.note)

    def step(self) -> Step:
        return steps.feedback(self._suggestion_id, self.satisfied.isChecked(), self.rating.currentData(),
                              self.note.toPlainText())


class InspectionDialog(StepDialog):
    """记录视察: a visit to one project or policy."""

    def __init__(self, inspection_id: str, subject_type: str, subject_id: int, subject_name: str,
                 server_date: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("记录视察"), subject_name, parent)
        self._subject = (inspection_id, subject_type, subject_id)
        self._server_date = server_date
        self.date = _date_edit(server_date or dt.date.today())  # a default: checked against the server's date
        self.title_edit = QLineEdit(self.tr("视察调研：{subject}").format(subject=subject_name), maxLength=200)
        self.notes = QPlainTextEdit(placeholderText=self.tr("看到的情况、群众反映、发现的问题"))
        self.notes.setMinimumHeight(140)
        self.form.addRow(self.tr("日期"), self.date)
        self.form.addRow(self.tr("主题"), self.title_edit)
        self.form.addRow(self.tr("记录"), self.notes)

    def step(self) -> Step:
        inspection_id, subject_type, subject_id = self._subject
        return steps.inspection(inspection_id, subject_type, subject_id, _date_of(self.date), self._server_date,
                                self.title_edit.text(), self.notes.toPlainText())
