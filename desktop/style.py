"""The look shared by every panel: one palette for warning levels, chart colours, type and spacing.

Deputies are often older and read from a shared PC's screen at arm's length: the base type is large,
numbers are right-aligned, and yellow/red mean the same everywhere (tables, charts, status chips).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.queries.thresholds import Level

#: Row backgrounds and text of the two warning levels (DESIGN.md §5): 提示 yellow, 预警 red.
LEVEL_BACKGROUND = {Level.YELLOW: QColor("#FFF4CC"), Level.RED: QColor("#FDE0DD")}
LEVEL_FOREGROUND = {Level.YELLOW: QColor("#8A6100"), Level.RED: QColor("#B3261E")}

ACCENT = "#1F5FA8"  # the district's blue: the main series, links, the selected tab
SECONDARY = "#E07B00"  # the selected item's series, set against the total
MUTED = "#8C96A3"  # reference lines (time progress), axes
SERIES = ("#1F5FA8", "#7FA7D9", "#E07B00", "#3E9A5C", "#9467BD", "#8C564B")
OK_GREEN = "#2E7D32"

BASE_POINT_SIZE = 11
PREFERRED_FAMILIES = ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                     "WenQuanYi Micro Hei")

STYLE_SHEET = f"""
QMainWindow::separator {{ width: 6px; height: 6px; }}
QDockWidget {{ font-weight: bold; }}
QDockWidget > QWidget {{ font-weight: normal; }}
QTabBar::tab {{ padding: 7px 18px; min-width: 80px; }}
QTabBar::tab:selected {{ color: {ACCENT}; border-bottom: 3px solid {ACCENT}; font-weight: bold; }}
QTableView {{ gridline-color: #E3E7EC; selection-background-color: #D6E4F5; selection-color: black;
             alternate-background-color: #F7F9FB; }}
QHeaderView::section {{ background: #EEF2F6; padding: 5px 6px; border: none;
                        border-right: 1px solid #DCE2E8; border-bottom: 1px solid #DCE2E8; font-weight: bold; }}
QFrame#figureCard {{ background: white; border: 1px solid #DCE2E8; border-radius: 6px; }}
QLabel#figureCaption {{ color: #5A6573; }}
QLabel#figureValue {{ font-size: {BASE_POINT_SIZE + 7}pt; font-weight: bold; color: #1B2733; }}
QLabel#figureValue[level="yellow"] {{ color: {LEVEL_FOREGROUND[Level.YELLOW].name()}; }}
QLabel#figureValue[level="red"] {{ color: {LEVEL_FOREGROUND[Level.RED].name()}; }}
QLabel#figureUnit {{ color: #5A6573; }}
QLabel#emptyState {{ color: #5A6573; font-size: {BASE_POINT_SIZE + 2}pt; padding: 40px; }}
QLabel#notice {{ background: #EEF4FB; border: 1px solid #C9D9EE; border-radius: 4px; padding: 6px 10px; }}
QLabel#sectionTitle {{ font-weight: bold; color: #1B2733; padding-top: 4px; }}
QToolBar {{ spacing: 8px; padding: 4px 8px; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; border-radius: 4px; padding: 6px 16px;
                      font-weight: bold; }}
QPushButton#primary:disabled {{ background: #AFC3DC; }}
QStatusBar QLabel {{ padding: 0 8px; }}
"""


def apply_look(app: QApplication, point_size: int = BASE_POINT_SIZE) -> None:
    """Large CJK type and the shared style sheet."""
    families = set(QFontDatabase.families())
    font = QFont(next((f for f in PREFERRED_FAMILIES if f in families), app.font().family()))
    font.setPointSize(point_size)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
