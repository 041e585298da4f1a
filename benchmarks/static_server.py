"""The wire limit's server: uvicorn handing out pre-compressed files from memory, nothing else.

    python -m benchmarks.static_server FOLDER PORT

``GET /<name>`` answers the bytes of ``FOLDER/<name>`` with ``Content-Encoding: gzip`` — the same
loopback, HTTP server and client stack as a pull, without building or compressing anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn


def make_app(folder: Path):
    files = {f"/{path.name}".encode(): path.read_bytes() for path in folder.iterdir()}

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = files.get(scope["raw_path"], b"")
        await send({"type": "http.response.start", "status": 200 if body else 404, "headers": [
            (b"content-type", b"application/json"), (b"content-encoding", b"gzip"),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return app


if __name__ == "__main__":
    uvicorn.run(make_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
                lifespan="off")
