"""Accounts: argon2id password hashes, creating users, admin resets, disabling.

Passwords only ever exist here as argon2id hashes (argon2-cffi's RFC 9106 low-memory profile).
Users are replicated rows (names and roles reach replicas); their credentials are server-only.
Accounts are managed on the server's command line only (DESIGN.md §2: admin), so each change is
audited as the command line's (:func:`sync.server.audit.record_cli`).
"""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select, update

from sync.schema import ROLES, auth_tokens, credentials, departments, regions, users
from sync.server import audit, changelog

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request about an account that cannot be done; the message is for the person who asked."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_quality(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_region(conn: Connection) -> str | None:
    """The district's code when the database holds exactly one district."""
    codes = conn.execute(select(regions.c.code).where(regions.c.level == "district").limit(2)).scalars().all()
    return codes[0] if len(codes) == 1 else None


def add_user(conn: Connection, username: str, *, role: str, password: str, region_code: str | None = None,
             department_code: str | None = None, display_name: str | None = None,
             password_hash: str | None = None) -> int:
    """Create a user and their credentials; returns the new id.

    ``password_hash`` lets bulk callers (the demo) hash a shared password once.
    """
    if role not in ROLES:
        raise AccountError(f"角色 {role!r} 无效: 应为 {', '.join(ROLES)} 之一")
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"用户名 {username!r} 已存在")
    region_code = region_code or default_region(conn)
    if region_code is None:
        raise AccountError("没有指定区划, 且数据库中不是恰好一个区县: 请用 --region 指定区划编码")
    if not conn.execute(select(regions.c.code).where(regions.c.code == region_code)).first():
        raise AccountError(f"区划 {region_code!r} 不存在: 请用 --region 指定已有的区划编码")
    if role == "department":
        if not department_code:
            raise AccountError("职能部门账号需要 --department 部门编码")
        if not conn.execute(select(departments.c.code).where(departments.c.code == department_code)).first():
            raise AccountError(f"部门 {department_code!r} 不存在")
    if password_hash is None:
        check_password_quality(password)
        password_hash = hash_password(password)
    new_id = conn.execute(select(func.coalesce(func.max(users.c.id), 0) + 1)).scalar_one()
    changelog.insert(conn, users, [{
        "id": new_id, "username": username, "display_name": display_name or username, "role": role,
        "region_code": region_code, "department_code": department_code, "active": True,
    }])
    conn.execute(insert(credentials).values(user_id=new_id, password_hash=password_hash,
                                            must_change_password=False, changed_at=utcnow()))
    audit.record_cli(conn, "user.add", {"username": username, "role": role, "region_code": region_code,
                                        "department_code": department_code})
    return new_id


def user_id(conn: Connection, username: str) -> int:
    found = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
    if found is None:
        raise AccountError(f"用户 {username!r} 不存在")
    return found


def reset_password(conn: Connection, username: str, password: str) -> None:
    """Admin reset: the user must choose a new password at their next sign-in."""
    check_password_quality(password)
    uid = user_id(conn, username)
    conn.execute(update(credentials).where(credentials.c.user_id == uid).values(
        password_hash=hash_password(password), must_change_password=True, changed_at=utcnow()))
    revoke_tokens(conn, uid)
    audit.record_cli(conn, "user.reset_password", {"username": username})


def disable_user(conn: Connection, username: str) -> None:
    uid = user_id(conn, username)
    changelog.update(conn, users, {uid: {"active": False}})
    revoke_tokens(conn, uid)
    audit.record_cli(conn, "user.disable", {"username": username})


def revoke_tokens(conn: Connection, uid: int) -> None:
    conn.execute(update(auth_tokens).where(auth_tokens.c.user_id == uid, auth_tokens.c.revoked_at.is_(None))
                 .values(revoked_at=utcnow()))
