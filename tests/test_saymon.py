"""SAYMON: the token route, and SaymonAuth's token in the `api-token` query parameter, masked wherever a URL is shown
(nbs/11_saymon.ipynb)"""
import asyncio

import httpx
import pytest

from domo_routes import (AuthError, DomoError, InvalidCredentialsError, InvalidInputError, InvalidInstanceError, SaymonAuth,
                         get_saymon_token, token_from_response)
from domo_routes.fake import FAKE_PASSWORD, FAKE_SAYMON_USER_ID, FakeSaymon, LeakCheck
from domo_routes.saymon import auth_token_path

HOST = 'saymon.example.com'


# -- the route

async def test_a_quoted_token_is_read_without_its_quotes():
    fake = FakeSaymon()
    async with fake.client() as session:
        res = await get_saymon_token(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=session)
    quoted = token_from_response(res)
    assert (quoted[0] != '"', quoted in fake.tokens) == (True, True)
    assert quoted not in repr(res), repr(res)
    assert fake.requests_by_route['auth_token'] == 1


async def test_a_bare_token_is_read_as_it_is():
    fake = FakeSaymon(quote_token=False)
    async with fake.client() as session:
        bare = token_from_response(await get_saymon_token(f'https://{HOST}', 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=session))
    assert bare in fake.tokens
    assert fake.requests_by_route['auth_token'] == 1


@pytest.mark.parametrize('login, password, user_id, error, status', [
    ('admin', 'wrong', FAKE_SAYMON_USER_ID, InvalidCredentialsError, 401),
    ('ada', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, AuthError, 403),  # no manage-users permission
    ('admin', FAKE_PASSWORD, 'nobody', AuthError, 404),  # no such user
], ids=['password', 'permission', 'user'])
async def test_a_refused_token_request_raises_its_error(login, password, user_id, error, status):
    fake = FakeSaymon()
    async with fake.client() as session:
        with pytest.raises(DomoError) as caught:
            await get_saymon_token(HOST, login, password, user_id, session=session)
    assert (type(caught.value), caught.value.status) == (error, status)
    assert fake.requests_by_route['auth_token'] == 1


async def test_a_permission_failure_says_what_is_missing():
    fake = FakeSaymon()
    async with fake.client() as session:
        with pytest.raises(AuthError, match='lacks the manage-users permission'):
            await get_saymon_token(HOST, 'ada', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=session)


async def test_a_bad_host_is_refused_before_any_request():
    fake = FakeSaymon()
    async with fake.client() as session:
        with pytest.raises(InvalidInstanceError) as caught:
            await get_saymon_token('evil.com#saymon.example.com', 'admin', FAKE_PASSWORD, 'x', session=session)
    assert caught.value.status is None
    assert fake.requests_by_route['auth_token'] == 0 and fake.log == []


@pytest.mark.parametrize('bad', ['../../admin', 'a/b', 'a?x', '', None, '..'])
def test_a_user_id_that_could_leave_its_path_is_refused(bad):
    with pytest.raises(InvalidInputError, match='user_id must be'):
        auth_token_path(bad)


# -- SaymonAuth

async def test_who_am_i_creates_one_token_for_every_request():
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    assert auth.state.value == 'invalid'
    me = await auth.who_am_i()
    assert auth.state.value == 'fresh'
    for _ in range(3): await auth.request('/node/api/objects')
    assert (me.response['login'], fake.logins, fake.requests_by_route['api']) == ('ada', 1, 3)
    assert FAKE_PASSWORD not in repr(auth) and auth.token not in repr(auth)


async def test_as_httpx_auth_the_token_is_off_the_response_url_and_off_other_hosts():
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    async with fake.client(auth=auth) as client:
        res = await client.get(f'https://{HOST}/node/api/objects', params={'limit': 5})
        assert (res.status_code, res.json()['login'], str(res.url)) == (200, 'ada', f'https://{HOST}/node/api/objects?limit=5')
        assert (await client.get('https://elsewhere.example.com/node/api/objects')).status_code == 421
    assert 'api-token' in fake.log[1].query_names and 'api-token' not in fake.log[2].query_names  # on the wire to its host only


async def test_raise_for_status_after_a_refusal_shows_no_token():
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    async with fake.client(auth=auth) as client:
        await client.get(f'https://{HOST}/node/api/objects')
        fake.fail_next(401, n=2, path='/objects')
        failed = await client.get(f'https://{HOST}/node/api/objects')
        with pytest.raises(httpx.HTTPStatusError) as caught:
            failed.raise_for_status()
    assert auth.token not in str(caught.value) and 'node/api/objects' in str(caught.value), str(caught.value)
    assert fake.logins == 2  # the 401 made it create a new token and retry once


@pytest.mark.parametrize('quote_token', [True, False])
async def test_quoted_and_unquoted_tokens_are_the_same_token(quote_token):
    fake = FakeSaymon(quote_token=quote_token)
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    assert (await auth.who_am_i()).response['id'] == FAKE_SAYMON_USER_ID
    assert '"' not in auth.token and auth.token in fake.tokens


async def test_a_refused_token_is_replaced_once_and_the_retry_succeeds():
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    await auth.who_am_i()
    fake.expire_all()
    assert (await auth.who_am_i()).status == 200
    assert fake.logins == 2


async def test_a_new_token_refused_at_once_is_not_replaced_before_the_cooldown():
    "A token obtained because of a refusal, and refused before any request with it succeeded (a token that has worked"
    " earns its retry instead: tests/test_attacks_stores_and_lifecycle.py)"
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    await auth.who_am_i()
    fake.fail_next(401, n=2, path='/users/current')  # the token, then the one obtained because of that refusal
    with pytest.raises(InvalidCredentialsError) as caught:
        await auth.who_am_i()
    assert (caught.value.status, fake.logins) == (401, 2)
    fake.fail_next(401, n=2, path='/users/current')
    with pytest.raises(InvalidCredentialsError) as caught:
        await auth.who_am_i()
    assert (caught.value.status, fake.logins) == (401, 2)  # refused again at once, never having worked: not replaced
    auth.refusal_cooldown = 0  # later on, a refusal replaces it again
    fake.fail_next(401, n=2, path='/users/current')
    with pytest.raises(InvalidCredentialsError) as caught:
        await auth.who_am_i()
    assert (caught.value.status, fake.logins) == (401, 3)


async def test_thirty_concurrent_callers_create_one_token():
    fake = FakeSaymon()
    auth = SaymonAuth(HOST, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=fake.client(), token_cache=None)
    fake.delay_next(0.05)
    results = await asyncio.gather(*[auth.who_am_i() for _ in range(30)])
    assert (fake.logins, fake.requests_by_route['auth_token'], {r.status for r in results}) == (1, 1, {200})


CANARY_TOKEN, CANARY_PW = 'CANARY-saymon-token-6b7c8d9e0f1a2b3c', 'CANARY-saymon-pw-1029384756'


async def test_no_token_or_password_in_any_log_line_exception_or_repr():
    fake = FakeSaymon(token_factory=lambda: CANARY_TOKEN)
    fake.users['admin'].password = CANARY_PW
    with LeakCheck(CANARY_TOKEN, CANARY_PW) as check:
        with fake.serve() as server:
            auth = SaymonAuth(server.url, 'admin', CANARY_PW, FAKE_SAYMON_USER_ID, token_cache=None)
            holder = SaymonAuth(server.url, 'admin', CANARY_PW, FAKE_SAYMON_USER_ID, token_cache=None)  # holds a live token when the server goes
            await holder.get_auth_token()
            check.add(auth, await auth.who_am_i(debug_api=True), auth, auth._flow.token)
            async with httpx.AsyncClient(auth=auth) as client:
                res = await client.get(f'{server.url}/node/api/objects')
                check.add(res, res.request, res.url, res.text)
                fake.fail_next(401, n=2, path='/objects')
                res = await client.get(f'{server.url}/node/api/objects')
                try: res.raise_for_status()
                except httpx.HTTPStatusError as e: check.add(e)
            fake.fail_next(401, n=2, path='/users/current')
            for failing in (lambda: auth.who_am_i(debug_api=True),
                            lambda: get_saymon_token(server.url, 'admin', CANARY_PW + 'x', FAKE_SAYMON_USER_ID, debug_api=True)):
                try:
                    await failing()
                    raise AssertionError('expected an error')
                except DomoError as e:
                    check.add(e)
        try:
            await auth.who_am_i(debug_api=True)
            raise AssertionError('the server is gone')
        except DomoError as e:
            check.add(e)
        async with httpx.AsyncClient(auth=holder) as client:
            try:
                await client.get(holder.url('/node/api/objects'))
                raise AssertionError('the server is gone')
            except httpx.ConnectError as e:
                check.add(e, e.request, e.request.url)
    check.add(auth)
    assert fake.tokens and any('api-token=CANA' in t for t in check.texts)  # the token went in URLs, and shows up masked
    assert any(r.name == 'httpx' for r in check.records) and any(r.name.startswith('httpcore') for r in check.records)
    check.assert_clean()
