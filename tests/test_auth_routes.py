"""The auth routes against FakeDomo: get_full_auth, get_cookie_auth, get_developer_auth, who_am_i, session_token_expiry.

Ported from nbs/03_auth_routes.ipynb: cells 16, 17, 18, 20, 23, 29, 31, 39, 41, 43 and 46 (the #| live cells need a real
instance and are not ported).
"""
import datetime

import pytest

from domo_routes import (AuthError, InvalidInstanceError, InvalidCredentialsError, AccountLockedError, NoAccessTokenReturned,
                         TwoFactorRequiredError, InvalidAuthTypeError, InvalidInputError, get_full_auth, get_cookie_auth,
                         get_developer_auth, who_am_i, session_token_expiry)
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_DSID, make_session_token
from domo_routes.routes import cookie_auth_request, developer_auth_request
from support_client import raises_async

WRONG_PASSWORD = 'wrong-password-CANARY-42'
ADA_ID = 1893952720


def login(session, user, pw=FAKE_PASSWORD, **kw):
    return get_full_auth('acme', user, pw, session=session, **kw)


# --- get_full_auth: the original page's three calls, offline (cells 16, 17, 18) ---

async def test_invalid_credentials_are_reported_like_the_original(fake):
    async with fake.client() as session:
        e = await raises_async((InvalidCredentialsError, AccountLockedError),
                               get_full_auth(domo_instance='acme', domo_username='test@test.com', domo_password='fake password', session=session))
    assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: get_full_auth || status 200 || INVALID_CREDENTIALS at acme'


async def test_an_unknown_instance_is_reported_like_the_original(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidInstanceError,
                               get_full_auth(domo_instance='test', domo_username='fake@test.com', domo_password='fake password', session=session))
    assert str(e) == '🛑  InvalidInstanceError 🛑 - function: get_full_auth || status 403 || Forbidden at test'


async def test_valid_credentials_return_the_session(fake):
    async with fake.client() as session:
        res = await get_full_auth(domo_instance='acme', domo_username='ada@acme.test', domo_password=FAKE_PASSWORD, session=session)
    assert (res.status, res.is_success, res.response['success'], res.response['userId']) == (200, True, True, ADA_ID)


async def test_the_session_token_is_masked_in_the_repr(fake):
    async with fake.client() as session:
        res = await get_full_auth(domo_instance='acme', domo_username='ada@acme.test', domo_password=FAKE_PASSWORD, session=session)
    assert res.response['sessionToken'] not in repr(res) and "'sessionToken': 'eyJj…" in repr(res)


# --- get_full_auth: the other answers (cell 20) ---

async def test_a_locked_account_is_account_locked_error(fake):
    async with fake.client() as session:
        e = await raises_async(AccountLockedError, login(session, 'locked@acme.test'))
    assert str(e) == '🛑  AccountLockedError 🛑 - function: get_full_auth || status 200 || ACCOUNT_LOCKED at acme'


async def test_an_account_needing_a_second_factor_is_two_factor_required_error(fake):
    async with fake.client() as session:
        e = await raises_async(TwoFactorRequiredError, login(session, 'otp@acme.test'))
    assert 'second factor' in str(e) and 'REQUIRED' in str(e), str(e)


@pytest.mark.parametrize('body', [{}, ''], ids=['empty-json', 'empty-body'])
async def test_a_200_without_a_session_token_is_no_access_token_returned(fake, body):
    async with fake.client() as session:
        fake.fail_next(200, body=body)
        await raises_async(NoAccessTokenReturned, login(session, 'ada@acme.test'))


async def test_a_server_error_is_an_auth_error_with_the_status_phrase(fake):
    async with fake.client() as session:
        fake.fail_next(500)
        e = await raises_async(AuthError, login(session, 'ada@acme.test'))
    assert (e.status, e.message) == (500, 'Internal Server Error')


async def test_return_raw_returns_the_undigested_answer(fake):
    async with fake.client() as session:
        raw = await login(session, 'ada@acme.test', WRONG_PASSWORD, return_raw=True)
    assert (raw.status, raw.response['reason']) == (200, 'INVALID_CREDENTIALS')


async def test_a_wrong_password_is_not_in_the_error(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidCredentialsError, login(session, 'ada@acme.test', WRONG_PASSWORD, parent_class='DomoFullAuth'))
    assert WRONG_PASSWORD not in str(e) + repr(e)


async def test_the_parent_class_is_named_before_the_route(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidCredentialsError, login(session, 'ada@acme.test', WRONG_PASSWORD, parent_class='DomoFullAuth'))
    assert str(e).split(' || ')[0] == '🛑  InvalidCredentialsError 🛑 - function: DomoFullAuth.get_full_auth'


async def test_a_refused_instance_name_sends_nothing(fake):
    async with fake.client() as session:
        await login(session, 'ada@acme.test')
        sent = list(fake.log)
        await raises_async(InvalidInstanceError, get_full_auth('evil.com#', 'ada@acme.test', FAKE_PASSWORD, session=session))
    assert fake.log == sent and fake.log[-1].host == 'acme.domo.com'


# --- get_cookie_auth (cell 23) ---

async def test_a_browser_cookie_is_exchanged_for_a_session(fake):
    async with fake.client() as session:
        res = await get_cookie_auth('acme', FAKE_DSID, session=session)
    assert (res.status, res.response['userId'], fake.log[-1].header_names >= {'origin', 'cookie'}) == (200, ADA_ID, True)
    assert res.response['userRole'] == 'Privileged'  # the example's printed output


async def test_a_stale_cookie_is_invalid_credentials_without_showing_it(fake):
    stale = 'stale-browser-cookie-CANARY-0123456789'
    async with fake.client() as session:
        e = await raises_async(InvalidCredentialsError, get_cookie_auth('acme', stale, session=session))
    assert stale not in str(e) + repr(e)
    assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: get_cookie_auth || status 200 || INVALID_CREDENTIALS at acme'


@pytest.mark.parametrize('bad', ['a;b', 'a b', 'x\nSet-Cookie: y', ''], ids=['semicolon', 'space', 'header-injection', 'empty'])
def test_a_cookie_value_that_cannot_be_sent_is_refused(bad):
    with pytest.raises(InvalidInputError) as caught: cookie_auth_request('acme', bad)
    assert 'domo_dsid' in str(caught.value)


def test_a_cookie_value_read_with_whitespace_is_stripped():
    assert cookie_auth_request('acme', f' {FAKE_DSID}\n').headers['cookie'] == f'_dsidv1={FAKE_DSID}'


# --- get_developer_auth (cells 29, 31) ---

async def test_wrong_client_credentials_are_reported_like_the_original(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidCredentialsError,
                               get_developer_auth(domo_client_id='test_id', domo_client_secret='test_secret', auth=None, session=session))
    assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: get_developer_auth || status 401 || Unauthorized'


async def test_client_credentials_through_a_session_get_a_bearer_token_with_the_scopes(fake):
    async with fake.client() as session:
        res = await get_developer_auth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, session=session, scope=['data', 'user'])
    assert (res.response['token_type'], res.response['scope'], res.response['expires_in']) == ('bearer', 'data user', 3599)


async def test_the_access_token_is_not_in_the_repr(fake):
    async with fake.client() as session:
        res = await get_developer_auth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, session=session, scope=['data', 'user'])
    assert res.response['access_token'] not in repr(res)


async def test_client_credentials_are_sent_through_a_callers_session(fake):
    async with fake.client() as session:
        await get_developer_auth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, session=session, scope=['data', 'user'])
    assert 'authorization' in fake.log[-1].header_names


def test_a_scope_that_is_not_words_is_refused():
    # the notebook calls the private `_scope_text('data; drop')`; here the public request builder that uses it
    with pytest.raises(InvalidInputError) as caught: developer_auth_request(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, scope='data; drop')
    assert 'invalid scope' in str(caught.value)


# --- who_am_i (cells 39, 41, 43) ---

ME_FIELDS = sorted(['id', 'invitorUserId', 'displayName', 'department', 'userName', 'emailAddress', 'avatarKey', 'accepted',
                    'userType', 'modified', 'created', 'anonymous', 'systemUser', 'pending', 'active'])


async def test_who_am_i_with_a_developer_token_header(fake):
    async with fake.client() as session:
        me = (await who_am_i(auth=None, domo_instance='acme', auth_header={'x-domo-developer-token': FAKE_ACCESS_TOKEN},
                             debug_api=False, return_raw=False, session=session)).response
    assert (me['id'], me['displayName'], sorted(me)) == (ADA_ID, 'Ada Lovelace', ME_FIELDS)


async def test_who_am_i_with_a_session_token_header_is_the_same_user(fake):
    async with fake.client() as session:
        me = (await who_am_i(auth=None, domo_instance='acme', auth_header={'x-domo-developer-token': FAKE_ACCESS_TOKEN},
                             debug_api=False, return_raw=False, session=session)).response
        res = await get_full_auth(domo_instance='acme', domo_username='ada@acme.test', domo_password=FAKE_PASSWORD, session=session)
        session_token = res.response.get('sessionToken')
        me2 = (await who_am_i(auth=None, domo_instance='acme', auth_header={'x-domo-authentication': session_token}, session=session)).response
    assert me2 == me


async def test_who_am_i_with_a_wrong_token_is_invalid_credentials_without_showing_it(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidCredentialsError, who_am_i(None, 'acme', {'x-domo-developer-token': 'not-a-token-CANARY-777'}, session=session))
    assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: who_am_i || status 401 || Unauthorized at acme'
    assert 'not-a-token-CANARY-777' not in repr(e)


async def test_who_am_i_on_an_unknown_instance_is_invalid_instance(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidInstanceError, who_am_i(None, 'test', {'x-domo-developer-token': FAKE_ACCESS_TOKEN}, session=session))
    assert str(e) == '🛑  InvalidInstanceError 🛑 - function: who_am_i || status 403 || Forbidden at test'


async def test_who_am_i_without_credentials_is_invalid_auth_type_and_sends_nothing(fake):
    async with fake.client() as session:
        e = await raises_async(InvalidAuthTypeError, who_am_i(None, 'acme', session=session))
    assert repr(e) == ("InvalidAuthTypeError(function_name='who_am_i', status=None, message='who_am_i needs an auth object or an "
                       "auth_header dict', domo_instance='acme', parent_class=None)")  # the example's displayed output
    assert fake.log == []


# --- session_token_expiry (cell 46) ---

def test_the_expiry_of_a_session_token_is_decoded():
    assert (session_token_expiry(make_session_token(1, expires_at=1729146454.205, now=0))
            == datetime.datetime(2024, 10, 17, 6, 27, 34, 205000, tzinfo=datetime.timezone.utc))


def test_the_expiry_of_the_original_pages_example_token_is_decoded():
    # the example token published on the original Auth Routes page (expired 2024-10-17), not a credential
    published_example_token = 'eyJjdXN0b21lcklkIjoibW1tbS0wMDEyLTAyMDAiLCJleHBpcmF0aW9uIjoxNzI5MTQ2NDU0MjA1LCJobWFjU2lnbmF0dXJlIjoiZTMzMGRiOTMzMDVjODkzZTkwZmQyYThmOWU4MWIzZDdiOTA1MTI3MmEwMzIxMWUzYjE5YmE5MDlkMDZkYzg4ZCIsInNpZCI6ImRhMjJjNTU5LTEwNTctNDE5NC05ZTJlLTM3YTIwODdhOWRlYiIsInRpbWVzdGFtcCI6MTcyOTExNzY1NDIwNSwidG9lcyI6IlVOS05PV05TSUQiLCJ1c2VySWQiOiIxODkzOTUyNzIwIn0%3D'
    assert session_token_expiry(published_example_token).isoformat() == '2024-10-17T06:27:34.205000+00:00'


def test_an_opaque_token_has_no_known_expiry():
    assert session_token_expiry('opaque') is None
