"""Asking where to save an export, and saying so when it could not be written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def default_path(name: str, suffix: str) -> Path:
    """``name-20261031.suffix`` in the user's documents folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(folder) / f"{name}-{dt.date.today():%Y%m%d}{suffix}"


def ask_save_path(parent: QWidget, caption: str, name: str, suffix: str, file_filter: str) -> Path | None:
    """The file the user chose (with ``suffix`` added when left off), or None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(default_path(name, suffix)), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def show_save_failure(parent: QWidget, path: Path, error: OSError) -> None:
    message = QCoreApplication.translate("SaveDialog", "无法写入 {path}：{reason}\n文件若正被打开，请先关闭它。")
    QMessageBox.warning(parent, QCoreApplication.translate("SaveDialog", "无法保存"),
                        message.format(path=path, reason=error.strerror or error))
