"""The Alembic migrations build exactly the schema that sync/schema.py declares, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sync.schema import REPLICATED_TABLES, metadata
from sync.server import db


def test_migrated_database_matches_schema(server_engine):
    with server_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrade_is_idempotent(server_engine):
    db.upgrade(server_engine)
    assert set(metadata.tables) <= set(inspect(server_engine).get_table_names())


def test_every_replicated_table_has_one_key_and_an_audience():
    for table in REPLICATED_TABLES:
        assert len(table.primary_key.columns) == 1, table.name
        assert table.info["audience"], table.name
        for column_name in table.info["audience_columns"].values():
            assert column_name is None or column_name in table.c, (table.name, column_name)


def test_money_is_never_a_float():
    from sqlalchemy import Float, Numeric

    for table in metadata.tables.values():
        for column in table.columns:
            assert not isinstance(column.type, Float), (table.name, column.name)
            if isinstance(column.type, Numeric):
                assert column.type.asdecimal, (table.name, column.name)
