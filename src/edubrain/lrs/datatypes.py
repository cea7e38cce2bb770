"""The JSON data types of xAPI statements, each checked with a message naming the property (xAPI 1.0.3 Data §4).

IRIs and IRLs (RFC 3987, with a scheme), UUIDs (RFC 4122), language maps (RFC 5646 tags, §4.2), extensions
(IRI keys, §4.1), ISO 8601 timestamps (§4.5, no ``-00:00`` offset) and objects holding only the properties the
specification defines, none of them ``null`` (§2.2).
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections.abc import Callable
from typing import Any

from edubrain.lrs.errors import invalid

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_IRL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$")


def object_of(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    """``value`` as an object holding only ``allowed`` properties, none of them null (Data 2.2)."""
    if not isinstance(value, dict):
        raise invalid(where, "应为 JSON 对象", "must be a JSON object")
    if value.keys() <= allowed and None not in value.values():  # the usual case, checked in C
        return value
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise invalid(f"{where}.{unknown[0]}", f"不是规范定义的属性；可用：{', '.join(sorted(allowed))}", f"is not a property the specification defines; allowed: {', '.join(sorted(allowed))} (xAPI Data 2.2)")  # fmt: skip
    for name, item in value.items():
        if item is None:
            raise invalid(f"{where}.{name}", "不能为 null", "must not be null (xAPI Data 2.2)")
    return value


def text(value: Any, where: str) -> str:
    """``value`` as a string."""
    if not isinstance(value, str):
        raise invalid(where, "应为字符串", "must be a string")
    return value


def iri(value: Any, where: str, *, locator: bool = False) -> None:
    """An absolute IRI (with a scheme); ``locator``: an absolute URL (IRL)."""
    pattern = _IRL if locator else _IRI
    if not isinstance(value, str) or not pattern.match(value):
        zh, en = ("绝对 URL（IRL）", "an absolute URL (IRL)") if locator else ("绝对 IRI（含 scheme，如 http://…）", "an absolute IRI with a scheme (http://…)")  # fmt: skip
        raise invalid(where, f"应为{zh}", f"must be {en} (xAPI Data 2.4)")


def uuid(value: Any, where: str) -> None:
    """A hyphenated UUID (RFC 4122)."""
    try:
        uuid_module.UUID(text(value, where))
    except ValueError:
        raise invalid(where, "应为 UUID（如 0f3c…-…）", "must be a UUID (RFC 4122)") from None
    if len(value) != 36:
        raise invalid(where, "应为带连字符的 36 位 UUID", "must be a hyphenated 36-character UUID")


def boolean(value: Any, where: str) -> None:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise invalid(where, "应为 true 或 false", "must be true or false")


def number(value: Any, where: str) -> float:
    """A JSON number (not a boolean), as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(where, "应为数字", "must be a number")
    return float(value)


def array(value: Any, where: str, each: Callable[[Any, str], object]) -> None:
    """An array whose items each pass ``each``."""
    if not isinstance(value, list):
        raise invalid(where, "应为数组", "must be an array")
    for i, item in enumerate(value):
        each(item, f"{where}[{i}]")


def language_map(value: Any, where: str) -> None:
    """A language map: RFC 5646 tags to strings (Data 4.2)."""
    if not isinstance(value, dict):
        raise invalid(where, "应为语言映射（如 {\"zh-CN\": \"…\"}）", "must be a language map ({\"en-US\": \"…\"}) (xAPI Data 4.2)")  # fmt: skip
    for tag, entry in value.items():
        if not LANGUAGE_TAG.match(tag):
            raise invalid(f"{where}.{tag}", "不是 RFC 5646 语言标签", "is not an RFC 5646 language tag (xAPI Data 4.2)")
        text(entry, f"{where}.{tag}")


def extensions(value: Any, where: str) -> None:
    """An extensions object: IRI keys, any values (Data 4.1)."""
    if not isinstance(value, dict):
        raise invalid(where, "应为 JSON 对象", "must be a JSON object (xAPI Data 4.1)")
    for key in value:
        iri(key, f"{where}.{key}")


def timestamp(value: Any, where: str) -> None:
    """An ISO 8601 timestamp without a ``-00:00`` offset (Data 4.5)."""
    value = text(value, where)
    if not _TIMESTAMP.match(value) or value.endswith(("-00:00", "-0000", "-00")):
        raise invalid(where, "应为 ISO 8601 日期时间（如 2026-09-01T08:00:00.000Z；不允许 -00:00 偏移）", "must be an ISO 8601 timestamp (2026-09-01T08:00:00.000Z; a -00:00 offset is not allowed) (xAPI Data 4.5)")  # fmt: skip
