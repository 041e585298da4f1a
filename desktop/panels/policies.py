"""重大政策执行: funds arranged and disbursed per policy, the disbursement curve, the policy's projects."""

from __future__ import annotations

from itertools import accumulate

from PySide6.QtWidgets import QLabel, QWidget

from desktop.amounts import format_percent, format_wan_yuan, percent
from desktop.charts.progress_chart import CumulativeProgressChart
from desktop.panels.base import ModulePanel, PanelContext, column, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.inspections import InspectionSection
from desktop.panels.table_model import (
    Column,
    RowTableModel,
    count_column,
    level_colour,
    money_column,
    percent_column,
    points_column,
    whole_percent,
)
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.policies import PolicyProgress, monthly_disbursement, policy_progress
from desktop.queries.projects import ProjectProgress, project_progress
from desktop.queries.thresholds import Level, Thresholds, thresholds
from desktop.replica_writer import ReplicaWriter
from desktop.review.model import Link


def _cumulative_percent(monthly: tuple[int, ...], arranged: int, through_month: int):
    return [percent(amount, arranged) for amount in list(accumulate(monthly))[:through_month]]


class PoliciesPanel(ModulePanel):
    name = "policies"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._rule: Thresholds | None = None
        self._policies: list[PolicyProgress] = []
        self.figures = FigureStrip()
        self.figures.add("count", self.tr("重大政策"), self.tr("项"))
        self.figures.add("arranged", self.tr("安排资金"), self.tr("万元"))
        self.figures.add("disbursed", self.tr("已拨付"), self.tr("万元"))
        self.figures.add("percent", self.tr("拨付进度"))
        self.table = TableSection(RowTableModel(self._columns(), self._level), self.tr("筛选政策或部门…"),
                                  self.tr("只看滞后"))
        self.table.row_selected.connect(self._show_policy)
        self.chart = CumulativeProgressChart(self.tr("全部政策"), self.tr("累计拨付进度（%）"))
        self.related_title = QLabel(objectName="sectionTitle")
        self.related = TableSection(RowTableModel(self._project_columns()))
        self.inspections = InspectionSection("policy")
        self.arrange(self.figures, (side_by_side(self.table, column(
            (self.chart, 3), self.related_title, (self.related, 2), (self.inspections, 2))), 1))

    def title(self) -> str:
        return self.tr("重大政策执行")

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        self.inspections.attach(writer, identity)

    def _columns(self) -> list[Column[PolicyProgress]]:
        return [
            Column(self.tr("政策"), lambda p: p.name, tooltip=lambda p: p.description),
            Column(self.tr("牵头部门"), lambda p: p.department or "", stretch=True),
            money_column(self.tr("安排资金"), lambda p: p.arranged),
            money_column(self.tr("已拨付"), lambda p: p.disbursed),
            percent_column(self.tr("拨付进度"), lambda p: p.disbursed_percent),
            points_column(self.tr("落后序时（百分点）"), self._lag, foreground=lambda r: level_colour(self._level(r))),
            count_column(self.tr("项目数"), lambda p: p.project_count),
        ]

    def _project_columns(self) -> list[Column[ProjectProgress]]:
        return [
            Column(self.tr("项目"), lambda p: p.name, stretch=True),
            money_column(self.tr("预算"), lambda p: p.budget),
            money_column(self.tr("已支付"), lambda p: p.paid),
            percent_column(self.tr("实际进度"), lambda p: p.actual_progress, whole_percent),
        ]

    def _lag(self, policy: PolicyProgress):
        return policy.lag_points(self._context.as_of_month) if self._context else None

    def _level(self, policy: PolicyProgress) -> Level | None:
        return self._rule.level(self._lag(policy)) if self._rule else None

    def show_subject(self, link: Link) -> bool:
        return self.table.select_where(lambda policy: policy.policy_id == link.row)

    def load(self, context: PanelContext) -> None:
        self._context = context
        with context.replica.connect() as conn:
            self._rule = thresholds(conn, "policy_disbursement_lag")
            self._policies = policy_progress(conn, context.scope, context.as_of_month)
            total_monthly = monthly_disbursement(conn, [p.policy_id for p in self._policies], context.scope.year)
        if not self._policies:
            self.show_empty(self.tr("{region} {year} 年没有重大政策数据。\n请换一个年度或区域，或点击「立即同步」。")
                            .format(region=context.region_name, year=context.scope.year))
            return
        self.show_content()
        arranged = sum(p.arranged for p in self._policies)
        disbursed = sum(p.disbursed for p in self._policies)
        self._total_percent = _cumulative_percent(total_monthly, arranged, context.as_of_month)
        self.figures["count"].set_value(str(len(self._policies)))
        self.figures["arranged"].set_value(format_wan_yuan(arranged))
        self.figures["disbursed"].set_value(format_wan_yuan(disbursed))
        time = format_percent(context.time_progress)
        self.figures["percent"].set_value(format_percent(percent(disbursed, arranged)),
                                          unit=self.tr("序时 {time}").format(time=time))
        self.table.set_rows(self._policies)
        self.table.select_first()

    def _show_policy(self, policy: PolicyProgress | None) -> None:
        context = self._context
        if context is None or self.is_empty():
            return
        selected = None
        projects: list[ProjectProgress] = []
        if policy is not None:
            with context.replica.connect() as conn:
                monthly = monthly_disbursement(conn, [policy.policy_id], context.scope.year)
                projects = project_progress(conn, context.scope, policy_id=policy.policy_id)
            selected = _cumulative_percent(monthly, policy.arranged, context.as_of_month)
        self.chart.set_progress(context.scope.year, context.as_of_month, self._total_percent, selected,
                                policy.name if policy else None)
        self.related_title.setText(self.tr("「{policy}」的项目（{count} 个）").format(policy=policy.name,
                                                                                   count=len(projects))
                                   if policy else self.tr("选中一项政策，查看它的项目"))
        self.related.set_rows(projects)
        self.inspections.show_subject(context, (policy.policy_id, policy.name) if policy else None)
