"""The four Domo auth objects, as the examples of nbs/05_domo_auth.ipynb show them (cells 18, 20, 22, 29, 33, 45).

Those cells assert nothing; these tests check what their printed output shows.
"""
from domo_routes import DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth
from domo_routes.fake import FAKE_PASSWORD, FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_DSID

from support_lifecycle import ME, ADA_ID, current_token


async def test_the_first_request_logs_in_and_ten_more_reuse_the_token(fake):
    "The login's answer is listed in the response's history"
    async with fake.client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)) as client:
        me = await client.get(ME)
        assert (me.status_code, me.json()['displayName'], fake.logins, [r.status_code for r in me.history]) == (200, 'Ada Lovelace', 1, [200])
        for _ in range(10): await client.get(ME)
    assert fake.logins == 1


def test_full_auth_works_in_a_sync_client(fake):
    with fake.sync_client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)) as client:
        assert client.get(ME).json()['emailAddress'] == 'ada@acme.test'


async def test_full_auth_who_am_i_sets_the_user_and_reads_an_eight_hour_session(fake):
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    res = await auth.who_am_i()
    assert (repr(auth), res.response['displayName'], auth.user_id, round(current_token(auth).lifetime / 3600)) == (
        "DomoFullAuth(domo_instance='acme', domo_username='ada@acme.test', state=fresh)", 'Ada Lovelace', ADA_ID, 8)


async def test_cookie_auth_exchanges_the_browser_cookie_and_never_shows_it(fake):
    cookie = DomoCookieAuth('acme', FAKE_DSID, session=fake.client(), token_cache=None)
    assert ((await cookie.who_am_i()).response['displayName'], repr(cookie)) == ('Ada Lovelace', "DomoCookieAuth(domo_instance='acme', state=fresh)")


async def test_token_auth_needs_no_login_and_takes_a_url_and_a_trailing_newline(fake):
    token_auth = DomoTokenAuth('https://acme.domo.com/', FAKE_ACCESS_TOKEN + '\n', session=fake.client())
    logins = fake.logins
    assert ((await token_auth.who_am_i()).response['displayName'], repr(token_auth), fake.logins - logins) == (
        'Ada Lovelace', "DomoTokenAuth(domo_instance='acme', state=fresh)", 0)


async def test_developer_auth_who_am_i_reads_the_user_and_instance_its_token_names(fake):
    developer = DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, scope='data user', session=fake.client(), token_cache=None)
    assert ((await developer.who_am_i()).response['name'], repr(developer), developer.domo_instance) == (
        'Ada Lovelace', "DomoDeveloperAuth(domo_client_id='fake-client-id', scope='data user', state=fresh)", 'acme')
