"""Verifiable credentials: Open Badges 3.0 on VC 2.0, Data Integrity and VC-JWT, status lists.

Pure and offline: no store, web or API import, and no network (JSON-LD contexts are
pinned in ``contexts/``). See ``docs/credentials.md``.
"""
