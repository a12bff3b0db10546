"""The SQLite backend of the desk: one file per desk (``SqliteBackend``), its schema and
migrations, its dialect of the repositories, and ``db check``."""
