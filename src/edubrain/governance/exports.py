"""Exports: a whole read through the one read path, recorded in the audit trail as an export."""

from __future__ import annotations

from typing import Any

from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import ReadResult, read_dataset
from edubrain.home import Home
from edubrain.store.db import session_scope


def read_for_export(home: Home, principal: Principal, dataset_id: str, file_format: str, **read: Any) -> ReadResult:
    """Every row of ``dataset_id`` the principal may see (masked), with an ``export`` event in the audit trail.

    Args:
        home: The installation.
        principal: Who exports.
        dataset_id: The catalog dataset.
        file_format: The file format asked for (recorded).
        **read: Arguments of :func:`~edubrain.governance.readpath.read_dataset` (filters, sort, purpose, version).
    """
    result = read_dataset(home, principal, dataset_id, **read)
    with session_scope(home.engine) as session:
        record_event(
            session, actor=principal.id, actor_role=",".join(sorted({g.role for g in principal.grants})),
            org_code=principal.grants[0].org_code if principal.grants else None, action="export", dataset=dataset_id,
            fields=result.table.column_names, row_count=result.table.num_rows, purpose=result.purpose,
            minors="student_id" in home.catalog.dataset(dataset_id).field_names,
            detail={"format": file_format, "version": result.version, "masked": result.masked},
        )  # fmt: skip
    return result
