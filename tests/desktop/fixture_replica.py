"""A small replica with figures chosen by hand, so the panels' numbers can be checked exactly.

The data's as-of month for 2026 is October (executions Jan–Oct): time progress 83.3 %.
Amounts are fen: 1 万元 = 1 000 000 fen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import insert

from sync.client import line_payments
from sync.client.home import Account
from sync.client.replica import Replica
from sync.schema import (
    activities,
    budget_lines,
    classifications,
    departments,
    executions,
    policies,
    policy_disbursements,
    project_milestones,
    projects,
    regions,
    suggestion_contacts,
    suggestion_events,
    suggestions,
    users,
)

SERVER = "http://127.0.0.1:8750"
YEAR = 2026
AS_OF_MONTH = 10
DISTRICT = "511702"
FENGBEI = "511702001"
BEISHAN = "511702002"
UTC = dt.UTC

REGIONS = [
    {"code": "511700", "name": "达州市", "level": "city", "parent_code": None, "sort_order": 0},
    {"code": DISTRICT, "name": "通川区", "level": "district", "parent_code": "511700", "sort_order": 0},
    {"code": FENGBEI, "name": "凤北街道", "level": "township", "parent_code": DISTRICT, "sort_order": 1},
    {"code": BEISHAN, "name": "北山镇", "level": "township", "parent_code": DISTRICT, "sort_order": 2},
]

CLASSIFICATIONS = [
    ("function", "201", "一般公共服务支出", "类", None),
    ("function", "20103", "政府办公厅(室)及相关机构事务", "款", "201"),
    ("function", "2010301", "行政运行", "项", "20103"),
    ("function", "208", "社会保障和就业支出", "类", None), ("function", "20805", "行政事业单位养老支出", "款", "208"),
    ("function", "2080505", "机关事业单位基本养老保险缴费支出", "项", "20805"),
    ("function", "213", "农林水支出", "类", None), ("function", "21301", "农业农村", "款", "213"),
    ("function", "2130104", "事业运行", "项", "21301"),
    ("function", "21305", "巩固脱贫攻坚成果衔接乡村振兴", "款", "213"),
    ("function", "2130505", "生产发展", "项", "21305"),
    ("function", "214", "交通运输支出", "类", None), ("function", "21401", "公路水路运输", "款", "214"),
    ("function", "2140106", "公路建设", "项", "21401"),
    ("function", "221", "住房保障支出", "类", None), ("function", "22101", "保障性安居工程支出", "款", "221"),
    ("function", "2210108", "老旧小区改造", "项", "22101"),
    ("economic", "301", "工资福利支出", "类", None), ("economic", "30101", "基本工资", "款", "301"),
    ("economic", "30108", "机关事业单位基本养老保险缴费", "款", "301"),
    ("economic", "302", "商品和服务支出", "类", None), ("economic", "30217", "公务接待费", "款", "302"),
    ("economic", "310", "资本性支出", "类", None), ("economic", "31005", "基础设施建设", "款", "310"),
    ("fund", "1", "一般公共预算", None, None), ("fund", "2", "政府性基金预算", None, None),
]

DEPARTMENTS = [
    {"code": "FB-DZB", "name": "凤北街道党政办", "region_code": FENGBEI},
    {"code": "FB-SHSW", "name": "凤北街道社会事务办", "region_code": FENGBEI},
    {"code": "BS-NFZX", "name": "北山镇农业服务中心", "region_code": BEISHAN},
    {"code": "TC-JTJ", "name": "通川区交通运输局", "region_code": DISTRICT},
    {"code": "TC-ZJJ", "name": "通川区住房和城乡建设局", "region_code": DISTRICT},
    {"code": "TC-NYJ", "name": "通川区农业农村局", "region_code": DISTRICT},
]

USERS = [
    {"id": 1, "username": "deputy01", "display_name": "王建国", "role": "deputy", "region_code": FENGBEI},
    {"id": 2, "username": "deputy02", "display_name": "李秀英", "role": "deputy", "region_code": FENGBEI},
    {"id": 3, "username": "staff01", "display_name": "张敏", "role": "staff", "region_code": FENGBEI},
    {"id": 4, "username": "jtj01", "display_name": "区交通运输局", "role": "department", "region_code": DISTRICT,
     "department_code": "TC-JTJ"},
    {"id": 5, "username": "nyj01", "display_name": "区农业农村局", "role": "department", "region_code": DISTRICT,
     "department_code": "TC-NYJ"},
]


def _line(line_id, year, region, dept, function, economic, approved, *, adjusted=None, final=None, fund="1",
          project=None, special=False, livelihood=False, three_public=False):
    return {"id": line_id, "year": year, "region_code": region, "department_code": dept, "unit_name": None,
            "function_code": function, "economic_code": economic, "fund_code": fund, "project_name": project,
            "project_id": None, "policy_id": None, "is_special": special, "is_three_public": three_public,
            "is_livelihood": livelihood, "approved": approved, "adjusted": adjusted, "final": final}


BUDGET_LINES = [
    # 2026, executed January–October
    _line(1, YEAR, FENGBEI, "FB-DZB", "2010301", "30101", 120_000_000),
    _line(2, YEAR, FENGBEI, "FB-SHSW", "2080505", "30108", 50_000_000, adjusted=60_000_000, livelihood=True),
    _line(3, YEAR, FENGBEI, "FB-DZB", "2130505", "31005", 300_000_000, project="凤凰山片区乡村振兴示范线路",
          special=True, livelihood=True),
    _line(4, YEAR, FENGBEI, "FB-DZB", "2010301", "30217", 2_000_000, three_public=True),
    _line(5, YEAR, BEISHAN, "BS-NFZX", "2130104", "30101", 80_000_000, livelihood=True),
    _line(6, YEAR, DISTRICT, "TC-JTJ", "2140106", "31005", 500_000_000, adjusted=450_000_000, fund="2"),
    _line(7, YEAR, DISTRICT, "TC-ZJJ", "2210108", "31005", 123_456_789, livelihood=True),
    # 2025, with final accounts
    _line(11, YEAR - 1, FENGBEI, "FB-DZB", "2010301", "30101", 110_000_000, adjusted=115_000_000,
          final=112_000_000),
    _line(12, YEAR - 1, FENGBEI, "FB-SHSW", "2080505", "30108", 50_000_000, final=58_000_000, livelihood=True),
    _line(13, YEAR - 1, FENGBEI, "FB-DZB", "2130505", "31005", 200_000_000, adjusted=250_000_000,
          final=190_000_000, special=True, livelihood=True),
    _line(15, YEAR - 1, BEISHAN, "BS-NFZX", "2130104", "30101", 70_000_000, final=69_000_000, livelihood=True),
    _line(16, YEAR - 1, DISTRICT, "TC-JTJ", "2140106", "31005", 400_000_000, final=380_000_000, fund="2"),
]

#: line id → {month: amount paid that month}
PAYMENTS = {
    1: dict.fromkeys(range(1, 11), 10_000_000),  # 100 000 000 of 120 000 000: 83.3 %, on time
    2: dict.fromkeys(range(1, 11), 3_000_000),  # 30 000 000 of 60 000 000: 50.0 %, 33.3 points behind
    3: {3: 60_000_000, 6: 60_000_000, 9: 60_000_000},  # 180 000 000 of 300 000 000: 60.0 %
    4: dict.fromkeys(range(1, 11), 150_000),  # 1 500 000 of 2 000 000: 75.0 %, 8.3 behind
    5: dict.fromkeys(range(1, 11), 7_000_000),  # 70 000 000 of 80 000 000: 87.5 %
    6: dict.fromkeys(range(1, 11), 40_000_000),  # 400 000 000 of 450 000 000: 88.9 %
    7: {4: 23_456_789, 8: 50_000_000},  # 73 456 789 of 123 456 789: 59.5 %
    11: dict.fromkeys(range(1, 13), 9_000_000),
    16: dict.fromkeys(range(1, 13), 30_000_000),
}

POLICIES = [
    {"id": 1, "name": "乡村振兴", "region_code": FENGBEI, "year": YEAR, "department_code": "TC-NYJ",
     "funds_arranged": 300_000_000, "description": "凤凰山片区乡村振兴示范线路、通川脆李产业"},
    {"id": 2, "name": "交通三年大会战", "region_code": DISTRICT, "year": YEAR, "department_code": "TC-JTJ",
     "funds_arranged": 800_000_000, "description": "双鱼湖环湖公路等"},
    {"id": 3, "name": "老旧小区改造", "region_code": FENGBEI, "year": YEAR, "department_code": "TC-ZJJ",
     "funds_arranged": 150_000_000, "description": None},
]

#: policy id → {month: amount disbursed}
DISBURSEMENTS = {
    1: {3: 50_000_000, 6: 60_000_000, 9: 40_000_000},  # 150 000 000 of 300 000 000: 50.0 %
    2: dict.fromkeys(range(1, 11), 60_000_000),  # 600 000 000 of 800 000 000: 75.0 %
    3: {2: 30_000_000, 5: 45_000_000, 8: 45_000_000},  # 120 000 000 of 150 000 000: 80.0 %
}


def _project(project_id, name, region, dept, policy, budget, paid, planned, actual, status="in_progress"):
    return {"id": project_id, "name": name, "region_code": region, "department_code": dept, "year": YEAR,
            "policy_id": policy, "budget": budget, "paid": paid, "planned_progress": planned,
            "actual_progress": actual, "status": status, "start_date": dt.date(YEAR, 3, 1),
            "due_date": dt.date(YEAR, 12, 31), "description": None}


PROJECTS = [
    _project(1, "双鱼湖环湖公路建设工程", FENGBEI, "TC-JTJ", 2, 200_000_000, 100_000_000, 60, 45),
    _project(2, "肖公庙社区道路小修整治工程", FENGBEI, "TC-JTJ", 2, 8_000_000, 8_000_000, 100, 70),
    _project(3, "凤凰山片区乡村振兴示范线路", FENGBEI, "TC-NYJ", 1, 150_000_000, 90_000_000, 70, 65),
    _project(4, "凤北街道老旧小区改造(一期)", FENGBEI, "TC-ZJJ", 3, 60_000_000, 30_000_000, 80, 50),
    _project(5, "北山镇便民服务中心", BEISHAN, "BS-NFZX", None, 5_000_000, 1_000_000, 30, 35),
]

MILESTONES = [
    {"id": 1, "project_id": 1, "region_code": FENGBEI, "date": dt.date(YEAR, 3, 10), "text": "开工"},
    {"id": 2, "project_id": 1, "region_code": FENGBEI, "date": dt.date(YEAR, 6, 30), "text": "路基工程完成"},
    {"id": 3, "project_id": 1, "region_code": FENGBEI, "date": dt.date(YEAR, 9, 15), "text": "沥青路面铺设过半"},
]


def _at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, tzinfo=UTC)


def _suggestion(sid, number, author, title, state, *, dept=None, deadline=None, project=None, policy=None,
                source="own", reason=None, rating=None, submitted=(5, 6), updated=(6, 1)):
    return {"id": sid, "number": number, "author_id": author, "region_code": FENGBEI, "title": title,
            "body": title + "。具体情况见附件说明。", "category": "乡村振兴" if policy == 1 else "城乡建设",
            "source": source, "state": state, "department_code": dept, "deadline": deadline,
            "merged_into": None, "decline_reason": reason, "rating": rating, "project_id": project,
            "policy_id": policy, "submitted_at": _at(*submitted), "updated_at": _at(*updated)}


SUGGESTIONS = [
    _suggestion("s-0001", "2026-0001", 1, "大力发展通川脆李产业助力建设宜居宜业和美乡村", "replied",
                dept="TC-NYJ", deadline=dt.date(YEAR, 9, 30), policy=1, submitted=(4, 8), updated=(9, 20)),
    _suggestion("s-0002", "2026-0002", 2, "双鱼湖环湖公路施工路段请增设夜间警示灯", "assigned", dept="TC-JTJ",
                deadline=dt.date(YEAR, 12, 15), project=1, source="constituents", submitted=(10, 12),
                updated=(10, 20)),
    _suggestion("s-0003", "2026-0003", 1, "老旧小区加装电梯资金分摊方案请公开", "declined", project=4,
                reason="属于小区业主自治事项，已转社区居委会协调", submitted=(7, 2), updated=(7, 9)),
    _suggestion("s-0004", "2026-0004", 2, "肖公庙社区道路修整后请完善排水沟", "closed", dept="TC-JTJ",
                deadline=dt.date(YEAR, 6, 30), project=2, rating=5, submitted=(3, 15), updated=(6, 20)),
]


def _event(eid, sid, actor, role, at, action, from_state, to_state, text=None, dept=None, deadline=None):
    return {"id": eid, "suggestion_id": sid, "region_code": FENGBEI, "department_code": dept, "actor_id": actor,
            "actor_role": role, "at": at, "action": action, "from_state": from_state, "to_state": to_state,
            "text": text, "assigned_department": dept, "deadline": deadline, "rating": None}


SUGGESTION_EVENTS = [
    _event("e-01", "s-0001", 1, "deputy", _at(4, 8), "submit", None, "submitted"),
    _event("e-02", "s-0001", 3, "staff", _at(4, 10), "assign", "submitted", "assigned", "请农业农村局牵头办理",
           "TC-NYJ", dt.date(YEAR, 9, 30)),
    _event("e-03", "s-0001", 5, "department", _at(4, 12), "accept", "assigned", "accepted"),
    _event("e-04", "s-0001", 5, "department", _at(9, 20), "reply", "accepted", "replied",
           "已将脆李产业纳入凤凰山片区示范线路建设，新建冷链仓储一处。"),
    _event("e-05", "s-0002", 2, "deputy", _at(10, 12), "submit", None, "submitted"),
    _event("e-06", "s-0002", 3, "staff", _at(10, 20), "assign", "submitted", "assigned", None, "TC-JTJ",
           dt.date(YEAR, 12, 15)),
    _event("e-07", "s-0003", 1, "deputy", _at(7, 2), "submit", None, "submitted"),
    _event("e-08", "s-0003", 3, "staff", _at(7, 9), "decline", "submitted", "declined",
           "属于小区业主自治事项，已转社区居委会协调"),
]

#: The duty record: deputy01 in September and October, deputy02 in October (times UTC; 23:00 on 31 Oct is
#: 1 November in China).
ACTIVITIES = [
    {"id": f"a-{n:02d}", "user_id": user, "region_code": FENGBEI, "at": at, "kind": kind, "detail": None}
    for n, (user, at, kind) in enumerate([
        (1, _at(9, 3), "sign_in"), (1, _at(9, 3, 10), "module_opened"), (1, _at(10, 12), "sign_in"),
        (1, _at(10, 12, 10), "suggestion"), (1, _at(10, 12, 11), "module_opened"), (2, _at(10, 12), "sign_in"),
        (2, _at(10, 13), "inspection"), (2, dt.datetime(YEAR, 10, 31, 23, tzinfo=UTC), "sign_in"),
    ], 1)
]

CONTACTS = [{"suggestion_id": "s-0002", "region_code": FENGBEI, "department_code": "TC-JTJ", "author_id": 2,
             "name": "陈大爷", "phone": "13800000000"}]


def build_replica(home: Path, username: str = "deputy01", server: str = SERVER) -> Path:
    """Write the fixture into ``username``'s replica under ``home``; returns the replica's path."""
    account = Account.of(home, server, username)
    replica = Replica(account.replica_path)
    executions_rows = [
        {"id": line_id * 100 + month, "line_id": line_id, "region_code": _line_region(line_id),
         "year": _line_year(line_id), "month": month, "amount": amount}
        for line_id, months in PAYMENTS.items() for month, amount in months.items()
    ]
    disbursement_rows = [
        {"id": policy_id * 100 + month, "policy_id": policy_id, "region_code": _policy_region(policy_id),
         "year": YEAR, "month": month, "amount": amount}
        for policy_id, months in DISBURSEMENTS.items() for month, amount in months.items()
    ]
    classification_rows = [
        {"id": f"{scheme}:{code}", "scheme": scheme, "code": code, "name": name, "level": level, "parent_code": parent}
        for scheme, code, name, level, parent in CLASSIFICATIONS
    ]
    user_rows = [{"department_code": None, "active": True, **user} for user in USERS]
    with replica.engine.begin() as conn:
        for table, rows in [
            (regions, REGIONS), (classifications, classification_rows), (departments, DEPARTMENTS),
            (users, user_rows), (budget_lines, BUDGET_LINES), (executions, executions_rows),
            (policies, POLICIES), (policy_disbursements, disbursement_rows), (projects, PROJECTS),
            (project_milestones, MILESTONES), (suggestions, SUGGESTIONS), (suggestion_events, SUGGESTION_EVENTS),
            (suggestion_contacts, CONTACTS), (activities, ACTIVITIES),
        ]:
            conn.execute(insert(table), rows)
        line_payments.rebuild(conn)  # derived from the executions, as a snapshot's load derives it
    user = next(user for user in USERS if user["username"] == username)
    replica.update_state({"server": account.server, "username": username, "user": {
        "id": user["id"], "username": username, "display_name": user["display_name"], "role": user["role"],
        "region_code": user["region_code"], "department_code": user.get("department_code")},
        "server_time": f"{YEAR}-11-29T22:00:00+08:00"})
    replica.close()
    return account.replica_path


def _line_region(line_id: int) -> str:
    return next(line["region_code"] for line in BUDGET_LINES if line["id"] == line_id)


def _line_year(line_id: int) -> int:
    return next(line["year"] for line in BUDGET_LINES if line["id"] == line_id)


def _policy_region(policy_id: int) -> str:
    return next(policy["region_code"] for policy in POLICIES if policy["id"] == policy_id)
