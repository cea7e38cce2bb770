"""The audit record of a downloaded list assembled from several governed reads (an action list with names).

:func:`~edubrain.governance.exports.read_for_export` records the export of one dataset read whole. A list built
from more than one read (rows of a derived dataset, names from a register) is exported as one file: this records
that file once, with the fields it holds, after each read went through the read path (scoped, masked, and
audited there when personal information was shown unmasked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store.db import session_scope


def record_list_export(
    home: Home,
    principal: Principal,
    *,
    dataset: str,
    fields: Sequence[str],
    rows: int,
    file_format: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one ``export`` event (committed at once) for a list file of ``rows`` rows holding ``fields``.

    Args:
        home: The installation.
        principal: Who downloads.
        dataset: The dataset the list is drawn from (its other sources go in ``detail``).
        fields: The columns of the file (a register's column as ``dataset.field``).
        rows: Rows in the file.
        file_format: ``csv`` or ``xlsx``.
        detail: More context (version, year, the other datasets read, what was masked).
    """
    with session_scope(home.engine) as session:
        record_event(
            session,
            actor=principal.id,
            actor_role=",".join(sorted({g.role for g in principal.grants})) or None,
            org_code=principal.grants[0].org_code if principal.grants else None,
            action="export",
            dataset=dataset,
            fields=list(fields),
            row_count=rows,
            minors=False,
            detail={"format": file_format, **(detail or {})},
        )
