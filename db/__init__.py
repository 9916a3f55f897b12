"""The kiosk's database: SQLAlchemy models, Alembic migrations, small repositories.

Nothing is imported here on purpose: ``import sqlalchemy`` costs about half a second, so the
UI imports ``db.connection`` and the repositories after it has painted its first screen.
"""
