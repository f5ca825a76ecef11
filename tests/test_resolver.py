"""Resolver Core: the login, renewal and logout routes, and ResolverAuth's lifecycle against FakeResolver
(nbs/10_resolver.ipynb)"""
import asyncio, logging

import pytest

from domo_routes import (DomoError, InvalidCredentialsError, InvalidInstanceError, NoActiveOrgError, ResolverAuth,
                         RetryPolicy, get_resolver_token, logout_resolver_token, renew_resolver_token, token_from_response)
from domo_routes.fake import FAKE_OTP, FAKE_PASSWORD, FAKE_RESOLVER_ORG, FakeResolver, LeakCheck

BASE = 'https://acme.resolver.com'


def resolver_fake(**kw):
    "A FakeResolver and a ResolverAuth sharing one clock that the test moves"
    now = [1_700_000_000.0]
    clock = lambda: now[0]
    fake = FakeResolver(clock=clock, **kw)
    auth = ResolverAuth(BASE, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=fake.client(), clock=clock,
                        token_cache=None)
    return fake, auth, now


# -- the routes

async def test_login_renew_and_logout_routes():
    fake = FakeResolver()
    async with fake.client() as session:
        res = await get_resolver_token(BASE, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=session)
        token = token_from_response(res)
        assert token not in repr(res)  # the token field is masked in the repr
        renewed = token_from_response(await renew_resolver_token(BASE, token, session=session))
        assert renewed != token and renewed in fake.sessions
        assert (await logout_resolver_token(BASE, renewed, session=session)).status == 204
    assert (fake.logins, fake.renewals, fake.logouts, fake.sessions) == (1, 1, 1, {})


@pytest.mark.parametrize('email, password, org, error, message', [
    ('ada@acme.test', 'wrong', FAKE_RESOLVER_ORG, InvalidCredentialsError, 'Invalid email or password'),
    ('left@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, NoActiveOrgError, 'not an active member of any org'),  # a member of no org
    ('ada@acme.test', FAKE_PASSWORD, 999, NoActiveOrgError, 'not an active member of any org'),  # not a member of that org
    ('mfa@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, InvalidCredentialsError, 'Invalid MFA token code'),  # no MFA code
], ids=['password', 'no-org', 'other-org', 'no-mfa'])
async def test_a_refused_login_raises_its_error(email, password, org, error, message):
    fake = FakeResolver()
    async with fake.client() as session:
        with pytest.raises(error) as caught:
            await get_resolver_token(BASE, email, password, org, session=session)
    assert type(caught.value) is error
    assert message in str(caught.value), str(caught.value)
    assert fake.requests_by_route['login'] == 1


async def test_renewing_a_logged_out_token_is_invalid_credentials():
    fake = FakeResolver()
    async with fake.client() as session:
        token = token_from_response(await get_resolver_token(BASE, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=session))
        await logout_resolver_token(BASE, token, session=session)
        with pytest.raises(InvalidCredentialsError) as caught:
            await renew_resolver_token(BASE, token, session=session)
    assert type(caught.value) is InvalidCredentialsError and caught.value.status == 401


async def test_a_bad_base_url_is_refused_before_any_request():
    fake = FakeResolver()
    async with fake.client() as session:
        with pytest.raises(InvalidInstanceError):
            await get_resolver_token('evil.com#.resolver.com', 'ada@acme.test', FAKE_PASSWORD, 1, session=session)
    assert fake.requests_by_route['login'] == 0 and fake.log == []


async def test_an_mfa_account_logs_in_with_its_code():
    fake = FakeResolver()
    async with fake.client() as session:
        ok = await get_resolver_token(BASE, 'mfa@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, mfa_token_code=FAKE_OTP, session=session)
    assert ok.status == 200 and fake.logins == 1


# -- ResolverAuth

async def test_async_with_logs_in_on_first_request_and_logs_out_at_the_end():
    fake = FakeResolver()
    async with ResolverAuth(BASE, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=fake.client(), token_cache=None) as auth:
        assert auth.state.value == 'invalid'
        res = await auth.request('/object/42')
        assert auth.state.value == 'fresh'
    assert auth.state.value == 'invalid'
    assert (res.response['email'], fake.logins, fake.logouts, fake.sessions) == ('ada@acme.test', 1, 1, {})
    assert res.response == {'method': 'GET', 'path': '/object/42', 'email': 'ada@acme.test', 'org': FAKE_RESOLVER_ORG}


async def test_as_httpx_auth_the_token_goes_only_to_its_own_host():
    fake = FakeResolver()
    # an org id read from the environment is a string: it is sent as a number
    auth = ResolverAuth(BASE, 'ada@acme.test', FAKE_PASSWORD, str(FAKE_RESOLVER_ORG), session=fake.client(), token_cache=None)
    async with fake.client(auth=auth) as client:
        assert (await client.get('https://acme.resolver.com/object/1')).json()['org'] == FAKE_RESOLVER_ORG
        assert (await client.get('https://other.resolver.com/object/1')).status_code == 421
    assert [('authorization' in r.header_names) for r in fake.log] == [False, True, False]  # login, API call, other host


async def test_renewed_once_by_get_inside_the_window_and_never_after_expiry():
    fake, auth, now = resolver_fake()
    start = now[0]
    await auth.request('/a')
    assert (fake.logins, fake.renewals) == (1, 0)
    now[0] = start + 13 * 60  # before the window (the last tenth of 15 minutes): nothing happens
    await auth.request('/a')
    assert (fake.logins, fake.renewals, auth.state.value) == (1, 0, 'fresh')
    now[0] = start + 14 * 60
    assert auth.state.value == 'stale'
    for _ in range(3): await auth.request('/a')
    assert (fake.logins, fake.renewals, fake.requests_by_route['renew'], auth.renewals) == (1, 1, 1, 1)
    assert auth.expires_at.timestamp() == start + 29 * 60
    now[0] = start + 30 * 60  # the renewed token expired a minute ago
    assert auth.state.value == 'invalid'
    await auth.request('/a')
    assert (fake.logins, fake.requests_by_route['renew'], fake.responses_by_status[401]) == (2, 1, 0)  # a login, no renewal tried


async def test_a_renewal_that_fails_with_500_falls_back_to_a_login():
    fake, auth, now = resolver_fake()
    await auth.request('/a')
    now[0] += 14 * 60  # inside the window: the last tenth of 15 minutes
    fake.fail_next(500, path='/user/authenticate', method='GET')
    await auth.request('/a')
    assert (fake.logins, fake.renewals, fake.requests_by_route['renew']) == (2, 0, 0)


async def test_a_renewal_refused_because_the_server_dropped_the_session_falls_back_to_a_login():
    fake, auth, now = resolver_fake()
    await auth.request('/a')
    now[0] += 14 * 60  # inside the window: the last tenth of 15 minutes
    fake.expire_all()
    await auth.request('/a')
    assert (fake.logins, fake.renewals, fake.requests_by_route['renew']) == (2, 0, 1)  # the renewal's 401, then a login


async def test_thirty_concurrent_callers_cause_one_login_then_one_renewal():
    fake, auth, now = resolver_fake()
    fake.delay_next(0.05)
    results = await asyncio.gather(*[auth.request(f'/object/{i}') for i in range(30)])
    assert (fake.logins, fake.requests_by_route['login'], [r.status for r in results]) == (1, 1, [200] * 30)
    now[0] += 14 * 60
    fake.delay_next(0.05)
    await asyncio.gather(*[auth.request(f'/object/{i}') for i in range(30)])
    assert (fake.logins, fake.renewals, fake.requests_by_route['api']) == (1, 1, 60)


async def test_logout_ends_the_session_on_the_server():
    fake, auth, now = resolver_fake()
    await auth.request('/a')
    old = auth.token
    await auth.logout()
    assert (fake.logouts, fake.sessions, auth.state.value, auth.token) == (1, {}, 'invalid', None)
    async with fake.client() as raw:
        assert (await raw.get(f'{BASE}/a', headers={'authorization': f'bearer {old}'})).status_code == 401
    await auth.request('/a')  # the next request logs in again
    assert fake.logins == 2


async def test_logout_without_a_live_token_sends_nothing():
    fake, auth, now = resolver_fake()
    await auth.logout()
    await auth.request('/a')
    await auth.logout()
    await auth.logout()
    assert fake.requests_by_route['logout'] == 1  # nothing to end: no request


async def test_a_refused_logout_raises_and_keeps_the_token_for_another_try():
    fake, auth, now = resolver_fake()
    await auth.request('/a')
    fake.fail_next(500, path='/logout')
    with pytest.raises(DomoError) as caught:
        await auth.logout()
    assert (type(caught.value).__name__, caught.value.status, auth.state.value, fake.logouts) == ('AuthError', 500, 'fresh', 0)
    await auth.logout()
    assert (fake.logouts, fake.sessions) == (1, {})


async def test_the_block_error_wins_over_a_failed_logout(caplog):
    caplog.set_level(logging.WARNING, logger='domo_routes')
    fake, auth, now = resolver_fake()
    with pytest.raises(KeyError) as caught:
        async with auth:
            await auth.request('/a')
            auth.login_retry = RetryPolicy(base_delay=0.001)
            fake.fail_next(503, n=3, path='/logout')  # more than the retries of a transient failure
            raise KeyError('the block failed')
    assert (str(caught.value), fake.logouts) == ("'the block failed'", 0)
    lines = [r.getMessage() for r in caplog.records if r.name == 'domo_routes']
    assert any('ResolverAuth: logout after an error failed too' in line and '503' in line for line in lines), lines


@pytest.mark.parametrize('shape', ['object', 'string', 'text'])
async def test_every_token_body_shape_under_an_api_prefix(shape):
    fake = FakeResolver(token_body=shape, base_path='/api')
    auth = ResolverAuth('https://acme.resolver.com/api', 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=fake.client(),
                        token_cache=None)
    assert (await auth.request('/object/1')).response['path'] == '/object/1'
    assert auth.token in fake.sessions and not auth.token.startswith('"')


@pytest.mark.parametrize('shape', ['object', 'string', 'text'])
async def test_a_base_url_without_the_api_prefix_says_so(shape):
    fake = FakeResolver(token_body=shape, base_path='/api')
    wrong = ResolverAuth(BASE, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=fake.client(), token_cache=None)
    with pytest.raises(NoActiveOrgError, match='base_url lacks the API path prefix'):
        await wrong.request('/object/1')


async def test_over_a_real_socket_ten_concurrent_requests_one_login_one_logout():
    fake = FakeResolver()
    with fake.serve() as server:
        async with ResolverAuth(server.url, 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, token_cache=None) as auth:
            results = await asyncio.gather(*[auth.request('/object/1') for _ in range(10)])
    assert (fake.logins, fake.logouts, {r.status for r in results}) == (1, 1, {200})


CANARY_PW = 'CANARY-resolver-pw-4d5e6f7a8b9c'


@pytest.mark.parametrize('shape', ['object', 'text'])
async def test_no_password_or_token_leaks_over_a_real_socket(shape):
    canary_token = f'CANARY-resolver-{shape}-token-0a1b2c3d4e5f'  # a fresh canary per shape: a value once seen stays masked
    fake = FakeResolver(token_factory=lambda: canary_token, token_body=shape)
    fake.users['ada@acme.test'].password = CANARY_PW
    with fake.serve() as server, LeakCheck(CANARY_PW, canary_token) as check:
        auth = ResolverAuth(server.url, 'ada@acme.test', CANARY_PW, FAKE_RESOLVER_ORG, token_cache=None)
        check.add(auth, await auth.request('/a', debug_api=True), auth, auth._flow.token)
        check.add(await get_resolver_token(server.url, 'ada@acme.test', CANARY_PW, FAKE_RESOLVER_ORG, debug_api=True))
        for failing in (lambda: get_resolver_token(server.url, 'ada@acme.test', CANARY_PW + 'x', FAKE_RESOLVER_ORG, debug_api=True),
                        lambda: renew_resolver_token(server.url, canary_token + 'x', debug_api=True)):
            try:
                await failing()
                raise AssertionError('expected an error')
            except DomoError as e:
                check.add(e)
        await auth.logout()
    assert any(r.name == 'httpx' for r in check.records) and any('CANA' in t for t in check.texts)
    check.assert_clean()
