"""The store: SQLAlchemy tables, Alembic migrations, engines and the unit of work."""
