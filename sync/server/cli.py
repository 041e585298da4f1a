"""``budgetwatch-server``: the district server's command line.

Every subcommand takes ``--db URL`` (else ``BUDGETWATCH_DATABASE_URL``, else the embedded SQLite file
in ``BUDGETWATCH_SERVER_HOME``). Failures print one clear line to stderr and exit non-zero; a
traceback is only for bugs, never for bad input, a wrong password or an unreachable database.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from sync.schema import ROLES, regions, users
from sync.server import accounts, db


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


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from sync.server.api import create_app

    url = db.database_url(args.db)
    engine = db.make_engine(url)
    db.upgrade(engine)
    if args.workers > 1:
        # Worker processes build their own engine from the environment (see sync.server.api.asgi).
        os.environ[db.DATABASE_ENV] = url.render_as_string(hide_password=False)
        uvicorn.run("sync.server.api.asgi:app", host=args.host, port=args.port, workers=args.workers,
                    log_level="info")
    else:
        uvicorn.run(create_app(engine), host=args.host, port=args.port, log_level="info")


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

    serve = add("serve", cmd_serve, "启动 HTTP 服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--workers", type=int, default=1)

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
    except (CommandFailed, accounts.AccountError, db.DatabaseURLError) as exc:
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
