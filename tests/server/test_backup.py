"""Backup while clients sync, restore to the older state, clients converge with their outbox applied once."""

from __future__ import annotations

import io
import json
import tarfile
import uuid

import pytest

from sync.server import backup, changelog, cli, pg_tools
from sync.server.db import make_engine, upgrade
from tests.client.conftest import history_until, suggestions_on_server, visible_rows
from tests.server.api_world import serving
from tests.server.ops_world import (
    SyncingInBackground,
    assert_converged,
    assert_each_once,
    draft_ids,
    fill_district,
    save_draft,
    user_on,
)


def test_restore_while_serving_returns_to_the_backup_and_clients_reapply_what_it_lost_once(
        server_engine, server_db_url, tmp_path):
    fill_district(server_engine)
    archive = tmp_path / "backups" / "district.tar.gz"
    home = tmp_path / "pc"
    with serving(server_db_url) as url:
        deputy, neighbour = user_on(home, url, "deputy01"), user_on(home, url, "deputy02")
        _, before = deputy.queue_suggestion("备份之前")
        deputy.sync()
        with SyncingInBackground(neighbour).running() as meanwhile:
            manifest = backup.backup(server_engine, archive)
        _, after = deputy.queue_suggestion("备份之后")  # applied, then lost with the restore
        deputy.sync()
        _, offline = deputy.queue_suggestion("恢复时还在发件箱")
        save_draft(deputy, "draft-1")

        report = backup.restore(server_engine, archive)
        # The snapshot was whole: the restored data is exactly what its changelog says, to the backup's head.
        with server_engine.connect() as conn:
            assert changelog.head(conn) == manifest.head and changelog.epoch(conn) == report.epoch != manifest.epoch
        assert history_until(server_engine, "staff01", manifest.head) == visible_rows(server_engine, "staff01")
        assert suggestions_on_server(server_engine, after) == 0

        sync = deputy.sync()
        neighbour.sync()
    assert sync.resyncs == 1 and sync.healed_tables == []
    assert_each_once(server_engine, [before, after, offline, *meanwhile.suggestion_ids])
    for user in (deputy, neighbour):
        assert_converged(user, server_engine)
    assert draft_ids(deputy) == ["draft-1"]


def test_attachments_travel_in_the_archive_and_files_added_since_stay(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    attachments = tmp_path / "attachments"
    (attachments / "2026").mkdir(parents=True)
    (attachments / "2026" / "milestone.jpg").write_bytes(b"photo before")
    manifest = backup.backup(engine, tmp_path / "b.tar.gz", attachments=attachments)
    (attachments / "2026" / "milestone.jpg").unlink()
    (attachments / "inspection.jpg").write_bytes(b"photo added later")

    report = backup.restore(engine, tmp_path / "b.tar.gz", attachments=attachments)

    assert manifest.attachments and report.attachments == 1
    assert (attachments / "2026" / "milestone.jpg").read_bytes() == b"photo before"
    assert (attachments / "inspection.jpg").read_bytes() == b"photo added later"
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        names = set(archive.getnames())
    assert {"manifest.json", "database.sqlite", "attachments/2026/milestone.jpg"} <= names


def _archive_with(path, manifest: dict) -> None:
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(("manifest", "message"), [
    (None, "不是 BudgetWatch 的备份文件"),
    ({"engine": "postgresql"}, "这是 PostgreSQL 数据库的备份, 不能恢复到 SQLite 数据库"),
    ({"format": 99}, "比本程序新"),
    ({"schema_revision": "9999"}, "备份来自更新版本的服务器"),
    ({}, "缺少 database.sqlite"),
])
def test_a_file_that_cannot_be_restored_is_refused_in_one_line_and_nothing_changes(
        tmp_path, capsys, manifest, message):
    database = tmp_path / "server.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    with engine.begin() as conn:
        epoch = changelog.epoch(conn)
    candidate = tmp_path / "candidate.tar.gz"
    if manifest is None:
        candidate.write_bytes(b"not an archive")
    else:
        _archive_with(candidate, {"engine": "sqlite", "created_at": "2026-11-30T00:00:00+00:00",
                                  "server_version": "0.1.0", "schema_revision": "0001", "epoch": "e", "head": 0,
                                  "audit_head": 0, "attachments": False, "format": 1, **manifest})

    assert cli.main(["restore", str(candidate), "--db", f"sqlite:///{database}", "--yes"]) == 1

    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1 and error.startswith("错误: ")
    with engine.connect() as conn:
        assert changelog.epoch(conn) == epoch


def test_a_missing_pg_dump_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv(pg_tools.BINDIR_ENV, str(tmp_path))
    with pytest.raises(pg_tools.PgToolError, match="找不到 PostgreSQL 的 pg_dump 程序: 请安装 postgresql-client"):
        pg_tools.program("pg_dump")


def test_the_command_line_backs_up_and_restores_and_asks_before_overwriting(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    archive = tmp_path / f"{uuid.uuid4().hex}.tar.gz"
    assert cli.main(["backup", str(archive), "--db", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["restore", str(archive), "--db", url]) == 1
    assert "请加 --yes 确认" in capsys.readouterr().err
    assert cli.main(["restore", str(archive), "--db", url, "--yes"]) == 0
    assert "客户端下次同步时会重新下载数据" in capsys.readouterr().out


def test_new_epoch_after_the_database_went_back_by_other_means(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        before = changelog.epoch(conn)
    assert cli.main(["new-epoch", "--db", url]) == 0
    with engine.connect() as conn:
        assert changelog.epoch(conn) != before
    assert "已开始新纪元" in capsys.readouterr().out


def test_a_damaged_database_file_is_replaced_by_the_backup(tmp_path):
    database = tmp_path / "server.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    manifest = backup.backup(engine, tmp_path / "b.tar.gz")
    engine.dispose()
    database.write_bytes(b"\x00" * 4096)  # a disk fault, not a database any more
    (tmp_path / "server.db-wal").write_bytes(b"stale")

    report = backup.restore(engine, tmp_path / "b.tar.gz")

    with engine.connect() as conn:
        assert changelog.epoch(conn) == report.epoch != manifest.epoch
