"""The xAPI Learning Record Store (学习记录存储): statements validated, stored pseudonymised, queried in scope.

- :mod:`~edubrain.lrs.versions`: the xAPI versions spoken (1.0.x, 2.0.x) and the version header;
- :mod:`~edubrain.lrs.errors`: the LRS's errors (400 invalid statement, 404, 409 conflict);
- :mod:`~edubrain.lrs.validation`: the structure of a statement (xAPI 1.0.3 Part Two, IEEE 9274.1.1 §2);
- :mod:`~edubrain.lrs.agents`: inverse functional identifiers, their keyed pseudonyms, the pseudonymous copy;
- :mod:`~edubrain.lrs.sealing`: the exact statement as received, encrypted at rest;
- :mod:`~edubrain.lrs.models`, :mod:`~edubrain.lrs.storage`, :mod:`~edubrain.lrs.query`: the operational tables,
  writing (ids, conflicts, voiding) and the statement query (filters, StatementRef targeting, paging);
- :mod:`~edubrain.lrs.multipart`, :mod:`~edubrain.lrs.attachments`, :mod:`~edubrain.lrs.signatures`,
  :mod:`~edubrain.lrs.attachment_files`: attachment parts read and written, matched, signatures checked, data sealed;
- :mod:`~edubrain.lrs.activities`: the Activities and Agents resources (canonical definition, Person);
- :mod:`~edubrain.lrs.access`: the governed door (who writes, who reads, audit); adapters call it and ``documents``;
- :mod:`~edubrain.lrs.documents`: the door of the State, Activity Profile and Agent Profile documents, over
  :mod:`~edubrain.lrs.document_params` (parameters), :mod:`~edubrain.lrs.concurrency` (ETags, 412, 409) and
  :mod:`~edubrain.lrs.document_store` (sealed rows).

See docs/lrs.md.
"""
