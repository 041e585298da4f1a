"""审查阈值: each rule's 提示 and 预警 levels and minimum amount, as the server last sent them.

Staff change them here; the changes go into the outbox as ``threshold.set`` and take effect for
everyone — this PC included — once the server has applied them and the next sync brings them back.
Everyone else sees the same table, read-only: why a warning fired is never a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.panels.warning_model import rule_title
from desktop.queries.replica import ReplicaReader
from desktop.queries.thresholds import Thresholds, all_thresholds
from desktop.replica_writer import ReplicaWriter
from desktop.threshold_changes import ThresholdChange, discard_rejected, queue_changes, queued_changes
from sync.review_rules import FEN_PER_WAN_YUAN, FIGURE_LIMITS, rule_definitions
from sync.schema import REVIEW_RULES

NO_LEVEL = -1.0  # a level box at its minimum shows 不设: this level does not exist


def figure_unit(figure: str) -> str:
    return {
        "points": QCoreApplication.translate("ThresholdsEditor", "个百分点"),
        "percent": QCoreApplication.translate("ThresholdsEditor", "%"),
        "months": QCoreApplication.translate("ThresholdsEditor", "个月"),
        "days": QCoreApplication.translate("ThresholdsEditor", "天"),
    }[figure]


@dataclass
class RuleRow:
    rule: str
    enabled: QCheckBox
    yellow: QDoubleSpinBox
    red: QDoubleSpinBox
    minimum: QDoubleSpinBox  # 万元

    def change(self) -> ThresholdChange:
        return ThresholdChange(self.rule, _level(self.yellow), _level(self.red),
                               round(Decimal(str(self.minimum.value())) * FEN_PER_WAN_YUAN),
                               self.enabled.isChecked())


def _level(box: QDoubleSpinBox) -> Decimal | None:
    return None if box.value() == NO_LEVEL else Decimal(f"{box.value():.{box.decimals()}f}")


class ThresholdsEditor(QDialog):
    """``writer`` ``None``: read-only (not staff, or nobody signed in)."""

    def __init__(self, replica: ReplicaReader, writer: ReplicaWriter | None, author: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._writer = writer
        self._author = author
        self.setWindowTitle(self.tr("审查阈值"))
        with replica.connect() as conn:
            self._current = all_thresholds(conn)
            self._queued = queued_changes(conn)
        self.rows = [self._row(rule) for rule in REVIEW_RULES]
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #B3261E;")
        self._build()
        if writer is not None:
            writer.done.connect(self._on_written)
            writer.failed.connect(self._on_failed)

    def _row(self, rule: str) -> RuleRow:
        current, definition = self._current[rule], rule_definitions()[rule]
        most, whole = FIGURE_LIMITS[definition.figure]
        editable = self._writer is not None

        def level_box(value: Decimal | None, default: Decimal | None) -> QDoubleSpinBox:
            box = QDoubleSpinBox(decimals=0 if whole else 1, minimum=NO_LEVEL, maximum=float(most), enabled=editable)
            box.setSpecialValueText(self.tr("不设"))
            shown = value if current.enabled else default
            box.setValue(NO_LEVEL if shown is None else float(shown))
            return box

        minimum = QDoubleSpinBox(decimals=2, maximum=1e8, enabled=editable, suffix=self.tr(" 万元"))
        minimum.setValue(current.min_amount / FEN_PER_WAN_YUAN)
        return RuleRow(rule, QCheckBox(enabled=editable, checked=current.enabled),
                       level_box(current.yellow, definition.yellow), level_box(current.red, definition.red), minimum)

    def _build(self) -> None:
        grid = QGridLayout()
        for column, text in enumerate((self.tr("规则"), self.tr("启用"), self.tr("提示线"), self.tr("预警线"),
                                       self.tr("单位"), self.tr("最低金额"))):
            grid.addWidget(QLabel(f"<b>{escape(text)}</b>"), 0, column)
        for line, row in enumerate(self.rows, 1):
            figure = rule_definitions()[row.rule].figure
            for column, widget in enumerate((QLabel(rule_title(row.rule)), row.enabled, row.yellow, row.red,
                                             QLabel(figure_unit(figure)), row.minimum)):
                grid.addWidget(widget, line, column)
        buttons = QDialogButtonBox()
        if self._writer is not None:
            self.save_button = buttons.addButton(self.tr("保存并上传"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("primary")
            self.save_button.clicked.connect(self.save)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self._explanation(), wordWrap=True, objectName="notice"))
        layout.addLayout(grid)
        queued = self._queued_text()
        if queued:
            layout.addWidget(QLabel(queued, wordWrap=True))
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _explanation(self) -> str:
        if self._writer is None:
            return self.tr("阈值由区人大工作机构设置，所有用户相同。超过提示线为「提示」，超过预警线为「预警」；"
                           "小于最低金额的项目不审查。")
        return self.tr("修改后点「保存并上传」：下次同步时上传，服务器确认后对所有用户（包括本机）生效。"
                       "取消「启用」即停用这条规则。")

    def _queued_text(self) -> str:
        waiting = [c for c in self._queued if c.state != "rejected"]
        refused = [c for c in self._queued if c.state == "rejected"]
        lines = []
        if waiting:
            lines.append(self.tr("待上传的修改：{rules}").format(
                rules=self.tr("、").join(rule_title(c.rule) for c in waiting)))
        refusal = self.tr("服务器退回了「{rule}」的修改：{reason}")
        lines += [refusal.format(rule=rule_title(c.rule), reason=c.reason or "") for c in refused]
        return "\n".join(lines)

    # ------------------------------------------------------------ saving

    def changes(self) -> list[ThresholdChange]:
        """The rules whose thresholds differ from the replica's."""
        return [row.change() for row in self.rows if not _same(row.change(), self._current[row.rule])]

    def problems(self) -> list[str]:
        found = []
        for row in self.rows:
            change = row.change()
            title = rule_title(row.rule)
            if change.enabled and change.yellow is None and change.red is None:
                found.append(self.tr("「{rule}」启用时至少要设提示线或预警线").format(rule=title))
            if change.yellow is not None and change.red is not None and change.yellow > change.red:
                found.append(self.tr("「{rule}」的提示线不能高于预警线").format(rule=title))
        return found

    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.problem.setText("；".join(problems))
            return
        changes, author = self.changes(), self._author
        refused = [c.uuid for c in self._queued if c.state == "rejected" and c.rule in {x.rule for x in changes}]
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)

        def job(replica) -> list[str]:
            discard_rejected(replica, refused, author)  # a corrected change replaces a refused one
            return queue_changes(replica, changes, author)

        self._writer.submit("thresholds", job)

    def _on_written(self, what: str, _result: object) -> None:
        if what == "thresholds":
            self.accept()

    def _on_failed(self, what: str, message: str) -> None:
        if what == "thresholds":
            self.save_button.setEnabled(True)
            self.problem.setText(self.tr("保存失败：{message}").format(message=message))

    def done(self, result: int) -> None:
        if self._writer is not None:
            self._writer.done.disconnect(self._on_written)
            self._writer.failed.disconnect(self._on_failed)
        super().done(result)


def _same(change: ThresholdChange, current: Thresholds) -> bool:
    if not change.enabled:
        return not current.enabled and change.min_amount == current.min_amount
    return (change.yellow, change.red, change.min_amount) == (current.yellow, current.red, current.min_amount)
