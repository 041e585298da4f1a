"""Pull: ``GET /changes`` (paged changes since a cursor) and ``GET /tables/<name>`` (one table again)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from sync.protocol import DEFAULT_PAGE_ROWS, MAX_PAGE_ROWS, Cursor, CursorError
from sync.schema import REPLICATED_TABLES, TABLES_BY_NAME
from sync.server import pull, sessions
from sync.server.api.dependencies import (
    ActiveUser,
    Counts,
    Database,
    Protocol,
    Settings,
    Token,
    Viewers,
    supported_protocol,
)
from sync.server.api.errors import ApiError, error_responses
from sync.server.api.models import ChangesPage, TableRows

router = APIRouter(tags=["同步"], dependencies=[Depends(supported_protocol)])

TableName = Literal[tuple(table.name for table in REPLICATED_TABLES)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_ROWS, description="每页最多行数")]


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get("/changes", response_model=None, summary="拉取变更 (分页)",
            responses={200: {"model": ChangesPage, "description": "一页变更"}, **error_responses(400, 401, 403, 426)})
def pull_changes(token: Token, protocol: Protocol, database: Database, settings: Settings, counts_cache: Counts,
                 viewers: Viewers,
                 since: Annotated[str | None, Query(description="上次答复的 cursor; 缺省为从头开始")] = None,
                 limit: Limit = DEFAULT_PAGE_ROWS,
                 counts: Annotated[str | None, Query(max_length=64, description="客户端各表行数的摘要; 无新变更且"
                                                     "与服务器一致时答复的 counts 为 null")] = None,
                 schema: Annotated[str | None, Header(alias="BudgetWatch-Schema", description="客户端的数据结构版本; "
                                                      "协议 2 起与服务器相同时答复不含列名")] = None) -> Response:
    # The most frequent request of all: the token check and the pull share one read transaction.
    with sessions.reading_as_active_user(database, token, settings) as (conn, user):
        try:
            cursor = Cursor.decode(since)
        except CursorError as exc:
            raise ApiError("bad_request", str(exc)) from exc
        at = pull.position(conn)
        viewer = viewers.viewer(conn, (at.epoch, at.head), user.user_id, user.role, user.region_code,
                                user.department_code)
        body = pull.changes_answer(conn, at, viewer, cursor, limit, max_bytes=settings.page_bytes,
                                   counts=counts_cache, latest_client=settings.latest_client(),
                                   client_counts=counts, lean=pull.client_has_schema(protocol, schema))
    return _json(body)


@router.get("/tables/{table}", response_model=None, summary="重新取一张表中此用户可见的全部行",
            responses={200: {"model": TableRows, "description": "按主键排序的一页行"},
                       **error_responses(400, 401, 403, 426)})
def table_rows(table: Annotated[TableName, Path(description="复制到客户端的表名")], user: ActiveUser,
               database: Database, settings: Settings,
               after: Annotated[str | None, Query(max_length=64, description="上一页最后一行的主键")] = None,
               limit: Limit = DEFAULT_PAGE_ROWS) -> Response:
    try:
        body = pull.table_body(database, user.user_id, TABLES_BY_NAME[table], after, limit,
                               max_bytes=settings.page_bytes)
    except pull.BadKey as exc:
        raise ApiError("bad_request", str(exc)) from exc
    return _json(body)
