"""Changing one's password — by choice, or forced after an administrator reset it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

MIN_LENGTH = 8  # the server's rule (sync.server.accounts.MIN_PASSWORD_LENGTH)


class ChangePasswordDialog(QDialog):
    submitted = Signal(str, str)  # current, new

    def __init__(self, username: str, forced: bool, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(420)
        text = (self.tr("管理员重置了 {user} 的密码。请设置一个新密码后继续。") if forced
                else self.tr("为 {user} 设置新密码。")).format(user=username)
        self.current = QLineEdit(current, echoMode=QLineEdit.EchoMode.Password)
        self.new = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #B3261E;")
        form = QFormLayout()
        form.addRow(self.tr("当前密码"), self.current)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.repeat)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("修改密码"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.new if current else self.current).setFocus()

    def _submit(self) -> None:
        if len(self.new.text()) < MIN_LENGTH:
            self.show_error(self.tr("新密码至少需要 {n} 个字符").format(n=MIN_LENGTH))
        elif self.new.text() != self.repeat.text():
            self.show_error(self.tr("两次输入的新密码不一致"))
        elif self.new.text() == self.current.text():
            self.show_error(self.tr("新密码不能与当前密码相同"))
        else:
            self.error.clear()
            self.ok_button.setEnabled(False)
            self.submitted.emit(self.current.text(), self.new.text())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.ok_button.setEnabled(True)
