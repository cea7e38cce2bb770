"""Identity links (学籍身份合并): which student numbers were merged into which, as the profile job reads them.

Identity resolution (:mod:`edubrain.governance.identity_merge`) may decide that two student records are the
same child and merge one (``student_id``) into another (``canonical_id``). Each merge is a row of
``identity_merges`` (migration ``0004``); an undo marks the row undone and never deletes it. This module is
the read side that the derived profiles consume:

- :func:`active_links`: every merged-away number and the number of its group's canonical record;
- :func:`linked_ids`: all numbers of the merged group holding a student;
- :func:`links_revision`: a number that changes on every merge or undo, recorded in the profiles' lineage.

Merges may chain (A into B, later B into C): a link always names the group's root, the record that was not
merged away. These functions return identifiers only; they carry no name or other personal field.
"""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edubrain.governance.models import IdentityMerge
from edubrain.home import Home
from edubrain.store.db import session_scope

LINK_SCHEMA = pa.schema([pa.field("student_id", pa.string()), pa.field("canonical_id", pa.string())])
"""Columns of :func:`active_links`."""


def active_edges(session: Session) -> dict[str, str]:
    """Active merges as ``{merged-away id: id it was merged into}`` (one step, not yet resolved to the root)."""
    rows = session.execute(
        select(IdentityMerge.student_id, IdentityMerge.canonical_id).where(IdentityMerge.undone_at.is_(None))
    ).all()
    return {str(student): str(canonical) for student, canonical in rows}


def resolve_roots(edges: dict[str, str]) -> dict[str, str]:
    """Each merged-away id mapped to its group's root (the id at the end of its chain of merges).

    A cycle cannot be stored (a merge refuses two ids of one group); should one appear, the walk stops at the
    first repeated id instead of looping.
    """
    roots: dict[str, str] = {}
    for start in edges:
        seen = {start}
        node = edges[start]
        while node in edges and node not in seen:
            seen.add(node)
            node = edges[node]
        roots[start] = node
    return roots


def root_of(session: Session, student_id: str) -> str:
    """The canonical (root) id of ``student_id``'s group; the id itself when it was never merged away."""
    return resolve_roots(active_edges(session)).get(student_id, student_id)


def active_links(home: Home) -> pa.Table:
    """Every merged-away student number and the canonical number of its group (active merges only).

    Returns:
        A table with string columns ``student_id`` and ``canonical_id``, sorted by ``student_id``; empty
        (with those columns) when nothing is merged.
    """
    with session_scope(home.engine) as session:
        roots = resolve_roots(active_edges(session))
    ids = sorted(roots)
    return pa.table({"student_id": ids, "canonical_id": [roots[i] for i in ids]}, schema=LINK_SCHEMA)


def linked_ids(home: Home, student_id: str) -> list[str]:
    """All student numbers of the merged group containing ``student_id``: itself first, the others sorted.

    ``[student_id]`` when it belongs to no active merge.
    """
    with session_scope(home.engine) as session:
        roots = resolve_roots(active_edges(session))
    root = roots.get(student_id, student_id)
    group = {root} | {member for member, r in roots.items() if r == root}
    return [student_id, *sorted(group - {student_id})]


def links_revision(home: Home) -> int:
    """A number that grows on every merge and every undo (0 when none ever happened).

    It is the count of merges plus the count of undos; rows are never deleted, so it never goes back and two
    different link states never share a revision within one database.
    """
    with session_scope(home.engine) as session:
        merges, undos = session.execute(select(func.count(IdentityMerge.id), func.count(IdentityMerge.undone_at))).one()
    return int(merges) + int(undos)
