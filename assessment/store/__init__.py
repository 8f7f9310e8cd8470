"""Database models and queries (SQLAlchemy); nothing about HTTP."""
