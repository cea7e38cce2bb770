"""A small cache of dataset pages that show no personal information unmasked, per lake state.

Every read goes through :func:`~edubrain.governance.readpath.read_dataset`
the first time. Its result is kept only when nothing in it needed an audit
record (no personal field shown unmasked, no purpose): such a result is the
same for every principal with the same grants while the tables it depends
on are unchanged (:func:`~edubrain.governance.state.lake_state`), so it may be
served again. A read that shows personal information unmasked is never
cached: each one is read, and audited, anew (the audit is written by
``read_dataset`` itself, so no path through this cache can skip it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from edubrain.governance.identity import Principal
from edubrain.governance.readpath import ReadResult, read_dataset
from edubrain.governance.state import lake_state
from edubrain.home import Home

SCOPE_TABLES = ("schools", "students")
"""Tables the row scope itself reads (a district's schools, a teacher's pupils)."""


class PageCache:
    """Least-recently-used cache of masked dataset pages.

    Args:
        size: Pages kept.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], ReadResult] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def read(
        self, home: Home, principal: Principal, dataset_id: str, filters: dict[str, str], limit: int, offset: int
    ) -> ReadResult:
        """One page of ``dataset_id`` for ``principal``, from the cache when it holds nothing personal unmasked."""
        stamps = lake_state(home, (dataset_id, *SCOPE_TABLES))
        grants = tuple(sorted((g.role, g.org_code, g.org_level, g.refs) for g in principal.grants))
        key = (dataset_id, grants, tuple(sorted(filters.items())), limit, offset, stamps)
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        result = read_dataset(home, principal, dataset_id, filters=filters, limit=limit, offset=offset)
        if not result.unmasked_personal:
            with self._lock:
                self._pages[key] = result
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return result
