"""民生实事: each project's money paid against its construction progress, milestones and suggestions.

Under the milestones, their site photos: all of the project's, or the selected milestone's, to which staff
and departments add photos (the server lets the project's own department and staff in scope do so)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from desktop.amounts import format_percent, format_wan_yuan, percent
from desktop.attachments_strip import AttachmentStrip, AttachTarget
from desktop.charts.bar_chart import HorizontalBarChart
from desktop.panels.base import ModulePanel, PanelContext, column, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.inspections import InspectionSection
from desktop.panels.suggestion_states import state_colour, state_text
from desktop.panels.table_model import (
    Column,
    RowTableModel,
    date_column,
    level_colour,
    money_column,
    percent_column,
    whole_percent,
)
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.projects import Milestone, ProjectProgress, project_milestones_of, project_progress
from desktop.queries.suggestions import SuggestionRow, suggestions_for
from desktop.queries.thresholds import Level, Thresholds, thresholds
from desktop.replica_writer import ReplicaWriter
from desktop.review.model import Link
from desktop.style import ACCENT, SERIES

CHART_PROJECTS = 8


def status_text(status: str) -> str:
    return {
        "planned": QCoreApplication.translate("ProjectsPanel", "未开工"),
        "in_progress": QCoreApplication.translate("ProjectsPanel", "在建"),
        "completed": QCoreApplication.translate("ProjectsPanel", "已完工"),
        "suspended": QCoreApplication.translate("ProjectsPanel", "停工"),
    }.get(status, status)


class ProjectsPanel(ModulePanel):
    name = "projects"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._rules: tuple[Thresholds, Thresholds] | None = None
        self.figures = FigureStrip()
        self.figures.add("count", self.tr("民生实事项目"), self.tr("个"))
        self.figures.add("budget", self.tr("项目预算"), self.tr("万元"))
        self.figures.add("paid", self.tr("已支付"), self.tr("万元"))
        self.figures.add("lagging", self.tr("需关注的项目"), self.tr("个"))
        self.table = TableSection(RowTableModel(self._columns(), self._level), self.tr("筛选项目、乡镇或部门…"),
                                  self.tr("只看需关注的"))
        self.table.row_selected.connect(self._show_project)
        self.chart = HorizontalBarChart(
            [(self.tr("计划进度"), SERIES[1]), (self.tr("实际进度"), ACCENT), (self.tr("支付进度"), SERIES[2])],
            self.tr("进度（%）"))
        self.detail_title = QLabel(objectName="sectionTitle")
        self.milestones = TableSection(RowTableModel(self._milestone_columns()), money=False)
        self.milestones.row_selected.connect(self._show_milestone_photos)
        self.milestone_photos = AttachmentStrip()
        self._identity: UserIdentity | None = None
        self._project_milestones: list[Milestone] = []
        self.suggestions_title = QLabel(objectName="sectionTitle")
        self.suggestions = TableSection(RowTableModel(self._suggestion_columns()), money=False)
        self.inspections = InspectionSection("project")
        detail = column((self.chart, 3), self.detail_title, (self.milestones, 2), self.milestone_photos,
                        self.suggestions_title,
                        (self.suggestions, 2), (self.inspections, 2))
        self.arrange(self.figures, (side_by_side(self.table, detail), 1))

    def title(self) -> str:
        return self.tr("民生实事")

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        self._identity = identity
        self.inspections.attach(writer, identity)
        self.milestone_photos.use(writer)

    def _show_milestone_photos(self, milestone: Milestone | None) -> None:
        """The selected milestone's photos, where staff and departments may add more; else all of them."""
        if milestone is None:
            owners = [("milestone", str(m.id)) for m in self._project_milestones]
            self.milestone_photos.show_owners(owners, None)
            return
        owner = ("milestone", str(milestone.id))
        may_add = self._identity is not None and self._identity.role in ("staff", "department")
        self.milestone_photos.show_owners([owner], AttachTarget(owner) if may_add else None)

    def _columns(self) -> list[Column[ProjectProgress]]:
        return [
            Column(self.tr("项目"), lambda p: p.name, stretch=True),
            Column(self.tr("乡镇/街道"), lambda p: p.region),
            Column(self.tr("牵头部门"), lambda p: p.department or ""),
            money_column(self.tr("预算"), lambda p: p.budget),
            money_column(self.tr("已支付"), lambda p: p.paid),
            percent_column(self.tr("支付进度"), lambda p: p.paid_percent,
                           foreground=lambda r: level_colour(self._paid_ahead_level(r))),
            percent_column(self.tr("计划进度"), lambda p: p.planned_progress, whole_percent),
            percent_column(self.tr("实际进度"), lambda p: p.actual_progress, whole_percent,
                           foreground=lambda r: level_colour(self._progress_level(r))),
            Column(self.tr("状态"), lambda p: status_text(p.status)),
            date_column(self.tr("完工期限"), lambda p: p.due_date),
            Column(self.tr("所属政策"), lambda p: p.policy or ""),
        ]

    def _milestone_columns(self) -> list[Column[Milestone]]:
        return [date_column(self.tr("日期"), lambda m: m.date),
                Column(self.tr("进展"), lambda m: m.text, stretch=True)]

    def _suggestion_columns(self) -> list[Column[SuggestionRow]]:
        return [Column(self.tr("编号"), lambda s: s.number or ""),
                Column(self.tr("建议"), lambda s: s.title, stretch=True),
                Column(self.tr("状态"), lambda s: state_text(s.state), foreground=lambda s: state_colour(s.state))]

    def _progress_level(self, project: ProjectProgress) -> Level | None:
        return self._rules[0].level(project.progress_lag_points) if self._rules else None

    def _paid_ahead_level(self, project: ProjectProgress) -> Level | None:
        return self._rules[1].level(project.paid_ahead_points) if self._rules else None

    def _level(self, project: ProjectProgress) -> Level | None:
        levels = {self._progress_level(project), self._paid_ahead_level(project)}
        return Level.RED if Level.RED in levels else (Level.YELLOW if Level.YELLOW in levels else None)

    def show_subject(self, link: Link) -> bool:
        return self.table.select_where(lambda project: project.project_id == link.row)

    def load(self, context: PanelContext) -> None:
        self._context = context
        with context.replica.connect() as conn:
            self._rules = (thresholds(conn, "project_lag"), thresholds(conn, "paid_ahead_of_work"))
            projects = project_progress(conn, context.scope)
        if not projects:
            self.show_empty(self.tr("{region} {year} 年没有民生实事项目。\n请换一个年度或区域，或点击「立即同步」。")
                            .format(region=context.region_name, year=context.scope.year))
            return
        self.show_content()
        budget, paid = sum(p.budget for p in projects), sum(p.paid for p in projects)
        self.figures["count"].set_value(str(len(projects)))
        self.figures["budget"].set_value(format_wan_yuan(budget))
        self.figures["paid"].set_value(format_wan_yuan(paid),
                                       unit=self.tr("万元 · {percent}").format(percent=format_percent(percent(paid,
                                                                                                            budget))))
        flagged = [p for p in projects if self._level(p)]
        self.figures["lagging"].set_value(str(len(flagged)), Level.YELLOW if flagged else None)
        shown = projects[:CHART_PROJECTS]
        self.chart.set_bars([p.name for p in shown],
                            [[float(p.planned_progress) for p in shown], [float(p.actual_progress) for p in shown],
                             [float(p.paid_percent or 0) for p in shown]])
        self.table.set_rows(projects)
        self.table.select_first()

    def _show_project(self, project: ProjectProgress | None) -> None:
        if self._context is not None:
            self.inspections.show_subject(self._context, (project.project_id, project.name) if project else None)
        if self._context is None or project is None:
            self.detail_title.setText(self.tr("选中一个项目，查看它的进展和相关建议"))
            self.suggestions_title.setText("")
            self._project_milestones = []
            self.milestones.set_rows([])
            self.suggestions.set_rows([])
            return
        with self._context.replica.connect() as conn:
            milestones = project_milestones_of(conn, project.project_id)
            linked = suggestions_for(conn, project_id=project.project_id)
        self.detail_title.setText(self.tr("「{project}」的进展").format(project=project.name))
        self.suggestions_title.setText(self.tr("相关意见建议（{count} 条）").format(count=len(linked)))
        self._project_milestones = milestones
        self.milestones.set_rows(milestones)  # with no milestone selected: all their photos
        self.suggestions.set_rows(linked)
