"""The server benchmark's load process: simulated users in one asyncio loop, each on its own keep-alive connection.

    python -m benchmarks.load_client < PLAN.json   (prints one JSON result per step)

Run pinned to one core (``taskset -c 0``) by :mod:`benchmarks.server_load`, the server on the other. Each
user has its own ``httpx.AsyncClient`` (one connection, keep-alive) and its own bearer token, and sends
its next request as soon as the last one is answered, for the step's seconds. A warm-up request per user
opens the connections before the timed window. The process's own CPU share in the window is reported, so
a figure limited by the load generator rather than by the server can be told apart.

Plan: ``{"url", "headers", "tokens": [...], "paths": {kind: path}, "steps": [{"kind", "clients", "seconds"}]}``;
a step with ``"idle"`` seconds holds its connections idle that long after the warm-up, then measures. The
client never drops an idle connection itself (httpx would after 5 s): reopened connections are the server's doing.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    connects: int = 0  # TCP connections opened in the window (a closed keep-alive connection is reopened)

    async def trace(self, event: str, _info: dict) -> None:
        if event == "connection.connect_tcp.complete":
            self.connects += 1


async def _request(client: httpx.AsyncClient, path: str, tally: Tally | None) -> None:
    started = time.perf_counter()
    try:
        answer = await client.get(path, extensions={"trace": tally.trace} if tally else {})
        await answer.aread()
        failed = None if answer.status_code == 200 else f"HTTP {answer.status_code}"
    except httpx.HTTPError as exc:
        failed = f"{type(exc).__name__}: {exc}"
    if tally is None:
        if failed:
            raise RuntimeError(f"warm-up request failed: {failed}")
        return
    if failed:
        tally.errors.append(failed)
    else:
        tally.latencies.append(time.perf_counter() - started)


async def _user(client: httpx.AsyncClient, path: str, tally: Tally, until: float, repeat: int | None) -> None:
    done = 0
    while (time.perf_counter() < until) if repeat is None else done < repeat:
        await _request(client, path, tally)
        done += 1


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


async def run_step(plan: dict, step: dict) -> dict:
    clients = []
    for n in range(step["clients"]):
        headers = dict(plan["headers"], Authorization=f"Bearer {plan['tokens'][n % len(plan['tokens'])]}")
        clients.append(httpx.AsyncClient(base_url=plan["url"], headers=headers, timeout=60,
                                         limits=httpx.Limits(max_connections=1, max_keepalive_connections=1,
                                                             keepalive_expiry=None)))  # the server decides
    path = plan["paths"][step["kind"]]
    try:
        await asyncio.gather(*(_request(client, path, None) for client in clients))
        if step.get("idle"):
            await asyncio.sleep(step["idle"])
        tally = Tally()
        cpu, started = os.times(), time.perf_counter()
        until = started + step.get("seconds", 0)
        await asyncio.gather(*(_user(client, path, tally, until, step.get("repeat")) for client in clients))
        elapsed = time.perf_counter() - started
        used = os.times()
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    ordered = sorted(tally.latencies)
    return {**step, "ok": len(ordered), "errors": len(tally.errors), "error_samples": sorted(set(tally.errors))[:3],
            "seconds_measured": elapsed, "throughput": len(ordered) / elapsed,
            "p50_ms": _percentile(ordered, 0.50), "p95_ms": _percentile(ordered, 0.95),
            "p99_ms": _percentile(ordered, 0.99), "connects": tally.connects,
            "mean_ms": statistics.fmean(ordered) * 1000 if ordered else 0.0,
            "load_cpu": (used.user + used.system - cpu.user - cpu.system) / elapsed}


async def main() -> None:
    plan = json.load(sys.stdin)
    for step in plan["steps"]:
        print(json.dumps(await run_step(plan, step)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
