"""RetryTransport: the library routes' retry policy on the caller's own httpx client, sync and async (nbs/19_interop.ipynb):
idempotent requests tried again on 429/502/503/504 and failed connections, Retry-After honoured, a POST never sent
twice after an answer, nothing past the deadline."""
import httpx
import pytest

import domo_routes.interop as interop
from domo_routes import DomoTokenAuth, RetryPolicy
from domo_routes.fake import FAKE_ACCESS_TOKEN
from domo_routes.interop import RetryTransport

ME = 'https://acme.domo.com/api/content/v2/users/me'


@pytest.fixture
def waits(monkeypatch):
    "The waits the transport makes, recorded instead of slept (sync: time.sleep; async: the policy's sleep)"
    seen = []
    monkeypatch.setattr(interop.time, 'sleep', seen.append)
    return seen


def policy(waits, **kwargs) -> RetryPolicy:
    async def record(seconds): waits.append(seconds)
    return RetryPolicy(**{'base_delay': 0.01, 'sleep': record, **kwargs})


def sync_client(fake, waits, **kwargs) -> httpx.Client:
    transport = RetryTransport(fake.sync_transport(), retry=policy(waits), **kwargs)
    return httpx.Client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), transport=transport)


def async_client(fake, waits, **kwargs) -> httpx.AsyncClient:
    transport = RetryTransport(fake.transport(), retry=policy(waits), **kwargs)
    return httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), transport=transport)


def test_sync_a_get_answered_503_twice_gets_the_answer_on_the_third_try(fake, waits):
    fake.fail_next(503, n=2)
    with sync_client(fake, waits) as client: answer = client.get(ME)
    assert answer.status_code == 200 and answer.json()['displayName'] == 'Ada Lovelace'
    assert fake.responses_by_status[503] == 2 and len(waits) == 2


async def test_async_a_get_answered_429_then_502_gets_the_answer(fake, waits):
    fake.fail_next(429).fail_next(502)
    async with async_client(fake, waits) as client: answer = await client.get(ME)
    assert answer.status_code == 200 and len(waits) == 2 and fake.responses_by_status[200] == 1


@pytest.mark.parametrize('mode', ['sync', 'async'])
async def test_retry_after_is_the_wait(fake, waits, mode):
    fake.fail_next(503, headers={'Retry-After': '7'})
    if mode == 'sync':
        with sync_client(fake, waits) as client: assert client.get(ME).status_code == 200
    else:
        async with async_client(fake, waits) as client: assert (await client.get(ME)).status_code == 200
    assert waits == [7.0]


async def test_a_post_answered_503_is_not_sent_again(fake, waits):
    fake.fail_next(503)
    async with async_client(fake, waits) as client:
        answer = await client.post('https://acme.domo.com/api/data/v1/accesstokens', json={'name': 'x'})
    assert answer.status_code == 503 and waits == [] and fake.requests_by_route['fault'] == 1


def test_a_connection_that_failed_before_sending_is_tried_again_for_any_method(fake, waits):
    fake.drop_next()
    with sync_client(fake, waits) as client:
        answer = client.post('https://acme.domo.com/api/data/v1/accesstokens',
                             json={'name': 'ci', 'ownerId': 1893952720, 'expires': 0})
    assert answer.status_code == 200 and answer.json()['name'] == 'ci' and len(waits) == 1


def test_attempts_run_out_and_the_last_answer_is_the_callers(fake, waits):
    fake.fail_next(503, n=5)
    with sync_client(fake, waits) as client: answer = client.get(ME)
    assert answer.status_code == 503 and fake.responses_by_status[503] == 3 and len(waits) == 2  # 3 tries in all


def test_a_dropped_connection_that_keeps_failing_raises_httpxs_error(fake, waits):
    fake.drop_next(n=5)
    with sync_client(fake, waits) as client, pytest.raises(httpx.ConnectError): client.get(ME)
    assert len(waits) == 2


async def test_no_wait_goes_past_the_deadline(fake, waits):
    fake.fail_next(503, headers={'Retry-After': '30'})
    async with async_client(fake, waits, deadline=5) as client: answer = await client.get(ME)
    assert answer.status_code == 503 and waits == []  # 30 s asked, 5 s left: the answer is the caller's at once


async def test_a_streamed_body_cannot_be_sent_twice_so_it_is_not(fake, waits):
    async def chunks():
        yield b'{"name": "x"}'
    fake.fail_next(503)
    async with httpx.AsyncClient(transport=RetryTransport(fake.transport(), retry=policy(waits))) as client:
        answer = await client.put('https://acme.domo.com/api/data/v1/accesstokens/1', content=chunks())
    assert answer.status_code == 503 and waits == []


async def test_behind_an_auth_object_a_streamed_body_is_held_so_it_is_sent_whole_again(fake, waits):
    "The auth objects read the body (to resend it after a 401): then the transport may send it again, all of it"
    async def chunks():
        yield b'{"name": '
        yield b'"x"}'
    fake.fail_next(503)
    async with async_client(fake, waits) as client:
        await client.put('https://acme.domo.com/api/data/v1/accesstokens/1', content=chunks())
    puts = [seen.body_size for seen in fake.log if seen.method == 'PUT']
    assert puts == [13, 13] and len(waits) == 1


async def test_a_redirect_and_the_401_flow_still_happen_above_the_transport(fake, waits):
    "The transport retries; the auth object (above it) still replaces a refused token: a 401 is not retried here"
    from domo_routes import DomoFullAuth
    from domo_routes.fake import FAKE_PASSWORD
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    fake.fail_next(503, path='/users/me')
    async with httpx.AsyncClient(auth=auth, transport=RetryTransport(fake.transport(), retry=policy(waits))) as client:
        assert (await client.get(ME)).status_code == 200
        fake.expire_all()
        assert (await client.get(ME)).status_code == 200
    assert fake.logins == 2 and len(waits) == 1
