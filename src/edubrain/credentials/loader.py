"""Pinned JSON-LD contexts and the offline document loader.

The contexts the credential core understands ship inside the package
(``contexts/*.jsonld``), listed with their source and SHA-256 in
``contexts/manifest.json``. The loader serves only those files and refuses
every other URL: nothing is downloaded at run time, so a credential cannot make
the verifier fetch a context from the network (VC Data Integrity 1.0, section
"Context Validation"; VC Data Model 2.0, section 4.3).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from edubrain.credentials.errors import CredentialError, UnknownContextError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@dataclass(frozen=True)
class PinnedContext:
    """One context shipped with the package.

    Attributes:
        url: The context URL as written in ``@context``.
        file: The file name under ``credentials/contexts/``.
        source: Where the copy was taken from.
        sha256: Hex SHA-256 of the shipped bytes, checked on load.
    """

    url: str
    file: str
    source: str
    sha256: str


@cache
def manifest() -> dict[str, PinnedContext]:
    """The pinned contexts, by URL (read once from ``contexts/manifest.json``)."""
    raw = json.loads(resources.files("edubrain.credentials").joinpath("contexts/manifest.json").read_text("utf-8"))
    return {
        entry["url"]: PinnedContext(entry["url"], entry["file"], entry["source"], entry["sha256"])
        for entry in raw["contexts"]
    }


@cache
def _document(url: str) -> dict[str, Any]:
    pinned = manifest()[url]
    data = resources.files("edubrain.credentials").joinpath("contexts", pinned.file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise CredentialError(
            f"内置上下文文件 {pinned.file} 的 SHA-256 与清单不符（{digest}），拒绝使用。",
            f"The pinned context file {pinned.file} does not match its manifest SHA-256 ({digest}); refused.",
            url=url,
            expected=pinned.sha256,
            actual=digest,
        )
    document: dict[str, Any] = json.loads(data)
    return document


def pinned_urls() -> list[str]:
    """The context URLs the loader serves, sorted."""
    return sorted(manifest())


def load_context(url: str) -> dict[str, Any]:
    """The pinned context document for ``url`` (a deep copy, safe to change).

    Raises:
        UnknownContextError: ``url`` is not pinned; nothing is fetched.
    """
    if url not in manifest():
        raise UnknownContextError(
            f"JSON-LD 上下文 {url} 未内置，离线模式拒绝下载。允许的上下文：{', '.join(pinned_urls())}。",
            f"The JSON-LD context {url} is not pinned and will not be downloaded (offline). "
            f"Allowed contexts: {', '.join(pinned_urls())}.",
            url=url,
            allowed=pinned_urls(),
        )
    return copy.deepcopy(_document(url))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves only the pinned contexts.

    Args:
        url: The URL pyld asks for.
        options: pyld's loader options (unused).

    Returns:
        pyld's remote-document shape: ``contextUrl``, ``documentUrl``, ``document``.

    Raises:
        UnknownContextError: for any URL that is not pinned.
    """
    # "static" lets pyld keep the processed context for the life of the process: a pinned file never changes.
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url), "tag": "static"}


def require_pinned(url: str) -> None:
    """Check that ``url`` is a pinned context, without copying it.

    Raises:
        UnknownContextError: ``url`` is not pinned.
    """
    if url not in manifest():
        load_context(url)


def context_urls(document: dict[str, Any]) -> list[str]:
    """The context URLs a document names at its top level (inline contexts are skipped)."""
    contexts = document.get("@context", [])
    items = contexts if isinstance(contexts, list) else [contexts]
    return [item for item in items if isinstance(item, str)]
