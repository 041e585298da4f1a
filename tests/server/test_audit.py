"""The audit log: every kind of write, with who, when and from which device; printed, never editable."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import sync.server.api
from sync.server import audit, cli
from sync.server.settings import SERVER_TIMEZONE
from tests.server.api_world import DISTRICT, OTHER_DISTRICT, PASSWORD, sign_in, submit_command


def _push(api, headers: dict[str, str], *items: dict) -> list[str]:
    response = api.post("/api/v1/commands", headers=headers, json={"commands": list(items)})
    assert response.status_code == 200, response.text
    return [answer["status"] for answer in response.json()["results"]]


def _threshold_change(author: str) -> dict:
    return {"id": str(uuid.uuid4()), "type": "threshold.set", "author": author,
            "payload": {"rule": "execution_lag", "yellow": "6", "red": "12"}}


def _writes_through_the_api(api) -> None:
    refused = api.post("/api/v1/session",
                       json={"username": "deputy01", "password": "猜错的密码", "device_id": "pc-deputy01"})
    assert refused.status_code == 401
    deputy, staff = sign_in(api, "deputy01"), sign_in(api, "staff01")
    assert _push(api, deputy, submit_command("deputy01"), submit_command("deputy01", region=OTHER_DISTRICT)) == [
        "applied", "rejected"]
    assert _push(api, staff, _threshold_change("staff01")) == ["applied"]
    changed = api.post("/api/v1/password", headers=deputy,
                       json={"current_password": PASSWORD, "new_password": "新的密码-2026"})
    assert changed.status_code == 204
    assert api.delete("/api/v1/session", headers=deputy).status_code == 204


def _writes_on_the_command_line(url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("初始密码-12345\n"))
    regions_file = tmp_path / "regions.csv"
    regions_file.write_text(f"区划编码,区划名称,级别,上级区划编码\n{DISTRICT}003,新区街道,乡镇街道,{DISTRICT}\n",
                            encoding="utf-8")
    archive = tmp_path / "district.tar.gz"
    for argv in (["user", "add", "newbie", "--role", "deputy", "--region", DISTRICT], ["user", "disable", "newbie"],
                 ["import", "regions", str(regions_file)], ["backup", str(archive)], ["compact"],
                 ["restore", str(archive), "--yes"]):
        assert cli.main([*argv, "--db", url]) == 0, argv


def test_every_kind_of_write_is_audited_with_who_and_which_device_and_survives_a_restore(
        api, world, server_db_url, tmp_path, monkeypatch, capsys):
    _writes_through_the_api(api)
    _writes_on_the_command_line(server_db_url, tmp_path, monkeypatch)

    with world.engine.connect() as conn:
        entries = list(audit.entries(conn))
    seen = {(entry.actor, entry.device, entry.action) for entry in entries}
    me = audit.cli_actor()
    assert {
        ("deputy01", "pc-deputy01", "session.sign_in_failed"), ("deputy01", "pc-deputy01", "session.sign_in"),
        ("deputy01", "pc-deputy01", "command.suggestion.submit"), ("staff01", "pc-staff01", "command.threshold.set"),
        ("deputy01", "pc-deputy01", "account.password_change"), ("deputy01", "pc-deputy01", "session.sign_out"),
        (me, "cli", "user.add"), (me, "cli", "user.disable"), (me, "cli", "import.regions"),
        (me, "cli", "backup.create"), (me, "cli", "changelog.compact"), (me, "cli", "backup.restore"),
    } <= seen
    submits = [e.detail for e in entries if e.action == "command.suggestion.submit"]
    assert [d["status"] for d in submits] == ["applied", "rejected"] and "reason" in submits[1]
    # The compaction came after the backup: the restore carried its entry over.
    restore = next(e for e in entries if e.action == "backup.restore")
    assert restore.detail["audit_carried"] >= 2 and restore.id == entries[-1].id

    capsys.readouterr()
    assert cli.main(["audit", "--db", server_db_url, "--user", "deputy01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert {line.split()[2] for line in lines} == {"deputy01"} and len(lines) == 6
    assert "command.suggestion.submit" in lines[2] and "pc-deputy01" in lines[2]
    tomorrow = (dt.datetime.now(SERVER_TIMEZONE) + dt.timedelta(days=1)).date().isoformat()
    assert cli.main(["audit", "--db", server_db_url, "--since", tomorrow]) == 0
    assert capsys.readouterr().out == ""


def test_no_api_route_reads_or_writes_the_audit_log(api):
    assert not [path for path in api.get("/api/v1/openapi.json").json()["paths"] if "audit" in path]
    api_sources = Path(sync.server.api.__file__).parent.glob("*.py")
    assert not [source.name for source in api_sources if "audit" in source.read_text(encoding="utf-8")]


def test_since_is_a_moment_on_the_districts_clock(server_engine):
    morning = dt.datetime(2026, 11, 30, 9, 0, tzinfo=SERVER_TIMEZONE)
    with server_engine.begin() as conn:
        for minutes in (-1, 1):
            audit.record(conn, actor="staff01", device="pc", action="test", at=morning + dt.timedelta(minutes=minutes))
    with server_engine.connect() as conn:
        found = list(audit.entries(conn, actor="staff01", since=morning))
    assert [entry.at for entry in found] == [morning + dt.timedelta(minutes=1)]
