"""Automatic review (自动审查): DESIGN.md §5's eleven rules over a replica, yielding warnings.

No Qt here (a test checks it): ``budgetwatch review`` runs it headless, the desktop's 预警 dock off
the UI thread. Each rule is a function ``rule(context, thresholds) -> Iterator[Warning]``; the
context carries the replica connection, the as-of (the data's latest reported month of each year and
the server's date — never the PC's clock), the scope asked for, the names of places and what each line
has paid (kept by the replica: desktop/review/payments.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Connection

from desktop.queries.thresholds import Level, Thresholds, all_thresholds
from desktop.review.budget import final_deviation, large_adjustment, three_public_expenses
from desktop.review.context import ReviewContext, review_context
from desktop.review.execution import execution_lag, idle_special_funds, livelihood_payment_lag, year_end_rush
from desktop.review.model import ReviewScope, Warning
from desktop.review.policies import policy_disbursement_lag
from desktop.review.projects import paid_ahead_of_work, project_lag
from desktop.review.suggestions import suggestion_overdue
from sync.schema import REVIEW_RULES

Rule = Callable[[ReviewContext, Thresholds], Iterator[Warning]]

RULES: dict[str, Rule] = {
    "execution_lag": execution_lag,
    "livelihood_payment_lag": livelihood_payment_lag,
    "year_end_rush": year_end_rush,
    "final_deviation": final_deviation,
    "large_adjustment": large_adjustment,
    "three_public_expenses": three_public_expenses,
    "idle_special_funds": idle_special_funds,
    "project_lag": project_lag,
    "paid_ahead_of_work": paid_ahead_of_work,
    "policy_disbursement_lag": policy_disbursement_lag,
    "suggestion_overdue": suggestion_overdue,
}
assert tuple(RULES) == REVIEW_RULES


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for Qt's translation tools (lupdate) without importing Qt: the review runs headless,
    the desktop shows these titles through ``QCoreApplication.translate("Review", …)``."""
    return text


#: What each rule is called on screen (DESIGN.md §5).
RULE_TITLES = {
    "execution_lag": QT_TRANSLATE_NOOP("Review", "执行进度滞后"),
    "livelihood_payment_lag": QT_TRANSLATE_NOOP("Review", "民生资金支付慢"),
    "year_end_rush": QT_TRANSLATE_NOOP("Review", "年底突击花钱"),
    "final_deviation": QT_TRANSLATE_NOOP("Review", "决算偏离预算"),
    "large_adjustment": QT_TRANSLATE_NOOP("Review", "预算调整幅度大"),
    "three_public_expenses": QT_TRANSLATE_NOOP("Review", "三公经费增长或超支"),
    "idle_special_funds": QT_TRANSLATE_NOOP("Review", "专项资金闲置"),
    "project_lag": QT_TRANSLATE_NOOP("Review", "项目进度滞后"),
    "paid_ahead_of_work": QT_TRANSLATE_NOOP("Review", "资金支付超进度"),
    "policy_disbursement_lag": QT_TRANSLATE_NOOP("Review", "政策资金拨付慢"),
    "suggestion_overdue": QT_TRANSLATE_NOOP("Review", "建议办理超期"),
}
LEVEL_TITLES = {Level.RED: QT_TRANSLATE_NOOP("Review", "预警"), Level.YELLOW: QT_TRANSLATE_NOOP("Review", "提示")}


def review(conn: Connection, scope: ReviewScope | None = None) -> list[Warning]:
    """Every warning of every rule switched on, for ``scope`` (default: the whole replica).

    Ordered by rule (DESIGN.md §5's order), red before yellow, then as each rule found them.
    """
    found: list[Warning] = []
    context = review_context(conn, scope or ReviewScope())
    for rule, limits in all_thresholds(conn).items():
        if limits.enabled:
            found.extend(RULES[rule](context, limits))
    order = {rule: index for index, rule in enumerate(REVIEW_RULES)}
    return sorted(found, key=lambda w: (order[w.rule], w.level is not Level.RED))
