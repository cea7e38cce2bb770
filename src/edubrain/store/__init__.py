"""Storage: the versioned lake (Delta tables) and the operational database (SQLAlchemy)."""
