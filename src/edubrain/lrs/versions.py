"""The xAPI versions this LRS speaks and the ``X-Experience-API-Version`` header.

xAPI 1.0.3 Part Three §3.3 (Versioning) and IEEE 9274.1.1 (xAPI 2.0) §4.1.6.7 and §4.1.3: every request but one to
the About resource carries the header; the LRS answers with the version it used. Requests in any 1.0.x are served
as 1.0.3, requests in 2.0.x as 2.0.0; anything else (0.95, 1.1, 3.0, none) is refused with 400.
"""

from __future__ import annotations

import re

from edubrain.lrs.errors import StatementInvalid

HEADER = "X-Experience-API-Version"
CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"
SUPPORTED = ("1.0.3", "2.0.0")
"""The versions listed by ``/xAPI/about``, the newest last."""
_PATTERN = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")


def negotiated(header: str | None) -> str:
    """The version a request is served in (``1.0.3`` or ``2.0.0``) for its ``X-Experience-API-Version`` header.

    Raises:
        StatementInvalid: the header is missing or names a version that is not 1.0.x or 2.0.x.
    """
    if header is None or not header.strip():
        raise StatementInvalid(
            f"缺少请求头 {HEADER}：xAPI 请求必须注明版本（支持 1.0.x、2.0.x）",
            f"The {HEADER} header is missing: xAPI requests must name their version (1.0.x or 2.0.x)",
            header=HEADER,
        )
    match = _PATTERN.match(header.strip())
    if match is None:
        raise StatementInvalid(
            f"不支持的 xAPI 版本 {header!r}：支持 1.0.x、2.0.x",
            f"Unsupported xAPI version {header!r}: 1.0.x and 2.0.x are supported",
            header=HEADER,
            version=header,
        )
    return "1.0.3" if match.group(1) == "1.0" else "2.0.0"


def statement_version_ok(value: str) -> bool:
    """Whether a statement's ``version`` property is one this LRS stores (1.0.x or 2.0.x)."""
    return bool(_PATTERN.match(value))
