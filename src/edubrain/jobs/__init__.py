"""Lake jobs: read snapshots, run an analytics transform, write a derived dataset back as a new version."""
