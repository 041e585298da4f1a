"""Done criteria of the server API against the district demo (``budgetwatch-server demo`` + ``serve``),
on both databases: the demo is generated once per database for this module (it takes seconds)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import Engine, select

from sync.schema import suggestions
from sync.server import db
from sync.server.demo import DemoAccount, load_demo
from tests.server.api_world import Replica, assert_replica_matches, reassign, serving, sign_in


@dataclass(frozen=True)
class Demo:
    url: str
    engine: Engine
    accounts: dict[str, DemoAccount]

    def sign_in(self, http, username: str, base: str) -> dict[str, str]:
        return sign_in(http, username, base=base, password=self.accounts[username].password)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                ids=["sqlite", "postgresql"])
def demo(request, tmp_path_factory) -> Demo:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'server.db'}"
    else:
        postgres = request.getfixturevalue("postgres_server")
        database = postgres.create_database()
        url = postgres.url(database)
    engine = db.make_engine(url)
    db.upgrade(engine)
    made = load_demo(engine, scale="district", seed=1)
    yield Demo(url, engine, {account.username: account for account in made})
    engine.dispose()
    if request.param == "postgresql":
        postgres.drop_database(database)


def test_a_demo_deputy_pulls_exactly_what_they_may_see_then_nothing(demo):
    with serving(demo.url) as base, requests.Session() as http:
        headers = demo.sign_in(http, "deputy01", base)
        replica = Replica().pull(http, headers, base=base, limit=5000)
        assert replica.requests > 3
        assert_replica_matches(replica, demo.engine, "deputy01")
        before = replica.requests
        replica.pull(http, headers, base=base)
        assert (replica.requests, replica.last_page["tables"]) == (before + 1, {})


def test_a_demo_department_pulls_its_own_suggestions_and_loses_a_reassigned_one(demo):
    department = demo.accounts["dept_jiaotong"].department_code
    with serving(demo.url) as base, requests.Session() as http:
        headers = demo.sign_in(http, "dept_jiaotong", base)
        replica = Replica().pull(http, headers, base=base, limit=5000)
        with demo.engine.connect() as conn:
            own = set(conn.execute(select(suggestions.c.id)
                                   .where(suggestions.c.department_code == department)).scalars())
        assert own and set(replica.tables["suggestions"]) == own

        leaving = sorted(own)[0]
        reassign(demo.engine, leaving, demo.accounts["dept_jiaoyu"].department_code)
        replica.pull(http, headers, base=base)
        assert ("suggestions", leaving) in replica.deletes_seen
        assert set(replica.tables["suggestions"]) == own - {leaving}
        assert_replica_matches(replica, demo.engine, "dept_jiaotong")
