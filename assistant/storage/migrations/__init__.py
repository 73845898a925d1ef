"""Alembic migrations of the conversation store (run from code, no alembic.ini)."""
