"""One sync run for one account: sign in if needed, push the outbox, upload queued attachments, pull to
the head, log the figures.

Push goes first so the effects of the user's commands come back in the same run's pull. With a
stored token and nothing queued, a run with nothing new is exactly one request (``GET /changes``):
the duty record's items wait for a push with other work, or go once per server day.

A 401 means signed out: the token is forgotten (the outbox, drafts and replica are untouched) and,
if a password can be had, the run signs in again once and carries on where it stopped.

Use from a worker thread: :meth:`SyncRun.run` blocks, :meth:`SyncRun.cancel` may be called from
any other thread and takes effect within a second.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from sync.client import clock
from sync.client.activity import ActivityLog
from sync.client.attachments import AttachmentQueue
from sync.client.config import ClientConfig
from sync.client.credentials import TokenStore
from sync.client.errors import PasswordChangeRequired, ProtocolError, SignedOut, SyncError, disk_full
from sync.client.home import Account, device_id
from sync.client.outbox import Outbox
from sync.client.progress import CancelToken, ProgressCallback, ProgressEvent, SyncReport, ignore_progress
from sync.client.pull import PullEngine
from sync.client.push import CommandPush
from sync.client.replica import Replica
from sync.client.transport import Transport
from sync.protocol import DEFAULT_PAGE_ROWS

PasswordSource = Callable[[], str | None]
LOG_LIMIT = 1024 * 1024  # sync.log is rotated to sync.log.1 past this size


def no_password() -> str | None:
    return None


class SyncRun:
    def __init__(self, account: Account, config: ClientConfig | None = None, *,
                 password: PasswordSource = no_password, progress: ProgressCallback = ignore_progress,
                 save_token_file: bool = False, page_rows: int = DEFAULT_PAGE_ROWS, retries: int = 5,
                 backoff: float = 0.5, snapshot: bool = True) -> None:
        self.account = account
        self.config = config or ClientConfig()
        self.password = password
        self.progress = progress
        self.tokens = TokenStore(account, use_file=save_token_file)
        self.page_rows = page_rows
        self.snapshot = snapshot  # an empty replica starts from the server's snapshot (sync.client.bootstrap)
        self.retries = retries
        self.backoff = backoff
        self.cancel_token = CancelToken()
        self.report = SyncReport()
        self.token_stored_in: str | None = None  # where a new token went, for the CLI to mention

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self) -> SyncReport:
        """Sync once; raises a :class:`SyncError` (after logging it) when the run cannot finish."""
        started = time.monotonic()
        replica = Replica(self.account.replica_path)
        transport = Transport(self.account.server, self.cancel_token, self.report.traffic,
                              connect_timeout=self.config.connect_timeout, stall_timeout=self.config.stall_timeout,
                              ca_bundle=str(self.config.ca_bundle) if self.config.ca_bundle else None,
                              retries=self.retries, backoff=self.backoff)
        try:
            replica.update_state({"server": self.account.server, "username": self.account.username})
            self._sync(replica, transport)
        except BaseException as exc:  # recorded, then raised on: Ctrl-C and bugs must not log "ok"
            full = disk_full(exc, self.account.directory)
            failure = full or exc
            self.report.result = type(failure).__name__
            self.report.message = (str(failure) if isinstance(failure, SyncError)
                                   else f"同步中断（{type(exc).__name__}）")
            if full is not None:
                raise full from exc
            raise
        finally:
            self.report.seconds = round(time.monotonic() - started, 3)
            self._record_unless_disk_full(replica)
            transport.close()
            replica.close()
        self.progress(ProgressEvent("done", self.report.rows_pulled + self.report.rows_deleted,
                                    self.report.traffic.bytes_down))
        return self.report

    # ------------------------------------------------------------ signing in

    def _sync(self, replica: Replica, transport: Transport) -> None:
        transport.token = self.tokens.load()
        fresh = transport.token is None
        if fresh:
            self._sign_in(replica, transport)
        try:
            self._exchange(replica, transport)
        except SignedOut as exc:
            if type(exc) is not SignedOut:
                raise
            self.tokens.clear()
            transport.token = None
            if fresh:
                raise
            self._sign_in(replica, transport)
            self._exchange(replica, transport)

    def _sign_in(self, replica: Replica, transport: Transport) -> None:
        password = self.password()
        if not password:
            raise SignedOut(f"需要登录 {self.account.server}：请输入 {self.account.username} 的密码"
                            "（或设置环境变量 BUDGETWATCH_PASSWORD）")
        self.progress(ProgressEvent("sign_in", 0, 0))
        body = transport.request("POST", "/session", where="登录", body={
            "username": self.account.username, "password": password, "device_id": device_id(self.account.home)})
        token, user = _session_answer(body)
        if body.get("must_change_password"):
            raise PasswordChangeRequired("管理员重置了您的密码：请在桌面程序中修改密码后再同步")
        transport.token = token
        replica.update_state({"user": user})
        self.token_stored_in = self.tokens.save(token)

    def _exchange(self, replica: Replica, transport: Transport) -> None:
        ActivityLog(replica, self.account.username).send_if_due()
        CommandPush(Outbox(replica, self.account.username), transport, self.report, self.progress).push()
        self._upload_attachments(replica, transport)
        pull = PullEngine(replica, transport, self.report, self.progress, page_rows=self.page_rows,
                          snapshot=self.snapshot)
        pull.pull()
        if pull.requeued_applied:  # restored from a backup: what it lost goes again, its effects come back now
            CommandPush(Outbox(replica, self.account.username), transport, self.report, self.progress).push()
            PullEngine(replica, transport, self.report, self.progress, page_rows=self.page_rows,
                       snapshot=self.snapshot).pull()

    def _upload_attachments(self, replica: Replica, transport: Transport) -> None:
        """After the commands (which create the owners), before the pull (which brings the rows back)."""
        def progress(key: str, sent: int, size: int) -> None:
            self.progress(ProgressEvent("upload", self.report.attachments_uploaded, sent, size, item=key))

        self.report.attachments_uploaded += AttachmentQueue.of(replica, self.account).upload_all(
            transport, progress=progress)

    # ------------------------------------------------------------ the record of the run

    def _record_unless_disk_full(self, replica: Replica) -> None:
        """The record is for information: a full disk must not hide why the run failed behind its own error."""
        try:
            self._record(replica)
        except Exception as exc:
            if disk_full(exc, self.account.directory) is None:
                raise

    def _record(self, replica: Replica) -> None:
        local_now = clock.wall_clock_now().isoformat(timespec="seconds")
        values: dict[str, Any] = {"last_run_result": self.report.result, "last_run_message": self.report.message,
                                  "last_run_stats": self.report.as_dict(), "last_run_local_time": local_now}
        if self.report.result == "ok":
            values["last_success_server_time"] = replica.state().get("server_time", "")
        replica.update_state(values)
        append_log(self.account, local_now, self.report)


def _session_answer(body: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("token"), str) or not isinstance(body.get("user"), dict):
        raise ProtocolError("服务器的登录回答格式不对（登录）")
    return body["token"], body["user"]


def append_log(account: Account, local_time: str, report: SyncReport) -> None:
    """One line per run in the user's ``sync.log`` (local time, for information only)."""
    path = account.log_path
    if path.exists() and path.stat().st_size > LOG_LIMIT:
        path.replace(path.with_suffix(".log.1"))
    figures = {"result": report.result, "rows": report.rows_pulled, "deleted": report.rows_deleted,
               "pages": report.pages, "pushed": report.commands_pushed, "requests": report.traffic.requests,
               "bytes_down": report.traffic.bytes_down, "bytes_up": report.traffic.bytes_up,
               "seconds": report.seconds, "resyncs": report.resyncs, "healed": report.healed_tables,
               "message": report.message}
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"{local_time} {json.dumps(figures, ensure_ascii=False)}\n")
