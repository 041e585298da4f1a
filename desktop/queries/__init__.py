"""The desktop's read layer: SQLAlchemy Core selects over the replica's ``sync.schema`` tables.

No Qt here. Every function takes a read-only :class:`~sqlalchemy.Connection` and returns plain
dataclasses with amounts still in fen; panels format them (``desktop.amounts``).
"""
