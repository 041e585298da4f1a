"""Push: ``POST /commands``, a batch of outbox commands answered one by one."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends

from sync.server import commands
from sync.server.api.dependencies import ActiveUser, Database, supported_protocol
from sync.server.api.errors import error_responses
from sync.server.api.models import CommandResult, Push, PushResults
from sync.server.db import read_transaction
from sync.server.scope import load_viewer

router = APIRouter(tags=["同步"], dependencies=[Depends(supported_protocol)])


@router.post("/commands", response_model=PushResults, summary="提交待发命令 (逐条答复)",
             responses=error_responses(400, 401, 403, 413, 426))
def push_commands(body: Push, user: ActiveUser, database: Database) -> PushResults:
    with read_transaction(database) as conn:
        viewer = load_viewer(conn, user.user_id)
    actor = commands.Actor(user.user_id, user.username, user.role, user.region_code, viewer, user.device_id)
    answers = commands.run_batch(database, actor, body.commands)
    return PushResults(results=[CommandResult(**asdict(answer)) for answer in answers])
