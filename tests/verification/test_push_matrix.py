"""Access matrix for writes (issue 13, item 4): every command type × role × ownership, table-driven.

Each cell builds its own subject on the server (a suggestion in the state the step starts from, in or out
of the sender's scope, assigned to this department or another, written by this deputy or another), pushes
one command over HTTP as the sender and expects ``applied`` or ``rejected`` with the reason the user reads;
a rejection must leave the changelog untouched. The same for the attachment endpoints, by HTTP status.
Then the tokens: forged, expired, revoked, of a disabled user, a locked-out sign-in, an administrator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sync.schema import auth_tokens, suggestions
from sync.server import accounts, changelog, commands, db
from sync.server.api import create_app
from sync.server.settings import SERVER_TIMEZONE
from tests.client.conftest import PASSWORD as DISTRICT_PASSWORD
from tests.server.api_world import (
    DISTRICT,
    EDUCATION,
    OTHER_DEPARTMENT,
    OTHER_DISTRICT,
    PASSWORD,
    STAMP,
    TOWNSHIP_1,
    TRANSPORT,
    build_world,
    sign_in,
)
from tests.server.ops_world import fill_district
from tests.verification.figures import count
from tests.verification.processes import ROOT, ServerProcess

ROLES = {"deputy01": "deputy", "deputy02": "deputy", "deputy09": "deputy", "staff01": "staff",
         "jiaotong": "department", "jiaoyu": "department"}
SCOPE = "不存在或不在您的范围内"
ROLE = "您的角色不能执行此操作"


@dataclass(frozen=True)
class Subject:
    """A suggestion made for one cell: its state, region, department and author."""

    state: str = "submitted"
    region: str = DISTRICT
    department: str | None = None
    author: str = "deputy01"


@dataclass(frozen=True)
class Cell:
    command: str
    sender: str
    subject: Subject | None  # the suggestion the command acts on, made fresh for the cell
    expected: str  # "applied" or "rejected: <part of the reason>"
    payload: Callable[[str, dict[str, int]], dict[str, Any]] = lambda key, _ids: {"suggestion_id": key}
    author: str | None = None  # the command's author field, when not the sender (a forged author)

    @property
    def label(self) -> str:
        subject = "" if self.subject is None else f"{self.subject.state}@{self.subject.region}"
        subject += f"/{self.subject.department}/{self.subject.author}" if self.subject else ""
        return f"{self.command}:{self.sender}:{subject}:{self.expected.split(':')[0]}"


def _deadline() -> str:
    return (dt.datetime.now(SERVER_TIMEZONE).date() + dt.timedelta(days=15)).isoformat()


def _submit(region: str) -> Callable[[str, dict[str, int]], dict[str, Any]]:
    return lambda _key, _ids: {"suggestion_id": str(uuid.uuid4()), "title": "修路", "body": "路面破损",
                               "source": "own", "region_code": region}


def _assign(department: str) -> Callable[[str, dict[str, int]], dict[str, Any]]:
    return lambda key, _ids: {"suggestion_id": key, "department_code": department, "deadline": _deadline()}


def _step(**values: Any) -> Callable[[str, dict[str, int]], dict[str, Any]]:
    return lambda key, _ids: {"suggestion_id": key, **values}


def _inspection(project: int) -> Callable[[str, dict[str, int]], dict[str, Any]]:
    return lambda _key, _ids: {"inspection_id": str(uuid.uuid4()), "date": "2026-03-20", "subject_type": "project",
                               "subject_id": project, "title": "视察"}


ACTIVITY = _step(items=[{"id": str(uuid.uuid4()), "kind": "sign_in", "at": "2026-03-20T09:00:00+08:00"}])
THRESHOLD = _step(rule="execution_lag", yellow="5", red="10")
FEEDBACK = _step(satisfied=True, rating=5)
SUBMITTED_HERE = Subject()
SUBMITTED_FAR = Subject(region=OTHER_DISTRICT, author="deputy09")
ASSIGNED_TRANSPORT = Subject("assigned", department=TRANSPORT)
ASSIGNED_FAR = Subject("assigned", OTHER_DISTRICT, OTHER_DEPARTMENT, "deputy09")
ACCEPTED_TRANSPORT = Subject("accepted", department=TRANSPORT)
REPLIED_OWN = Subject("replied", TOWNSHIP_1, TRANSPORT, "deputy01")
REPLIED_FAR = Subject("replied", OTHER_DISTRICT, OTHER_DEPARTMENT, "deputy09")


def _no_subject(payload):
    return lambda key, ids: {k: v for k, v in payload(key, ids).items() if k != "suggestion_id"}


CELLS: list[Cell] = [
    # suggestion.submit: deputies, in their own scope
    Cell("suggestion.submit", "deputy01", None, "applied", _submit(TOWNSHIP_1)),
    Cell("suggestion.submit", "deputy02", None, "applied", _submit(TOWNSHIP_1)),
    Cell("suggestion.submit", "deputy02", None, "rejected:不在您的范围内", _submit(DISTRICT)),
    Cell("suggestion.submit", "deputy09", None, "rejected:不在您的范围内", _submit(TOWNSHIP_1)),
    Cell("suggestion.submit", "staff01", None, f"rejected:{ROLE}", _submit(DISTRICT)),
    Cell("suggestion.submit", "jiaotong", None, f"rejected:{ROLE}", _submit(DISTRICT)),
    Cell("suggestion.submit", "deputy02", None, "rejected:命令属于用户 deputy01", _submit(TOWNSHIP_1), "deputy01"),
    # assign / decline / merge: staff, on new suggestions in scope
    Cell("suggestion.assign", "staff01", SUBMITTED_HERE, "applied", _assign(TRANSPORT)),
    Cell("suggestion.assign", "staff01", SUBMITTED_FAR, f"rejected:建议{SCOPE}", _assign(TRANSPORT)),
    Cell("suggestion.assign", "staff01", SUBMITTED_HERE, "rejected:承办部门", _assign(OTHER_DEPARTMENT)),
    Cell("suggestion.assign", "staff01", ASSIGNED_TRANSPORT, "rejected:本次「交办」未执行", _assign(EDUCATION)),
    Cell("suggestion.assign", "deputy01", SUBMITTED_HERE, f"rejected:{ROLE}", _assign(TRANSPORT)),
    Cell("suggestion.assign", "jiaotong", SUBMITTED_HERE, f"rejected:{ROLE}", _assign(TRANSPORT)),
    Cell("suggestion.decline", "staff01", SUBMITTED_HERE, "applied", _step(reason="不属于预算监督")),
    Cell("suggestion.decline", "staff01", SUBMITTED_FAR, f"rejected:建议{SCOPE}", _step(reason="不属于预算监督")),
    Cell("suggestion.decline", "deputy01", SUBMITTED_HERE, f"rejected:{ROLE}", _step(reason="不属于预算监督")),
    Cell("suggestion.decline", "jiaotong", SUBMITTED_HERE, f"rejected:{ROLE}", _step(reason="不属于预算监督")),
    Cell("suggestion.merge", "staff01", SUBMITTED_HERE, "applied", _step(into="s-transport")),
    Cell("suggestion.merge", "staff01", SUBMITTED_HERE, f"rejected:要并入的建议{SCOPE}", _step(into="s-far")),
    Cell("suggestion.merge", "jiaoyu", SUBMITTED_HERE, f"rejected:{ROLE}", _step(into="s-transport")),
    Cell("suggestion.merge", "deputy01", SUBMITTED_HERE, f"rejected:{ROLE}", _step(into="s-transport")),
    # accept / reply: the department it is assigned to
    Cell("suggestion.accept", "jiaotong", ASSIGNED_TRANSPORT, "applied"),
    Cell("suggestion.accept", "jiaoyu", ASSIGNED_TRANSPORT, f"rejected:建议{SCOPE}"),
    Cell("suggestion.accept", "jiaotong", SUBMITTED_HERE, f"rejected:建议{SCOPE}"),  # not assigned to anyone
    Cell("suggestion.accept", "jiaotong", ASSIGNED_FAR, f"rejected:建议{SCOPE}"),
    Cell("suggestion.accept", "staff01", ASSIGNED_TRANSPORT, f"rejected:{ROLE}"),
    Cell("suggestion.accept", "deputy01", ASSIGNED_TRANSPORT, f"rejected:{ROLE}"),
    Cell("suggestion.reply", "jiaotong", ACCEPTED_TRANSPORT, "applied", _step(text="已安排维修")),
    Cell("suggestion.reply", "jiaotong", ASSIGNED_TRANSPORT, "rejected:本次「答复」未执行", _step(text="已安排维修")),
    Cell("suggestion.reply", "jiaoyu", ACCEPTED_TRANSPORT, f"rejected:建议{SCOPE}", _step(text="已安排维修")),
    Cell("suggestion.reply", "staff01", ACCEPTED_TRANSPORT, f"rejected:{ROLE}", _step(text="已安排维修")),
    Cell("suggestion.reply", "deputy01", ACCEPTED_TRANSPORT, f"rejected:{ROLE}", _step(text="已安排维修")),
    # feedback: only the deputy who wrote it
    Cell("suggestion.feedback", "deputy01", REPLIED_OWN, "applied", FEEDBACK),
    Cell("suggestion.feedback", "deputy02", REPLIED_OWN, "rejected:只有提出这条建议的代表才能反馈", FEEDBACK),
    Cell("suggestion.feedback", "deputy01", REPLIED_FAR, f"rejected:建议{SCOPE}", FEEDBACK),
    Cell("suggestion.feedback", "staff01", REPLIED_OWN, f"rejected:{ROLE}", FEEDBACK),
    Cell("suggestion.feedback", "jiaotong", REPLIED_OWN, f"rejected:{ROLE}", FEEDBACK),
    # inspections and activity: deputies; the subject in their scope
    Cell("inspection.record", "deputy01", None, "applied", _inspection(1)),
    Cell("inspection.record", "deputy02", None, "applied", _inspection(1)),
    Cell("inspection.record", "deputy01", None, f"rejected:民生实事项目 2 {SCOPE}", _inspection(2)),
    Cell("inspection.record", "deputy09", None, f"rejected:民生实事项目 1 {SCOPE}", _inspection(1)),
    Cell("inspection.record", "staff01", None, f"rejected:{ROLE}", _inspection(1)),
    Cell("inspection.record", "jiaotong", None, f"rejected:{ROLE}", _inspection(1)),
    Cell("activity.record", "deputy02", None, "applied", _no_subject(ACTIVITY)),
    Cell("activity.record", "staff01", None, f"rejected:{ROLE}", _no_subject(ACTIVITY)),
    Cell("activity.record", "jiaoyu", None, f"rejected:{ROLE}", _no_subject(ACTIVITY)),
    # thresholds: district staff only
    Cell("threshold.set", "staff01", None, "applied", _no_subject(THRESHOLD)),
    Cell("threshold.set", "deputy01", None, f"rejected:{ROLE}", _no_subject(THRESHOLD)),
    Cell("threshold.set", "jiaotong", None, f"rejected:{ROLE}", _no_subject(THRESHOLD)),
    # a type the server does not know
    Cell("budget.delete", "staff01", None, "rejected:服务器不认识命令类型", _no_subject(THRESHOLD)),
]


def test_every_registered_command_type_has_cells_for_every_role():
    covered = {(cell.command, ROLES[cell.sender]) for cell in CELLS}
    for name, kind in commands.REGISTRY.items():
        for role in ("deputy", "staff", "department"):
            assert (name, role) in covered, (name, role)
        assert any(c.command == name and c.expected == "applied" and ROLES[c.sender] in kind.roles for c in CELLS)


@pytest.fixture
def push_world(server_engine):
    world = build_world(server_engine)
    app = create_app(server_engine)
    with TestClient(app) as http:
        tokens = {name: sign_in(http, name) for name in ROLES}
        yield world, http, tokens


def _make_subject(conn, subject: Subject, ids: dict[str, int]) -> str:
    key = f"m-{uuid.uuid4().hex[:20]}"
    changelog.insert(conn, suggestions, [{
        "id": key, "number": None, "author_id": ids[subject.author], "region_code": subject.region,
        "title": "矩阵", "body": "正文", "source": "own", "state": subject.state, "department_code": subject.department,
        "submitted_at": STAMP, "updated_at": STAMP}])
    return key


def test_push_matrix(push_world):
    world, http, tokens = push_world
    checked = 0
    for cell in CELLS:
        with world.engine.begin() as conn:
            key = _make_subject(conn, cell.subject, world.user_ids) if cell.subject else ""
            head = changelog.head(conn)
        item = {"id": str(uuid.uuid4()), "type": cell.command, "author": cell.author or cell.sender,
                "created_at": "2026-03-20T09:00:00+08:00", "payload": cell.payload(key, world.user_ids)}
        response = http.post("/api/v1/commands", headers=tokens[cell.sender], json={"commands": [item]})
        assert response.status_code == 200, (cell.label, response.text)
        (answer,) = response.json()["results"]
        status, _, reason = cell.expected.partition(":")
        assert answer["status"] == status, (cell.label, answer)
        with world.engine.connect() as conn:
            moved = changelog.head(conn) != head
        if status == "rejected":
            assert reason in answer["reason"], (cell.label, answer)
            assert not moved, cell.label  # a refusal writes nothing anyone pulls
        else:
            assert moved, cell.label
        checked += 1
    assert checked == len(CELLS)
    count("access matrix: push cells (command × role × ownership)", checked)


# ---------------------------------------------------------------- attachments

#: (uploader, owner type, owner id, expected HTTP status)
ATTACHMENT_CELLS = [
    ("deputy01", "suggestion", "s-transport", 200),  # their own suggestion
    ("deputy02", "suggestion", "s-transport", 404),  # out of their scope
    ("deputy01", "suggestion", "s-education", 403),  # in scope, another deputy's
    ("staff01", "suggestion", "s-education", 200),
    ("staff01", "suggestion", "s-far", 404),
    ("jiaotong", "suggestion", "s-transport", 200),  # assigned to it
    ("jiaoyu", "suggestion", "s-transport", 404),  # assigned to another department
    ("deputy02", "inspection", "i-1", 200),  # their own inspection
    ("deputy01", "inspection", "i-1", 403),  # another deputy's
    ("jiaotong", "inspection", "i-1", 404),  # departments see no inspections
    ("staff01", "milestone", "1", 200),
    ("deputy01", "milestone", "1", 403),
    ("jiaotong", "milestone", "1", 403),  # in scope, but not the project's department (none)
    ("deputy09", "milestone", "1", 404),
    ("deputy01", "budget_line", "1", 400),  # not a thing one can attach to
]


def test_attachment_matrix(push_world):
    _world, http, tokens = push_world
    content = b"\xff\xd8\xff\xe0" + b"0" * 100
    for uploader, owner_type, owner_id, expected in ATTACHMENT_CELLS:
        body = {"id": str(uuid.uuid4()), "owner_type": owner_type, "owner_id": owner_id, "file_name": "照片.jpg",
                "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        response = http.post("/api/v1/attachments/uploads", headers=tokens[uploader], json=body)
        assert response.status_code == expected, (uploader, owner_type, owner_id, response.text)
    count("access matrix: attachment cells (uploader × owner)", len(ATTACHMENT_CELLS))


# ---------------------------------------------------------------- tokens and sign-in

def _changes(http, token: str | None) -> int:
    headers = {"BudgetWatch-Protocol": "1"} | ({"Authorization": f"Bearer {token}"} if token else {})
    return http.get("/api/v1/changes", headers=headers).status_code


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_forged_expired_revoked_and_disabled_tokens_are_refused(push_world):
    world, http, tokens = push_world
    cases = 0
    assert _changes(http, _token(tokens["deputy01"])) == 200
    for forged in ("x" * 43, _token(tokens["deputy01"])[:-2] + "AA", ""):
        assert _changes(http, forged) == 401
        cases += 1
    expired = _token(tokens["deputy02"])
    with world.engine.begin() as conn:
        conn.execute(update(auth_tokens).where(auth_tokens.c.user_id == world.user_ids["deputy02"])
                     .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert _changes(http, expired) == 401
    revoked = tokens["staff01"]
    assert http.delete("/api/v1/session", headers=revoked).status_code == 204
    assert _changes(http, _token(revoked)) == 401
    with world.engine.begin() as conn:
        accounts.disable_user(conn, "jiaoyu")
    assert _changes(http, _token(tokens["jiaoyu"])) == 401
    refused = http.post("/api/v1/session", headers={"BudgetWatch-Protocol": "1"},
                        json={"username": "jiaoyu", "password": PASSWORD, "device_id": "pc"})
    assert refused.status_code == 401 and "停用" in refused.json()["message"]
    admin = http.post("/api/v1/session", headers={"BudgetWatch-Protocol": "1"},
                      json={"username": "admin", "password": PASSWORD, "device_id": "pc"})
    assert admin.status_code == 401 and "管理员" in admin.json()["message"]  # so no command of any type
    count("access matrix: token and account cases", cases + 5)


def test_lock_out_after_repeated_failures_refuses_even_the_right_password(push_world):
    _world, http, _tokens = push_world
    attempt = {"username": "deputy09", "device_id": "pc"}
    for _ in range(5):
        answer = http.post("/api/v1/session", headers={"BudgetWatch-Protocol": "1"}, json={**attempt, "password": "猜"})
        assert answer.status_code == 401
    locked = http.post("/api/v1/session", headers={"BudgetWatch-Protocol": "1"}, json={**attempt, "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["error"] == "locked", locked.text
    assert "Retry-After" in locked.headers
    count("access matrix: token and account cases")


def test_the_audit_log_never_holds_a_password(push_world):
    world, http, _tokens = push_world
    http.post("/api/v1/session", headers={"BudgetWatch-Protocol": "1"},
              json={"username": "deputy01", "password": "错误的密码XYZ", "device_id": "pc"})
    with world.engine.connect() as conn:
        dump = "\n".join(str(tuple(row)) for row in conn.exec_driver_sql("SELECT * FROM audit_log"))
        assert conn.execute(select(auth_tokens.c.token_hash)).first()  # tokens stored only as hashes
    assert "session.sign_in" in dump
    for secret in (PASSWORD, "错误的密码XYZ"):
        assert secret not in dump


def test_the_password_is_never_logged_by_the_server_nor_stored_on_the_client(tmp_path, budgetwatch_home):
    database = f"sqlite:///{tmp_path / 'server.db'}"
    engine = db.make_engine(database)
    db.upgrade(engine)
    fill_district(engine)
    server = ServerProcess(database, tmp_path / "server.log").start()
    home = tmp_path / "pc"
    wrong = "错误的密码-Wrong-123"
    try:
        for password, expected in ((wrong, 4), (DISTRICT_PASSWORD, 0)):
            finished = subprocess.run(
                [sys.executable, "-m", "desktop.cli", "sync", "--server", server.url, "--user", "deputy01",
                 "--home", str(home), "--save-token-file"], cwd=ROOT, capture_output=True, timeout=120,
                env={**os.environ, "BUDGETWATCH_PASSWORD": password})
            assert finished.returncode == expected, finished.stderr.decode()
            assert password not in (finished.stdout + finished.stderr).decode()
    finally:
        server.stop()
    log = server.log_text()
    assert "POST /api/v1/session" in log  # the log is there, and holds the requests
    stored = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name.startswith("token") or "token" in path.name for path in stored), stored
    with engine.connect() as conn:
        audit_dump = "\n".join(str(tuple(row)) for row in conn.exec_driver_sql("SELECT * FROM audit_log"))
    engine.dispose()
    for secret in (DISTRICT_PASSWORD, wrong):
        assert secret not in log and secret not in audit_dump
        for path in stored:
            data = path.read_bytes()
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert secret.encode(encoding) not in data, path
    count("access matrix: files and logs searched for the password", len(stored) + 2)
