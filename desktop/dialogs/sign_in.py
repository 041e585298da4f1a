"""Sign-in: server address (preset by the district), username, password, 记住我.

The dialog does no network work itself: it emits ``submitted`` and the application signs in on the
sync worker, then calls :meth:`show_error` or closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sync.client.home import normalize_server_url


class SignInDialog(QDialog):
    submitted = Signal(str, str, str, bool)  # server, username, password, remember

    def __init__(self, server: str | None, usernames: list[str], username: str | None = None,
                 server_preset: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录预算联网监督"))
        self.setMinimumWidth(460)
        heading = QLabel(self.tr("请用您的账号登录。登录一次后，没有网络时也能查看本机数据。"), wordWrap=True)
        self.server = QLineEdit(server or "", placeholderText="https://")
        self.server.setReadOnly(server_preset)
        self.username = QComboBox(editable=True)
        self.username.addItems(usernames)
        self.username.setCurrentText(username or "")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("记住我（在这台电脑上保持登录；公用电脑请勿勾选）"))
        self.error = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #B3261E;")
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.server)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("暂不登录（查看本机数据）"), QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in_button.setObjectName("primary")
        self.sign_in_button.clicked.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _submit(self) -> None:
        try:
            server = normalize_server_url(self.server.text())
        except ValueError as exc:
            self.show_error(str(exc))
            return
        username = self.username.currentText().strip()
        if not username or not self.password.text():
            self.show_error(self.tr("请输入用户名和密码"))
            return
        self.error.setText(self.tr("正在登录…"))
        self.error.setStyleSheet("color: #1F5FA8;")
        self.sign_in_button.setEnabled(False)
        self.submitted.emit(server, username, self.password.text(), self.remember.isChecked())

    def show_error(self, message: str) -> None:
        self.error.setStyleSheet("color: #B3261E;")
        self.error.setText(message)
        self.sign_in_button.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()
