"""Storage tests, on SQLite and PostgreSQL."""
