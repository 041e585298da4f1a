"""The district announces its newest desktop (``serve --client-version/--download-url`` or the environment):
in /health, and in every pull page so a client learns of it from an ordinary sync."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sync.server.api import create_app
from sync.server.cli import build_parser
from sync.server.settings import CLIENT_VERSION_ENV, DOWNLOAD_URL_ENV, ServerSettings
from tests.server.api_world import Replica, sign_in

ANNOUNCED = ServerSettings(client_version="0.2.0", download_url="https://budget.example.cn/download")
RELEASE = {"version": "0.2.0", "download_url": "https://budget.example.cn/download"}


def test_health_and_every_pull_page_announce_the_newest_client(world):
    with TestClient(create_app(world.engine, ANNOUNCED)) as api:
        assert api.get("/api/v1/health").json()["latest_client"] == RELEASE
        headers = sign_in(api, "deputy01")
        replica = Replica().pull(api, headers, limit=50)
        assert replica.last_page["latest_client"] == RELEASE
        nothing_new = api.get("/api/v1/changes", params={"since": replica.cursor}, headers=headers)
        assert nothing_new.json()["latest_client"] == RELEASE
        assert len(nothing_new.content) < 1024  # the handshake stays small


def test_without_an_announcement_the_field_is_null(api):
    assert api.get("/api/v1/health").json()["latest_client"] is None


def test_the_announcement_comes_from_serve_options_or_the_environment(monkeypatch):
    monkeypatch.setenv(CLIENT_VERSION_ENV, "0.3.0")
    monkeypatch.setenv(DOWNLOAD_URL_ENV, "https://env.example.cn/dl")
    assert ServerSettings.from_environment().latest_client() == {"version": "0.3.0",
                                                                 "download_url": "https://env.example.cn/dl"}
    args = build_parser().parse_args(["serve", "--client-version", "0.4.0", "--download-url", "https://x.cn/dl"])
    settings = ServerSettings.from_environment(client_version=args.client_version, download_url=args.download_url)
    assert settings.latest_client() == {"version": "0.4.0", "download_url": "https://x.cn/dl"}
    monkeypatch.delenv(CLIENT_VERSION_ENV)
    assert ServerSettings.from_environment().latest_client() is None
