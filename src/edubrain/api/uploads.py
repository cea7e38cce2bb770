"""Taking an uploaded file into the exchange: saved to a temporary file (size-limited), then submitted."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import UploadFile

from edubrain.api.errors import ApiError
from edubrain.exchange.ingest import IngestResult, Mode, ingest_file
from edubrain.home import Home

CHUNK = 1 << 20


def safe_file_name(name: str | None) -> str:
    """The uploaded file's own name, without folders, at most 100 characters before its suffix (which picks the reader)."""
    path = Path(Path(name or "").name)
    if path.name in ("", ".", ".."):
        return "upload"
    return path.stem[:100] + path.suffix[:16]


def submit_upload(
    home: Home,
    upload: UploadFile,
    dataset_id: str,
    org_code: str,
    *,
    mode: Mode = "upsert",
    accept_valid: bool = False,
    sheet: str | None = None,
) -> IngestResult:
    """Save ``upload`` under its own file name (the reader needs its suffix) and submit it as one batch.

    Raises:
        ApiError: the file is larger than ``EDUBRAIN_MAX_UPLOAD_MB`` (413).
        InputFileError, UnknownDatasetError, ScopeError: as :func:`ingest_file`.
    """
    home.catalog.dataset(dataset_id)
    limit = home.settings.max_upload_mb * CHUNK
    name = safe_file_name(upload.filename)
    with tempfile.TemporaryDirectory(prefix="edubrain-upload-") as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        413,
                        "payload_too_large",
                        f"上传文件超过 {home.settings.max_upload_mb} MB 上限（EDUBRAIN_MAX_UPLOAD_MB）",
                        f"The upload exceeds the {home.settings.max_upload_mb} MB limit (EDUBRAIN_MAX_UPLOAD_MB)",
                    )
                out.write(chunk)
        return ingest_file(home, path, dataset_id, org_code, mode=mode, accept_valid=accept_valid, sheet=sheet)
