"""Every auth object works in httpx.Client and httpx.AsyncClient, its login going through the caller's client
(nbs/04_lifecycle.ipynb: cells 69, 70 and 92)."""
import concurrent.futures

import httpx
import pytest

from domo_routes import DomoFullAuth
from domo_routes.fake import FAKE_PASSWORD

from support_lifecycle import ME, EVERY_AUTH, make_auth


@pytest.mark.parametrize('name', EVERY_AUTH)
async def test_every_auth_class_works_in_sync_and_async_clients_logging_in_through_the_callers_client(name):
    "3 sync requests and 1 async request succeed; the login (none for an access token) went through the sync client's hooks"
    fake, auth, url = make_auth(name)
    seen = []
    with fake.sync_client(auth=auth, event_hooks={'request': [lambda r: seen.append(r.url.path)]}) as client:
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    async with fake.client(auth=auth) as client: assert (await client.get(url)).status_code == 200
    logins = 0 if name == 'token' else 1
    assert (len(seen), fake.logins if name != 'token' else 0) == (3 + logins, logins)


async def test_the_login_goes_through_the_callers_transport(fake):
    "With a MockTransport and no network, a login that went around the client would fail; it carries an Origin header"
    async with httpx.AsyncClient(transport=fake.transport(), auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None),
                                 timeout=3) as client:
        r = await client.get(ME)
    assert (r.status_code, fake.logins, [h.request.url.path for h in r.history]) == (200, 1, ['/api/content/v2/authentication'])
    assert 'origin' in fake.log[0].header_names


async def test_the_login_answer_kept_in_the_history_is_scrubbed(fake):
    "The session token is masked in the kept answer, and the password's request body is dropped"
    async with httpx.AsyncClient(transport=fake.transport(), auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None),
                                 timeout=3) as client:
        r = await client.get(ME)
    assert (r.history[0].json()['sessionToken'][:5], r.history[0].request.content) == ('eyJj…', b'')


def test_the_login_carries_the_callers_timeout_and_user_agent(fake):
    captured = []
    def capture(request): captured.append((request.url.path, request.headers.get('user-agent'), request.extensions['timeout']['read']))
    with fake.sync_client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None), timeout=7,
                          headers={'user-agent': 'my-tool/1'}, event_hooks={'request': [capture]}) as client:
        client.get(ME)
    assert captured[0] == ('/api/content/v2/authentication', 'my-tool/1', 7)


async def test_test_rerouting_reaches_every_thread_and_the_callers_own_clients(fake, fake_server):
    "Under `server.routing()`, sync clients in two threads and an async client here reach the fake, with one login"
    with fake_server.routing():
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
        def in_thread():
            with httpx.Client(auth=auth) as client: return client.get(ME).json()['displayName']
        with concurrent.futures.ThreadPoolExecutor(2) as pool: names = list(pool.map(lambda _: in_thread(), range(2)))
        async with httpx.AsyncClient(auth=auth) as client: names.append((await client.get(ME)).json()['displayName'])
    assert (names, fake.logins) == (['Ada Lovelace'] * 3, 1)
