"""Property-based sync (issue 13, item 2): hypothesis drives random interleavings against a real server.

One server (uvicorn over real HTTP, the end-to-end district of tests/client) serves the whole test, a
fault proxy in front of it; each example is a new PC (a fresh client home and replica of ``deputy01``)
and a second client (``staff01``) on the same server. The rules interleave server writes (budget files
through the real importer, rows appended through the changelog), the other client's commands, the deputy's own
commands (some out of scope, so rejected), pulls cut at random byte counts, pushes whose answers are
lost, runs cancelled at a random point, client restarts, tokens expired or deleted on the server,
backups, restores to an older backup and new epochs.

After every step:
    * the replica is a prefix of the server's history for deputy01: its rows equal the user's changelog
      folded up to the replica's cursor (before its first page: empty; after a restore it has not yet
      heard of: exactly what it held at the restore);
    * no queued command is lost from the outbox, a rejected one keeps its reason, no suggestion exists
      twice on the server.
At the end of each example, after a clean sync: the replica equals what deputy01 may see now, every
valid command is applied exactly once (one stored answer, one suggestion), every invalid one is
rejected with its reason and left no effect.

The example count is bounded in the suite; ``BUDGETWATCH_SLOW_TESTS=1`` runs many more. The seed is
printed; rerun a failure with ``BUDGETWATCH_HYPOTHESIS_SEED=<seed>``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select, update

from sync.client import credentials
from sync.client.errors import SyncError
from sync.client.home import Account
from sync.client.outbox import DONE, Outbox
from sync.protocol import Cursor
from sync.schema import auth_tokens, budget_lines, command_results, departments, executions, users
from sync.server import backup
from sync.server import changelog as server_changelog
from sync.server.demo import load_reference
from sync.server.settings import SERVER_TIMEZONE
from tests.client.conftest import (
    Deputy,
    LiveServer,
    history_until,
    line_payments_disagreement,
    replica_rows,
    suggestions_on_server,
    visible_rows,
)
from tests.client.faultproxy import NO_FAULT, Fault, FaultProxy
from tests.keyring_backend import MemoryKeyring
from tests.server import import_files
from tests.verification.figures import count

SLOW = os.environ.get("BUDGETWATCH_SLOW_TESTS") == "1"
SEED_ENV = "BUDGETWATCH_HYPOTHESIS_SEED"
EXAMPLES = 60 if SLOW else 18
STEPS = 25 if SLOW else 14
IN_SCOPE, OUT_OF_SCOPE, NEIGHBOUR = "511702001", "511703001", "511702002"
PUSH = b"POST /api/v1/commands"

#: what the runs did, for the figures (this module's examples only)
TALLY: Counter[str] = Counter()
FIRST_ROW = 50_000  # rows the rules write, apart from the district's
_imports = itertools.count(1)


class World:
    """What outlives the examples: the server, the proxy in front of it, a folder for homes and backups."""

    def __init__(self, live: LiveServer, proxy: FaultProxy, folder: Path) -> None:
        self.live, self.proxy, self.folder = live, proxy, folder


WORLD: World | None = None


@pytest.fixture(scope="module")
def world(district_templates, tmp_path_factory):
    global WORLD
    folder = tmp_path_factory.mktemp("properties")
    database = folder / "server.db"
    shutil.copy(district_templates["small"], database)
    live = LiveServer(database)
    with live.engine.begin() as conn:  # what the finance bureau's files refer to
        load_reference(conn)
        server_changelog.insert(conn, departments, [
            {"code": import_files.FENGBEI_OFFICE, "name": "东城街道办事处", "region_code": IN_SCOPE}])
    live.start()
    proxy = FaultProxy(live.port).start()
    WORLD = World(live, proxy, folder)
    yield WORLD
    WORLD = None
    proxy.stop()
    live.stop()
    live.engine.dispose()


def server_date() -> dt.date:
    return dt.datetime.now(SERVER_TIMEZONE).date()


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert WORLD is not None
        self.world = WORLD
        self.engine = WORLD.live.engine
        MemoryKeyring.reset()  # a new PC: no token in its keyring, none in this "process"
        credentials._session_tokens.clear()
        home = Path(tempfile.mkdtemp(prefix="pc-", dir=WORLD.folder))
        self.deputy = Deputy(Account.of(home, WORLD.proxy.url, "deputy01"))
        self.staff = Deputy(Account.of(home, WORLD.live.url, "staff01"))
        self.valid: dict[str, str] = {}  # command id → suggestion id, commands the server must apply
        self.invalid: dict[str, str] = {}  # … that the server must reject
        self.archive: Path | None = None
        self.held_at_restore: dict | None = None  # the replica's rows when the server went back under it
        self.restored_epoch: str | None = None
        WORLD.proxy.faults = lambda _index: NO_FAULT
        TALLY["examples"] += 1

    # ------------------------------------------------------------ helpers

    def _sync(self, faults, page_rows: int, **options) -> bool:
        """One run of the deputy's client with ``faults`` on the next connections; True when it finished."""
        proxy = self.world.proxy
        first = proxy.connections
        cuts = proxy.cuts
        proxy.faults = lambda index: faults(index - first)
        try:
            self.deputy.sync(page_rows=page_rows, **options)
            finished = True
        except SyncError:
            TALLY["runs failed (then recovered)"] += 1
            finished = False
        finally:
            proxy.faults = lambda _index: NO_FAULT
        TALLY["connections cut or answers lost"] += proxy.cuts - cuts
        TALLY["client runs"] += 1
        return finished

    def _queue(self, region: str) -> None:
        command_id, suggestion_id = self.deputy.queue_suggestion(f"建议{len(self.valid) + len(self.invalid)}", region)
        (self.valid if region == IN_SCOPE else self.invalid)[command_id] = suggestion_id

    def _server_epoch(self) -> str:
        with self.engine.begin() as conn:
            return server_changelog.epoch(conn)

    # ------------------------------------------------------------ rules

    @initialize()
    def first_sync(self) -> None:
        self._queue(IN_SCOPE)
        self.deputy.sync(page_rows=500)
        self.staff.sync(page_rows=500)
        self.take_backup()  # so a restore can come at any step

    @rule(lines=st.integers(1, 3), visible=st.booleans(), drop_old=st.booleans())
    def server_writes(self, lines: int, visible: bool, drop_old: bool) -> None:
        """Rows arrive on the server (as an import writes them): new lines with executions, changed and removed ones."""
        region = IN_SCOPE if visible else NEIGHBOUR
        with self.engine.begin() as conn:
            first = max(conn.execute(select(func.max(budget_lines.c.id))).scalar_one() + 1, FIRST_ROW)
            keys = list(range(first, first + lines))  # after the importer's, which numbers from the last one
            server_changelog.insert(conn, budget_lines, [{
                "id": key, "year": 2026, "region_code": region, "department_code": "D01", "function_code": "2080505",
                "economic_code": "30212", "fund_code": "1", "approved": key} for key in keys])
            server_changelog.insert(conn, executions, [{
                "id": key * 10 + month, "line_id": key, "year": 2026, "region_code": region, "month": month,
                "amount": month * 100} for key in keys for month in (1, 2)])
            server_changelog.update(conn, budget_lines, {4: {"approved": keys[0]}})
            if drop_old:
                old = conn.execute(select(executions.c.id).where(executions.c.id >= FIRST_ROW * 10)
                                   .order_by(executions.c.id).limit(2)).scalars().all()
                server_changelog.delete(conn, executions, old)
        TALLY["server writes"] += 1

    @rule(lines=st.integers(1, 4))
    def import_budget(self, lines: int) -> None:
        """The operator imports the township's 2027 budget (``budgetwatch-server import``): it replaces the last one."""
        number = next(_imports)
        rows = [("凤北街道", import_files.FENGBEI_OFFICE, "街道办事处本级", "21205", "302", f"保洁{number}-{i}", "否",
                 (i + 1) * 10_000, None) for i in range(lines)]
        path = import_files.budget_file(self.world.folder, year=2027, lines=rows, name=f"预算{number}.xlsx")
        outcome = import_files.load(self.engine, "budget", path, year=2027)
        assert outcome.ok, outcome.problems
        TALLY["budget imports"] += 1

    @rule(valid=st.lists(st.booleans(), min_size=1, max_size=3))
    def queue_commands(self, valid: list[bool]) -> None:
        for good in valid:
            self._queue(IN_SCOPE if good else OUT_OF_SCOPE)

    @precondition(lambda self: self.valid)
    @rule(data=st.data())
    def other_client_assigns(self, data) -> None:
        """staff01, on another PC, assigns one of the deputy's suggestions (applied if it is there yet)."""
        suggestion_id = data.draw(st.sampled_from(sorted(self.valid.values())))
        with self.staff.replica() as replica:
            Outbox(replica, "staff01").enqueue("suggestion.assign", {
                "suggestion_id": suggestion_id, "department_code": "D01",
                "deadline": (server_date() + dt.timedelta(days=30)).isoformat()}, "staff01")
        self.staff.sync(page_rows=500)
        TALLY["other client's commands"] += 1

    @rule(after=st.integers(1, 4000), connections=st.integers(1, 4), page_rows=st.sampled_from([3, 7, 50]))
    def answers_cut(self, after: int, connections: int, page_rows: int) -> None:
        """A run whose first ``connections`` connections break after ``after`` bytes of the server's answers."""
        self._cut_run(Fault(cut_down_after=after), connections, page_rows)

    @rule(after=st.integers(1, 4000), connections=st.integers(1, 4), page_rows=st.sampled_from([3, 7, 50]))
    def requests_cut(self, after: int, connections: int, page_rows: int) -> None:
        """… after ``after`` bytes of the client's requests (a push cut mid-body, a request half sent)."""
        self._cut_run(Fault(cut_up_after=after), connections, page_rows)

    def _cut_run(self, fault: Fault, connections: int, page_rows: int) -> None:
        self._sync(lambda index: fault if index < connections else NO_FAULT, page_rows)
        TALLY["cut runs"] += 1

    @rule(connections=st.integers(1, 3))
    def sync_answer_lost(self, connections: int) -> None:
        """The server applies the push, the answer never arrives (for the first ``connections`` connections)."""
        fault = Fault(drop_answer_to=PUSH)
        self._sync(lambda index: fault if index < connections else NO_FAULT, 7)
        TALLY["runs with lost answers"] += 1

    @rule(events=st.integers(1, 40))
    def sync_cancelled(self, events: int) -> None:
        """The run stops at a random point (the user cancels, the PC sleeps)."""
        seen = Counter()
        holder: list = []

        def progress(_event) -> None:
            seen["events"] += 1
            if seen["events"] == events:
                holder[0].cancel()

        run = self.deputy.run(page_rows=3, progress=progress)
        holder.append(run)
        try:
            run.run()
        except SyncError:
            TALLY["runs cancelled mid-way"] += 1
        TALLY["client runs"] += 1

    @rule()
    def clean_sync(self) -> None:
        assert self._sync(lambda _index: NO_FAULT, 50)

    @rule()
    def client_restarts(self) -> None:
        """A new process: nothing of the old one's memory (its session token) is left, the files are."""
        credentials._session_tokens.clear()
        TALLY["client restarts"] += 1

    @rule(deleted=st.booleans())
    def token_expires(self, deleted: bool) -> None:
        """The server forgets (or expires) every token of deputy01: the next run signs in again."""
        with self.engine.begin() as conn:
            mine = select(users.c.id).where(users.c.username == "deputy01").scalar_subquery()
            if deleted:
                conn.execute(delete(auth_tokens).where(auth_tokens.c.user_id == mine))
            else:
                conn.execute(update(auth_tokens).where(auth_tokens.c.user_id == mine)
                             .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
        TALLY["tokens expired or deleted"] += 1

    @rule()
    def take_backup(self) -> None:
        self.archive = self.world.folder / f"backup-{TALLY['backups']}.tar.gz"
        backup.backup(self.engine, self.archive, attachments=self.world.folder / "attachments")
        TALLY["backups"] += 1

    @precondition(lambda self: self.archive is not None)
    @rule()
    def restore_older_backup(self) -> None:
        """The district restores the backup: what the server applied since is gone, under a new epoch."""
        self._went_back()
        backup.restore(self.engine, self.archive, attachments=self.world.folder / "attachments")
        self.restored_epoch = self._server_epoch()
        TALLY["restores to an older backup"] += 1

    @rule()
    def new_epoch(self) -> None:
        """``budgetwatch-server new-epoch`` (the database went back by other means)."""
        self._went_back()
        self.restored_epoch = backup.start_new_epoch(self.engine)
        TALLY["new epochs"] += 1

    def _went_back(self) -> None:
        with self.deputy.replica() as replica:
            self.held_at_restore = replica_rows(replica)

    # ------------------------------------------------------------ invariants

    @invariant()
    def replica_is_a_prefix_of_the_history(self) -> None:
        with self.deputy.replica() as replica:
            cursor = Cursor.decode(replica.cursor())
            rows = replica_rows(replica)
        server_epoch = self._server_epoch()
        if cursor is not None and cursor.epoch != server_epoch:
            # The server went back and this replica has not heard yet: it holds what it held then.
            assert rows == self.held_at_restore
            return
        assert rows == history_until(self.engine, "deputy01", cursor.seq if cursor else 0)
        TALLY["prefix checks"] += 1

    @invariant()
    def line_payments_agree_with_the_executions(self) -> None:
        with self.deputy.replica() as replica:
            assert line_payments_disagreement(replica) == []

    @invariant()
    def outbox_keeps_every_command_and_nothing_is_doubled(self) -> None:
        commands = {c.uuid: c for c in self.deputy_commands()}
        assert set(commands) == set(self.valid) | set(self.invalid)
        for command in commands.values():
            if command.state == "rejected":
                assert command.uuid in self.invalid and OUT_OF_SCOPE in command.reason, command
        for suggestion_id in [*self.valid.values(), *self.invalid.values()]:
            assert suggestions_on_server(self.engine, suggestion_id) <= 1

    def deputy_commands(self):
        with self.deputy.replica() as replica:
            return Outbox(replica, "deputy01").commands()

    # ------------------------------------------------------------ the end of an example

    def teardown(self) -> None:
        self.world.proxy.faults = lambda _index: NO_FAULT
        credentials._session_tokens.clear()
        self.staff.sync(page_rows=500)  # its lost commands go again too
        self.deputy.sync(page_rows=50)
        with self.deputy.replica() as replica:
            assert replica_rows(replica) == visible_rows(self.engine, "deputy01")
        states = {c.uuid: c for c in self.deputy_commands()}
        with self.engine.connect() as conn:
            stored = dict(conn.execute(select(command_results.c.uuid, func.count()).where(
                command_results.c.uuid.in_(list(states))).group_by(command_results.c.uuid)).all())
        for command_id, suggestion_id in self.valid.items():
            assert states[command_id].state in DONE, states[command_id]
            assert stored.get(command_id) == 1 and suggestions_on_server(self.engine, suggestion_id) == 1
        for command_id, suggestion_id in self.invalid.items():
            assert states[command_id].state == "rejected" and OUT_OF_SCOPE in states[command_id].reason
            assert suggestions_on_server(self.engine, suggestion_id) == 0
        TALLY["commands applied exactly once"] += len(self.valid)
        TALLY["commands rejected and kept"] += len(self.invalid)
        TALLY["examples converged"] += 1


@pytest.mark.timeout(1800 if SLOW else 300)
def test_random_interleavings_keep_the_replica_a_prefix_and_apply_each_command_once(world):
    chosen = int(os.environ.get(SEED_ENV) or random.randrange(2**32))
    print(f"hypothesis seed {chosen} (rerun with {SEED_ENV}={chosen}); {EXAMPLES} examples of up to {STEPS} steps")
    TALLY.clear()
    machine = seed(chosen)(SyncMachine)
    options = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
                       phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    try:
        run_state_machine_as_test(machine, settings=options)
    except BaseException as exc:
        exc.add_note(f"hypothesis seed {chosen} ({SEED_ENV}={chosen}); so far: {dict(TALLY)}")
        raise
    print(", ".join(f"{name}: {value}" for name, value in sorted(TALLY.items())))
    assert TALLY["examples converged"] == TALLY["examples"] >= EXAMPLES
    assert TALLY["connections cut or answers lost"] > 0 and TALLY["prefix checks"] > EXAMPLES
    for name, value in TALLY.items():
        count(f"sync properties: {name}", value)
