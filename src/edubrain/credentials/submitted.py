"""A credential someone pasted or uploaded for verification: size limit and parsing, with clear messages.

Accepted: a JSON-LD credential (a JSON object, usually with a Data Integrity ``proof``) or a VC-JWT
(a compact JWS, three base64url segments separated by dots; also accepted as a JSON string). Anything
else is refused with a Chinese and an English message saying where the text went wrong and what is allowed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from edubrain.credentials.errors import CredentialError

MAX_BYTES = 256 * 1024
"""Largest credential accepted for verification (256 KiB; an Open Badge with an embedded image fits)."""
MAX_DEPTH = 32
"""Deepest nesting of JSON objects and arrays accepted (an Open Badge needs fewer than 10 levels)."""
MAX_NODES = 2_000
"""Most JSON objects and arrays accepted in one credential."""
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class CredentialInputError(CredentialError):
    """Text submitted for verification that is not a credential (bad JSON, empty, too large, wrong type)."""

    code = "credential_input_error"


class CredentialTooLarge(CredentialInputError):
    """A submitted credential over :data:`MAX_BYTES`."""

    code = "credential_too_large"


def too_large(size: int) -> CredentialTooLarge:
    """The error for a submission of ``size`` bytes."""
    return CredentialTooLarge(
        f"凭证过大：{size:,} 字节，最多允许 {MAX_BYTES:,} 字节（256 KiB）。",
        f"The credential is too large: {size:,} bytes; at most {MAX_BYTES:,} bytes (256 KiB) are allowed.",
        size=size,
        limit=MAX_BYTES,
    )


def parse_submitted(raw: bytes | str) -> dict[str, Any] | str:
    """The credential in ``raw``: a dict (JSON-LD) or a str (VC-JWT).

    Raises:
        CredentialTooLarge: over :data:`MAX_BYTES`.
        CredentialInputError: empty, not UTF-8, bad JSON (with line and column), or JSON that is not an
            object or a VC-JWT string.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise CredentialInputError(
            f"内容不是 UTF-8 文本（第 {exc.start + 1} 个字节处无法解码）。",
            f"The content is not UTF-8 text (byte {exc.start + 1} cannot be decoded).",
            byte=exc.start + 1,
        ) from exc
    if not text:
        raise CredentialInputError(
            "没有收到凭证：请粘贴 JSON 凭证或 VC-JWT，或上传 .json / .jwt 文件。",
            "No credential received: paste a JSON credential or a VC-JWT, or upload a .json / .jwt file.",
        )
    if _JWS.fullmatch(text):
        return text
    if text[0] not in '{["':
        raise CredentialInputError(
            "既不是 JSON 凭证（应以 { 开头），也不是 VC-JWT（三段 base64url，用 . 分隔）。",
            "Neither a JSON credential (it should start with {) nor a VC-JWT (three base64url parts joined by dots).",
            start=text[:20],
        )
    return _parse_json(text)


def _parse_json(text: str) -> dict[str, Any] | str:
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise _too_deep() from exc
    except json.JSONDecodeError as exc:
        raise CredentialInputError(
            f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{_ZH_JSON.get(exc.msg, exc.msg)}。",
            f"Invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    if isinstance(value, str) and _JWS.fullmatch(value.strip()):
        return value.strip()
    if not isinstance(value, dict):
        raise CredentialInputError(
            f"JSON 的顶层必须是凭证对象（{{…}}），收到的是{_ZH_TYPES.get(type(value).__name__, '其他值')}。",
            f"The top level of the JSON must be a credential object ({{…}}), not a {type(value).__name__}.",
            type=type(value).__name__,
        )
    check_shape(value)
    return value


def _too_deep() -> CredentialInputError:
    return CredentialInputError(
        f"JSON 嵌套过深：最多允许 {MAX_DEPTH} 层。",
        f"The JSON is nested too deeply: at most {MAX_DEPTH} levels are allowed.",
        limit=MAX_DEPTH,
    )


def check_shape(value: dict[str, Any]) -> None:
    """Refuse nesting over :data:`MAX_DEPTH` or more than :data:`MAX_NODES` containers (walked without recursion)."""
    level: list[Any] = [value]
    depth = nodes = 0
    while level:
        depth += 1
        nodes += len(level)
        if depth > MAX_DEPTH:
            raise _too_deep()
        if nodes > MAX_NODES:
            raise CredentialInputError(
                f"JSON 过于复杂：对象和数组合计超过 {MAX_NODES} 个。",
                f"The JSON is too complex: more than {MAX_NODES} objects and arrays.",
                limit=MAX_NODES,
            )
        children = (item.values() if isinstance(item, dict) else item for item in level)
        level = [child for group in children for child in group if isinstance(child, dict | list)]


_ZH_JSON = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "属性名必须用双引号括起",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "结尾有多余内容",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "字符串中有无效的控制字符",
}
_ZH_TYPES = {"list": "数组", "str": "字符串", "int": "数字", "float": "数字", "bool": "布尔值", "NoneType": "null"}
