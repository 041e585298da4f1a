"""The ``budgetwatch`` entry point.

``budgetwatch`` alone starts the desktop (Qt, imported only on that path); the headless commands
never import PySide6::

    budgetwatch sync --server URL --user NAME [--home DIR] [--save-token-file] [--config FILE]
    budgetwatch status [--home DIR] [--user NAME] [--config FILE]
    budgetwatch review [--home DIR] [--user NAME] [--year Y] [--region CODE] [--format table|json]
    budgetwatch export-fdp DIR [--home DIR] [--user NAME] [--year Y] [--region CODE]

``BUDGETWATCH_HOME`` works wherever ``--home`` does; ``--server`` may come from ``budgetwatch.toml`` or
``BUDGETWATCH_SERVER``. The password comes from ``BUDGETWATCH_PASSWORD`` or a prompt, and only when no
token is stored. Exit codes: 0 done; 1 sync failed; 2 usage or settings; 3 server unreachable;
4 signed out / bad credentials / password must be changed; 5 incompatible server; 130 cancelled.
``review`` exits 0 whether or not it finds warnings.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.client.config import ConfigError, load_config
from sync.client.errors import ClientOutdated, SyncError
from sync.client.home import Account, AccountError, client_home, replica_paths
from sync.version import installed_version

if TYPE_CHECKING:
    from sync.client.outbox import Command
    from sync.client.progress import SyncReport

# Each command imports what it works with (SQLAlchemy, requests) when it runs: the desktop's start-up,
# which comes through here too, imports them only as it needs them.

PASSWORD_ENV = "BUDGETWATCH_PASSWORD"
GUI_MODULES = ("desktop.app", "PySide6", "shiboken6", "pyqtgraph", "numpy")
ROLE_NAMES = {"deputy": "代表", "staff": "人大工委", "department": "职能部门", "admin": "管理员"}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", metavar="DIR", help="数据目录（默认 BUDGETWATCH_HOME 或系统用户数据目录）")
    common.add_argument("--config", metavar="FILE", help="budgetwatch.toml 配置文件")
    parser = argparse.ArgumentParser(prog="budgetwatch", description="预算联网监督 — 不带子命令时启动桌面程序")
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    # For support and the bundle's smoke test: versions and the keyring backend as JSON, then exit.
    parser.add_argument("--diagnose", action="store_true", help=argparse.SUPPRESS)
    desktop = parser.add_argument_group("桌面程序（不带子命令时）")
    desktop.add_argument("--server", metavar="URL",
                         help="服务器地址（默认取自 budgetwatch.toml 或 BUDGETWATCH_SERVER）")
    desktop.add_argument("--home", metavar="DIR", help="数据目录（默认 BUDGETWATCH_HOME 或系统用户数据目录）")
    desktop.add_argument("--config", metavar="FILE", help="budgetwatch.toml 配置文件（默认按 数据目录、程序目录、"
                                                          "/etc/budgetwatch/ 的顺序查找）")
    desktop.add_argument("--user", metavar="NAME", help="用户名（设置了 BUDGETWATCH_PASSWORD 时直接登录）")
    desktop.add_argument("--screenshot", metavar="FILE", help="打开主窗口、保存 PNG 截图后退出（不弹出任何对话框）")
    desktop.add_argument("--panel", metavar="NAME",
                         help="截图时显示的面板：budget、execution、final、policies、projects、suggestions、duty、warnings")
    desktop.add_argument("--suggestion", metavar="NUMBER",
                         help="截图时在意见建议面板选中这条建议（登记号），显示其办理经过")
    commands = parser.add_subparsers(dest="command", metavar="{sync,status,review,export-fdp}")
    sync = commands.add_parser("sync", parents=[common], help="与服务器同步一次（不启动界面）")
    sync.add_argument("--server", metavar="URL", help="服务器地址（默认取自 budgetwatch.toml 或 BUDGETWATCH_SERVER）")
    sync.add_argument("--user", metavar="NAME", required=True, help="用户名")
    sync.add_argument("--save-token-file", action="store_true",
                      help="把登录令牌保存在只有本用户可读的文件里（无人值守的电脑用；从不保存密码）")
    sync.set_defaults(handler=run_sync)
    status = commands.add_parser("status", parents=[common], help="显示本机副本和待发送命令的状态")
    status.add_argument("--user", metavar="NAME", help="只显示这个用户")
    status.set_defaults(handler=show_status)
    review = commands.add_parser("review", parents=[common], help="自动审查本机数据，列出预警（不启动界面，不联网）")
    review.add_argument("--user", metavar="NAME", help="审查这个用户同步下来的数据（本机有多个用户时必填）")
    review.add_argument("--year", metavar="Y", type=int, help="只审查这一年度（默认：本机数据的所有年度）")
    review.add_argument("--region", metavar="CODE", help="只审查这个区划及其下级（区划编码）")
    review.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    review.set_defaults(handler=run_review)
    fdp = commands.add_parser("export-fdp", parents=[common],
                              help="把本机的预算数据导出为开放数据（财政数据包：datapackage.json 和 CSV）")
    fdp.add_argument("out", metavar="DIR", help="写入的文件夹")
    fdp.add_argument("--user", metavar="NAME", help="导出这个用户同步下来的数据（本机有多个用户时必填）")
    fdp.add_argument("--year", metavar="Y", type=int, help="只导出这一年度（默认：所有年度）")
    fdp.add_argument("--region", metavar="CODE", help="只导出这个区划及其下级（区划编码）")
    fdp.set_defaults(handler=run_export_fdp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.diagnose:
        return print_versions()
    if args.command is None:
        return launch_desktop(args)
    try:
        return args.handler(args)
    except (ConfigError, AccountError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def launch_desktop(args: argparse.Namespace) -> int:
    try:
        app = importlib.import_module("desktop.app")
    except ModuleNotFoundError as exc:
        if exc.name not in GUI_MODULES and (exc.name or "").partition(".")[0] not in GUI_MODULES:
            raise
        print("桌面界面尚未安装（需要 budgetwatch[desktop]）：目前只能使用 budgetwatch sync 和 budgetwatch status",
              file=sys.stderr)
        return 2
    return app.run(args)


def print_versions() -> int:
    diagnostics = importlib.import_module("desktop.diagnostics")
    print(json.dumps(diagnostics.versions(), ensure_ascii=False, indent=2))
    return 0


# ---------------------------------------------------------------- sync

def password_from_user(username: str) -> str | None:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"{username} 的密码：")


def run_sync(args: argparse.Namespace) -> int:
    from sync.client.run import SyncRun

    home = client_home(args.home)
    config = load_config(home, args.config)
    server = args.server or config.server
    if not server:
        print("错误：请用 --server 指定服务器地址（或在 budgetwatch.toml 中设置 server）", file=sys.stderr)
        return 2
    run = SyncRun(Account.of(home, server, args.user), config, password=lambda: password_from_user(args.user),
                  save_token_file=args.save_token_file)
    try:
        report = run.run()
    except SyncError as exc:
        print(f"同步失败：{exc}", file=sys.stderr)
        download_url = isinstance(exc, ClientOutdated) and (exc.download_url or config.update_url)
        if download_url:
            print(f"新版本下载地址：{download_url}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("同步已取消，已接收的数据保留", file=sys.stderr)
        return 130
    print(summary_line(report))
    return 0


def size_text(count: int) -> str:
    if count < 10 * 1024:
        return f"{count} B"
    if count < 10 * 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def summary_line(report: SyncReport) -> str:
    traffic = report.traffic
    line = (f"同步完成：拉取 {report.rows_pulled} 行（删除 {report.rows_deleted} 行），"
            f"推送 {report.commands_pushed} 条命令，"
            f"下行 {size_text(traffic.bytes_down)} / 上行 {size_text(traffic.bytes_up)}，"
            f"{traffic.requests} 次请求，{report.seconds:.2f} 秒")
    if report.commands_rejected:
        line += f"；{report.commands_rejected} 条命令被拒绝（见 budgetwatch status）"
    if report.resyncs:
        line += "；服务器要求重新下载了全部数据"
    if report.healed_tables:
        line += f"；已重新下载 {', '.join(report.healed_tables)}"
    return line


# ---------------------------------------------------------------- status

def show_status(args: argparse.Namespace) -> int:
    home = client_home(args.home)
    paths = replica_paths(home, args.user)
    if not paths:
        who = f"用户 {args.user} " if args.user else ""
        print(f"{home} 中还没有{who}同步过的数据")
        return 1 if args.user else 0
    if len(paths) > 1 and not args.user:
        print("这台电脑上有多个账号的数据，请用 --user 指定要查看的用户：")
        for path in paths:
            print("  " + account_line(path))
        return 0
    for index, path in enumerate(paths):
        if index:
            print()
        print_account(path)
    return 0


def account_line(path: Path) -> str:
    from sync.client.replica import Replica

    with Replica(path) as replica:
        state = replica.state()
    return f"{state.get('username', '?')} @ {state.get('server', '?')}：{last_run_text(state)}"


def last_run_text(state: dict[str, str]) -> str:
    result = state.get("last_run_result")
    if result is None:
        return "从未同步"
    when = f"本机时间 {state.get('last_run_local_time', '?')}"
    if result == "ok":
        return f"成功（服务器时间 {state.get('last_success_server_time') or '?'}，{when}）"
    success = state.get("last_success_server_time")
    earlier = f"；上次成功：服务器时间 {success}" if success else "；从未成功"
    return f"失败：{state.get('last_run_message', '')}（{when}）{earlier}"


def user_text(state: dict[str, str]) -> str:
    user = json.loads(state["user"]) if "user" in state else {}
    details = [user.get("display_name"), ROLE_NAMES.get(user.get("role", ""), user.get("role"))]
    details = [d for d in details if d]
    return state.get("username", "?") + (f"（{'，'.join(details)}）" if details else "")


def command_line(command: Command) -> str:
    text = f"  {command.created_at}  {command.type}  {command.uuid}"
    if command.state == "rejected":
        return f"{text}：{command.reason}"
    return f"{text}（{'已发送 ' + str(command.attempts) + ' 次，等待回答' if command.attempts else '尚未发送'}）"


def print_account(path: Path) -> None:
    from sync.client.outbox import UNANSWERED, Outbox
    from sync.client.replica import Replica

    with Replica(path) as replica:
        state = replica.state()
        counts = replica.counts()
        outbox = Outbox(replica, state.get("username", ""))
        waiting = outbox.commands(UNANSWERED)
        rejected = outbox.commands(["rejected"])
    print(f"服务器：{state.get('server', '?')}")
    print(f"用户：{user_text(state)}")
    print(f"同步游标：{state.get('cursor') or '（尚未下载数据）'}")
    print(f"最近一次同步：{last_run_text(state)}")
    print("数据表（行数）：")
    for name, count in counts.items():
        print(f"  {name:<22}{count:>8}")
    print(f"待发送命令：{len(waiting)} 条")
    for command in waiting:
        print(command_line(command))
    print(f"被拒绝命令：{len(rejected)} 条")
    for command in rejected:
        print(command_line(command))


# ---------------------------------------------------------------- review

def run_review(args: argparse.Namespace) -> int:
    from desktop.review import review
    from desktop.review.report import as_json, as_table

    found = []
    code = on_replica(args, lambda conn, scope: found.extend(review(conn, scope)))
    if code == 0:
        print(as_json(found) if args.format == "json" else as_table(found))
    return code


def on_replica(args: argparse.Namespace, act: Callable[[Any, Any], object]) -> int:
    """``act(conn, scope)`` on the replica of ``--user`` for ``--year`` and ``--region``; the exit code."""
    from desktop.queries.replica import ReplicaReader
    from sync.client.replica import bring_up_to_date

    home = client_home(args.home)
    paths = replica_paths(home, args.user)
    if len(paths) != 1:
        print(f"{home} 中没有{'用户 ' + args.user + ' ' if args.user else ''}同步过的数据" if not paths else
              "这台电脑上有多个账号的数据，请用 --user 指定用户", file=sys.stderr)
        return 2 if paths else 1
    bring_up_to_date(paths[0])
    reader = ReplicaReader(paths[0])
    try:
        with reader.connect() as conn:
            scope = review_scope(conn, args.year, args.region)
            if scope is None:
                print(f"错误：本机数据中没有区划 {args.region}", file=sys.stderr)
                return 2
            act(conn, scope)
    finally:
        reader.dispose()
    return 0


def review_scope(conn, year: int | None, region: str | None):
    """The years and regions asked for; ``None`` for a region the replica does not have."""
    from desktop.queries.replica import region_list, subtree_codes
    from desktop.review.model import ReviewScope

    regions = region_list(conn)
    if region is not None and region not in {r.code for r in regions}:
        return None
    return ReviewScope(years=frozenset({year}) if year is not None else None,
                       region_codes=subtree_codes(regions, region) if region is not None else None)


# ---------------------------------------------------------------- open data

def run_export_fdp(args: argparse.Namespace) -> int:
    from desktop.export.fdp import CSV_NAME, write_fiscal_data_package

    out = Path(args.out)
    rows: list[int] = []
    code = on_replica(args, lambda conn, scope: rows.append(write_fiscal_data_package(
        conn, out, region_codes=scope.region_codes, year=args.year)))
    if code == 0:
        print(f"已导出 {rows[0]} 条预算行：{out / 'datapackage.json'} 和 {out / CSV_NAME}")
    return code


if __name__ == "__main__":
    import multiprocessing

    # The frozen app's review worker (desktop/review_runner.py) is this program started again: be it, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
