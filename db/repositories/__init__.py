"""One small repository per aggregate.

Each operation opens its own short ``with Session(engine)`` and returns frozen dataclasses, not
ORM objects, so nothing detached or lazily loaded ever reaches the UI thread.
"""
