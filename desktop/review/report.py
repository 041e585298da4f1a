"""Warnings as ``budgetwatch review`` prints them: JSON for programs, a grouped list for people.

Money is 万元 here (two decimals), percentages are percent (41.2), points are percentage points.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from desktop.amounts import wan_yuan
from desktop.queries.thresholds import Level
from desktop.review import LEVEL_TITLES, QT_TRANSLATE_NOOP, RULE_TITLES
from desktop.review.model import Figure, Unit, Warning


def figure_value(figure: Figure) -> int | Decimal:
    """A figure as a person reads it: fen as 万元, everything else as it is."""
    return wan_yuan(figure.value) if figure.unit is Unit.FEN else figure.value


def _number(value: int | Decimal) -> int | float:
    # A Decimal of at most two places prints back exactly as a JSON number.
    return value if isinstance(value, int) else (int(value) if value == value.to_integral() else float(value))


def warning_object(warning: Warning) -> dict[str, Any]:
    subject = warning.subject
    return {
        "rule": warning.rule, "level": warning.level.value, "year": warning.year,
        "subject": {"type": subject.type, "id": subject.id, "name": subject.name, "region": subject.region_code,
                    "region_name": subject.region_name},
        "figures": {figure.name: _number(figure_value(figure)) for figure in warning.figures},
        "message": warning.message,
    }


def as_json(warnings: Sequence[Warning]) -> str:
    return json.dumps([warning_object(w) for w in warnings], ensure_ascii=False, indent=2)


def as_table(warnings: Sequence[Warning]) -> str:
    """Grouped by rule, red first: a heading with the counts, then one warning a line."""
    if not warnings:
        return "没有预警。"
    lines: list[str] = []
    for rule, group in groupby(warnings, key=lambda w: w.rule):
        found = list(group)
        red = sum(w.level is Level.RED for w in found)
        lines.append(f"{RULE_TITLES[rule]}（{rule}）：预警 {red} 条，提示 {len(found) - red} 条")
        lines += [f"  [{LEVEL_TITLES[w.level]}] {w.message}" for w in found]
        lines.append("")
    red = sum(w.level is Level.RED for w in warnings)
    lines.append(f"共 {len(warnings)} 条：预警 {red} 条，提示 {len(warnings) - red} 条。")
    return "\n".join(lines)


def headline(warning: Warning, translate: Callable[[str], str] = str) -> str:
    """The one figure that says most, in a few characters (the 预警 list's 要点 column); ``translate``
    turns a template into the interface language (the desktop's ``QCoreApplication.translate``)."""
    names = {f.name for f in warning.figures}
    for name, template in HEADLINES:
        if name in names:
            figure = next(f for f in warning.figures if f.name == name)
            return translate(template).format(figure_value(figure))
    spent = next((f for f in warning.figures if f.name in UNBUDGETED_MONEY), None)
    return "" if spent is None else translate(UNBUDGETED_HEADLINE).format(figure_value(spent))


#: Figure name → how the headline shows it, in the order they are looked for.
HEADLINES = (
    ("lag_points", QT_TRANSLATE_NOOP("Review", "落后{}个百分点")),
    ("ahead_points", QT_TRANSLATE_NOOP("Review", "超前{}个百分点")),
    ("december_percent", QT_TRANSLATE_NOOP("Review", "12月占{}%")),
    ("deviation_percent", QT_TRANSLATE_NOOP("Review", "偏离{:+}%")),
    ("change_percent", QT_TRANSLATE_NOOP("Review", "调整{:+}%")),
    ("budget_increase_percent", QT_TRANSLATE_NOOP("Review", "预算增{}%")),
    ("paid_increase_percent", QT_TRANSLATE_NOOP("Review", "支出增{}%")),
    ("over_budget_percent", QT_TRANSLATE_NOOP("Review", "超预算{}%")),
    ("idle_months", QT_TRANSLATE_NOOP("Review", "{}个月未支付")),
    ("days_overdue", QT_TRANSLATE_NOOP("Review", "超期{}天")),
)
UNBUDGETED_HEADLINE = QT_TRANSLATE_NOOP("Review", "无预算，已有{}万元")
#: The money of a subject without a budget (its only figures besides the zero budget).
UNBUDGETED_MONEY = ("paid", "final", "adjusted", "disbursed")


#: What each figure is called where a person reads it.
FIGURE_LABELS = {
    "budget": "预算", "paid": "已支出", "execution_percent": "执行进度", "time_progress": "序时进度",
    "lag_points": "滞后（百分点）", "total": "全年支出", "to_november": "1–11月支出", "december": "12月支出",
    "december_percent": "12月占全年", "to_november_percent": "1–11月占全年", "final": "决算",
    "difference": "决算与预算差额", "deviation_percent": "偏离率", "approved": "年初预算", "adjusted": "调整预算",
    "change": "调整金额", "change_percent": "调整幅度", "last_year_budget": "上年预算",
    "last_year_paid": "上年同期支出",
    "budget_increase_percent": "预算比上年增加", "paid_increase_percent": "支出比上年同期增加",
    "over_budget_percent": "支出超预算", "idle_months": "闲置月数", "planned_progress": "计划进度",
    "actual_progress": "实际进度", "paid_percent": "支付进度", "ahead_points": "支付超前（百分点）",
    "arranged": "安排资金", "disbursed": "已拨付", "disbursed_percent": "拨付进度", "days_overdue": "超过期限（天）",
}
_UNIT_TEXT = {Unit.FEN: "万元", Unit.PERCENT: "%", Unit.POINTS: "", Unit.MONTHS: "个月", Unit.DAYS: "天"}

#: What a deputy asks for when a warning becomes a suggestion.
RULE_ASKS = {
    "execution_lag": "建议督促有关单位分析预算执行滞后的原因，加快执行进度。",
    "livelihood_payment_lag": "建议督促有关单位加快民生资金支付，确保及时足额兑现到群众手中。",
    "year_end_rush": "建议督促有关单位均衡安排全年支出，防止年底突击花钱。",
    "final_deviation": "建议有关单位说明决算与预算偏离的原因，提高预算编制的准确性。",
    "large_adjustment": "建议有关单位说明预算调整的原因和依据，严格执行预算调整程序。",
    "three_public_expenses": "建议严格控制三公经费支出，落实党政机关过紧日子要求。",
    "idle_special_funds": "建议督促有关单位加快专项资金拨付使用，防止资金闲置沉淀。",
    "project_lag": "建议督促项目实施单位分析进度滞后的原因，加快建设进度。",
    "paid_ahead_of_work": "建议加强项目资金支付监管，按工程进度拨付资金，防范资金风险。",
    "policy_disbursement_lag": "建议督促有关部门加快政策资金拨付，确保政策落地见效。",
    "suggestion_overdue": "建议督促承办单位抓紧办理，尽快答复。",
}


def figure_text(figure: Figure) -> str:
    value = figure_value(figure)
    money = f"{value:,.2f}" if figure.unit is Unit.FEN else str(value)
    return f"{money}{_UNIT_TEXT[figure.unit]}"


def figure_lines(warning: Warning) -> list[tuple[str, str]]:
    """(label, value with its unit) for every figure behind a warning."""
    return [(FIGURE_LABELS.get(f.name, f.name), figure_text(f)) for f in warning.figures]


def suggestion_text(warning: Warning) -> tuple[str, str]:
    """The title and body of a suggestion a deputy starts from a warning (系统预警 → 督促)."""
    title = f"关于{warning.subject.name}{RULE_TITLES[warning.rule]}的建议"
    figures = "\n".join(f"· {label}：{value}" for label, value in figure_lines(warning))
    body = (f"系统预警（{RULE_TITLES[warning.rule]}，{LEVEL_TITLES[warning.level]}）显示：{warning.message}\n\n"
            f"有关数据：\n{figures}\n\n{RULE_ASKS[warning.rule]}")
    return title[:200], body
