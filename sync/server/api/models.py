"""Request and response bodies of the HTTP API, as the generated OpenAPI describes them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from sync.server.commands import MAX_BATCH, Command, Status
from sync.server.validation import StrictModel

Resync = Literal["epoch_changed", "cursor_ahead", "cursor_expired"]


class ProtocolRange(BaseModel):
    min: int
    max: int


class ClientRelease(BaseModel):
    version: str = Field(description="区里提供的最新桌面客户端版本号")
    download_url: str | None = Field(description="下载地址")


class Health(BaseModel):
    server_version: str
    protocol: ProtocolRange
    schema_version: int
    epoch: str = Field(description="数据库纪元; 从备份恢复后改变")
    server_time: dt.datetime = Field(description="服务器时间 (Asia/Shanghai)")
    counts_digest: str | None = Field(None, description="客户端带 counts 摘要请求、且最后一页有变更时: 服务器各表行数的"
                                                         "摘要 (代替 counts); 应用后与本地摘要不符则再请求一次")
    latest_client: ClientRelease | None = Field(None, description="最新客户端; 区里未公布时省略")


class SignIn(StrictModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(min_length=1, max_length=64, description="客户端设备编号, 每台电脑一个")


class User(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    region_code: str
    department_code: str | None


class Session(BaseModel):
    token: str = Field(description="Bearer 令牌; 服务器只保存其散列")
    expires_at: dt.datetime = Field(description="到期时间; 使用中自动续期")
    must_change_password: bool = Field(description="为 true 时只能修改密码或退出登录")
    user: User


class PasswordChange(StrictModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TableChanges(BaseModel):
    columns: list[str] | None = Field(None, description="列名; 协议 2 且数据结构版本与服务器相同的客户端省略 "
                                                       "(按服务器数据结构中的列顺序)")
    upserts: list[list[Any]] = Field([], description="按 columns 顺序的整行值; 协议 2 的精简答复中为空时省略")
    deletes: list[str] = Field([], description="被删除 (或不再可见) 的行的主键, 字符串形式; "
                                               "协议 2 的精简答复中为空时省略")


class ChangesPage(BaseModel):
    cursor: str = Field(description="下次拉取时原样带回的游标")
    has_more: bool
    resync: Resync | None = Field(None, description="出现时: 丢弃复制的表 (保留待发命令与草稿), 从 cursor 重新拉取")
    server_time: dt.datetime
    protocol: ProtocolRange
    schema_version: int | None = Field(None, description="服务器的数据结构版本; "
                                                         "与请求的 BudgetWatch-Schema 相同时省略 (协议 2)")
    tables: dict[str, TableChanges]
    counts: dict[str, int] | None = Field(None, description="仅最后一页 (客户端摘要一致时省略): "
                                                            "每张表此用户可见的行数, 用于完整性校验")
    counts_digest: str | None = Field(None, description="客户端带 counts 摘要请求、且最后一页有变更时: 服务器各表行数的"
                                                         "摘要 (代替 counts); 应用后与本地摘要不符则再请求一次")
    latest_client: ClientRelease | None = Field(None, description="最新客户端; 区里未公布时省略")


class TableRows(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    has_more: bool
    cursor: str = Field(description="读取这页时服务器的游标 (见 docs/protocol.md 如何使用)")


class Push(StrictModel):
    commands: list[Command] = Field(max_length=MAX_BATCH)


class CommandResult(BaseModel):
    id: str
    status: Status
    reason: str | None = Field(None, description="被拒绝时给用户看的中文原因")
    result: dict[str, Any] | None = None


class PushResults(BaseModel):
    results: list[CommandResult]
