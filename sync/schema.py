"""The one schema: SQLAlchemy Core tables shared by the district server and the desktop replica.

Every table carries ``info`` that says where it lives and who may see it:

* ``info["replicated"]`` — True for tables that reach a replica; server-only tables (password hashes,
  tokens, command results, the changelog itself) are False and never leave the server.
* ``info["audience"]`` — for replicated tables, which rule of DESIGN.md §2 decides who sees a row
  (see :data:`AUDIENCES`), and ``info["audience_columns"]`` — which of the row's own columns hold the
  region, department and user that rule looks at. Audience is always a function of the row itself,
  so a row can be judged the same way when it is written to the changelog and when it is counted.

Money is ``BigInteger`` in fen (yuan × 100), never a float. Every replicated table has a one-column
primary key, which is the row's key in the changelog.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Bumped whenever a replicated table changes shape; the client compares it in the handshake.
SCHEMA_VERSION = 1

# SQLite only auto-assigns a 64-bit rowid to a column declared exactly INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
Money = BigInteger  # fen

naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=naming_convention)

#: Who may see rows of a table, by role (DESIGN.md §2 "Who sees what"):
#: public — everyone; region — every role, rows in the user's region subtree;
#: region_tree — like region, plus the ancestors of the user's own region (the region table itself);
#: suggestion — deputies and staff in scope, a department only what is assigned to it;
#: suggestion_private — constituents' details: the author, staff in scope, the assigned department;
#: personal — a deputy their own rows, staff every row in scope, departments none;
#: inspection — deputies and staff in scope, departments none;
#: attachment — follows its owner (copied into the row): deputies and staff in scope; a department the
#: rows whose department column is its own, or is :data:`EVERY_DEPARTMENT` (a milestone's photos) in scope.
AUDIENCES = ("public", "region", "region_tree", "suggestion", "suggestion_private", "personal", "inspection",
             "attachment")
#: ``attachments.department_code`` of a file every role in scope may see (a project milestone's photo).
EVERY_DEPARTMENT = "*"

ROLES = ("deputy", "staff", "department", "admin")
ATTACHMENT_OWNERS = ("suggestion", "suggestion_event", "inspection", "milestone")
REGION_LEVELS = ("city", "district", "township")
SUGGESTION_STATES = (
    "submitted", "assigned", "accepted", "replied", "closed", "reopened", "declined", "merged",
)
SUGGESTION_SOURCES = ("own", "constituents")
PROJECT_STATUSES = ("planned", "in_progress", "completed", "suspended")
ACTIVITY_KINDS = ("sign_in", "sync", "module_opened", "suggestion", "inspection", "feedback")
REVIEW_RULES = (
    "execution_lag", "livelihood_payment_lag", "year_end_rush", "final_deviation", "large_adjustment",
    "three_public_expenses", "idle_special_funds", "project_lag", "paid_ahead_of_work",
    "policy_disbursement_lag", "suggestion_overdue",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def replicated(audience: str, *, region: str | None = "region_code", department: str | None = None,
               user: str | None = None) -> dict:
    assert audience in AUDIENCES, audience
    return {
        "replicated": True,
        "audience": audience,
        "audience_columns": {"region": region, "department": department, "user": user},
    }


SERVER_ONLY = {"replicated": False}

# ---------------------------------------------------------------- reference and master data

regions = Table(
    "regions", metadata,
    Column("code", String(12), primary_key=True, comment="区划编码"),
    Column("name", String(64), nullable=False),
    Column("level", String(10), nullable=False),
    Column("parent_code", String(12), ForeignKey("regions.code"), nullable=True),
    Column("sort_order", Integer, nullable=False, default=0),
    CheckConstraint(_in("level", REGION_LEVELS), name="level"),
    info=replicated("region_tree", region="code"),
)

classifications = Table(
    "classifications", metadata,
    Column("id", String(24), primary_key=True, comment="scheme:code, e.g. function:2080505"),
    Column("scheme", String(10), nullable=False),
    Column("code", String(10), nullable=False),
    Column("name", String(64), nullable=False),
    Column("level", String(4), nullable=True, comment="类 / 款 / 项"),
    Column("parent_code", String(10), nullable=True),
    CheckConstraint(_in("scheme", ("function", "economic", "fund")), name="scheme"),
    UniqueConstraint("scheme", "code"),
    info=replicated("public", region=None),
)

departments = Table(
    "departments", metadata,
    Column("code", String(16), primary_key=True, comment="部门编码"),
    Column("name", String(64), nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    # A township user must see the district departments their suggestions are assigned to.
    info=replicated("region_tree"),
)

users = Table(
    "users", metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(64), nullable=False),
    Column("role", String(12), nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    Column("department_code", String(16), ForeignKey("departments.code"), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    CheckConstraint(_in("role", ROLES), name="role"),
    CheckConstraint("role <> 'department' OR department_code IS NOT NULL", name="department_user"),
    # Names of the district staff and departments in a township suggestion's history.
    info=replicated("region_tree"),
)

# ---------------------------------------------------------------- budget and its execution

budget_lines = Table(
    "budget_lines", metadata,
    Column("id", Id, primary_key=True),
    Column("year", SmallInteger, nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    Column("department_code", String(16), ForeignKey("departments.code"), nullable=False),
    Column("unit_name", String(64), nullable=True, comment="预算单位"),
    Column("function_code", String(10), nullable=False),
    Column("economic_code", String(10), nullable=False),
    Column("fund_code", String(2), nullable=False),
    Column("project_name", String(128), nullable=True),
    Column("project_id", BigInteger, nullable=True),
    Column("policy_id", BigInteger, nullable=True),
    Column("is_special", Boolean, nullable=False, default=False, comment="专项, from the source data"),
    Column("is_three_public", Boolean, nullable=False, default=False, comment="三公经费, derived"),
    Column("is_livelihood", Boolean, nullable=False, default=False, comment="民生, derived"),
    Column("approved", Money, nullable=False, comment="年初预算, fen"),
    Column("adjusted", Money, nullable=True, comment="调整预算, fen"),
    Column("final", Money, nullable=True, comment="决算, fen"),
    Index(None, "year", "region_code"),
    info=replicated("region"),
)

executions = Table(
    "executions", metadata,
    Column("id", Id, primary_key=True),
    Column("line_id", BigInteger, ForeignKey("budget_lines.id"), nullable=False),
    Column("region_code", String(12), nullable=False, comment="the line's, for scope filtering"),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("amount", Money, nullable=False, comment="paid this month, fen; negative for a refund"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    UniqueConstraint("line_id", "month"),
    Index(None, "year", "month"),  # a year's latest reported month (the as-of) without reading a city's million rows
    info=replicated("region"),
)

# ---------------------------------------------------------------- policies and livelihood projects

policies = Table(
    "policies", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("department_code", String(16), ForeignKey("departments.code"), nullable=True),
    Column("funds_arranged", Money, nullable=False, comment="安排资金, fen"),
    Column("description", Text, nullable=True),
    info=replicated("region"),
)

policy_disbursements = Table(
    "policy_disbursements", metadata,
    Column("id", Id, primary_key=True),
    Column("policy_id", BigInteger, ForeignKey("policies.id"), nullable=False),
    Column("region_code", String(12), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("amount", Money, nullable=False, comment="拨付, fen"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    UniqueConstraint("policy_id", "year", "month"),
    info=replicated("region"),
)

projects = Table(
    "projects", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(128), nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    Column("department_code", String(16), ForeignKey("departments.code"), nullable=True),
    Column("year", SmallInteger, nullable=False),
    Column("policy_id", BigInteger, ForeignKey("policies.id"), nullable=True),
    Column("budget", Money, nullable=False, comment="fen"),
    Column("paid", Money, nullable=False, default=0, comment="fen"),
    Column("planned_progress", SmallInteger, nullable=False, default=0, comment="%"),
    Column("actual_progress", SmallInteger, nullable=False, default=0, comment="%"),
    Column("status", String(12), nullable=False, default="planned"),
    Column("start_date", Date, nullable=True),
    Column("due_date", Date, nullable=True),
    Column("description", Text, nullable=True),
    CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
    CheckConstraint("planned_progress BETWEEN 0 AND 100 AND actual_progress BETWEEN 0 AND 100",
                    name="progress"),
    info=replicated("region"),
)

project_milestones = Table(
    "project_milestones", metadata,
    Column("id", Id, primary_key=True),
    Column("project_id", BigInteger, ForeignKey("projects.id"), nullable=False),
    Column("region_code", String(12), nullable=False),
    Column("date", Date, nullable=False),
    Column("text", Text, nullable=False),
    info=replicated("region"),
)

# ---------------------------------------------------------------- suggestions (DESIGN.md §4)

suggestions = Table(
    "suggestions", metadata,
    Column("id", String(36), primary_key=True, comment="UUID made on the deputy's PC"),
    Column("number", String(16), nullable=True, unique=True, comment="登记号, given by the server"),
    Column("author_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("region_code", String(12), ForeignKey("regions.code"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("category", String(32), nullable=True),
    Column("source", String(12), nullable=False, default="own"),
    Column("state", String(12), nullable=False),
    Column("department_code", String(16), ForeignKey("departments.code"), nullable=True),
    Column("deadline", Date, nullable=True),
    Column("merged_into", String(36), nullable=True),
    Column("decline_reason", Text, nullable=True),
    Column("rating", SmallInteger, nullable=True, comment="satisfaction 1–5 of the last feedback"),
    Column("project_id", BigInteger, nullable=True),
    Column("policy_id", BigInteger, nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("state", SUGGESTION_STATES), name="state"),
    CheckConstraint(_in("source", SUGGESTION_SOURCES), name="source"),
    CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
    info=replicated("suggestion", department="department_code", user="author_id"),
)

suggestion_contacts = Table(
    "suggestion_contacts", metadata,
    Column("suggestion_id", String(36), ForeignKey("suggestions.id"), primary_key=True),
    Column("region_code", String(12), nullable=False),
    Column("department_code", String(16), nullable=True),
    Column("author_id", BigInteger, nullable=False),
    Column("name", String(64), nullable=True, comment="constituent's name"),
    Column("phone", String(32), nullable=True),
    info=replicated("suggestion_private", department="department_code", user="author_id"),
)

suggestion_events = Table(
    "suggestion_events", metadata,
    Column("id", String(36), primary_key=True),
    Column("suggestion_id", String(36), ForeignKey("suggestions.id"), nullable=False),
    Column("region_code", String(12), nullable=False),
    Column("department_code", String(16), nullable=True, comment="the suggestion's, for scope filtering"),
    Column("actor_id", BigInteger, nullable=False),
    Column("actor_role", String(12), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_state", String(12), nullable=True),
    Column("to_state", String(12), nullable=False),
    Column("text", Text, nullable=True),
    Column("assigned_department", String(16), nullable=True),
    Column("deadline", Date, nullable=True),
    Column("rating", SmallInteger, nullable=True),
    Index(None, "suggestion_id"),
    info=replicated("suggestion", department="department_code"),
)

inspections = Table(
    "inspections", metadata,
    Column("id", String(36), primary_key=True),
    Column("deputy_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("region_code", String(12), nullable=False),
    Column("date", Date, nullable=False),
    Column("subject_type", String(10), nullable=False),
    Column("subject_id", BigInteger, nullable=True),
    Column("title", String(200), nullable=False),
    Column("notes", Text, nullable=True),
    CheckConstraint(_in("subject_type", ("project", "policy", "other")), name="subject_type"),
    info=replicated("inspection", user="deputy_id"),
)

activities = Table(
    "activities", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("region_code", String(12), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("detail", String(200), nullable=True),
    CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind"),
    info=replicated("personal", user="user_id"),
)

review_thresholds = Table(
    "review_thresholds", metadata,
    Column("rule", String(32), primary_key=True),
    Column("yellow", Numeric(10, 2), nullable=True),
    Column("red", Numeric(10, 2), nullable=True),
    Column("min_amount", Money, nullable=False, default=0, comment="lines below this (fen) are not judged"),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    CheckConstraint(_in("rule", REVIEW_RULES), name="rule"),
    info=replicated("public", region=None),
)

attachments = Table(
    "attachments", metadata,
    # Metadata only; the content is fetched on demand (GET /attachments/<id>/content).
    Column("id", String(36), primary_key=True, comment="UUID made on the uploader's PC"),
    Column("owner_type", String(16), nullable=False),
    Column("owner_id", String(40), nullable=False),
    Column("region_code", String(12), nullable=False, comment="the owner's, for scope filtering"),
    Column("department_code", String(16), nullable=True,
           comment="the owning suggestion's department; '*' for a milestone; NULL for an inspection"),
    Column("uploader_id", BigInteger, nullable=False),
    Column("file_name", String(255), nullable=False, comment="sanitised"),
    Column("content_type", String(100), nullable=False, comment="taken from the content, not the name"),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("owner_type", ATTACHMENT_OWNERS), name="owner_type"),
    Index(None, "owner_type", "owner_id"),
    info=replicated("attachment", department="department_code", user="uploader_id"),
)

# ---------------------------------------------------------------- server only

upload_sessions = Table(
    "upload_sessions", metadata,
    # A resumable upload under way; the partial file is attachments/.uploads/<id>.part.
    Column("id", String(36), primary_key=True, comment="the attachment's id"),
    Column("user_id", BigInteger, nullable=False),
    Column("owner_type", String(16), nullable=False),
    Column("owner_id", String(40), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False, comment="declared"),
    Column("sha256", String(64), nullable=False, comment="declared; checked on completion"),
    Column("received", BigInteger, nullable=False, default=0, comment="bytes acknowledged"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    info=SERVER_ONLY,
)

credentials = Table(
    "credentials", metadata,
    Column("user_id", BigInteger, ForeignKey("users.id"), primary_key=True),
    Column("password_hash", String(200), nullable=False, comment="argon2id"),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("changed_at", DateTime(timezone=True), nullable=True),
    info=SERVER_ONLY,
)

auth_tokens = Table(
    "auth_tokens", metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True, comment="sha256 of the bearer token"),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    info=SERVER_ONLY,
)

sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False, server_default="",
           comment="client address: failures lock a (username, address) pair, never a user everywhere"),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "username", "at"),
    info=SERVER_ONLY,
)

command_results = Table(
    "command_results", metadata,
    Column("uuid", String(36), primary_key=True, comment="the client's idempotency key"),
    Column("user_id", BigInteger, nullable=False),
    Column("command_type", String(32), nullable=False),
    Column("status", String(10), nullable=False, comment="applied | rejected"),
    Column("answer", Text, nullable=False, comment="JSON, returned again for a duplicate"),
    Column("at", DateTime(timezone=True), nullable=False),
    info=SERVER_ONLY,
)

changelog = Table(
    "changelog", metadata,
    Column("seq", Id, primary_key=True, autoincrement=True),
    Column("table_name", String(32), nullable=False),
    Column("row_key", String(40), nullable=False),
    Column("op", String(1), nullable=False, comment="u upsert | d tombstone"),
    Column("region_code", String(12), nullable=True),
    Column("department_code", String(16), nullable=True),
    Column("user_id", BigInteger, nullable=True),
    Column("payload", Text, nullable=True, comment="JSON array of the row's values in column order"),
    Column("at", DateTime(timezone=True), nullable=True,
           comment="when appended (UTC, the database's clock): compaction keeps young tombstones"),
    CheckConstraint("op IN ('u', 'd')", name="op"),
    Index(None, "table_name", "row_key"),
    # Deleting the newest entry (compaction) must never let its seq be handed out again.
    sqlite_autoincrement=True,
    info=SERVER_ONLY,
)

server_meta = Table(
    "server_meta", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
    info=SERVER_ONLY,
)

imports = Table(
    "imports", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False, comment="regions | departments | … | execution | final"),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True, comment="the same file is never imported twice"),
    Column("year", SmallInteger, nullable=True),
    Column("month", SmallInteger, nullable=True),
    Column("imported_by", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False, comment="data rows read (合计/小计 rows not counted)"),
    Column("changes", Text, nullable=False, comment="JSON: table → inserted, updated, deleted"),
    info=SERVER_ONLY,
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False, comment="username; the operating-system user for the command line"),
    Column("device", String(64), nullable=False, comment="the token's device id; 'cli' for the command line"),
    Column("action", String(64), nullable=False, comment="what was done, e.g. command.suggestion.submit, user.add"),
    Column("detail", Text, nullable=False, comment="JSON"),
    Index(None, "at"),
    Index(None, "actor", "at"),
    # Append-only: no API route reads or writes it; `budgetwatch-server audit` prints it.
    info=SERVER_ONLY,
)

REPLICATED_TABLES: tuple[Table, ...] = tuple(t for t in metadata.sorted_tables if t.info["replicated"])
TABLES_BY_NAME: dict[str, Table] = dict(metadata.tables)


def primary_key_column(table: Table) -> Column:
    (column,) = table.primary_key.columns
    return column
