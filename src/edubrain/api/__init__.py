"""The REST API: a FastAPI app factory, one router per area, auth dependencies."""
