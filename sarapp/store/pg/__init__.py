"""The desk on a PostgreSQL server (issue 13): locations, schema and migrations, the chain's
concurrency primitives, search, live notices and roles. Modules import psycopg themselves;
importing this package loads nothing."""
