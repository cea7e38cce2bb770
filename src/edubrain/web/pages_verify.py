"""The public credential verification page ``/verify``: paste or choose a credential, read the verdict.

No login. The page posts the pasted text (a chosen file is read into the text box by ``verify.js``; without
script, pasting works the same) and shows the verdict and every check in Chinese and English, never raw
JSON. The checks are those of ``POST /api/v1/credentials/verify`` (one shared function,
:func:`edubrain.api.credential_verification.check_submitted`), under the same size cap and rate limit.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.api.credential_verification import check_submitted, rate_limited
from edubrain.credentials.report import VerificationReport
from edubrain.credentials.submitted import MAX_BYTES, CredentialInputError, CredentialTooLarge, too_large
from edubrain.web.render import Page, open_page
from edubrain.web.verify_labels import SUMMARY_FIELDS, both, label

router = APIRouter(include_in_schema=False)
FORM_OVERHEAD = 8 * 1024
"""Bytes a form may carry besides the credential (the token, field names, percent-encoding is counted in)."""


def _render(page: Page, status_code: int = 200, **context: Any) -> Response:
    lang = page.lang
    return page.render(
        "verify.html",
        status_code=status_code,
        L=lambda key: label(key, lang),
        both=lambda key: both(key, lang),
        max_bytes=MAX_BYTES,
        summary_fields=SUMMARY_FIELDS,
        **{"report": None, "summary": {}, "text": "", "error": None, **context},
    )


@router.get("/verify")
def verify_page(request: Request) -> Response:
    """The empty form."""
    return _render(open_page(request))


@router.post("/verify")
async def verify_submit(request: Request) -> Response:
    """Verify the pasted credential and show every check."""
    page = open_page(request)
    rate_limited(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 3 * MAX_BYTES + FORM_OVERHEAD:  # percent-encoding triples at most
        return _render(page, 413, error=too_large(int(declared)))
    field = (await request.form()).get("credential")
    text = field if isinstance(field, str) else ""
    try:
        report: VerificationReport = await check_submitted(request, page.home, text)
    except CredentialInputError as exc:
        status = 413 if isinstance(exc, CredentialTooLarge) else 400
        return _render(page, status, error=exc, text=text[:MAX_BYTES])
    return _render(page, report=report, summary=report.to_json()["summary"], text=text)
