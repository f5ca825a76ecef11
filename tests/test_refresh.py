"""Refreshing a token: `invalidate()`, a 401 replacing the token once, advisory and mandatory refresh
(nbs/04_lifecycle.ipynb: cells 42-43, 82 and 84).

The tests of one notebook cell replay its scenario up to the step they check.
"""
import asyncio, datetime, logging

from domo_routes import DomoFullAuth, DomoTokenAuth, DomoError, TokenState
from domo_routes.fake import FakeDomo, LeakCheck, FAKE_PASSWORD

from support_lifecycle import ME, domo_fake

ALWAYS_401 = 'https://acme.domo.com/always-401'
ACCESS_TOKENS = 'https://acme.domo.com/api/data/v1/accesstokens'


async def test_invalidate_forgets_the_token_so_the_next_request_logs_in_again(fake):
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=None)
        assert (auth.state, auth.expires_at) == (TokenState.INVALID, None)  # printed by the example (cell 42)
        await auth.who_am_i()
        assert (auth.state, auth.token is not None, auth.expires_at > datetime.datetime.now(datetime.timezone.utc)) == (
            TokenState.FRESH, True, True)  # printed by the example
        auth.invalidate()
        assert (auth.state, auth.token) == (TokenState.INVALID, None)  # printed by the example
    assert auth.state.name == 'INVALID'


# -- a 401 replaces the token once (cell 82)

async def refused_by_an_endpoint(fake, client):
    "The scenario's first step: 100 concurrent calls to an endpoint that answers 401 to every token; their statuses"
    fake.fail_next(401, n=1000, path='/always-401')
    return [r.status_code for r in await asyncio.gather(*[client.get(ALWAYS_401) for _ in range(100)])]


async def test_an_endpoint_refusing_fresh_tokens_costs_at_most_two_logins_and_its_401_goes_to_each_caller():
    "100 concurrent calls: the first login and one replacement; 10 more calls: none; the token still works elsewhere"
    fake, auth, now = domo_fake()
    async with fake.client(auth=auth) as client:
        statuses = await refused_by_an_endpoint(fake, client)
        assert (set(statuses), fake.logins) == ({401}, 2)
        for _ in range(10): await client.get(ALWAYS_401)
        assert fake.logins == 2
        assert (await client.get(ME)).status_code == 200


async def test_a_revoked_session_is_replaced_once_and_every_request_is_sent_again_with_its_body():
    "After the refusal cooldown the server revokes the session: 20 concurrent POSTs, one login, each body sent again"
    fake, auth, now = domo_fake()
    async with fake.client(auth=auth) as client:
        await refused_by_an_endpoint(fake, client)
        for _ in range(10): await client.get(ALWAYS_401)
        await client.get(ME)
        now[0] += auth.refusal_cooldown + 1
        fake.expire_all()
        fake.delay_next(0.02, n=20)
        posted = await asyncio.gather(*[client.post(ACCESS_TOKENS, json={'name': f'n{i}', 'ownerId': 1893952720}) for i in range(20)])
        assert ({r.status_code for r in posted}, fake.logins) == ({200}, 3)
        assert sorted(r.json()['name'] for r in posted) == sorted(f'n{i}' for i in range(20))


async def test_a_refused_access_token_is_reported_at_once_and_becomes_invalid(fake):
    "An access token cannot be refreshed: the 401 is the answer, no login is tried"
    bad = DomoTokenAuth('acme', 'revoked-access-token-0123456789')
    async with fake.client(auth=bad) as client:
        assert (await client.get(ME)).status_code == 401
    assert (fake.requests_by_route['login'], bad.state) == (0, TokenState.INVALID)


# -- advisory and mandatory refresh (cell 84)

async def failed_advisory_refresh(fake, auth, now, client):
    "The scenario's first step: a 10-minute token, 541 s later (STALE: its last tenth), 20 calls while the login answers 503 three times"
    await client.get(ME)
    first = auth.token
    now[0] += 541
    stale = auth.state
    fake.fail_next(503, n=3, path='/authentication')
    with LeakCheck() as check:
        statuses = {r.status_code for r in await asyncio.gather(*[client.get(ME) for _ in range(20)])}
    return first, stale, statuses, check


async def test_a_failed_advisory_refresh_keeps_the_still_valid_token_with_one_warning():
    fake, auth, now = domo_fake(lifetime=600)
    async with fake.client(auth=auth) as client:
        first, stale, statuses, check = await failed_advisory_refresh(fake, auth, now, client)
        assert stale == TokenState.STALE
        assert statuses == {200}
        assert (auth.token, fake.requests_by_route['fault']) == (first, 3)
        assert sum('still valid' in r.getMessage() and r.levelno == logging.WARNING for r in check.records) == 1


async def test_after_a_failed_advisory_refresh_no_attempt_is_made_during_the_pause():
    fake, auth, now = domo_fake(lifetime=600)
    async with fake.client(auth=auth) as client:
        await failed_advisory_refresh(fake, auth, now, client)
        for _ in range(5): await client.get(ME)
        assert fake.requests_by_route['login'] == 1  # paused: no attempt for advisory_pause seconds


async def test_after_the_advisory_pause_the_stale_token_is_refreshed():
    fake, auth, now = domo_fake(lifetime=600)
    async with fake.client(auth=auth) as client:
        first, *_ = await failed_advisory_refresh(fake, auth, now, client)
        for _ in range(5): await client.get(ME)
        now[0] += 31
        await client.get(ME)
        assert (fake.logins, auth.state) == (2, TokenState.FRESH)
        assert auth.token != first


async def test_a_failed_mandatory_refresh_is_the_callers_error():
    "Once the token has expired, a login answering 503 (retries exhausted) raises for the caller"
    fake, auth, now = domo_fake(lifetime=600)
    async with fake.client(auth=auth) as client:
        await failed_advisory_refresh(fake, auth, now, client)
        for _ in range(5): await client.get(ME)
        now[0] += 31
        await client.get(ME)
        now[0] += 601
        fake.fail_next(503, n=3, path='/authentication')
        try: await client.get(ME); raise AssertionError('no error')
        except DomoError as e: assert e.status == 503
