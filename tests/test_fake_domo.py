"""FakeDomo in-process: session tokens in Domo's format, login, users/me, the paged users listing, its clock and its
fault injection (nbs/01_fake.ipynb)"""
import base64, json

import httpx
import pytest

from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD, FakeDomo, make_session_token

INSTANCE = 'https://acme.domo.com'
LOGIN = f'{INSTANCE}/api/content/v2/authentication'
ME = f'{INSTANCE}/api/content/v2/users/me'
USERS = f'{INSTANCE}/api/content/v2/users'


def test_a_session_token_carries_its_expiry_in_epoch_ms_and_its_user():
    token = make_session_token(1, expires_at=1000.0, now=0.0)
    doc = json.loads(base64.b64decode(token.replace('%3D', '=')))
    assert (doc['expiration'], doc['userId']) == (1_000_000, '1')


async def test_the_users_listing_pages_with_limit_and_offset(fake):
    async with fake.client() as client:
        listing = lambda **params: client.get(USERS, params=params, headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})
        pages = [(await listing(limit=2, offset=o)).json() for o in (0, 2, 4)]
        assert [[u['userName'] for u in page] for page in pages] == [['ada@acme.test', 'locked@acme.test'], ['otp@acme.test'], []]
        assert len((await listing()).json()) == 3  # default limit: all three
        assert [(await listing(limit=v)).status_code for v in (0, 'x')] == [400, 400]
    assert fake.requests_by_route['users'] == 6


async def test_the_users_listing_needs_a_user_and_a_get(fake):
    async with fake.client() as client:
        assert (await client.get(f'{USERS}?limit=2')).status_code == 401
        assert (await client.post(USERS, headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})).status_code == 404
    assert fake.requests_by_route['users'] == 1  # the POST is not the listing


async def test_a_password_login_gives_a_session_for_users_me(fake):
    async with fake.client() as client:
        res = await client.post(LOGIN, json={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': FAKE_PASSWORD})
        token = res.json()['sessionToken']
        me = await client.get(ME, headers={'x-domo-authentication': token})
        assert me.json()['displayName'] == 'Ada Lovelace'
        assert (await client.get(ME)).status_code == 401
    assert (fake.logins, fake.requests_by_route['login'], fake.requests_by_route['me']) == (1, 1, 2)


async def test_another_instance_is_forbidden(fake):
    async with fake.client() as client:
        assert (await client.get('https://test.domo.com/api/content/v2/users/me')).text == 'Forbidden'


async def test_a_wrong_password_is_a_200_with_invalid_credentials(fake):
    async with fake.client() as client:
        bad = await client.post(LOGIN, json={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': 'nope'})
    assert (bad.status_code, bad.json()['reason']) == (200, 'INVALID_CREDENTIALS')
    assert (fake.logins, fake.requests_by_route['login']) == (0, 1)


@pytest.fixture
def timed():
    "A FakeDomo with 60-second sessions on a clock the test moves"
    now = [1_000_000.0]
    return FakeDomo(clock=lambda: now[0], session_lifetime=60), now


async def test_a_session_expires_on_the_fake_clock(timed):
    fake, now = timed
    async with fake.client() as client:
        token = (await client.post(LOGIN, json={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': FAKE_PASSWORD})).json()['sessionToken']
        me = lambda: client.get(ME, headers={'x-domo-authentication': token})
        assert (await me()).status_code == 200
        now[0] += 61
        assert (await me()).status_code == 401


async def test_fail_next_answers_the_next_requests_with_a_status(fake):
    async with fake.client() as client:
        fake.fail_next(503, n=2)
        assert [(await client.get(f'{INSTANCE}/x')).status_code for _ in range(3)] == [503, 503, 401]
    assert fake.responses_by_status[503] == 2


async def test_fail_next_with_a_path_spares_other_requests(fake):
    async with fake.client() as client:
        fake.fail_next(418, path='/users/me')
        assert [(await client.get(f'{INSTANCE}/{p}')).status_code for p in ('x', 'api/content/v2/users/me')] == [401, 418]
    assert fake.responses_by_status[418] == 1


async def test_drop_next_fails_at_the_connection(fake):
    async with fake.client() as client:
        fake.drop_next()
        with pytest.raises(httpx.ConnectError):
            await client.get(f'{INSTANCE}/x')
