"""``budgetwatch-server``: the district server's command line.

Every subcommand takes ``--db URL`` (else ``BUDGETWATCH_DATABASE_URL``, else the embedded SQLite file
in ``BUDGETWATCH_SERVER_HOME``). Failures print one clear line to stderr and exit non-zero; a
traceback is only for bugs, never for bad input, a wrong password or an unreachable database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from sync.schema import ROLES, regions, users
from sync.server import accounts, attachments, audit, backup, compaction, db, importers
from sync.server.pg_tools import PgToolError
from sync.server.settings import (
    CLIENT_VERSION_ENV,
    DOWNLOAD_URL_ENV,
    SERVER_TIMEZONE,
    SNAPSHOTS_ENV,
    ServerSettings,
)

#: How long ``serve`` holds an idle keep-alive connection (uvicorn's own default, 5 s, dropped every connection
#: that paused): 75 s is nginx's default towards clients, and longer than the 60 s for which nginx keeps an
#: idle upstream connection, so a reverse proxy never sends on a connection the server is just closing. A
#: client that pauses within a minute (a sync's steps, attachments, a sync started again by hand) keeps its
#: connection and, with TLS, saves the handshake. An idle connection costs one socket and a few KB.
KEEP_ALIVE_SECONDS = 75


class CommandFailed(Exception):
    """A subcommand could not do what was asked; the message is printed as the one error line."""


def _engine(args: argparse.Namespace) -> Engine:
    engine = db.make_engine(args.db)
    db.upgrade(engine)
    return engine


def _read_password(prompt: str = "密码: ") -> str:
    """From a prompt on a terminal, else the first line of stdin — never from argv."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if first != getpass.getpass("再次输入密码: "):
            raise CommandFailed("两次输入的密码不一致")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CommandFailed("没有从标准输入读到密码")
    return line


def cmd_migrate(args: argparse.Namespace) -> None:
    _engine(args)
    print(f"数据库结构已是最新: {db.database_url(args.db).render_as_string(hide_password=True)}")


def cmd_demo(args: argparse.Namespace) -> None:
    from sync.server.demo import DemoError, load_demo

    engine = _engine(args)
    try:
        demo_accounts = load_demo(engine, scale=args.scale, seed=args.seed)
    except DemoError as exc:
        raise CommandFailed(str(exc)) from exc
    print(f"示范数据已创建 (规模 {args.scale}, 种子 {args.seed})。示范账号:")
    for account in demo_accounts:
        where = account.department_code or account.region_code
        print(f"  {account.role:<10} {account.username:<16} 密码 {account.password:<16} "
              f"{account.display_name} ({where})")


def cmd_import(args: argparse.Namespace) -> None:
    from sync.server.importers import ImportOptions, ImportRequest, run_import
    from sync.server.importers.report import show_outcome

    engine = _engine(args)
    request = ImportRequest(args.kind, Path(args.file), ImportOptions(args.year, args.month), args.sheet, args.dry_run)
    try:
        outcome = run_import(engine, request)
    except OSError as exc:
        raise CommandFailed(f"无法读取文件 {args.file}: {exc.strerror or exc}") from exc
    show_outcome(outcome, Path(args.report) if args.report else None)
    if not outcome.ok:
        raise CommandFailed(f"发现 {len(outcome.problems)} 个问题, 没有导入任何数据")


def cmd_user_add(args: argparse.Namespace) -> None:
    engine = _engine(args)
    password = _read_password()
    with engine.begin() as conn:
        accounts.add_user(conn, args.name, role=args.role, password=password, region_code=args.region,
                          department_code=args.department, display_name=args.display_name)
    print(f"已创建用户 {args.name} ({args.role})")


def cmd_user_list(args: argparse.Namespace) -> None:
    engine = _engine(args)
    with engine.connect() as conn:
        names = dict(conn.execute(select(regions.c.code, regions.c.name)).all())
        rows = conn.execute(select(users).order_by(users.c.role, users.c.username)).mappings().all()
    for row in rows:
        state = "" if row["active"] else "  [已停用]"
        region = names.get(row["region_code"], row["region_code"])
        print(f"{row['username']:<16} {row['role']:<10} {row['display_name']:<10} {region}"
              f"{' ' + row['department_code'] if row['department_code'] else ''}{state}")


def cmd_user_passwd(args: argparse.Namespace) -> None:
    engine = _engine(args)
    password = _read_password("新密码: ")
    with engine.begin() as conn:
        accounts.reset_password(conn, args.name, password)
    print(f"已重置 {args.name} 的密码; 该用户下次登录时须修改密码")


def cmd_user_disable(args: argparse.Namespace) -> None:
    engine = _engine(args)
    with engine.begin() as conn:
        accounts.disable_user(conn, args.name)
    print(f"已停用 {args.name}, 其登录令牌已全部作废")


def cmd_backup(args: argparse.Namespace) -> None:
    manifest = backup.backup(_engine(args), Path(args.file))
    attachments = ", 含附件" if manifest.attachments else ""
    print(f"已备份到 {args.file} (变更日志至 {manifest.head}{attachments})")


def _confirm_restore(args: argparse.Namespace) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise CommandFailed("恢复会用备份覆盖当前数据库: 请加 --yes 确认")
    if input(f"用 {args.file} 覆盖当前数据库? 输入 yes 确认: ").strip() != "yes":
        raise CommandFailed("已取消, 数据库没有改动")


def cmd_restore(args: argparse.Namespace) -> None:
    _confirm_restore(args)
    report = backup.restore(db.make_engine(args.db), Path(args.file))
    print(f"已恢复 {report.manifest.created_at} 的备份 (新纪元 {report.epoch}, "
          f"保留了之后的 {report.audit_carried} 条审计记录)。客户端下次同步时会重新下载数据, 并重新提交备份之后的命令")


def cmd_new_epoch(args: argparse.Namespace) -> None:
    epoch = backup.start_new_epoch(_engine(args))
    print(f"已开始新纪元 {epoch}: 客户端下次同步时会重新下载数据, 并重新提交服务器丢失的命令")


def cmd_compact(args: argparse.Namespace) -> None:
    engine = _engine(args)
    report = compaction.compact(engine, args.keep_days, actor=audit.cli_actor(), device=audit.CLI_DEVICE)
    if report is None:
        raise CommandFailed("另一个服务器进程正在整理变更日志, 请稍后再试")
    expired = f"; 同步游标早于 {report.horizon} 的客户端下次同步时将重新下载" if report.horizon else ""
    print(f"已整理变更日志: 删去 {report.superseded} 条被覆盖的记录和 {report.tombstones} 条 "
          f"{args.keep_days} 天前的删除记录, 剩余 {report.remaining} 条{expired}")
    swept = attachments.sweep_abandoned(engine, ServerSettings())
    print(f"已清理 {swept.sessions} 个放弃的附件上传和 {swept.orphans} 个残留的部分文件 ({swept.freed / 2**20:.1f} MB)")


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} 不是天数, 应为 0 或正整数")
    return int(text)


def _seconds(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} 不是秒数, 应为正整数")
    return int(text)


def _moment(text: str) -> dt.datetime:
    """``--since``: a date (from its start, China time) or a date and time."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是日期, 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SERVER_TIMEZONE)


def cmd_audit(args: argparse.Namespace) -> None:
    with _engine(args).connect() as conn:
        for entry in audit.entries(conn, actor=args.user, since=args.since):
            print(audit.describe(entry))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from sync.server.api import create_app

    url = db.database_url(args.db)
    engine = db.make_engine(url)
    db.upgrade(engine)
    if not args.snapshots:
        os.environ[SNAPSHOTS_ENV] = "0"
    settings = ServerSettings.from_environment(client_version=args.client_version, download_url=args.download_url)
    if args.compact_keep_days is not None:
        compaction.DailyCompaction(engine, args.compact_keep_days, settings=settings).start()
    if args.workers > 1:
        # Worker processes build their own engine and settings from the environment (see sync.server.api.asgi).
        os.environ[db.DATABASE_ENV] = url.render_as_string(hide_password=False)
        for name, value in ((CLIENT_VERSION_ENV, settings.client_version), (DOWNLOAD_URL_ENV, settings.download_url)):
            if value:
                os.environ[name] = value
        uvicorn.run("sync.server.api.asgi:app", host=args.host, port=args.port, workers=args.workers,
                    server_header=False, log_level="info", timeout_keep_alive=args.keep_alive)
    else:
        uvicorn.run(create_app(engine, settings), host=args.host, port=args.port, log_level="info",
                    server_header=False, timeout_keep_alive=args.keep_alive)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="数据库地址 (sqlite:///文件 或 postgresql://…)")
    parser = argparse.ArgumentParser(prog="budgetwatch-server", description="预算联网监督 区级服务器")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def add(name: str, handler: Callable[[argparse.Namespace], None], help_text: str, parent=sub):
        p = parent.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    add("migrate", cmd_migrate, "创建或升级数据库结构")
    demo = add("demo", cmd_demo, "创建示范区县数据并列出示范账号")
    demo.add_argument("--scale", choices=("district", "city"), default="district")
    demo.add_argument("--seed", type=int, default=1)

    kinds = tuple(importers.KINDS)
    load = add("import", cmd_import, "导入财政数据文件 (.xlsx 或 .csv): 全部通过校验才写入, 否则列出全部问题")
    load.add_argument("kind", choices=kinds, metavar="KIND", help=f"数据种类: {', '.join(kinds)}")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--year", type=int, help="年度 (文件中的年度须与之相同)")
    load.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="月份 (预算执行)")
    load.add_argument("--sheet", metavar="NAME", help="只读取这张工作表")
    load.add_argument("--dry-run", action="store_true", help="只校验并列出将要修改的数据, 不写入")
    load.add_argument("--report", metavar="FILE", help="把结果和全部问题写成 JSON 文件")

    serve = add("serve", cmd_serve, "启动 HTTP 服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--keep-alive", type=_seconds, metavar="S", default=KEEP_ALIVE_SECONDS,
                       help=f"空闲连接保持的秒数 (默认 {KEEP_ALIVE_SECONDS}, 与 nginx 相同; 应长于反向代理保持"
                       "上游空闲连接的时间): 停顿不超过此时长的客户端不必重新建立连接和 TLS 握手")
    serve.add_argument("--client-version", metavar="X.Y.Z",
                       help=f"向客户端公布的最新桌面版本号 (默认取 {CLIENT_VERSION_ENV})")
    serve.add_argument("--download-url", metavar="URL",
                       help=f"新版客户端的下载地址, 旧版客户端会被告知 (默认取 {DOWNLOAD_URL_ENV})")
    serve.add_argument("--compact-keep-days", type=_days, metavar="N", default=compaction.DEFAULT_KEEP_DAYS,
                       help=f"每天整理一次变更日志, 删除记录保留 N 天 (默认 {compaction.DEFAULT_KEEP_DAYS}); "
                       "同时清理 7 天无进展的附件上传")
    serve.add_argument("--no-snapshots", dest="snapshots", action="store_false",
                       help="不向新客户端提供快照文件 (首次同步改为分页拉取)")
    serve.add_argument("--no-compact", dest="compact_keep_days", action="store_const", const=None,
                       help="不在服务进程中整理变更日志 (改用 compact 命令)")

    add("backup", cmd_backup, "备份数据库和附件到一个文件 (服务运行时也可备份)").add_argument("file", metavar="FILE")
    restore = add("restore", cmd_restore, "从备份文件恢复数据库和附件; 客户端会自动重新同步")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="不再确认")
    add("new-epoch", cmd_new_epoch, "开始新纪元: 数据库用其他方式回到过去 (时间点恢复、提升落后的备库) 之后运行")
    compact = add("compact", cmd_compact, "整理变更日志: 每行只留最新的记录, 删除记录保留 N 天")
    compact.add_argument("--keep-days", type=_days, metavar="N", default=compaction.DEFAULT_KEEP_DAYS,
                         help=f"删除记录保留的天数 (默认 {compaction.DEFAULT_KEEP_DAYS})")
    log = add("audit", cmd_audit, "查看审计日志: 谁在何时从哪台设备改了什么")
    log.add_argument("--user", metavar="NAME", help="只看这个用户 (命令行操作记为操作系统用户)")
    log.add_argument("--since", type=_moment, metavar="DATE", help="从这一天 (或时刻) 起")

    user = sub.add_parser("user", help="账号管理").add_subparsers(dest="user_command", required=True, metavar="操作")
    user_add = add("add", cmd_user_add, "新建账号 (密码从提示或标准输入读取)", user)
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=[r for r in ROLES if r != "admin"])
    user_add.add_argument("--region", metavar="CODE")
    user_add.add_argument("--department", metavar="CODE")
    user_add.add_argument("--display-name")
    add("list", cmd_user_list, "列出账号", user)
    add("passwd", cmd_user_passwd, "管理员重置密码 (下次登录须修改)", user).add_argument("name")
    add("disable", cmd_user_disable, "停用账号并作废其令牌", user).add_argument("name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (CommandFailed, accounts.AccountError, db.DatabaseURLError, backup.BackupError, PgToolError) as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"错误: 无法打开数据库: {str(exc.orig).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"错误: 数据库操作失败: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
