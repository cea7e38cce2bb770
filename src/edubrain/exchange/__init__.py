"""The exchange: reading submitted files, validating them, committing batches."""
