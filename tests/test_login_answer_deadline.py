"""A login whose answer drips (a byte at a time, each within the read timeout) ends at LOGIN_ANSWER_SECONDS, on the
caller's own httpx client (sync and async) and through a `requests` session: a clear error, no hang
(nbs/08_lifecycle_driver.ipynb)."""
import time

import httpx
import pytest

import domo_routes.lifecycle.driver as driver
from domo_routes import DomoError, DomoFullAuth, reroute
from domo_routes.fake import FAKE_PASSWORD

from support_attacks import drip, hostile_server

ME = 'https://acme.domo.com/api/content/v2/users/me'


@pytest.fixture
def dripping(monkeypatch):
    "Every request answered by a server that sends one byte every half second; a login deadline of 1 s"
    monkeypatch.setattr(driver, 'LOGIN_ANSWER_SECONDS', 1.0)
    with hostile_server(drip) as server, reroute(server.url): yield server


def auth() -> DomoFullAuth:
    return DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)


def test_sync_client(dripping):
    started = time.monotonic()
    with httpx.Client(auth=auth(), timeout=5) as client, pytest.raises((DomoError, httpx.TimeoutException)):
        client.get(ME)
    assert time.monotonic() - started < 6  # the drip alone lasts 50 s


async def test_async_client(dripping):
    started = time.monotonic()
    async with httpx.AsyncClient(auth=auth(), timeout=5) as client:
        with pytest.raises((DomoError, httpx.TimeoutException)): await client.get(ME)
    assert time.monotonic() - started < 6


def test_requests_session(dripping):
    requests = pytest.importorskip('requests')
    session, started = requests.Session(), time.monotonic()
    with pytest.raises(DomoError):
        driver.requests_login(auth(), session, f'{dripping.url}/api/content/v2/users/me', 'acme.domo.com', timeout=5)
    assert time.monotonic() - started < 6
