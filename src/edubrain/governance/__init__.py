"""Governance: identities, roles and scopes, masking, pseudonyms, PII detection and the audit trail."""
