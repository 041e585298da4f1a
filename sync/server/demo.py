"""Demo data for the district server (``budgetwatch-server demo``).

A district — 通川区 of 达州市, the one in the seed text — or, at scale ``city``, all seven districts of the
city, with budget lines over several years, their monthly execution, major policies, livelihood
projects, suggestions with their whole history, inspections, the deputies' activity, a few attachments
(site photos on two suggestions and an inspection, a department's reply letter; the files go to the
server's attachments store), and the accounts to sign in with.

Deterministic: everything is drawn from ``random.Random(seed)`` and fixed dates, never from the clock.
The demo's "today" is the end of October 2026: earlier years are closed (final accounts, twelve
months of execution), 2026 is reported up to month 10.

Coherent the way a deputy cross-checks figures: a closed year's months add up to the line's final
accounts, a project's paid amount is what its budget line paid, a policy's monthly disbursement is what
its lines paid that month.

Every review rule of DESIGN.md §5 is tripped on purpose at least once (:data:`PLANTS`); elsewhere the
figures stay inside the default thresholds where that is realistic — building projects, and the lines
of the one lagging policy, do lag behind time progress, as they do in real districts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import tomllib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, RowMapping, Table, func, select

import resources
from sync.budget_tags import budget_tags
from sync.review_rules import rule_definitions
from sync.schema import (
    EVERY_DEPARTMENT,
    REVIEW_RULES,
    activities,
    attachments,
    budget_lines,
    classifications,
    departments,
    executions,
    inspections,
    policies,
    policy_disbursements,
    project_milestones,
    projects,
    regions,
    review_thresholds,
    suggestion_contacts,
    suggestion_events,
    suggestions,
)
from sync.server import accounts, changelog
from sync.server.attachments import stored_path
from sync.server.demo_media import Scene, letter, photo
from sync.server.settings import ServerSettings

CURRENT_YEAR = 2026
REPORTED_MONTH = 10
#: The demo's "today": the end of the latest reported month.
AS_OF = dt.date(2026, 10, 31)
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The district where the story happens (policies, projects, suggestions, deputies, plants).
STORY_DISTRICT = "511702"
#: One password per role, printed by the CLI.
PASSWORDS = {"deputy": "daibiao-2026", "staff": "gongwei-2026", "department": "bumen-2026"}
#: Rows per ``changelog.insert`` call: large enough for executemany to pay off, small enough for memory.
CHUNK_ROWS = 20_000
WAN = 1_000_000  # fen in one 万元


class DemoError(RuntimeError):
    """The demo cannot be loaded here; the message (Chinese) is for the person who asked."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str
    region_code: str
    department_code: str | None = None


@dataclass(frozen=True)
class Scale:
    years: tuple[int, ...]
    districts: int  # how many districts of the city, 通川区 first


SCALES = {
    "district": Scale(years=(2024, 2025, 2026), districts=1),
    "city": Scale(years=(2022, 2023, 2024, 2025, 2026), districts=7),
}

# ---------------------------------------------------------------- reference data and thresholds

def _existing(conn: Connection, column) -> set:
    return set(conn.execute(select(column)).scalars())


def load_reference(conn: Connection) -> int:
    """Load the classification codes of ``resources/domain/classification.csv`` that are missing.

    Returns how many rows were added; safe to call on a database that already has them.
    """
    text = resources.path("domain", "classification.csv").read_text(encoding="utf-8")
    present = _existing(conn, classifications.c.id)
    rows = [
        {"id": f"{r['scheme']}:{r['code']}", "scheme": r["scheme"], "code": r["code"], "name": r["name"],
         "level": r["level"] or None, "parent_code": r["parent"] or None}
        for r in csv.DictReader(io.StringIO(text))
        if f"{r['scheme']}:{r['code']}" not in present
    ]
    changelog.insert(conn, classifications, rows)
    return len(rows)


def load_default_thresholds(conn: Connection) -> int:
    """Add the default threshold of every review rule that has none yet; returns how many were added.

    The defaults are DESIGN.md §5's, kept in ``resources/domain/review_rules.toml``. Rules with one
    number keep it in ``red`` (they have one level, 预警): year-end rush (December's % of the year),
    three public expenses (0 = any increase), idle special funds (months), paid ahead of work (pp),
    suggestion overdue (days past the deadline).
    """
    present = _existing(conn, review_thresholds.c.rule)
    rows = [{"rule": rule, "yellow": d.yellow, "red": d.red, "min_amount": d.min_amount, "updated_at": None}
            for rule, d in rule_definitions().items() if rule not in present]
    changelog.insert(conn, review_thresholds, rows)
    return len(rows)


# ---------------------------------------------------------------- places and people (resources/demo/names.toml)

@dataclass(frozen=True)
class Township:
    code: str
    name: str

    @property
    def is_street(self) -> bool:
        return self.name.endswith("街道")

    @property
    def office(self) -> str:
        """The township's own government, a budget department of the township."""
        return f"{self.name}办事处" if self.is_street else f"{self.name}人民政府"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    townships: tuple[Township, ...]

    def township(self, name: str) -> Township:
        return next(t for t in self.townships if t.name == name)


@cache
def _names() -> dict[str, Any]:
    return tomllib.loads(resources.path("demo", "names.toml").read_text(encoding="utf-8"))


def _districts(count: int) -> list[District]:
    return [
        District(d["code"], d["name"],
                 tuple(Township(f"{d['code']}{n:03d}", name) for n, name in enumerate(d["townships"], 1)))
        for d in _names()["districts"][:count]
    ]


# ---------------------------------------------------------------- what a district spends on (the catalogue)

@dataclass(frozen=True)
class UnitKind:
    """A budget unit (预算单位) below a department; ``{t}`` in the name makes one per township."""

    name: str
    function: str
    staff: tuple[int, int]
    wages: bool = True  # False: contract staff, paid through goods and services
    street_name: str | None = None  # the name in a 街道 when it differs from a town's


@dataclass(frozen=True)
class Program:
    """A project line (项目支出) a department budgets every year.

    ``per`` says how many lines: one in the department ("department", in ``unit`` or the department's
    own unit), one per subordinate unit ("unit"), or one per township of a kind ("township", "town",
    "street"; ``{t}`` in the name is the township).
    """

    name: str
    function: str
    economic: str
    wan: tuple[int, int]  # yearly amount range, 万元
    per: str = "department"
    unit: str | None = None
    special: bool = False
    policy: str | None = None
    fund: str = "1"


@dataclass(frozen=True)
class DepartmentKind:
    number: str  # appended to the district code: the department code
    key: str  # pinyin; the department account is dept_<key>
    name: str  # appended to the district name: 教育局 → 通川区教育局
    function: str  # of its own unit (本级)
    staff: tuple[int, int]
    units: tuple[UnitKind, ...] = ()
    programs: tuple[Program, ...] = ()


_CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """1 → 一, 14 → 十四, 30 → 三十 (enough for school numbers)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_CN_DIGITS[tens]}十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _schools() -> tuple[UnitKind, ...]:
    return (
        *(UnitKind(f"第{_cn(n)}中学", "20502", (60, 160)) for n in range(1, 13)),
        *(UnitKind(f"第{_cn(n)}小学", "20502", (35, 110)) for n in range(1, 41)),
        *(UnitKind(f"第{_cn(n)}幼儿园", "20502", (18, 45)) for n in range(1, 13)),
        UnitKind("实验小学", "20502", (80, 130)),
        UnitKind("职业高级中学", "20502", (60, 120)),
        UnitKind("特殊教育学校", "20502", (15, 30)),
        UnitKind("教师进修学校", "20502", (15, 30)),
    )


POLICIES: dict[str, tuple[str, str]] = {  # name → (lead department key, description)
    "乡村振兴": ("nongye", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接，发展脆李等特色产业，建设宜居宜业和美乡村"),
    "交通三年大会战": ("jiaotong", "实施交通三年大会战，推进国省干线改造和农村公路提档升级"),
    "老旧小区改造": ("zhujian", "改造 2000 年以前建成的城镇老旧小区，完善水电气路和养老托育配套"),
    "城市更新": ("zhujian", "推进城市更新片区改造和街巷微改造，补齐城市功能短板"),
    "义务教育优质均衡": ("jiaoyu", "创建义务教育优质均衡发展区，改善薄弱学校办学条件"),
    "医疗卫生服务能力提升": ("weijian", "提升乡镇卫生院和社区卫生服务中心服务能力，推进家庭医生签约服务"),
    "就业创业扶持": ("renshe", "落实就业创业补贴和公益性岗位，建设零工市场，稳定重点群体就业"),
    "生态环境治理": ("shengtai", "打好蓝天碧水净土保卫战，推进农村生活污水治理"),
}
#: The policy whose money goes out slowly this year (policy_disbursement_lag, see PLANTS).
LAGGING_POLICY = "城市更新"

DEPARTMENT_KINDS: tuple[DepartmentKind, ...] = (
    DepartmentKind("101", "jiaoyu", "教育局", "20501", (30, 50), _schools(), (
        Program("学生资助", "20502", "303", (800, 1500), special=True),
        Program("学生营养改善计划", "20502", "302", (600, 1000), special=True),
        Program("教育信息化建设", "20502", "310", (300, 600)),
        Program("义务教育薄弱环节改善与能力提升", "20502", "310", (1500, 3000), special=True,
                policy="义务教育优质均衡"),
        Program("学前教育发展资金", "20502", "303", (200, 500), special=True),
        Program("{t}乡村教师生活补助", "20502", "303", (15, 40), per="town", special=True),
        Program("教师培训", "20501", "302", (80, 150)),
        Program("生均公用经费", "20502", "302", (20, 120), per="unit"),
        Program("校舍维修改造", "20502", "310", (30, 200), per="unit"),
        Program("教学设备购置", "20502", "310", (10, 80), per="unit"),
    )),
    DepartmentKind("102", "minzheng", "民政局", "20802", (25, 40), (
        UnitKind("社会福利院", "20810", (20, 40)),
        UnitKind("救助管理站", "20820", (8, 15)),
        UnitKind("殡葬管理所", "20802", (10, 20)),
        UnitKind("光荣院", "20808", (5, 12)),
    ), (
        Program("{t}城乡最低生活保障金", "20819", "303", (300, 900), per="township", special=True),
        Program("{t}特困人员救助供养", "20821", "303", (50, 150), per="township"),
        Program("{t}临时救助", "20820", "303", (20, 60), per="township"),
        Program("高龄津贴", "20810", "303", (200, 400)),
        Program("优抚对象抚恤补助", "20808", "303", (800, 1200), special=True),
        Program("困难残疾人生活补贴和重度残疾人护理补贴", "20811", "303", (400, 700)),
        Program("社区养老服务设施运营补贴", "20810", "312", (100, 300)),
    )),
    DepartmentKind("103", "weijian", "卫生健康局", "21001", (25, 40), (
        UnitKind("疾病预防控制中心", "21004", (40, 70)),
        UnitKind("妇幼保健计划生育服务中心", "21004", (50, 90)),
        UnitKind("卫生健康综合执法大队", "21001", (15, 25)),
        UnitKind("{t}卫生院", "21003", (20, 60), street_name="{t}社区卫生服务中心"),
    ), (
        Program("{t}基本公共卫生服务", "21004", "302", (80, 200), per="township", special=True,
                policy="医疗卫生服务能力提升"),
        Program("重大传染病防控", "21004", "302", (200, 400), special=True),
        Program("基层医疗卫生机构设备购置", "21003", "310", (200, 600), policy="医疗卫生服务能力提升"),
        Program("{t}家庭医生签约服务补助", "21003", "303", (10, 30), per="township", policy="医疗卫生服务能力提升"),
        Program("计划生育家庭奖励扶助", "21001", "303", (300, 500)),
        Program("医疗设备购置", "21003", "310", (10, 80), per="unit"),
    )),
    DepartmentKind("104", "jiaotong", "交通运输局", "21401", (20, 35), (
        UnitKind("公路养护管理段", "21401", (40, 80)),
        UnitKind("交通运输综合行政执法大队", "21401", (20, 40)),
    ), (
        Program("{t}农村公路养护", "21401", "302", (50, 150), per="town"),
        Program("农村客运补贴", "21401", "312", (150, 300)),
        Program("城区道路交通安全设施", "21401", "310", (200, 500)),
        Program("国省干线公路改造", "21401", "310", (3000, 6000), special=True, policy="交通三年大会战"),
        Program("农村公路提档升级", "21401", "310", (1500, 3000), policy="交通三年大会战"),
    )),
    DepartmentKind("105", "zhujian", "住房和城乡建设局", "21201", (25, 40), (
        UnitKind("房屋征收与补偿服务中心", "21201", (15, 30)),
        UnitKind("建设工程质量安全监督站", "21201", (15, 25)),
        UnitKind("住房保障服务中心", "22101", (10, 20)),
    ), (
        Program("老旧小区改造中央补助资金", "2210108", "310", (2000, 4000), special=True, policy="老旧小区改造"),
        Program("老旧小区改造配套基础设施", "2210108", "310", (800, 1500), policy="老旧小区改造"),
        Program("城市更新片区改造", "21203", "310", (2500, 5000), fund="2", policy="城市更新"),
        Program("城市更新街巷微改造", "21203", "310", (600, 1200), policy="城市更新"),
        Program("公租房运营维护", "22101", "302", (200, 400), unit="住房保障服务中心"),
        Program("城镇住房租赁补贴", "22101", "303", (150, 300), unit="住房保障服务中心"),
        Program("城镇棚户区改造", "22101", "310", (1000, 3000), fund="2", special=True),
    )),
    DepartmentKind("106", "nongye", "农业农村局", "21301", (25, 45), (
        UnitKind("农业技术推广中心", "21301", (30, 50)),
        UnitKind("动物疫病预防控制中心", "21301", (15, 30)),
        UnitKind("农村经济经营管理站", "21307", (8, 15)),
    ), (
        Program("{t}衔接推进乡村振兴补助资金", "21305", "310", (200, 600), per="town", special=True,
                policy="乡村振兴"),
        Program("{t}特色产业发展", "21305", "312", (40, 120), per="town", policy="乡村振兴"),
        Program("耕地地力保护补贴", "21301", "303", (1500, 2500), special=True),
        Program("脆李等特色产业发展扶持", "21305", "312", (300, 800), policy="乡村振兴"),
        Program("农业保险保费补贴", "21301", "312", (200, 400)),
        Program("农村人居环境整治", "21305", "310", (400, 900), policy="乡村振兴"),
    )),
    DepartmentKind("107", "caizheng", "财政局", "201", (30, 50), (
        UnitKind("国库集中支付中心", "201", (10, 20)),
        UnitKind("财政投资评审中心", "201", (10, 20)),
    ), (
        Program("政府债务付息", "232", "307", (8000, 12000)),
        Program("财政信息化建设", "201", "310", (100, 300)),
    )),
    DepartmentKind("108", "renshe", "人力资源和社会保障局", "20801", (25, 40), (
        UnitKind("就业服务中心", "20807", (15, 30)),
        UnitKind("社会保险事业管理局", "20801", (30, 50)),
        UnitKind("劳动保障监察大队", "20801", (10, 20)),
    ), (
        Program("就业创业补贴", "20807", "303", (600, 1200), special=True, policy="就业创业扶持"),
        Program("{t}公益性岗位补贴", "20807", "303", (30, 90), per="township", policy="就业创业扶持"),
        Program("创业担保贷款贴息", "20807", "312", (200, 400), policy="就业创业扶持"),
        Program("职业技能提升培训", "20807", "302", (150, 300), policy="就业创业扶持"),
    )),
    DepartmentKind("109", "shuiwu", "水务局", "21303", (20, 35), (
        UnitKind("水利工程管理所", "21303", (20, 40)),
        UnitKind("河湖保护中心", "21303", (10, 20)),
    ), (
        Program("{t}农村饮水安全工程维修养护", "21303", "302", (20, 60), per="town"),
        Program("山洪灾害防治", "21303", "310", (200, 500), special=True),
        Program("中小河流治理", "21303", "310", (800, 2000), special=True),
        Program("河长制工作经费", "21303", "302", (50, 100)),
    )),
    DepartmentKind("110", "chengguan", "城市管理局", "21201", (30, 50), (
        UnitKind("环境卫生管理所", "21205", (80, 150)),
        UnitKind("园林绿化管理所", "21203", (30, 60)),
        UnitKind("市政设施维护中心", "21203", (30, 60), wages=False),
    ), (
        Program("城区环卫作业服务", "21205", "302", (2000, 3500), unit="环境卫生管理所"),
        Program("{t}背街小巷环卫保洁", "21205", "302", (30, 90), per="street", unit="环境卫生管理所"),
        Program("生活垃圾转运处理", "21205", "302", (800, 1500), unit="环境卫生管理所"),
        Program("城区绿化养护", "21203", "302", (500, 900), unit="园林绿化管理所"),
        Program("市政道路维修养护", "21203", "310", (600, 1200), unit="市政设施维护中心"),
        Program("城区路灯维护", "21203", "302", (200, 400), unit="市政设施维护中心"),
        Program("排水管网疏浚", "21203", "302", (150, 300), unit="市政设施维护中心"),
    )),
    DepartmentKind("111", "wenlv", "文化广播电视和旅游局", "207", (20, 35), (
        UnitKind("文化馆", "207", (15, 30)),
        UnitKind("图书馆", "207", (15, 30)),
        UnitKind("文物管理所", "207", (8, 15)),
    ), (
        Program("公共文化服务体系建设", "207", "302", (200, 400), special=True),
        Program("旅游宣传推广", "207", "302", (100, 300)),
        Program("文物保护", "207", "310", (100, 300), special=True),
        Program("全民健身设施", "207", "310", (100, 250)),
    )),
    DepartmentKind("112", "fagai", "发展和改革局", "201", (20, 35), (
        UnitKind("粮食和物资储备中心", "222", (10, 20)),
    ), (
        Program("重点项目前期工作经费", "201", "302", (300, 600)),
        Program("粮食储备费用补贴", "222", "312", (200, 400), unit="粮食和物资储备中心"),
    )),
    DepartmentKind("113", "shengtai", "生态环境局", "211", (20, 35), (
        UnitKind("环境监测站", "211", (15, 30)),
    ), (
        Program("大气污染防治", "211", "310", (300, 700), special=True, policy="生态环境治理"),
        Program("水污染防治", "211", "310", (500, 1000), special=True, policy="生态环境治理"),
        Program("土壤污染防治", "211", "302", (100, 300), policy="生态环境治理"),
        Program("农村生活污水治理", "211", "310", (400, 900), policy="生态环境治理"),
    )),
    DepartmentKind("114", "yingji", "应急管理局", "224", (15, 30), (
        UnitKind("应急救援中心", "224", (20, 40)),
    ), (
        Program("森林防灭火", "224", "302", (100, 250)),
        Program("应急物资储备", "224", "310", (100, 300)),
        Program("地质灾害防治", "224", "310", (200, 500), special=True),
    )),
    DepartmentKind("115", "renda", "人大常委会办公室", "20101", (25, 40), (), (
        Program("人大代表履职服务", "20101", "302", (80, 150)),
        Program("预算联网监督系统运行维护", "20101", "302", (30, 60)),
    )),
    DepartmentKind("116", "zhengfu", "人民政府办公室", "20103", (40, 60), (
        UnitKind("政务服务中心", "20103", (20, 40)),
    ), (
        Program("政务服务大厅运行", "20103", "302", (100, 200), unit="政务服务中心"),
        Program("数字政府建设", "20103", "310", (200, 500)),
    )),
)
DEPARTMENT_KIND = {kind.key: kind for kind in DEPARTMENT_KINDS}

#: Units of every township's own government (办事处 / 人民政府), a department of the township.
TOWNSHIP_UNITS = (
    UnitKind("便民服务中心", "20103", (8, 15)),
    UnitKind("综合行政执法队", "21201", (8, 20)),
    UnitKind("社会事务服务中心", "20802", (6, 12)),
    UnitKind("农业综合服务中心", "21301", (8, 15), street_name="社区服务中心"),
    UnitKind("退役军人服务站", "20808", (3, 6)),
    UnitKind("文化体育服务中心", "207", (4, 8)),
    UnitKind("党群服务中心", "20103", (4, 8)),
)
TOWNSHIP_PROGRAMS = (
    Program("城市社区专职工作者绩效报酬", "20802", "303", (60, 120), per="street"),
    Program("社区工作经费", "20802", "302", (40, 90), per="street"),
    Program("城乡社区环境卫生保洁", "21205", "302", (80, 200)),
    Program("网格化服务管理", "20103", "302", (20, 60)),
    Program("安全生产和应急管理", "224", "302", (10, 40)),
    Program("老旧院落综合整治", "21203", "310", (50, 150), per="street"),
    Program("村级组织运转经费", "21307", "303", (60, 150), per="town"),
    Program("农村人居环境整治", "21305", "310", (50, 200), per="town", policy="乡村振兴"),
    Program("防汛抗旱", "21303", "302", (10, 40), per="town"),
    Program("高龄津贴发放", "20810", "303", (20, 60), per="town"),
)

# ---------------------------------------------------------------- the story of 通川区 and what it plants

LAG_ROAD = "罗江至蒲家公路改造工程"
BIG_ADJUSTMENT_ROAD = "蒲家至金石道路改造工程"
IDLE_FARMLAND = "高标准农田建设中央补助资金"
HOUSING_DEVIATION = "保障性住房配套基础设施建设"
COMMUNITY_WORKERS_PAY = "城市社区专职工作者绩效报酬"

#: Lines only 通川区 has; each trips a review rule (see PLANTS).
STORY_PROGRAMS: dict[str, tuple[Program, ...]] = {
    "jiaotong": (
        # execution_lag: a 交通 (not livelihood) capital line, held up by land acquisition: ~40 % paid
        # by October 2026 against a time progress of 83.3 %, far past the red 10 pp.
        Program(LAG_ROAD, "21401", "310", (900, 1200)),
        # large_adjustment: the mid-year adjustment of 2026 adds 50 % to this 交通三年大会战 road
        # (abs(adjusted − approved) / approved ≥ 20 %, red).
        Program(BIG_ADJUSTMENT_ROAD, "21401", "310", (1500, 2500), policy="交通三年大会战"),
    ),
    "zhujian": (
        # final_deviation: in 2025 the site was not handed over, so the final accounts are 30 % below
        # the adjusted budget (≥ 20 %, red).
        Program(HOUSING_DEVIATION, "22101", "310", (1500, 2500), unit="住房保障服务中心"),
    ),
    "nongye": (
        # idle_special_funds: a central special transfer for 2026 with nothing paid in ten months (≥ 6).
        Program(IDLE_FARMLAND, "21301", "310", (800, 1500), special=True),
    ),
}


@dataclass(frozen=True)
class Plant:
    """A subject planted to trip one review rule, and how to find it."""

    rule: str
    kind: str  # line (by project_name, and unit_name when given) | unit | project | policy | suggestion
    subject: str
    year: int
    why: str
    unit: str | None = None


PLANTS: tuple[Plant, ...] = (
    Plant("execution_lag", "line", LAG_ROAD, 2026,
          "区交通运输局公路改造(非民生),1–10 月支付约 40%,低于时间进度 83.3% 超过 10 个百分点",
          unit="通川区交通运输局本级"),
    Plant("livelihood_payment_lag", "line", COMMUNITY_WORKERS_PAY, 2026,
          "凤北街道民生资金(功能分类 208)待绩效考核后兑现,1–10 月仅支付约 30%", unit="凤北街道办事处本级"),
    Plant("year_end_rush", "unit", "通川区市政设施维护中心", 2025,
          "2025 年 1–11 月支出约 35%,12 月一个月支出约 65%"),
    Plant("final_deviation", "line", HOUSING_DEVIATION, 2025, "2025 年决算比调整预算少 30%"),
    Plant("large_adjustment", "line", BIG_ADJUSTMENT_ROAD, 2026, "2026 年调整预算比年初预算追加 50%"),
    Plant("three_public_expenses", "unit", "通川区文化广播电视和旅游局本级", 2026,
          "三公经费 2026 年预算和 1–10 月支出均比上年增加约三成,2025 年决算超预算"),
    Plant("idle_special_funds", "line", IDLE_FARMLAND, 2026, "中央专项资金下达 10 个月分文未付"),
    Plant("project_lag", "project", "通川区第三中学学生宿舍改扩建工程", 2026,
          "计划进度 85%,实际进度 50%,滞后 35 个百分点"),
    Plant("paid_ahead_of_work", "project", "朝阳街道农贸市场提升改造工程", 2026,
          "已支付 85% 而工程进度仅 40%"),
    Plant("policy_disbursement_lag", "policy", LAGGING_POLICY, 2026,
          "城市更新资金 1–10 月拨付约 40%,低于时间进度 83.3% 超过 20 个百分点"),
    Plant("suggestion_overdue", "suggestion", "关于加快兑现城市社区专职工作者绩效报酬的建议", 2026,
          "2026-07-31 办理期限已过,凤北街道办事处接单后未答复"),
)
#: rule → the planted subject and why it trips the rule.
PLANTED: dict[str, str] = {p.rule: f"{p.subject}({p.year}):{p.why}" for p in PLANTS}
assert set(PLANTED) == set(REVIEW_RULES)
_LINE_PLANTS = {(p.subject, p.unit): p.rule for p in PLANTS if p.kind == "line"}
_UNIT_PLANTS = {p.subject: p.rule for p in PLANTS if p.kind == "unit"}


@dataclass(frozen=True)
class ProjectSpec:
    """A livelihood project (民生实事) of 2026 and the state it has reached by the as-of date."""

    name: str
    township: str
    department: str  # DepartmentKind key
    function: str
    budget_wan: int
    paid: int  # ‰ of the budget paid
    paid_months: tuple[int, int]  # first and last month with payments
    planned: int  # % planned progress by now
    actual: int  # % actual progress
    start: dt.date
    due: dt.date
    policy: str | None = None
    special: bool = False
    status: str | None = None  # default: from progress
    description: str = ""
    milestones: tuple[tuple[dt.date, str], ...] = ()


def _d(month: int, day: int, year: int = CURRENT_YEAR) -> dt.date:
    return dt.date(year, month, day)


PROJECTS: tuple[ProjectSpec, ...] = (
    # From the seed text: paid in full by March, when deputies went to look.
    ProjectSpec("肖公庙社区道路小修整治工程", "凤北街道", "chengguan", "21203", 86, 1000, (1, 3), 100, 100,
                _d(1, 8), _d(3, 15), description="整治肖公庙社区破损道路和人行道，事关沿线群众出行",
                milestones=((_d(1, 8), "开工建设"), (_d(2, 27), "路面整治完工"),
                            (_d(3, 10), "竣工验收，资金全部支付"), (_d(3, 18), "区人大代表现场视察"))),
    # From the seed text: 50 % paid by April, deputies followed it on site.
    ProjectSpec("双鱼湖环湖公路建设工程", "北山镇", "jiaotong", "21401", 3000, 500, (2, 4), 65, 60,
                _d(2, 18), _d(12, 31), policy="交通三年大会战",
                description="新建双鱼湖环湖公路，辖区群众十分关注的重大民生实事",
                milestones=((_d(2, 18), "开工建设"), (_d(4, 15), "资金拨付进度达 50%"),
                            (_d(4, 22), "区人大代表现场跟踪监督"), (_d(8, 30), "路基工程完成"))),
    # From the seed text: sped up after the 通川脆李 suggestion.
    ProjectSpec("凤凰山片区乡村振兴示范线路", "凤西街道", "nongye", "21305", 2600, 780, (3, 10), 85, 82,
                _d(3, 1), _d(12, 20), policy="乡村振兴", special=True,
                description="串联凤凰山片区脆李产业园、观光步道和村庄风貌改造",
                milestones=((_d(3, 1), "开工建设"), (_d(5, 20), "脆李产业园道路完工"),
                            (_d(6, 24), "区人大代表视察调研"), (_d(9, 30), "村庄风貌改造完成 80%"))),
    # project_lag: the contractor stopped work for two months; actual 50 % against a planned 85 %
    # (more than 20 pp behind, red), and payments held back to match.
    ProjectSpec("通川区第三中学学生宿舍改扩建工程", "东城街道", "jiaoyu", "20502", 1200, 480, (3, 8), 85, 50,
                _d(3, 5), _d(11, 30), policy="义务教育优质均衡",
                description="新建学生宿舍楼一栋，改造食堂",
                milestones=((_d(3, 5), "开工建设"), (_d(6, 10), "主体施工过半"), (_d(7, 15), "施工单位停工"),
                            (_d(9, 20), "更换施工队伍后复工"))),
    # paid_ahead_of_work: 85 % paid while the works are 40 % done (45 pp ≥ 30).
    ProjectSpec("朝阳街道农贸市场提升改造工程", "朝阳街道", "chengguan", "21201", 900, 850, (2, 7), 45, 40,
                _d(2, 20), _d(12, 31), description="改造市场大棚、排水和摊位，规范周边交通",
                milestones=((_d(2, 20), "开工建设"), (_d(4, 30), "预付工程款"), (_d(7, 10), "大棚主体完工"))),
    ProjectSpec("东城街道老旧小区改造(二期)", "东城街道", "zhujian", "2210108", 3200, 800, (3, 10), 85, 82,
                _d(3, 1), _d(12, 31), policy="老旧小区改造", special=True,
                description="改造 12 个老旧小区的雨污管网、外墙和电梯"),
    ProjectSpec("西城街道老旧小区改造", "西城街道", "zhujian", "2210108", 2100, 700, (4, 10), 75, 72,
                _d(4, 1), _d(12, 31), policy="老旧小区改造"),
    ProjectSpec("莲湖街道城市更新示范片区", "莲湖街道", "zhujian", "21203", 3500, 380, (5, 10), 60, 52,
                _d(5, 1), _d(6, 30, 2027), policy="城市更新", description="莲湖片区街巷微改造和口袋公园"),
    ProjectSpec("蒲家镇农村饮水安全巩固提升工程", "蒲家镇", "shuiwu", "21303", 960, 880, (3, 10), 90, 92,
                _d(3, 10), _d(11, 30), policy="乡村振兴", special=True),
    ProjectSpec("磐石镇卫生院提档升级", "磐石镇", "weijian", "21003", 750, 760, (3, 10), 80, 78,
                _d(3, 15), _d(12, 15), policy="医疗卫生服务能力提升"),
    ProjectSpec("金石镇中心小学运动场改造", "金石镇", "jiaoyu", "20502", 320, 1000, (4, 8), 100, 100,
                _d(4, 1), _d(8, 25), policy="义务教育优质均衡"),
    ProjectSpec("复兴镇农村公路安全生命防护工程", "复兴镇", "jiaotong", "21401", 680, 820, (3, 10), 85, 85,
                _d(3, 20), _d(11, 30), policy="交通三年大会战"),
    ProjectSpec("北山镇高标准农田建设", "北山镇", "nongye", "21301", 1200, 760, (3, 10), 75, 75,
                _d(3, 1), _d(12, 31), policy="乡村振兴", special=True),
    ProjectSpec("罗江镇污水处理站建设", "罗江镇", "shengtai", "211", 1500, 760, (4, 10), 70, 66,
                _d(4, 10), _d(3, 31, 2027), policy="生态环境治理"),
    ProjectSpec("城区公共充电桩和停车位建设", "西城街道", "zhujian", "21203", 800, 760, (5, 10), 60, 58,
                _d(5, 15), _d(12, 31)),
    ProjectSpec("凤北街道社区养老服务中心建设", "凤北街道", "minzheng", "20810", 560, 780, (3, 10), 80, 76,
                _d(3, 1), _d(12, 31), description="建设社区养老服务中心，设老年助餐点和日间照料室"),
    # Finished; 5 % kept back as the quality guarantee (质保金), as usual.
    ProjectSpec("零工市场和就业服务站建设", "朝阳街道", "renshe", "20807", 280, 950, (3, 9), 100, 100,
                _d(3, 1), _d(9, 15), policy="就业创业扶持"),
    ProjectSpec("城区背街小巷照明提升", "西城街道", "chengguan", "21203", 260, 0, (11, 11), 0, 0,
                _d(11, 15), _d(12, 31), description="计划 11 月开工"),
    ProjectSpec("安置小区周边道路配套", "复兴镇", "jiaotong", "21401", 1100, 300, (3, 5), 35, 28,
                _d(3, 1), _d(12, 31), status="suspended", description="征地协调未完成，暂停施工"),
    ProjectSpec("莲湖街道社区卫生服务中心改造", "莲湖街道", "weijian", "21003", 430, 780, (4, 10), 70, 70,
                _d(4, 8), _d(12, 15), policy="医疗卫生服务能力提升"),
)


@dataclass(frozen=True)
class SuggestionSpec:
    """A suggestion and the steps it went through; ``path`` lists the actions in order.

    Actions: submit, assign, accept, reply, close (satisfied feedback), reopen (unsatisfied feedback),
    decline, merge. The state is where the last action leads.
    """

    title: str
    body: str
    category: str
    path: str
    author: int  # deputyNN
    when: tuple[int, int]  # (year, month) of submission
    department: str | None = None  # DepartmentKind key, or "fengbei" for 凤北街道办事处
    township: str | None = None
    source: str = "own"
    ratings: tuple[int, ...] = ()  # one per feedback
    project: str | None = None
    policy: str | None = None
    reason: str | None = None  # decline: the reason; merge: the title of the suggestion merged into
    day: int | None = None  # fixed day of submission (else drawn)
    deadline: dt.date | None = None  # fixed deadline (else 60 days after assignment)


CLOSED = "submit assign accept reply close"
REPLIED = "submit assign accept reply"
ACCEPTED = "submit assign accept"
ASSIGNED = "submit assign"
REOPENED = "submit assign accept reply reopen"
OVERDUE_TITLE = "关于加快兑现城市社区专职工作者绩效报酬的建议"
CUILI_TITLE = "大力发展通川脆李产业助力建设宜居宜业和美乡村"

SUGGESTIONS: tuple[SuggestionSpec, ...] = (
    # 2025, all closed
    SuggestionSpec("关于改善凤北街道老旧小区雨污管网的建议",
                   "凤北街道多个老旧小区雨污合流，雨季污水外溢。建议纳入老旧小区改造计划。",
                   "城市建设", CLOSED, 11, (2025, 4), "zhujian", "凤北街道", "constituents", (4,)),
    SuggestionSpec("关于增设金石镇中心小学校车线路的建议", "金石镇偏远村组学生上学路远，建议增设校车线路。",
                   "教育", CLOSED, 3, (2025, 6), "jiaoyu", "金石镇", ratings=(5,)),
    SuggestionSpec("关于加强城区夜间施工噪音管理的建议", "城区部分工地夜间施工扰民，群众反映强烈。",
                   "城市管理", CLOSED, 5, (2025, 8), "chengguan", source="constituents", ratings=(3,)),
    SuggestionSpec("关于加快北山镇农村饮水管网改造的建议", "北山镇部分村组管网老化，夏季经常停水。",
                   "乡村振兴", CLOSED, 14, (2025, 9), "shuiwu", "北山镇", "constituents", (4,)),
    # 2026 closed — the first from the seed text
    SuggestionSpec(CUILI_TITLE, "通川脆李品质好、市场认可度高，但种植分散、冷链和品牌建设滞后。"
                   "建议整合资金建设凤凰山片区乡村振兴示范线路，带动脆李产业提档升级，助力建设宜居宜业和美乡村。",
                   "乡村振兴", CLOSED, 1, (2026, 3), "nongye", "凤西街道", ratings=(5,),
                   project="凤凰山片区乡村振兴示范线路", policy="乡村振兴"),
    SuggestionSpec("关于在双鱼湖环湖公路增设错车道和安全护栏的建议", "环湖公路部分路段弯急坡陡，群众担心行车安全。",
                   "交通出行", CLOSED, 14, (2026, 5), "jiaotong", "北山镇", "constituents", (4,),
                   project="双鱼湖环湖公路建设工程"),
    SuggestionSpec("关于肖公庙社区道路整治后完善排水边沟的建议", "道路整治后排水边沟未同步完善，雨天路面积水。",
                   "城市建设", CLOSED, 12, (2026, 4), "chengguan", "凤北街道", "constituents", (5,),
                   project="肖公庙社区道路小修整治工程"),
    SuggestionSpec("关于提高城乡低保动态调整透明度的建议", "建议定期公示低保对象增减情况，接受群众监督。",
                   "社会保障", CLOSED, 6, (2026, 2), "minzheng", ratings=(4,)),
    SuggestionSpec("关于增加社区卫生服务中心夜间门诊的建议", "莲湖街道居民夜间看小病只能去大医院，建议开设夜间门诊。",
                   "医疗卫生", "submit assign accept reply reopen assign accept reply close", 7, (2026, 3),
                   "weijian", "莲湖街道", "constituents", (2, 4)),
    SuggestionSpec("关于规范城区共享单车停放的建议", "共享单车乱停乱放占用盲道，建议划定停放区域。",
                   "城市管理", CLOSED, 2, (2026, 6), "chengguan", source="constituents", ratings=(3,)),
    SuggestionSpec("关于加强校园周边交通安全管理的建议", "东城街道几所学校上下学时段交通拥堵，存在安全隐患。",
                   "教育", CLOSED, 13, (2026, 4), "jiaoyu", "东城街道", ratings=(5,)),
    SuggestionSpec("关于扩大公益性岗位安置范围的建议", "建议将大龄失业人员和残疾人纳入公益性岗位优先安置范围。",
                   "就业", CLOSED, 8, (2026, 5), "renshe", ratings=(4,)),
    # replied, waiting for the deputy's feedback
    SuggestionSpec("关于加快东城街道老旧小区改造(二期)进度的建议", "二期改造涉及小区多，群众希望年内完工。",
                   "城市建设", REPLIED, 13, (2026, 7), "zhujian", "东城街道", "constituents",
                   project="东城街道老旧小区改造(二期)"),
    SuggestionSpec("关于磐石镇卫生院增配救护车的建议", "磐石镇卫生院仅有一辆救护车，车况差。",
                   "医疗卫生", REPLIED, 9, (2026, 8), "weijian", "磐石镇", "constituents",
                   project="磐石镇卫生院提档升级"),
    SuggestionSpec("关于加强农贸市场改造资金监管的建议",
                   "朝阳街道农贸市场改造资金支付较快而工程进度较慢，建议加强监管。",
                   "预算监督", REPLIED, 4, (2026, 8), "chengguan", "朝阳街道",
                   project="朝阳街道农贸市场提升改造工程"),
    SuggestionSpec("关于在零工市场开展技能培训的建议", "建议在零工市场定期开展家政、电工等技能培训。",
                   "就业", REPLIED, 10, (2026, 7), "renshe", project="零工市场和就业服务站建设"),
    SuggestionSpec("关于加快蒲家镇农村饮水安全工程建设的建议", "蒲家镇高处村组供水压力不足，希望工程尽快完工。",
                   "乡村振兴", REPLIED, 1, (2026, 8), "shuiwu", "蒲家镇", "constituents",
                   project="蒲家镇农村饮水安全巩固提升工程"),
    # accepted by the department, not yet answered. The first is planted:
    # suggestion_overdue: assigned to 凤北街道办事处 with a deadline of 2026-07-31, accepted, never
    # answered — three months past the deadline at the as-of date (the seed text's May warning).
    SuggestionSpec(OVERDUE_TITLE, "系统预警显示凤北街道城市社区专职工作者绩效报酬支付进度较慢，"
                   "社区工作者反映绩效报酬迟迟未兑现。建议督促有关单位抓紧开展绩效考核，及时支付绩效报酬。",
                   "社会保障", ACCEPTED, 11, (2026, 5), "fengbei", "凤北街道", "constituents",
                   day=20, deadline=dt.date(2026, 7, 31)),
    SuggestionSpec("关于第三中学学生宿舍改扩建工程尽快复工的建议", "宿舍工程停工两个月，学生住宿紧张，家长着急。",
                   "教育", ACCEPTED, 3, (2026, 10), "jiaoyu", "东城街道", "constituents",
                   project="通川区第三中学学生宿舍改扩建工程"),
    SuggestionSpec("关于复兴镇农村公路增设安全防护设施的建议", "部分临水临崖路段没有护栏。",
                   "交通出行", ACCEPTED, 2, (2026, 9), "jiaotong", "复兴镇", "constituents"),
    SuggestionSpec("关于加强城区背街小巷照明的建议", "西城街道背街小巷路灯少，夜间出行不便。",
                   "城市管理", ACCEPTED, 5, (2026, 9), "chengguan", "西城街道", "constituents",
                   project="城区背街小巷照明提升"),
    SuggestionSpec("关于推行高龄津贴“免申即享”的建议", "建议通过数据比对主动发放高龄津贴，老人不再跑腿申请。",
                   "社会保障", ACCEPTED, 6, (2026, 10), "minzheng"),
    # assigned, not yet accepted
    SuggestionSpec("关于加快城市更新片区资金拨付的建议", "城市更新资金拨付进度明显慢于时间进度，影响施工。",
                   "预算监督", ASSIGNED, 4, (2026, 10), "zhujian", "莲湖街道", policy=LAGGING_POLICY),
    SuggestionSpec("关于凤北街道社区养老服务中心增设助餐点的建议", "老人希望在家门口吃上热饭，建议服务中心增设助餐点。",
                   "社会保障", "submit assign accept reply reopen assign", 12, (2026, 6), "minzheng", "凤北街道",
                   "constituents", (2,), project="凤北街道社区养老服务中心建设"),
    SuggestionSpec("关于建设金石镇脆李冷链仓储设施的建议", "脆李采摘期集中，缺少冷库，价格受压。",
                   "乡村振兴", ASSIGNED, 7, (2026, 10), "nongye", "金石镇", "constituents", policy="乡村振兴"),
    SuggestionSpec("关于增设北山镇农村客运班线的建议", "北山镇部分村没有通客车，群众进城不便。",
                   "交通出行", ASSIGNED, 14, (2026, 10), "jiaotong", "北山镇", "constituents"),
    SuggestionSpec("关于保障随迁子女就近入学的建议", "建议扩大城区学位供给，保障进城务工人员随迁子女就近入学。",
                   "教育", ASSIGNED, 8, (2026, 9), "jiaoyu"),
    # reopened: the deputy was not satisfied with the answer
    SuggestionSpec("关于解决西城街道部分小区停车难的建议", "老旧小区没有停车位，车辆占道停放。",
                   "城市建设", REOPENED, 9, (2026, 8), "zhujian", "西城街道", "constituents", (2,)),
    SuggestionSpec("关于简化农村建房审批流程的建议", "农村建房审批环节多、时间长。",
                   "乡村振兴", REOPENED, 10, (2026, 7), "nongye", "罗江镇", "constituents", (2,)),
    SuggestionSpec("关于提高城乡居民医保异地就医报销便利度的建议", "外出务工人员异地就医报销手续繁琐。",
                   "医疗卫生", REOPENED, 5, (2026, 8), "weijian", ratings=(1,)),
    # submitted, waiting for staff
    SuggestionSpec("关于在凤北街道增设便民服务点的建议", "凤北街道辖区面积大，群众办事路远。",
                   "社会治理", "submit", 12, (2026, 10), township="凤北街道", source="constituents"),
    SuggestionSpec("关于加强中小学生心理健康教育的建议", "建议每所学校配备专职心理健康教师。",
                   "教育", "submit", 3, (2026, 10)),
    SuggestionSpec("关于复兴镇集镇污水管网改造的建议", "集镇污水管网破损，污水直排河沟。",
                   "生态环境", "submit", 1, (2026, 10), township="复兴镇", source="constituents"),
    SuggestionSpec("关于按月公开民生实事项目资金使用进度的建议",
                   "建议在代表之家按月公开民生实事项目资金支付和建设进度。",
                   "预算监督", "submit", 10, (2026, 10)),
    # declined (不予立案), each with the reason
    SuggestionSpec("关于为某小区业主追讨房屋质量赔偿的建议", "小区业主与开发商就房屋质量问题协商未果。",
                   "城市建设", "submit decline", 4, (2026, 6), township="朝阳街道", source="constituents",
                   reason="属于业主与开发商之间的民事纠纷，已告知群众通过人民调解或司法途径解决，不予立案"),
    SuggestionSpec("关于取消城区高峰时段限行措施的建议", "限行给群众出行带来不便。",
                   "交通出行", "submit decline", 2, (2026, 7), source="constituents",
                   reason="属于市级交通管理事权，已转市人大常委会代表工委反映，区级不予立案"),
    SuggestionSpec("关于个人工伤赔偿纠纷的反映", "一名务工人员反映工伤赔偿未落实。",
                   "就业", "submit decline", 13, (2026, 9), township="东城街道", source="constituents",
                   reason="属于个人劳动争议，已引导当事人申请劳动仲裁，不作为代表建议立案"),
    # merged into an earlier suggestion on the same matter
    SuggestionSpec("关于做大做强通川脆李品牌的建议", "建议统一注册通川脆李地理标志，开展品牌推广。",
                   "乡村振兴", "submit merge", 3, (2026, 4), reason=CUILI_TITLE),
    SuggestionSpec("关于东城街道老旧小区加装电梯的建议", "老旧小区老人多，上下楼困难。",
                   "城市建设", "submit merge", 13, (2026, 8), township="东城街道", source="constituents",
                   reason="关于加快东城街道老旧小区改造(二期)进度的建议"),
    SuggestionSpec("关于双鱼湖环湖公路沿线增设路灯的建议", "环湖公路夜间没有照明。",
                   "交通出行", "submit merge", 14, (2026, 6), township="北山镇", source="constituents",
                   reason="关于在双鱼湖环湖公路增设错车道和安全护栏的建议"),
)

# ---------------------------------------------------------------- budget lines and their money

@dataclass
class Unit:
    department_code: str
    region_code: str
    name: str
    kind: str  # the UnitKind name, or "" for the department's own unit (本级)
    function: str
    staff: int
    own: bool  # the department's own unit: it has cars and receives visitors (三公经费)
    wages: bool = True
    rush: bool = False  # spends a large share in December (not enough to trip the rule)


@dataclass
class LinePlan:
    """One budget line followed through the years; ``amount`` is its latest approved budget (fen)."""

    department_code: str
    region_code: str
    unit: Unit
    function_code: str
    economic_code: str
    kind: str  # wage | goods | three_public | subsidy | capital
    amount: int
    fund_code: str = "1"
    project_name: str | None = None
    is_special: bool = False
    policy: str | None = None
    project: ProjectSpec | None = None
    only_year: int | None = None
    plant: str | None = None


@dataclass
class Figures:
    approved: int
    adjusted: int
    final: int | None
    months: list[int]


_KIND_OF_ECONOMIC = {"310": "capital", "303": "subsidy", "312": "subsidy", "307": "subsidy"}
#: Monthly weights (‰ of a year) by kind: slow January and February, a December peak for projects.
SHAPES: dict[str, tuple[int, ...]] = {
    "wage": (83, 83, 83, 83, 83, 83, 83, 83, 83, 83, 83, 87),
    "goods": (45, 55, 80, 85, 85, 90, 85, 85, 90, 90, 95, 115),
    "three_public": (45, 55, 80, 85, 85, 90, 85, 85, 90, 90, 95, 115),
    "subsidy": (60, 70, 95, 80, 80, 95, 80, 80, 95, 85, 85, 95),
    "capital": (20, 30, 65, 80, 90, 95, 90, 90, 100, 105, 110, 225),
}
#: December weight of a unit that habitually spends late: about a third of the year, not half.
RUSH_DECEMBER = 400
#: year_end_rush: the planted unit's 2025 months — about 35 % by November, 65 % in December.
PLANTED_RUSH = (30,) * 11 + (600,)
#: ‰ of the adjusted budget paid by October of the current year (time progress is 833 ‰).
PACE = {"wage": (825, 842), "goods": (790, 900), "three_public": (760, 800), "subsidy": (800, 900),
        "capital": (760, 920)}
#: ‰ of the adjusted budget in the final accounts of a closed year.
FINAL = {"wage": (985, 1000), "goods": (930, 1000), "three_public": (940, 985), "subsidy": (950, 1000),
         "capital": (920, 1000)}
#: ‰ change of the approved budget from one year to the next. 三公经费 fall every year (过紧日子).
GROWTH = {"wage": (20, 50), "goods": (-30, 30), "three_public": (-200, -120), "subsidy": (0, 80),
          "capital": (-150, 150)}


def _wan(rng: random.Random, low: int, high: int) -> int:
    """An amount between ``low`` and ``high`` 万元, to the hundred yuan, in fen."""
    return rng.randint(low * 100, high * 100) * 10_000


def _per_head(rng: random.Random, staff: int, low_yuan: int, high_yuan: int) -> int:
    """A yearly amount for ``staff`` people at ``low``–``high`` yuan each, to the hundred yuan, in fen."""
    return max(1, staff * rng.randint(low_yuan, high_yuan) // 100) * 10_000


def _round_hundred(fen: int) -> int:
    return max(1, fen // 10_000) * 10_000


def _units(rng: random.Random, district: District, kind: DepartmentKind) -> list[Unit]:
    code, name = f"{district.code}{kind.number}", f"{district.name}{kind.name}"
    found = [Unit(code, district.code, f"{name}本级", "", kind.function, rng.randint(*kind.staff), True)]
    for unit_kind in kind.units:
        if "{t}" in unit_kind.name:
            names = [(unit_kind.street_name if t.is_street and unit_kind.street_name else unit_kind.name)
                     .format(t=t.name) for t in district.townships]
        else:
            names = [unit_kind.name]
        found += [Unit(code, district.code, f"{district.name}{n}", unit_kind.name, unit_kind.function,
                       rng.randint(*unit_kind.staff), False, unit_kind.wages) for n in names]
    return found


def _township_units(rng: random.Random, township: Township) -> list[Unit]:
    code = f"{township.code}01"
    found = [Unit(code, township.code, f"{township.office}本级", "", "20103", rng.randint(30, 60), True)]
    for unit_kind in TOWNSHIP_UNITS:
        unit_name = unit_kind.street_name if township.is_street and unit_kind.street_name else unit_kind.name
        found.append(Unit(code, township.code, f"{township.name}{unit_name}", unit_kind.name, unit_kind.function,
                          rng.randint(*unit_kind.staff), False))
    return found


def _basic_lines(rng: random.Random, unit: Unit, first_year: int) -> list[LinePlan]:
    """Wages, running costs and, in a department's own unit, the three public expenses (基本支出)."""
    n = unit.staff
    lines: list[LinePlan] = []

    def add(function: str, economic: str, kind: str, amount: int, **extra: Any) -> None:
        lines.append(LinePlan(unit.department_code, unit.region_code, unit, function, economic, kind, amount,
                              **extra))

    if unit.wages:
        add(unit.function, "30101", "wage", _per_head(rng, n, 36_000, 48_000))
        add(unit.function, "30102", "wage", _per_head(rng, n, 18_000, 30_000))
        add(unit.function, "30103", "wage", _per_head(rng, n, 3_000, 6_000))
        add(unit.function, "30107", "wage", _per_head(rng, n, 15_000, 25_000))
        add("2080505", "30108", "wage", _per_head(rng, n, 8_000, 10_000))
        add("21011", "30110", "wage", _per_head(rng, n, 4_000, 6_000))
        add("20805", "303", "subsidy", _per_head(rng, n, 2_000, 5_000), project_name="离退休人员补助")
    add(unit.function, "30201", "goods", _per_head(rng, n, 1_000, 3_000))
    add(unit.function, "30211", "goods", _per_head(rng, n, 800, 2_000))
    if rng.random() < 0.5:
        add(unit.function, "310", "capital", _wan(rng, 3, 30), project_name="办公设备购置")
    if unit.own:
        add(unit.function, "30217", "three_public", _wan(rng, 2, 8))
        add(unit.function, "30231", "three_public", _wan(rng, 4, 15))
        if rng.random() < 0.15:  # a replacement car, bought in the first year only
            add(unit.function, "31013", "three_public", _wan(rng, 15, 25), only_year=first_year)
    return lines


def _program_lines(rng: random.Random, program: Program, units: list[Unit], townships: Sequence[Township],
                   ) -> list[LinePlan]:
    kind = _KIND_OF_ECONOMIC.get(program.economic, "goods")
    if program.per == "unit":
        targets = [(u, program.name) for u in units if not u.own]
    else:
        holder = next(u for u in units if (u.kind == program.unit if program.unit else u.own))
        if program.per == "department":
            targets = [(holder, program.name)]
        else:
            chosen = [t for t in townships if program.per == "township" or t.is_street == (program.per == "street")]
            targets = [(holder, program.name.format(t=t.name)) for t in chosen]
    return [LinePlan(u.department_code, u.region_code, u, program.function, program.economic, kind,
                     _wan(rng, *program.wan), fund_code=program.fund, project_name=name,
                     is_special=program.special, policy=program.policy)
            for u, name in targets]


def _line_plans(rng: random.Random, district: District, first_year: int, story: bool) -> list[LinePlan]:
    plans: list[LinePlan] = []
    for kind in DEPARTMENT_KINDS:
        units = _units(rng, district, kind)
        programs = kind.programs + (STORY_PROGRAMS.get(kind.key, ()) if story else ())
        plans += _department_plans(rng, units, programs, district.townships, first_year)
    for township in district.townships:
        plans += _department_plans(rng, _township_units(rng, township), TOWNSHIP_PROGRAMS, (township,), first_year)
    if story:
        plans += [_project_plan(spec, district) for spec in PROJECTS]
        _plant(plans)
    else:
        for plan in plans:
            plan.policy = None  # policies are 通川区's story only
    return plans


def _department_plans(rng: random.Random, units: list[Unit], programs: Iterable[Program],
                      townships: Sequence[Township], first_year: int) -> list[LinePlan]:
    for unit in units:
        unit.rush = rng.random() < 0.12
    plans = [line for unit in units for line in _basic_lines(rng, unit, first_year)]
    for program in programs:
        plans += _program_lines(rng, program, units, townships)
    return plans


def _project_plan(spec: ProjectSpec, district: District) -> LinePlan:
    kind = DEPARTMENT_KIND[spec.department]
    code = f"{district.code}{kind.number}"
    unit = Unit(code, district.code, f"{district.name}{kind.name}本级", "", kind.function, 0, True)
    return LinePlan(code, district.code, unit, spec.function, "310", "capital", spec.budget_wan * WAN,
                    project_name=spec.name, is_special=spec.special, policy=spec.policy, project=spec,
                    only_year=CURRENT_YEAR)


def _plant(plans: list[LinePlan]) -> None:
    """Mark the lines that trip a rule on purpose (PLANTS); the figures follow in :func:`_figures`."""
    for plan in plans:
        plan.plant = (_LINE_PLANTS.get((plan.project_name, None))
                      or _LINE_PLANTS.get((plan.project_name, plan.unit.name)))
        unit_rule = _UNIT_PLANTS.get(plan.unit.name)
        # A unit-wide plant: every line of the rushing unit, the recurring 三公 lines of the other.
        recurring_three_public = plan.kind == "three_public" and plan.only_year is None
        if unit_rule == "year_end_rush" or (unit_rule == "three_public_expenses" and recurring_three_public):
            plan.plant = unit_rule
    planted = {plan.plant for plan in plans}
    assert planted >= set(_LINE_PLANTS.values()) | set(_UNIT_PLANTS.values()), planted


def _present(rng: random.Random, plan: LinePlan, year: int) -> bool:
    """Whether the line is in this year's budget: projects come and go, the rest recur."""
    if plan.only_year is not None:
        return year == plan.only_year
    if plan.kind == "capital" and plan.policy is None and plan.plant is None:
        return rng.random() < 0.9
    return True


def _next_approved(rng: random.Random, plan: LinePlan, year: int) -> int:
    if plan.plant == "three_public_expenses" and year == CURRENT_YEAR:
        return _round_hundred(plan.amount * rng.randint(1300, 1350) // 1000)
    return _round_hundred(plan.amount * (1000 + rng.randint(*GROWTH[plan.kind])) // 1000)


def _adjusted(rng: random.Random, plan: LinePlan, year: int, approved: int) -> int:
    if plan.plant == "large_adjustment" and year == CURRENT_YEAR:
        permille = rng.randint(1450, 1550)
    elif plan.project is not None or plan.kind == "three_public" or rng.random() < 0.7:
        permille = 1000
    elif plan.kind in ("capital", "subsidy") and rng.random() < 0.04:
        permille = rng.randint(1100, 1180)  # yellow, never red
    else:
        permille = rng.randint(*{"wage": (1000, 1040), "goods": (970, 1060)}.get(plan.kind, (940, 1080)))
    return _round_hundred(approved * permille // 1000)


def _final(rng: random.Random, plan: LinePlan, year: int, adjusted: int) -> int:
    if plan.plant == "final_deviation" and year == CURRENT_YEAR - 1:
        return adjusted * rng.randint(690, 710) // 1000
    if plan.plant == "three_public_expenses" and year == CURRENT_YEAR - 1:
        return adjusted * rng.randint(1040, 1080) // 1000  # over budget, as well as up on the year
    if plan.kind == "capital" and rng.random() < 0.03:
        return adjusted * rng.randint(870, 905) // 1000  # yellow, never red
    return adjusted * rng.randint(*FINAL[plan.kind]) // 1000


def _pace(rng: random.Random, plan: LinePlan) -> int:
    """‰ of the adjusted budget paid by the reported month of the current year."""
    if plan.plant == "execution_lag":
        return rng.randint(380, 450)
    if plan.plant == "livelihood_payment_lag":
        return rng.randint(280, 330)
    if plan.plant == "idle_special_funds":
        return 0
    if plan.policy == LAGGING_POLICY:
        return rng.randint(350, 450)  # policy_disbursement_lag: the whole policy pays out slowly
    return rng.randint(*PACE[plan.kind])


def _shape(plan: LinePlan, year: int) -> tuple[int, ...]:
    if plan.plant == "year_end_rush" and year == CURRENT_YEAR - 1:
        return PLANTED_RUSH
    shape = SHAPES[plan.kind]
    if plan.unit.rush and plan.kind in ("goods", "capital", "subsidy"):
        return (*shape[:11], RUSH_DECEMBER)
    return shape


def _spread(rng: random.Random, total: int, weights: Sequence[int], jitter: int = 15) -> list[int]:
    """``total`` split over months in proportion to ``weights``, each weight jittered by ± ``jitter`` %."""
    jittered = [w * rng.randint(100 - jitter, 100 + jitter) for w in weights]
    whole = sum(jittered)
    if whole == 0:
        return [0] * len(weights)
    amounts = [total * w // whole for w in jittered]
    amounts[-1] += total - sum(amounts)
    return amounts


def _refund(rng: random.Random, months: list[int]) -> None:
    """Now and then a payment comes back (退回): a negative month, made up the next month."""
    if len(months) < 4 or rng.random() >= 0.015:
        return
    month = rng.randint(2, len(months) - 2)
    if months[month] < 10_000 or sum(months[:month]) < 10_000:
        return
    back = rng.randint(1, min(months[month], sum(months[:month])) // 4 + 1)
    months[month + 1] += months[month] + back
    months[month] = -back


def _project_months(rng: random.Random, spec: ProjectSpec, budget: int) -> list[int]:
    paid = budget * spec.paid // 1000
    first, last = spec.paid_months
    months = [0] * REPORTED_MONTH
    if paid:
        weights = SHAPES["capital"][first - 1:last]
        months[first - 1:last] = _spread(rng, paid, weights)
    return months


def _figures(rng: random.Random, plan: LinePlan, year: int) -> Figures:
    approved = plan.amount
    adjusted = _adjusted(rng, plan, year, approved)
    if plan.project is not None:
        return Figures(approved, adjusted, None, _project_months(rng, plan.project, adjusted))
    steady = plan.kind == "three_public" or plan.plant is not None
    if year < CURRENT_YEAR:
        final = _final(rng, plan, year, adjusted)
        months = _spread(rng, final, _shape(plan, year), jitter=3 if steady else 15)
    else:
        final = None
        paid = adjusted * _pace(rng, plan) // 1000
        months = _spread(rng, paid, _shape(plan, year)[:REPORTED_MONTH], jitter=3 if steady else 15)
    if not steady and plan.kind != "wage":
        _refund(rng, months)
    return Figures(approved, adjusted, final, months)


# ---------------------------------------------------------------- writing

class _Ids:
    """Sequential primary keys, one counter per table."""

    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def take(self, table: Table) -> int:
        self._last[table.name] += 1
        return self._last[table.name]


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK_ROWS):
        changelog.insert(conn, table, rows[start:start + CHUNK_ROWS])


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _at(day: dt.date, minutes: int) -> dt.datetime:
    """A Shanghai time on ``day``, ``minutes`` after 08:30."""
    return dt.datetime.combine(day, dt.time(8, 30), SHANGHAI) + dt.timedelta(minutes=minutes)


@dataclass
class _Story:
    """What the story district's budget produced that policies and projects are built from."""

    policy_ids: dict[tuple[int, str], int] = field(default_factory=dict)
    arranged: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    disbursed: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    project_paid: dict[str, int] = field(default_factory=dict)
    project_budget: dict[str, int] = field(default_factory=dict)


def load_demo(engine: Engine, *, scale: str = "district", seed: int = 1,
              attachments_root: Path | None = None) -> list[DemoAccount]:
    """Load the demo into an empty, migrated database in one transaction; returns the accounts made.
    The attachments' files go to ``attachments_root`` (default: the server home's store).

    Raises :class:`DemoError` for an unknown scale or a database that already holds regions or budgets.
    """
    if scale not in SCALES:
        raise DemoError(f"未知的示范数据规模 {scale!r}: 应为 {' 或 '.join(SCALES)}")
    size = SCALES[scale]
    rng = random.Random(seed)
    districts = _districts(size.districts)
    story_district = districts[0]
    assert story_district.code == STORY_DISTRICT
    with engine.begin() as conn:
        _refuse_if_loaded(conn)
        load_reference(conn)
        load_default_thresholds(conn)
        _insert(conn, regions, _region_rows(districts))
        _insert(conn, departments, _department_rows(districts))
        made, user_ids = _add_accounts(conn, story_district, city=scale == "city")
        ids = _Ids()
        story = _Story(policy_ids={(year, name): n for n, (year, name) in enumerate(
            ((y, p) for y in size.years for p in POLICIES), 1)})
        for district in districts:
            _load_budget(conn, rng, ids, district, size.years, story if district is story_district else None)
        _load_policies(conn, ids, story_district, story)
        project_ids = _load_projects(conn, ids, story_district, story)
        _load_people(conn, rng, ids, story_district, story, user_ids, project_ids,
                     ServerSettings(attachments_path=attachments_root))
    return made


def _refuse_if_loaded(conn: Connection) -> None:
    for table in (regions, budget_lines):
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise DemoError("数据库中已有区划或预算数据: 示范数据只能装入新建的空数据库 (请用 --db 指定一个新的数据库)")


def _region_rows(districts: list[District]) -> list[dict[str, Any]]:
    city = _names()["city"]
    rows = [{"code": city["code"], "name": city["name"], "level": "city", "parent_code": None, "sort_order": 0}]
    for order, d in enumerate(districts, 1):
        rows.append({"code": d.code, "name": d.name, "level": "district", "parent_code": city["code"],
                     "sort_order": order})
    for d in districts:
        rows += [{"code": t.code, "name": t.name, "level": "township", "parent_code": d.code, "sort_order": order}
                 for order, t in enumerate(d.townships, 1)]
    return rows


def _department_rows(districts: list[District]) -> list[dict[str, Any]]:
    rows = []
    for d in districts:
        rows += [{"code": f"{d.code}{k.number}", "name": f"{d.name}{k.name}", "region_code": d.code}
                 for k in DEPARTMENT_KINDS]
        rows += [{"code": f"{t.code}01", "name": t.office, "region_code": t.code} for t in d.townships]
    return rows


#: Departments with an account (dept_<key>); suggestions are only assigned to these.
DEPARTMENT_ACCOUNTS = ("jiaoyu", "minzheng", "weijian", "jiaotong", "zhujian", "nongye", "renshe", "chengguan",
                       "shuiwu", "fengbei")
#: Deputies 11–14 belong to a township; the rest to the district.
TOWNSHIP_DEPUTIES = {11: "凤北街道", 12: "凤北街道", 13: "东城街道", 14: "北山镇"}


def _department_code(district: District, key: str) -> str:
    if key == "fengbei":
        return f"{district.township('凤北街道').code}01"
    return f"{district.code}{DEPARTMENT_KIND[key].number}"


@cache
def _password_hash(password: str) -> str:
    """argon2 costs a good fraction of a second; the demo passwords are public, so once per process will do."""
    return accounts.hash_password(password)


def _add_accounts(conn: Connection, district: District, *, city: bool) -> tuple[list[DemoAccount], dict[str, int]]:
    people = _names()["people"]
    made = [
        DemoAccount(f"deputy{n:02d}", PASSWORDS["deputy"], "deputy", name,
                    district.township(TOWNSHIP_DEPUTIES[n]).code if n in TOWNSHIP_DEPUTIES else district.code)
        for n, name in enumerate(people["deputies"], 1)
    ]
    made += [
        DemoAccount("staff01", PASSWORDS["staff"], "staff", people["staff"][0], district.code),
        DemoAccount("staff02", PASSWORDS["staff"], "staff", people["staff"][1], district.township("凤北街道").code),
    ]
    if city:
        made.append(DemoAccount("city_staff01", PASSWORDS["staff"], "staff", people["staff"][2],
                                _names()["city"]["code"]))
    for key in DEPARTMENT_ACCOUNTS:
        code = _department_code(district, key)
        name = "凤北街道办事处" if key == "fengbei" else f"{district.name}{DEPARTMENT_KIND[key].name}"
        region = district.township("凤北街道").code if key == "fengbei" else district.code
        made.append(DemoAccount(f"dept_{key}", PASSWORDS["department"], "department", name, region, code))
    hashes = {role: _password_hash(password) for role, password in PASSWORDS.items()}
    user_ids = {
        a.username: accounts.add_user(conn, a.username, role=a.role, password=a.password, region_code=a.region_code,
                                      department_code=a.department_code, display_name=a.display_name,
                                      password_hash=hashes[a.role])
        for a in made
    }
    return made, user_ids


def _load_budget(conn: Connection, rng: random.Random, ids: _Ids, district: District, years: Sequence[int],
                 story: _Story | None) -> None:
    """One district's budget lines and executions, a year at a time (lines first: executions refer to them)."""
    plans = _line_plans(rng, district, years[0], story is not None)
    for index, year in enumerate(years):
        lines: list[dict[str, Any]] = []
        months_of: list[tuple[dict[str, Any], list[int]]] = []
        for plan in plans:
            if index and plan.only_year is None:
                plan.amount = _next_approved(rng, plan, year)
            if not _present(rng, plan, year):
                continue
            figures = _figures(rng, plan, year)
            line = _line_row(ids.take(budget_lines), plan, year, figures, story)
            lines.append(line)
            months_of.append((line, figures.months))
            if story is not None:
                _follow(story, plan, year, figures)
        _insert(conn, budget_lines, lines)
        _insert_executions(conn, ids, year, months_of)


def _line_row(line_id: int, plan: LinePlan, year: int, figures: Figures, story: _Story | None) -> dict[str, Any]:
    tags = budget_tags()
    return {
        "id": line_id, "year": year, "region_code": plan.region_code, "department_code": plan.department_code,
        "unit_name": plan.unit.name, "function_code": plan.function_code, "economic_code": plan.economic_code,
        "fund_code": plan.fund_code, "project_name": plan.project_name,
        "project_id": PROJECTS.index(plan.project) + 1 if plan.project else None,
        "policy_id": story.policy_ids.get((year, plan.policy)) if story and plan.policy else None,
        "is_special": plan.is_special,
        "is_three_public": tags.is_three_public(plan.economic_code),
        "is_livelihood": tags.is_livelihood(plan.function_code),
        "approved": figures.approved, "adjusted": figures.adjusted, "final": figures.final,
    }


def _insert_executions(conn: Connection, ids: _Ids, year: int,
                       months_of: list[tuple[dict[str, Any], list[int]]]) -> None:
    batch: list[dict[str, Any]] = []
    for line, months in months_of:
        for month, amount in enumerate(months, 1):
            batch.append({"id": ids.take(executions), "line_id": line["id"], "region_code": line["region_code"],
                          "year": year, "month": month, "amount": amount})
        if len(batch) >= CHUNK_ROWS:
            changelog.insert(conn, executions, batch)
            batch = []
    changelog.insert(conn, executions, batch)


def _follow(story: _Story, plan: LinePlan, year: int, figures: Figures) -> None:
    """Add a story line's money to its policy and project."""
    if plan.policy:
        story.arranged[year, plan.policy] += figures.adjusted
        paid = story.disbursed.setdefault((year, plan.policy), [0] * len(figures.months))
        for month, amount in enumerate(figures.months):
            paid[month] += amount
    if plan.project:
        story.project_paid[plan.project.name] = sum(figures.months)
        story.project_budget[plan.project.name] = figures.adjusted


# ---------------------------------------------------------------- policies, projects, milestones

def _load_policies(conn: Connection, ids: _Ids, district: District, story: _Story) -> None:
    policy_rows, disbursements = [], []
    for (year, name), policy_id in story.policy_ids.items():
        lead, description = POLICIES[name]
        policy_rows.append({"id": policy_id, "name": name, "region_code": district.code, "year": year,
                            "department_code": _department_code(district, lead),
                            "funds_arranged": story.arranged[year, name], "description": description})
        for month, amount in enumerate(story.disbursed.get((year, name), []), 1):
            disbursements.append({"id": ids.take(policy_disbursements), "policy_id": policy_id,
                                  "region_code": district.code, "year": year, "month": month, "amount": amount})
    _insert(conn, policies, policy_rows)
    _insert(conn, policy_disbursements, disbursements)


def _load_projects(conn: Connection, ids: _Ids, district: District, story: _Story) -> dict[str, int]:
    """The livelihood projects and their milestones; returns project ids by name."""
    project_rows, milestones = [], []
    for project_id, spec in enumerate(PROJECTS, 1):
        region = district.township(spec.township).code
        project_rows.append({
            "id": project_id, "name": spec.name, "region_code": region,
            "department_code": _department_code(district, spec.department), "year": CURRENT_YEAR,
            "policy_id": story.policy_ids.get((CURRENT_YEAR, spec.policy)) if spec.policy else None,
            "budget": story.project_budget[spec.name], "paid": story.project_paid[spec.name],
            "planned_progress": spec.planned, "actual_progress": spec.actual, "status": _status(spec),
            "start_date": spec.start, "due_date": spec.due, "description": spec.description or None,
        })
        milestones += [{"id": ids.take(project_milestones), "project_id": project_id, "region_code": region,
                        "date": day, "text": text} for day, text in _milestones(spec)]
    _insert(conn, projects, project_rows)
    _insert(conn, project_milestones, milestones)
    return {spec.name: n for n, spec in enumerate(PROJECTS, 1)}


def _status(spec: ProjectSpec) -> str:
    if spec.status:
        return spec.status
    if spec.actual >= 100:
        return "completed"
    return "in_progress" if spec.actual > 0 else "planned"


def _milestones(spec: ProjectSpec) -> tuple[tuple[dt.date, str], ...]:
    approval = (spec.start - dt.timedelta(days=35), "项目立项批复")
    if spec.milestones:
        return (approval, *spec.milestones)
    found = [approval]
    if spec.start <= AS_OF:
        found.append((spec.start, "开工建设"))
    if spec.actual >= 100:
        found.append((min(spec.due, AS_OF), "竣工验收"))
    elif spec.actual >= 50:
        found.append((spec.start + (AS_OF - spec.start) * 2 // 3, f"完成工程量 {spec.actual // 10 * 10}%"))
    if spec.status == "suspended":
        found.append((dt.date(CURRENT_YEAR, 6, 1), "因征地协调暂停施工"))
    return tuple(found)


# ---------------------------------------------------------------- suggestions, inspections, activity

@dataclass
class _Actors:
    user_ids: dict[str, int]
    district: District

    def deputy(self, n: int) -> int:
        return self.user_ids[f"deputy{n:02d}"]

    def staff_for(self, region: str) -> int:
        """凤北街道's suggestions are handled by its own 人大工委 (staff02), the rest by the district's."""
        return self.user_ids["staff02" if region == self.district.township("凤北街道").code else "staff01"]

    def department(self, key: str) -> int:
        return self.user_ids[f"dept_{key}"]


_TO_STATE = {"submit": "submitted", "assign": "assigned", "accept": "accepted", "reply": "replied",
             "close": "closed", "reopen": "reopened", "decline": "declined", "merge": "merged"}
#: The event action of each step; both kinds of feedback are one action, told apart by the new state.
_EVENT_ACTION = {**{step: step for step in _TO_STATE}, "close": "feedback", "reopen": "feedback"}
_REPLIES = (
    "已纳入年度工作计划，正在组织实施，预计年底前完成。",
    "经研究，已安排专项资金解决，目前已完成前期工作。",
    "已会同相关镇街现场踏勘，制定整改方案并督促落实。",
    "已协调相关单位研究解决，并将办理情况向群众作了解释。",
)


@dataclass
class _Suggestion:
    spec: SuggestionSpec
    id: str
    region: str
    events: list[dict[str, Any]] = field(default_factory=list)
    number: str | None = None
    first_assigned: dt.datetime | None = None
    department: str | None = None
    deadline: dt.date | None = None
    rating: int | None = None
    merged_into: str | None = None


def _load_people(conn: Connection, rng: random.Random, ids: _Ids, district: District, story: _Story,
                 user_ids: dict[str, int], project_ids: dict[str, int], settings: ServerSettings) -> None:
    actors = _Actors(user_ids, district)
    made = _suggestions(rng, district, actors)
    _number(made)
    _insert(conn, suggestions, [_suggestion_row(s, actors, story, project_ids) for s in made])
    _insert(conn, suggestion_contacts, [_contact_row(rng, s, actors) for s in made
                                        if s.spec.source == "constituents"])
    _insert(conn, suggestion_events, [event for s in made for event in s.events])
    visits = _inspections(rng, district, actors, story, project_ids)
    _insert(conn, inspections, visits)
    _insert(conn, activities, _activities(rng, district, actors, made, visits))
    milestone = _visited_milestone(conn, visits, actors)
    _insert(conn, attachments, _attachments(rng, made, visits, milestone, actors, settings))


def _suggestions(rng: random.Random, district: District, actors: _Actors) -> list[_Suggestion]:
    made: list[_Suggestion] = []
    by_title: dict[str, _Suggestion] = {}
    for spec in SUGGESTIONS:
        region = district.township(spec.township).code if spec.township else district.code
        suggestion = _Suggestion(spec, _uuid(rng), region)
        _walk(rng, suggestion, actors, by_title)
        made.append(suggestion)
        by_title[spec.title] = suggestion
    return made


def _walk(rng: random.Random, s: _Suggestion, actors: _Actors, by_title: dict[str, _Suggestion]) -> None:
    """Build the suggestion's history, step by step, as the state machine of DESIGN.md §4 allows."""
    spec = s.spec
    year, month = spec.when
    at = _at(dt.date(year, month, spec.day or rng.randint(1, 20)), rng.randint(0, 480))
    state: str | None = None
    steps = spec.path.split()
    # The last assignment of a suggestion still being handled gets a deadline ahead of the demo's today.
    last_assign = len(steps) - 1 - steps[::-1].index("assign") if "assign" in steps else -1
    pending = last_assign if steps[-1] in ("assign", "accept") else -1
    for index, step in enumerate(steps):
        if step != "submit":
            at = _next_time(rng, at, step)
        event: dict[str, Any] = {"id": _uuid(rng), "suggestion_id": s.id, "region_code": s.region,
                                 "action": _EVENT_ACTION[step], "from_state": state, "to_state": _TO_STATE[step],
                                 "at": at, "text": None, "assigned_department": None, "deadline": None,
                                 "rating": None}
        if step in ("submit", "close", "reopen"):
            event.update(actor_id=actors.deputy(spec.author), actor_role="deputy")
        elif step in ("accept", "reply"):
            event.update(actor_id=actors.department(spec.department), actor_role="department")
        else:
            event.update(actor_id=actors.staff_for(s.region), actor_role="staff")
        _step_details(rng, s, step, event, pending=index == pending, by_title=by_title)
        s.events.append(event)
        state, at = event["to_state"], event["at"]
    assert at.date() <= AS_OF, (spec.title, at)
    # Events carry the suggestion's (latest) department, so they are seen by whoever sees it.
    code = _department_code(actors.district, s.department) if s.department else None
    for event in s.events:
        event["department_code"] = code
        if event["assigned_department"]:
            event["assigned_department"] = _department_code(actors.district, event["assigned_department"])


def _next_time(rng: random.Random, at: dt.datetime, step: str) -> dt.datetime:
    days = {"assign": (2, 6), "accept": (1, 3), "reply": (15, 40), "close": (3, 12), "reopen": (3, 12),
            "decline": (2, 6), "merge": (2, 6)}[step]
    return _at(at.date() + dt.timedelta(days=rng.randint(*days)), rng.randint(0, 480))


def _step_details(rng: random.Random, s: _Suggestion, step: str, event: dict[str, Any], *, pending: bool,
                  by_title: dict[str, _Suggestion]) -> None:
    spec, at = s.spec, event["at"]
    if step == "assign":
        s.department = spec.department
        if s.first_assigned is None:
            s.first_assigned = at
        deadline = spec.deadline or at.date() + dt.timedelta(days=60)
        if pending and spec.deadline is None:
            deadline = max(deadline, dt.date(CURRENT_YEAR, 12, 15) + dt.timedelta(days=rng.randint(0, 20)))
        s.deadline = deadline
        event.update(assigned_department=s.department, deadline=deadline,
                     text=f"交办{_department_name(spec.department)}办理，请于 {deadline:%Y年%m月%d日} 前答复")
    elif step == "accept":
        event["text"] = "已接单，正在办理"
    elif step == "reply":
        event["text"] = rng.choice(_REPLIES)
    elif step in ("close", "reopen"):
        s.rating = spec.ratings[sum(1 for e in s.events if e["action"] == "feedback")]
        event["rating"] = s.rating
        event["text"] = "对办理结果满意" if step == "close" else "答复未解决实际问题，不满意，请重新办理"
    elif step == "decline":
        event["text"] = spec.reason
    elif step == "merge":
        target = by_title[spec.reason]
        s.merged_into = target.id
        event["at"] = max(at, target.first_assigned + dt.timedelta(days=1))
        event["text"] = f"与「{target.spec.title}」内容相同，并案办理"


def _department_name(key: str | None) -> str:
    if key == "fengbei":
        return "凤北街道办事处"
    return f"区{DEPARTMENT_KIND[key].name}" if key else ""


def _number(made: list[_Suggestion]) -> None:
    """登记号 year-NNNN, in order of first assignment (registration) within each year."""
    registered = sorted((s for s in made if s.first_assigned), key=lambda s: s.first_assigned)
    counters: dict[int, int] = defaultdict(int)
    for s in registered:
        counters[s.first_assigned.year] += 1
        s.number = f"{s.first_assigned.year}-{counters[s.first_assigned.year]:04d}"


def _suggestion_row(s: _Suggestion, actors: _Actors, story: _Story, project_ids: dict[str, int]) -> dict[str, Any]:
    spec, last = s.spec, s.events[-1]
    year = spec.when[0]
    return {
        "id": s.id, "number": s.number, "author_id": actors.deputy(spec.author), "region_code": s.region,
        "title": spec.title, "body": spec.body, "category": spec.category, "source": spec.source,
        "state": last["to_state"], "department_code": _department_code(actors.district, s.department)
        if s.department else None,
        "deadline": s.deadline, "merged_into": s.merged_into,
        "decline_reason": spec.reason if last["action"] == "decline" else None, "rating": s.rating,
        "project_id": project_ids.get(spec.project) if spec.project else None,
        "policy_id": story.policy_ids.get((year, spec.policy)) if spec.policy else None,
        "submitted_at": s.events[0]["at"], "updated_at": last["at"],
    }


def _contact_row(rng: random.Random, s: _Suggestion, actors: _Actors) -> dict[str, Any]:
    people = _names()["people"]
    # Masked like the phone numbers shown in public notices: an invented number must not reach a real person.
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"
    return {"suggestion_id": s.id, "region_code": s.region,
            "department_code": _department_code(actors.district, s.department) if s.department else None,
            "author_id": actors.deputy(s.spec.author),
            "name": rng.choice(people["surnames"]) + rng.choice(people["given_names"]), "phone": phone}


#: Inspections (视察调研) of 2026: date, subject type, subject name, township, deputies, notes.
VISITS = (
    (_d(3, 18), "project", "肖公庙社区道路小修整治工程", "凤北街道", (1, 11, 12),
     "系统显示资金已全部支付，现场查看路面整治质量，群众反映出行明显改善，排水边沟尚需完善。"),
    (_d(4, 22), "project", "双鱼湖环湖公路建设工程", "北山镇", (2, 14),
     "资金拨付进度达 50%，进度较快；现场跟踪监督施工质量和安全，并将情况告知辖区群众。"),
    (_d(5, 27), "other", "凤北街道城市社区专职工作者绩效报酬发放情况", "凤北街道", (11, 12),
     "系统预警民生保障资金支付进度较慢，走访社区了解绩效考核和报酬发放情况，已报告街道党工委。"),
    (_d(6, 24), "project", "凤凰山片区乡村振兴示范线路", "凤西街道", (1, 3, 5),
     "查看脆李产业园道路和村庄风貌改造，示范线路建设加速推进。"),
    (_d(8, 19), "policy", "老旧小区改造", None, (4, 13),
     "视察东城、西城街道老旧小区改造，关注加装电梯和雨污分流。"),
    (_d(9, 23), "policy", LAGGING_POLICY, None, (6, 7, 8),
     "城市更新资金拨付明显滞后于时间进度，要求主管部门分析原因、加快拨付。"),
)


def _inspections(rng: random.Random, district: District, actors: _Actors, story: _Story,
                 project_ids: dict[str, int]) -> list[dict[str, Any]]:
    rows = []
    for day, subject_type, subject, township, deputies, notes in VISITS:
        if subject_type == "project":
            subject_id = project_ids[subject]
        elif subject_type == "policy":
            subject_id = story.policy_ids[CURRENT_YEAR, subject]
        else:
            subject_id = None
        region = district.township(township).code if township else district.code
        rows += [{"id": _uuid(rng), "deputy_id": actors.deputy(n), "region_code": region, "date": day,
                  "subject_type": subject_type, "subject_id": subject_id, "title": f"视察调研: {subject}",
                  "notes": notes} for n in deputies]
    return rows


MODULES = ("乡镇预算", "预算执行", "决算监督", "重大政策执行", "民生实事", "意见建议", "自动审查")


def _activities(rng: random.Random, district: District, actors: _Actors, made: list[_Suggestion],
                visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each deputy's use of the system in 2026: visits to the deputies' home, suggestions, feedback, inspections."""
    region_of = {actors.deputy(n): (district.township(TOWNSHIP_DEPUTIES[n]).code if n in TOWNSHIP_DEPUTIES
                                    else district.code) for n in range(1, 15)}
    found: list[tuple[int, dt.datetime, str, str | None]] = []
    for user in region_of:
        found += _home_visits(rng, user)
    for s in made:
        for event in s.events:
            if event["actor_role"] == "deputy" and event["at"].year == CURRENT_YEAR:
                kind = "suggestion" if event["action"] == "submit" else "feedback"
                found.append((event["actor_id"], event["at"], kind, s.spec.title[:100]))
    for visit in visits:
        found.append((visit["deputy_id"], _at(visit["date"], 60), "inspection", visit["title"][:100]))
    found.sort(key=lambda a: (a[1], a[0], a[2]))
    return [{"id": _uuid(rng), "user_id": user, "region_code": region_of[user], "at": at, "kind": kind,
             "detail": detail} for user, at, kind, detail in found]


def _home_visits(rng: random.Random, user: int) -> list[tuple[int, dt.datetime, str, str | None]]:
    """Weekly chances of a visit to the deputies' home: sign in, sync, open a few modules."""
    keen = rng.choice((15, 30, 45, 60))  # % of weeks this deputy comes in
    found: list[tuple[int, dt.datetime, str, str | None]] = []
    monday = dt.date(CURRENT_YEAR, 1, 5)
    while monday + dt.timedelta(days=4) <= AS_OF:
        if rng.randint(1, 100) <= keen:
            at = _at(monday + dt.timedelta(days=rng.randint(0, 4)), rng.randint(0, 420))
            found.append((user, at, "sign_in", None))
            at += dt.timedelta(minutes=rng.randint(1, 3))
            found.append((user, at, "sync", None))
            for module in rng.sample(MODULES, rng.randint(1, 4)):
                at += dt.timedelta(minutes=rng.randint(2, 15))
                found.append((user, at, "module_opened", module))
        monday += dt.timedelta(days=7)
    return found


# ---------------------------------------------------------------- attachments

_DRAIN = "关于肖公庙社区道路整治后完善排水边沟的建议"
#: Site photos the author attached to a suggestion: (title, file name, scene).
SUGGESTION_PHOTOS = (
    (_DRAIN, "雨后路面积水.jpg", Scene(puddles=6, cliff=False, sky=(150, 165, 180), seed=11)),
    (_DRAIN, "排水边沟未同步完善.jpg", Scene(puddles=2, cliff=False, sky=(165, 180, 196), seed=12)),
    ("关于复兴镇农村公路增设安全防护设施的建议", "临崖路段没有护栏.jpg",
     Scene(puddles=0, cliff=True, sky=(120, 160, 210), seed=13)),
)
#: The photo deputy01 took on the first inspection (肖公庙社区道路小修整治工程).
VISIT_PHOTO = ("肖公庙社区道路整治现场.jpg", Scene(puddles=1, cliff=False, sky=(140, 170, 205), seed=14))
#: Staff's photo on the latest milestone of that project.
MILESTONE_PHOTO = ("路面修补完成.jpg", Scene(puddles=0, cliff=False, sky=(130, 175, 220), seed=15))
#: The department's reply to the drainage suggestion, as the letter it would send.
REPLY_LETTER = "答复函.pdf"


def _stored(settings: ServerSettings, data: bytes) -> tuple[str, int]:
    """Write ``data`` into the attachments store; returns its (sha256, size)."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = stored_path(settings, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return sha256, len(data)


def _attachment_row(rng: random.Random, settings: ServerSettings, owner: tuple[str, str], name: str, data: bytes,
                    audience: tuple[str, str | None], uploader: int, at: dt.datetime) -> dict[str, Any]:
    sha256, size = _stored(settings, data)
    content_type = "application/pdf" if name.endswith(".pdf") else "image/jpeg"
    return {"id": _uuid(rng), "owner_type": owner[0], "owner_id": owner[1], "region_code": audience[0],
            "department_code": audience[1], "uploader_id": uploader, "file_name": name,
            "content_type": content_type, "size": size, "sha256": sha256, "created_at": at}


def _visited_milestone(conn: Connection, visits: list[dict[str, Any]], actors: _Actors) -> RowMapping:
    """The latest milestone of the project deputy01 first visited: staff put a site photo on it."""
    visit = next(v for v in visits if v["deputy_id"] == actors.deputy(1) and v["subject_type"] == "project")
    return conn.execute(select(project_milestones).where(project_milestones.c.project_id == visit["subject_id"])
                        .order_by(project_milestones.c.date.desc())).mappings().first()


def _attachments(rng: random.Random, made: list[_Suggestion], visits: list[dict[str, Any]], milestone: RowMapping,
                 actors: _Actors, settings: ServerSettings) -> list[dict[str, Any]]:
    by_title = {s.spec.title: s for s in made}
    rows = []
    for title, name, scene in SUGGESTION_PHOTOS:
        s = by_title[title]
        submitted = s.events[0]
        rows.append(_attachment_row(rng, settings, ("suggestion", s.id), name, photo(scene),
                                    (s.region, submitted["department_code"]), submitted["actor_id"],
                                    submitted["at"] + dt.timedelta(minutes=5)))
    drain = by_title[_DRAIN]
    reply = next(e for e in drain.events if e["action"] == "reply")
    lines = [f"关于《{_DRAIN[2:]}》的答复", "", f"{drain.spec.body}{reply['text']}",
             "排水边沟已纳入道路整治工程二期，雨季前完工。感谢您对城市建设工作的关心和支持！", "",
             f"{_department_name(drain.spec.department)}  {reply['at']:%Y年%m月%d日}"]
    rows.append(_attachment_row(rng, settings, ("suggestion_event", reply["id"]), REPLY_LETTER, letter(lines),
                                (drain.region, reply["department_code"]), reply["actor_id"], reply["at"]))
    visit = next(v for v in visits if v["deputy_id"] == actors.deputy(1))
    name, scene = VISIT_PHOTO
    rows.append(_attachment_row(rng, settings, ("inspection", visit["id"]), name, photo(scene),
                                (visit["region_code"], None), visit["deputy_id"], _at(visit["date"], 90)))
    name, scene = MILESTONE_PHOTO
    region = milestone["region_code"]
    rows.append(_attachment_row(rng, settings, ("milestone", str(milestone["id"])), name, photo(scene),
                                (region, EVERY_DEPARTMENT), actors.staff_for(region), _at(milestone["date"], 8 * 60)))
    return rows
