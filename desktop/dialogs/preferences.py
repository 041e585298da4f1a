"""The preferences dialog, made from the declarations in :mod:`desktop.settings`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desktop.settings import PREFERENCES, Preferences, Setting


class PreferencesDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首选项"))
        self._preferences = preferences
        self._editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for setting in PREFERENCES:
            editor = self._editor(setting, preferences.get(setting))
            self._editors[setting.key] = editor
            form.addRow(QCoreApplication.translate("Settings", setting.label), editor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("界面语言和字号在下次启动时生效。"), objectName="figureCaption"))
        layout.addWidget(buttons)

    @staticmethod
    def _editor(setting: Setting[Any], value: Any) -> QWidget:
        if setting.choices:
            box = QComboBox()
            for choice in setting.choices:
                box.addItem(str(choice), choice)
            box.setCurrentIndex(max(box.findData(value), 0))
            return box
        spin = QSpinBox(minimum=setting.minimum, maximum=setting.maximum)
        spin.setValue(value)
        return spin

    def accept(self) -> None:
        for setting in PREFERENCES:
            editor = self._editors[setting.key]
            value = editor.currentData() if isinstance(editor, QComboBox) else editor.value()
            self._preferences.set(setting, value)
        super().accept()
