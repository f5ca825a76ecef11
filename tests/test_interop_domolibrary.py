"""domolibrary's routes with a domo_routes auth object as `auth=` (the real domolibrary, pinned in the dev extra):
one login for many callers, through expiry, a revoked session replaced when the route's session carries the same
auth object, a wrong password tried once; domolibrary's own auth alongside for the figures (nbs/19_interop.ipynb)."""
import asyncio

import httpx
import pytest

pytest.importorskip('domolibrary')
from domolibrary.client import DomoAuth as domolibrary_auth
import domolibrary.client.get_data as domolibrary_get_data
from domolibrary.routes import auth as auth_routes, user as user_routes

from domo_routes import DomoFullAuth, DomoTokenAuth
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD, FakeDomo


@pytest.fixture
def fake(monkeypatch):
    "A FakeDomo that every client domolibrary makes for itself talks to (its own logins included)"
    fake = FakeDomo()
    real = httpx.AsyncClient

    def client(*args, **kwargs):
        kwargs.setdefault('transport', fake.transport())
        return real(*args, **kwargs)
    monkeypatch.setattr(domolibrary_get_data.httpx, 'AsyncClient', client)
    return fake


def ours(fake, password=FAKE_PASSWORD, **kwargs) -> DomoFullAuth:
    return DomoFullAuth('acme', 'ada@acme.test', password, session=fake.client(), token_cache=None, **kwargs)


async def all_users(auth, fake, session=None):
    return await user_routes.get_all_users(auth=auth, session=session or fake.client())


async def test_twenty_concurrent_cold_callers_make_one_login_where_domolibrarys_own_auth_makes_twenty(fake):
    "The closing note's figure: the same 20 calls, domo_routes' auth then domolibrary's, logins counted"
    fake.delay_next(0.005, n=1000)  # a round trip that takes time, so the callers really overlap
    answers = await asyncio.gather(*[all_users(auth, fake) for auth in [ours(fake)] * 20])
    assert {a.status for a in answers} == {200} and fake.logins == 1
    theirs = domolibrary_auth.DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
    await asyncio.gather(*[all_users(theirs, fake) for _ in range(20)])
    assert fake.logins - 1 == 20  # domolibrary's own: one login per cold caller


async def test_routes_keep_working_across_an_expiry(fake):
    "`token` is None once expired, so domolibrary asks get_auth_token() again: a new login, not a 401"
    now = [1_700_000_000.0]
    fake.clock, fake.session_lifetime = (lambda: now[0]), 600
    auth = ours(fake, clock=lambda: now[0])
    assert (await all_users(auth, fake)).status == 200
    now[0] += 601
    assert auth.token is None and auth.auth_header == {}
    assert (await all_users(auth, fake)).status == 200 and fake.logins == 2 and fake.responses_by_status[401] == 0


async def test_domolibrarys_own_auth_fails_across_the_same_expiry(fake):
    "The figure's other half: domolibrary's own auth keeps its expired token, so the route gets a 401 and raises"
    now = [1_700_000_000.0]
    fake.clock, fake.session_lifetime = (lambda: now[0]), 600
    theirs = domolibrary_auth.DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
    assert (await all_users(theirs, fake)).status == 200
    now[0] += 601
    with pytest.raises(Exception, match='401'): await all_users(theirs, fake)
    assert fake.logins == 1


async def test_a_revoked_session_is_replaced_when_the_routes_session_carries_the_same_auth_object(fake):
    "domolibrary raises on a 401 before asking the auth: `session=httpx.AsyncClient(auth=auth)` answers it first"
    auth = ours(fake)
    async with httpx.AsyncClient(auth=auth, transport=fake.transport()) as session:
        assert (await all_users(auth, fake, session)).status == 200
        fake.expire_all()
        answer = await all_users(auth, fake, session)
    assert answer.status == 200 and fake.logins == 2


async def test_a_wrong_password_with_twenty_callers_is_one_attempt(fake):
    auth = ours(fake, password='not-the-password')
    outcomes = await asyncio.gather(*[all_users(auth, fake) for _ in range(20)], return_exceptions=True)
    assert all(isinstance(o, Exception) for o in outcomes) and fake.requests_by_route['login'] == 1


async def test_domolibrarys_names_and_keyword_arguments_are_there(fake):
    auth = ours(fake)
    assert await auth.get_auth_token(debug_api=False, return_raw=False, debug_num_stacks_to_drop=2)
    assert auth.generate_auth_header() == {'x-domo-authentication': auth.token} == auth.auth_header
    assert auth.url_manual_login == 'https://acme.domo.com/auth/index?domoManualLogin=true'
    me = await auth_routes.who_am_i(auth=auth, session=fake.client())
    assert me.response['displayName'] == 'Ada Lovelace'
    token = DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)
    assert token.domo_access_token == FAKE_ACCESS_TOKEN and (await all_users(token, fake)).status == 200
