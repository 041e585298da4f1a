"""Signing in: bearer tokens per device, lock-out after repeated failures, password changes.

Tokens
    A token is 32 random bytes (URL-safe text) that only the client keeps; the server stores its
    SHA-256, so a copy of the database signs no one in. It lives ``token_lifetime`` and is renewed
    once less than half of that remains, so a token in daily use never expires and the server writes
    at most once per half-lifetime per token.

Lock-out
    Failures are counted per (username, client address): a stranger elsewhere cannot lock a deputy
    out of their own PC. ``lockout_failures`` within ``lockout_window`` lock the pair for
    ``lockout_duration`` after the last one; attempts during a lock are not counted, so no lock
    outlasts its duration. A wrong username and a wrong password get the same answer, and take the
    same time (an unknown username is checked against a dummy hash).

Password hashing (argon2, ~50 ms) never runs inside a write transaction: on SQLite that would hold the
database's write lock for every sign-in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Row, bindparam, delete, insert, select, update

from sync.schema import auth_tokens, credentials, sign_in_failures, users
from sync.server import audit
from sync.server.accounts import AccountError, check_password_quality, hash_password, utcnow, verify_password
from sync.server.db import read_transaction
from sync.server.settings import ServerSettings

TOKEN_BYTES = 32


class SessionRefused(Exception):
    """A sign-in, token or password change the server refuses; ``code`` is the protocol's error code."""

    code = "not_signed_in"

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotSignedIn(SessionRefused):
    code = "not_signed_in"


class BadCredentials(SessionRefused):
    code = "bad_credentials"


class SignInLocked(SessionRefused):
    code = "locked"


class PasswordChangeRequired(SessionRefused):
    code = "password_change_required"


class PasswordRejected(SessionRefused):
    code = "bad_request"


@dataclass(frozen=True)
class SignedInUser:
    """Who a valid token belongs to."""

    token_id: int
    user_id: int
    username: str
    display_name: str
    role: str
    region_code: str
    department_code: str | None
    must_change_password: bool
    device_id: str


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: dt.datetime
    user: SignedInUser


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands timestamps back naive; every timestamp the server stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


# ---------------------------------------------------------------- lock-out

def _lock_remaining(conn: Connection, username: str, address: str, settings: ServerSettings,
                    now: dt.datetime) -> int | None:
    """Seconds the (username, address) pair stays locked, or ``None`` when it is not locked."""
    recent = conn.execute(
        select(sign_in_failures.c.at)
        .where(sign_in_failures.c.username == username, sign_in_failures.c.address == address,
               sign_in_failures.c.at > now - settings.lockout_window)
        .order_by(sign_in_failures.c.at.desc())
        .limit(settings.lockout_failures)
    ).scalars().all()
    if len(recent) < settings.lockout_failures:
        return None
    remaining = (as_utc(recent[0]) + settings.lockout_duration - now).total_seconds()
    return math.ceil(remaining) if remaining > 0 else None


def _refuse_if_locked(conn: Connection, username: str, address: str, settings: ServerSettings,
                      now: dt.datetime) -> None:
    remaining = _lock_remaining(conn, username, address, settings, now)
    if remaining is not None:
        minutes = math.ceil(remaining / 60)
        raise SignInLocked(f"密码错误次数过多, 请 {minutes} 分钟后再试", retry_after=remaining)


def _record_failure(engine: Engine, username: str, address: str, settings: ServerSettings,
                    now: dt.datetime, *, device: str, action: str) -> None:
    horizon = now - max(settings.lockout_window, settings.lockout_duration)
    with engine.begin() as conn:
        conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at < horizon))
        conn.execute(insert(sign_in_failures).values(username=username, address=address, at=now))
        audit.record(conn, actor=username, device=device, action=action, at=now, detail={"address": address})


def _record_refusal(engine: Engine, username: str, device: str, address: str, reason: str) -> None:
    """The right password for an account that may not sign in here (disabled, admin)."""
    with engine.begin() as conn:
        audit.record(conn, actor=username, device=device, action="session.sign_in_refused",
                     detail={"address": address, "reason": reason})


# ---------------------------------------------------------------- sign-in and sign-out

def _account(conn: Connection, username: str) -> Row | None:
    return conn.execute(
        select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.region_code,
               users.c.department_code, users.c.active, credentials.c.password_hash,
               credentials.c.must_change_password)
        .select_from(users.join(credentials, credentials.c.user_id == users.c.id))
        .where(users.c.username == username)
    ).one_or_none()


def _password_matches(account: Row | None, password: str) -> bool:
    if account is None:
        verify_password(_dummy_hash(), password)
        return False
    return verify_password(account.password_hash, password)


def sign_in(engine: Engine, username: str, password: str, device_id: str, address: str,
            settings: ServerSettings) -> NewSession:
    """Check the password and hand out a new token for this device.

    Not an activity: the desktop reports each time a deputy starts using it (online or not) through
    ``activity.record``, so a sign-in that also fetched a token is counted once."""
    now = utcnow()
    with read_transaction(engine) as conn:
        _refuse_if_locked(conn, username, address, settings, now)
        account = _account(conn, username)
    if not _password_matches(account, password):
        _record_failure(engine, username, address, settings, now, device=device_id, action="session.sign_in_failed")
        raise BadCredentials("用户名或密码不正确")
    if not account.active:
        _record_refusal(engine, username, device_id, address, "disabled")
        raise BadCredentials("该账号已停用, 请联系人大工委")
    if account.role == "admin":
        _record_refusal(engine, username, device_id, address, "admin")
        raise BadCredentials("管理员账号只能在服务器上用命令行管理, 不能登录客户端")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + settings.token_lifetime
    with engine.begin() as conn:
        conn.execute(delete(sign_in_failures).where(sign_in_failures.c.username == username,
                                                    sign_in_failures.c.address == address))
        token_id = conn.execute(insert(auth_tokens).values(
            token_hash=token_digest(token), user_id=account.id, device_id=device_id, created_at=now,
            expires_at=expires_at)).inserted_primary_key[0]
        audit.record(conn, actor=username, device=device_id, action="session.sign_in", at=now,
                     detail={"address": address})
    user = SignedInUser(token_id, account.id, account.username, account.display_name, account.role,
                        account.region_code, account.department_code, account.must_change_password, device_id)
    return NewSession(token, expires_at, user)


def sign_out(engine: Engine, user: SignedInUser) -> None:
    with engine.begin() as conn:
        conn.execute(update(auth_tokens).where(auth_tokens.c.id == user.token_id).values(revoked_at=utcnow()))
        audit.record(conn, actor=user.username, device=user.device_id, action="session.sign_out")


# ---------------------------------------------------------------- tokens

_TOKEN_USER = (
    select(auth_tokens.c.id, auth_tokens.c.expires_at, users.c.id.label("user_id"), users.c.username,
           users.c.display_name, users.c.role, users.c.region_code, users.c.department_code,
           credentials.c.must_change_password, auth_tokens.c.device_id)
    .select_from(auth_tokens.join(users, users.c.id == auth_tokens.c.user_id)
                 .join(credentials, credentials.c.user_id == users.c.id))
    .where(auth_tokens.c.token_hash == bindparam("token_hash"), auth_tokens.c.revoked_at.is_(None),
           auth_tokens.c.expires_at > bindparam("now"), users.c.active.is_(True))
)  # built once: a pull checks a token on every request


@dataclass(frozen=True)
class TokenCheck:
    """A valid token's user, and what :func:`renew_if_due` needs once the reading transaction is over."""

    user: SignedInUser
    expires_at: dt.datetime
    now: dt.datetime


def check_token(conn: Connection, token: str | None) -> TokenCheck:
    """The user a bearer token signs in, read in ``conn``'s transaction: unknown, expired, revoked tokens
    and disabled users are refused."""
    if not token:
        raise NotSignedIn("请先登录")
    now = utcnow()
    row = conn.execute(_TOKEN_USER, {"token_hash": token_digest(token), "now": now}).one_or_none()
    if row is None:
        raise NotSignedIn("登录已失效, 请重新登录")
    user = SignedInUser(row.id, row.user_id, row.username, row.display_name, row.role, row.region_code,
                        row.department_code, row.must_change_password, row.device_id)
    return TokenCheck(user, as_utc(row.expires_at), now)


def require_active(user: SignedInUser) -> SignedInUser:
    """``user``, unless an admin reset their password: then only sign-out and a password change are allowed."""
    if user.must_change_password:
        raise PasswordChangeRequired("管理员重置了您的密码, 请先修改密码")
    return user


def renew_if_due(engine: Engine, check: TokenCheck, settings: ServerSettings) -> None:
    """Slide the token's expiry once less than half its lifetime remains (a write: outside any read transaction)."""
    if check.expires_at - check.now < settings.token_lifetime / 2:
        with engine.begin() as conn:
            conn.execute(update(auth_tokens).where(auth_tokens.c.id == check.user.token_id)
                         .values(expires_at=check.now + settings.token_lifetime))


def authenticate(engine: Engine, token: str | None, settings: ServerSettings) -> SignedInUser:
    """The user a bearer token signs in (:func:`check_token` in a transaction of its own), the token renewed."""
    with read_transaction(engine) as conn:
        check = check_token(conn, token)
    renew_if_due(engine, check, settings)
    return check.user


@contextmanager
def reading_as_active_user(engine: Engine, token: str | None,
                           settings: ServerSettings) -> Iterator[tuple[Connection, SignedInUser]]:
    """One read transaction that first checks the token (:func:`check_token`, :func:`require_active`) and then
    serves the request's reads: a pull's sign-in check costs one query, not a transaction of its own."""
    check = None
    try:
        with read_transaction(engine) as conn:
            check = check_token(conn, token)
            yield conn, require_active(check.user)
    finally:  # renewed as by :func:`authenticate`, whatever the request comes to
        if check is not None:
            renew_if_due(engine, check, settings)


# ---------------------------------------------------------------- password change

def change_password(engine: Engine, user: SignedInUser, current: str, new: str, address: str,
                    settings: ServerSettings) -> None:
    """Replace the user's password; clears a forced change and signs out the user's other devices."""
    if new == current:
        raise PasswordRejected("新密码不能与当前密码相同")
    try:
        check_password_quality(new)
    except AccountError as exc:
        raise PasswordRejected(str(exc)) from exc
    now = utcnow()
    with read_transaction(engine) as conn:
        _refuse_if_locked(conn, user.username, address, settings, now)
        account = _account(conn, user.username)
    if not _password_matches(account, current):
        _record_failure(engine, user.username, address, settings, now, device=user.device_id,
                        action="account.password_change_failed")
        raise BadCredentials("当前密码不正确")
    new_hash = hash_password(new)
    with engine.begin() as conn:
        conn.execute(update(credentials).where(credentials.c.user_id == user.user_id).values(
            password_hash=new_hash, must_change_password=False, changed_at=now))
        conn.execute(update(auth_tokens)
                     .where(auth_tokens.c.user_id == user.user_id, auth_tokens.c.id != user.token_id,
                            auth_tokens.c.revoked_at.is_(None))
                     .values(revoked_at=now))
        audit.record(conn, actor=user.username, device=user.device_id, action="account.password_change", at=now,
                     detail={"address": address})
