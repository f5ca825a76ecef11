"""The token guard rides only on the hops after the first (nbs/06_lifecycle_guards.ipynb): httpcore does not call it while
the request goes to its own origin, and does on every redirect httpx builds from it; the caller's own `trace` extension
sees every hop; a redirect followed by hand goes without the token too."""
import httpx
import pytest

from domo_routes import DomoTokenAuth
from domo_routes.fake import FAKE_ACCESS_TOKEN, FakeDomo
from domo_routes.lifecycle.guards import AfterFirstHop, TokenGuard

from support_attacks import hostile_server

ME = 'https://acme.domo.com/api/content/v2/users/me'


@pytest.fixture
def collector():
    "A server somewhere else that keeps what it received"
    server = hostile_server(lambda conn, head: conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'))
    with server: yield server


@pytest.fixture
def routed():
    fake = FakeDomo()
    with fake.serve() as server, server.routing(): yield fake


def no_token_reached(collector) -> bool:
    return collector.received and all(FAKE_ACCESS_TOKEN.encode() not in r for r in collector.received)


def test_sync_the_callers_trace_sees_both_hops_and_the_guard_only_the_second(routed, collector, monkeypatch):
    calls, events = [], []
    real_strip = TokenGuard.strip
    monkeypatch.setattr(TokenGuard, 'strip', lambda self, name, info: (calls.append(name), real_strip(self, name, info)))
    routed.redirect_next(f'{collector.url}/away', status=307)
    with httpx.Client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), follow_redirects=True) as client:
        answer = client.get(ME, extensions={'trace': lambda name, info: events.append(name)})
    assert answer.status_code == 200 and no_token_reached(collector)
    assert events.count('http11.send_request_headers.started') == 2  # the caller's: both hops
    assert calls and calls.count('http11.send_request_headers.started') == 1  # the guard's: the redirect only


async def test_async_the_callers_trace_sees_both_hops_and_the_token_stays_off_the_other_origin(routed, collector):
    events = []
    async def trace(name, info): events.append(name)
    routed.redirect_next(f'{collector.url}/away', status=302)
    async with httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), follow_redirects=True) as client:
        answer = await client.get(ME, extensions={'trace': trace})
    assert answer.status_code == 200 and no_token_reached(collector)
    assert events.count('http11.send_request_headers.started') == 2


async def test_a_redirect_followed_by_hand_goes_without_the_token(routed, collector):
    routed.redirect_next(f'{collector.url}/by-hand', status=307)
    async with httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)) as client:
        first = await client.get(ME)
        assert first.status_code == 307 and first.next_request is not None
        await client.send(first.next_request)
    assert no_token_reached(collector)


def test_a_same_origin_redirect_keeps_the_token(routed):
    routed.redirect_next('/api/content/v2/users/me', status=307)
    with httpx.Client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), follow_redirects=True) as client:
        answer = client.get('https://acme.domo.com/old-place')
    assert answer.status_code == 200 and answer.json()['displayName'] == 'Ada Lovelace'


def test_httpcore_finds_the_callers_trace_on_the_first_hop_and_the_guard_on_a_copy():
    "What httpx does with the extensions: the request's own (AfterFirstHop) for the first hop, `dict(...)` for redirects"
    mine = lambda name, info: None
    request = httpx.Request('GET', ME, extensions={'trace': mine})
    guard = TokenGuard.on(request, FAKE_ACCESS_TOKEN)
    guard.install(request)
    assert isinstance(request.extensions, AfterFirstHop) and request.extensions.get('trace') is mine
    redirected = httpx.Request('GET', 'https://elsewhere.example/', extensions=request.extensions)
    assert redirected.extensions.get('trace') is guard and guard.chained is mine
    again = TokenGuard.on(redirected, FAKE_ACCESS_TOKEN)  # a request built from a guarded one: never a guard of a guard
    assert again.chained is mine


REBUILDS = {
    'items': lambda ext: dict(ext.items()),
    'comprehension': lambda ext: {k: v for k, v in ext.items()},
    'copy': lambda ext: ext.copy(),
    'copy.copy': lambda ext: __import__('copy').copy(ext),
    'deepcopy': lambda ext: __import__('copy').deepcopy(ext),
    'unpacking': lambda ext: {**ext},
    'values': lambda ext: dict(zip(ext.keys(), ext.values())),
}


@pytest.mark.parametrize('rebuild', REBUILDS)
def test_a_callers_hook_that_rebuilds_the_extensions_keeps_the_guard(routed, collector, rebuild):
    "A request hook of the caller that copies `request.extensions` in any common way: the token still stays home"
    def hook(request): request.extensions = REBUILDS[rebuild](request.extensions)
    routed.redirect_next(f'{collector.url}/away', status=302)
    with httpx.Client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), follow_redirects=True,
                      event_hooks={'request': [hook]}) as client:
        assert client.get(ME).status_code == 200
    assert no_token_reached(collector), collector.received
