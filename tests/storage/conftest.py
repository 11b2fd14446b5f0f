from tests.db_fixtures import db, db_url

__all__ = ["db", "db_url"]
