"""Checking what clients send: strict request models, and their errors told in Chinese.

Both whole requests (a 400 ``bad_request``) and single pushed commands (a rejected item whose reason
the deputy reads) are pydantic models; :func:`explain` turns pydantic's error list into one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: An integer that fits a BIGINT key column (larger ones must not reach the database driver).
DatabaseId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def text_problem(text: str) -> str | None:
    """Why no database column can store ``text`` (NUL, lone surrogates), or None when one can."""
    if "\x00" in text:
        return "文字中不能含有 NUL 字符"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "文字中含有无效的 Unicode 字符"
    return None


def unstorable_text(data: Any) -> str | None:
    """:func:`text_problem` of a request object's own text values (and lists of them).

    Nested objects are models that check themselves, and a command's free-form payload is checked
    when its command type's model reads it.
    """
    if not isinstance(data, dict):
        return None
    for value in data.values():
        for text in value if isinstance(value, list) else [value]:
            problem = text_problem(text) if isinstance(text, str) else None
            if problem is not None:
                return problem
    return None


class StrictModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped, and all text is storable."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        reason = unstorable_text(data)
        if reason is not None:
            raise ValueError(reason)
        return data


#: Field names users see in a reason, in Chinese; anything else is shown as sent.
FIELD_LABELS = {
    "title": "标题", "body": "内容", "category": "类别", "source": "来源", "region_code": "区划",
    "contact": "联系人", "name": "姓名", "phone": "电话", "project_id": "民生实事项目", "policy_id": "重大政策",
    "suggestion_id": "建议编号", "username": "用户名", "password": "密码", "device_id": "设备编号",
    "current_password": "当前密码", "new_password": "新密码", "commands": "命令", "payload": "内容",
    "department_code": "承办部门", "deadline": "办理期限", "text": "说明", "reason": "理由", "rating": "满意度",
    "satisfied": "是否满意", "into": "并入的建议", "inspection_id": "视察记录编号", "date": "日期",
    "subject_type": "视察对象类型", "subject_id": "视察对象", "notes": "视察记录", "items": "履职记录",
    "kind": "类型", "at": "时间", "detail": "说明",
}

_LOCATION_KINDS = {"body", "query", "header", "path", "cookie"}


def _where(location: Iterable[Any]) -> str:
    parts = [str(part) for part in location if part not in _LOCATION_KINDS]
    return ".".join(FIELD_LABELS.get(part, part) for part in parts) or "请求内容"


_MESSAGES = {
    "missing": "缺少此项", "extra_forbidden": "不认识的字段",
    "string_type": "应为文字", "string_unicode": "应为文字", "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符", "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数", "int_parsing_size": "数值超出范围",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "uuid_type": "不是有效的 UUID", "uuid_parsing": "不是有效的 UUID",
    "datetime_type": "不是有效的时间", "datetime_parsing": "不是有效的时间",
    "datetime_from_date_parsing": "不是有效的时间",
    "date_type": "不是有效的日期", "date_parsing": "不是有效的日期", "date_from_datetime_parsing": "不是有效的日期",
    "date_from_datetime_inexact": "不是有效的日期",
    "model_type": "应为 JSON 对象", "model_attributes_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
    "list_type": "应为 JSON 数组", "literal_error": "应为 {expected}",
    "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}",
}


class _Context(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _what(kind: str, context: Mapping[str, Any], fallback: str) -> str:
    if kind == "string_too_short" and context.get("min_length") == 1:
        return "不能为空"
    if kind == "value_error":
        return str(context.get("error", fallback))
    if kind == "literal_error":
        context = {"expected": str(context.get("expected", "")).replace(" or ", " 或 ")}
    template = _MESSAGES.get(kind)
    return template.format_map(_Context(context)) if template else fallback


def _line(error: Mapping[str, Any]) -> str:
    if error.get("type") == "json_invalid":  # its location is a character position, not a field
        return f"请求内容不是有效的 JSON (第 {error['loc'][-1]} 个字符处)"
    what = _what(error.get("type", ""), error.get("ctx") or {}, error.get("msg", ""))
    return f"{_where(error.get('loc', ()))}: {what}"


def explain(errors: Iterable[Mapping[str, Any]], *, most: int = 5) -> str:
    """Pydantic's errors as one Chinese line, e.g. ``标题: 不能为空; 来源: 应为 'own', 'constituents' 之一``."""
    lines = [_line(error) for error in errors]
    more = f" (另有 {len(lines) - most} 处)" if len(lines) > most else ""
    return "; ".join(lines[:most]) + more


def error_summary(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The machine-readable part of pydantic's errors, without echoing what was sent."""
    return [{"loc": [str(part) for part in error.get("loc", ())], "type": error.get("type")} for error in errors]
