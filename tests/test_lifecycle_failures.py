"""Login failures are shared by the callers waiting for them, and credential failures are remembered
(nbs/04_lifecycle.ipynb: cells 76 and 78).

The wrong-password tests replay the notebook's one scenario step by step (200 concurrent callers, 20 more calls,
`invalidate()`, new credentials); each test checks the step it is named for, after the steps before it.
"""
import asyncio

import httpx
import pytest

from domo_routes import (DomoFullAuth, DomoCookieAuth, DomoDeveloperAuth, InvalidCredentialsError, AccountLockedError,
                         TwoFactorRequiredError)
from domo_routes.fake import FakeDomo, FAKE_PASSWORD, FAKE_CLIENT_ID

from support_lifecycle import ME, domo_fake, raises


async def two_hundred_concurrent_wrong_passwords(fake, client):
    "The scenario's first step: 200 concurrent callers, a slow login with a wrong password"
    fake.delay_next(0.1)
    return await asyncio.gather(*[client.get(ME) for _ in range(200)], return_exceptions=True)


async def twenty_more_calls(client):
    "The scenario's second step: 20 calls after the failure; the last error"
    for _ in range(20): remembered = await raises(InvalidCredentialsError, client.get(ME))
    return remembered


def wrong_password():
    return DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=None)


async def test_200_concurrent_callers_with_a_wrong_password_send_one_attempt_and_all_receive_its_failure(fake):
    async with fake.client(auth=wrong_password()) as client:
        outcomes = await two_hundred_concurrent_wrong_passwords(fake, client)
        assert ({type(o).__name__ for o in outcomes}, fake.requests_by_route['login']) == ({'InvalidCredentialsError'}, 1)


async def test_a_credential_failure_is_remembered_and_no_attempt_is_sent_again(fake):
    "20 calls after the failure send no password; the error says it is remembered and how to try again"
    async with fake.client(auth=wrong_password()) as client:
        await two_hundred_concurrent_wrong_passwords(fake, client)
        remembered = await twenty_more_calls(client)
        assert fake.requests_by_route['login'] == 1
        assert 'remembered' in str(remembered) and 'invalidate()' in str(remembered), str(remembered)


async def test_invalidate_allows_the_next_attempt_after_a_remembered_failure(fake):
    bad = wrong_password()
    async with fake.client(auth=bad) as client:
        await two_hundred_concurrent_wrong_passwords(fake, client)
        await twenty_more_calls(client)
        bad.invalidate()
        try: await client.get(ME)
        except InvalidCredentialsError: pass
        assert fake.requests_by_route['login'] == 2


async def test_new_credentials_are_tried_at_once_after_a_remembered_failure(fake):
    bad = wrong_password()
    async with fake.client(auth=bad) as client:
        await two_hundred_concurrent_wrong_passwords(fake, client)
        await twenty_more_calls(client)
        bad.invalidate()
        try: await client.get(ME)
        except InvalidCredentialsError: pass
        bad.domo_password = FAKE_PASSWORD  # new credentials: tried at once
        assert (await client.get(ME)).status_code == 200
    assert (fake.requests_by_route['login'], fake.logins) == (3, 1)


@pytest.mark.parametrize('kind', ['locked', 'second factor', 'stale cookie', 'rejected client'])
async def test_every_credential_failure_is_remembered(kind):
    "A locked account, a second factor, a stale cookie and a rejected client: 5 calls, one attempt"
    auth, error = {'locked': (DomoFullAuth('acme', 'locked@acme.test', FAKE_PASSWORD, token_cache=None), AccountLockedError),
                   'second factor': (DomoFullAuth('acme', 'otp@acme.test', FAKE_PASSWORD, token_cache=None), TwoFactorRequiredError),
                   'stale cookie': (DomoCookieAuth('acme', 'stale-cookie-0123456789', token_cache=None), InvalidCredentialsError),
                   'rejected client': (DomoDeveloperAuth(FAKE_CLIENT_ID, 'not-the-secret', token_cache=None), InvalidCredentialsError)}[kind]
    fake = FakeDomo()
    url = 'https://api.domo.com/v1/users' if auth.is_developer_auth else ME
    async with fake.client(auth=auth) as client:
        for _ in range(5): await raises(error, client.get(url))
    assert fake.requests_by_route['login'] + fake.requests_by_route['oauth_token'] == 1


async def test_a_transient_login_failure_is_retried_by_the_leader_only():
    "Two 503s on the login: 30 callers all succeed, after 2 faults and one login"
    fake, auth, now = domo_fake()
    fake.fail_next(503, n=2, path='/authentication')
    async with fake.client(auth=auth) as client:
        assert {r.status_code for r in await asyncio.gather(*[client.get(ME) for _ in range(30)])} == {200}
    assert (fake.requests_by_route['fault'], fake.logins) == (2, 1)


async def test_a_login_failure_that_is_not_transient_goes_to_every_waiter():
    "A 500 is not retried: the 30 callers waiting on the slow login all receive its AuthError"
    fake, auth, now = domo_fake()
    fake.delay_next(0.05)  # the failing login is slow, so the 30 callers are all waiting on it
    fake.fail_next(500, n=5, path='/authentication')
    async with fake.client(auth=auth) as client:
        outcomes = await asyncio.gather(*[client.get(ME) for _ in range(30)], return_exceptions=True)
    assert ({type(o).__name__ for o in outcomes}, fake.requests_by_route['fault']) == ({'AuthError'}, 1)


async def test_when_the_leaders_connection_fails_the_waiters_receive_a_network_error(fake, fake_server):
    "The waiters do not try themselves: one fault, no login reached the server, 9 DomoNetworkErrors"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    fake.delay_next(0.2); fake.drop_next(1)
    async with httpx.AsyncClient(transport=fake_server.transport(), auth=auth) as client:
        outcomes = await asyncio.gather(*[client.get(ME) for _ in range(10)], return_exceptions=True)
    kinds = sorted(type(o).__name__ for o in outcomes)
    assert (fake.requests_by_route['fault'], fake.requests_by_route['login']) == (1, 0)
    assert kinds.count('DomoNetworkError') == 9 and len(set(kinds)) == 2, kinds
