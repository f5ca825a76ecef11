"""The README's offline tour (nbs/index.ipynb), step by step against FakeDomo: what each step shows is what it does.
Auth objects are made with token_cache=None unless the step is about a cache (the README's own code leaves the
default, the process-wide memory cache, which these tests keep out of)."""
import asyncio

import httpx

from conftest import one_error_line
from domo_routes import (DomoDeveloperAuth, DomoFullAuth, DomoTokenAuth, FileTokenCache, InvalidCredentialsError, InvalidInstanceError,
                         ResolverAuth, SaymonAuth, get_full_auth, run_sync, who_am_i)
from domo_routes.fake import (FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD, FAKE_RESOLVER_ORG, FAKE_SAYMON_USER_ID,
                              FakeDomo, FakeResolver, FakeSaymon)
from support_cli import served  # noqa: F401 (a fixture)


async def test_a_login_route_answers_with_a_response_whose_repr_masks_the_token():
    fake = FakeDomo()
    res = await get_full_auth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client())
    assert (res.status, res.response['userId'], res.response['twoFactorInfo']['status']) == (200, 1893952720, 'VALID')
    assert res.response['sessionToken'] not in repr(res)


async def test_errors_say_what_happened_naming_the_route():
    session = FakeDomo().client()
    try: await get_full_auth('acme', 'ada@acme.test', 'wrong password', session=session); raise AssertionError('no error')
    except InvalidCredentialsError as e:
        assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: get_full_auth || status 200 || INVALID_CREDENTIALS at acme'
    try: await get_full_auth('evil.com#', 'ada@acme.test', 'a password', session=session); raise AssertionError('no error')
    except InvalidInstanceError as e:
        assert str(e) == ('🛑  InvalidInstanceError 🛑 - function: get_full_auth || \'evil.com#\' is not a Domo instance name: '
                          'use "acme", "acme.domo.com" or "https://acme.domo.com"')


async def test_an_auth_object_logs_in_once_and_100_concurrent_requests_make_no_new_login():
    fake = FakeDomo()
    session = fake.client()
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=None)
    me = await auth.who_am_i()
    assert str(auth) == "DomoFullAuth(domo_instance='acme', domo_username='ada@acme.test', state=fresh)"
    assert (me.response['displayName'], me.response['emailAddress']) == ('Ada Lovelace', 'ada@acme.test')
    logins = fake.logins
    results = await asyncio.gather(*[who_am_i(auth, session=session) for _ in range(100)])
    assert len(results) == 100
    assert fake.logins == logins


async def test_access_tokens_and_client_credentials_work_the_same_way():
    session = FakeDomo().client()
    token_auth = DomoTokenAuth('acme', FAKE_ACCESS_TOKEN, session=session)
    developer = DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, scope='data user', session=session, token_cache=None)
    assert ((await token_auth.who_am_i()).response['displayName'], (await developer.who_am_i()).response['name']) == ('Ada Lovelace', 'Ada Lovelace')


def test_your_own_sync_client_carries_the_login_in_its_history():
    fake = FakeDomo()
    with httpx.Client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None), transport=fake.sync_transport()) as client:
        me = client.get('https://acme.domo.com/api/content/v2/users/me')
        assert (me.json()['displayName'], me.history[0].request.method, me.history[0].request.url.path) == \
            ('Ada Lovelace', 'POST', '/api/content/v2/authentication')


async def test_your_own_async_client_with_an_access_token():
    fake = FakeDomo()
    async with httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), transport=fake.transport()) as client:
        assert (await client.get('https://acme.domo.com/api/content/v2/users/me')).json()['userName'] == 'ada@acme.test'


async def test_resolver_and_saymon_tokens_work_the_same_way():
    resolver = FakeResolver()
    async with ResolverAuth('https://acme.resolver.com', 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, session=resolver.client(),
                            token_cache=None) as r:
        assert (await r.request('/object/1')).response['email'] == 'ada@acme.test'
        assert str(r) == "ResolverAuth(base_url='https://acme.resolver.com', email='ada@acme.test', org_id=101, state=fresh)"
    saymon = FakeSaymon()
    s = SaymonAuth('saymon.example.com', 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, session=saymon.client(), token_cache=None)
    assert (await s.who_am_i()).response['login'] == 'ada'
    assert str(s) == "SaymonAuth(base_url='https://saymon.example.com', login='admin', user_id='64a1f0c2e4b0a1b2c3d4e5f7', state=fresh)"
    assert (resolver.logouts, saymon.logins) == (1, 1)  # the Resolver session ends with the `async with` block


def test_run_sync_against_the_fake_on_a_loopback_port_one_connection():
    fake = FakeDomo()
    with fake.serve() as server, server.routing():
        assert run_sync(DomoTokenAuth('acme', FAKE_ACCESS_TOKEN).who_am_i()).response['userName'] == 'ada@acme.test'
        assert fake.connections == 1


async def test_two_runs_sharing_a_file_cache_log_in_once(tmp_path):
    fake = FakeDomo()
    session = fake.client()
    cache = FileTokenCache(str(tmp_path))
    before = fake.logins
    for _ in (1, 2):
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        assert (await auth.who_am_i()).response['displayName'] == 'Ada Lovelace'
        assert fake.logins - before == 1
    assert [(entry.identity['user'], entry.identity['method'], round(entry.remaining / 3600)) for entry in cache.entries()] == \
        [('ada@acme.test', 'full', 8)]


# the command line, on the fake's loopback port with DOMO_INSTANCE=acme and the fake's access token

ME_DOCUMENT = '''{
  "id": 1893952720,
  "invitorUserId": 587894148,
  "displayName": "Ada Lovelace",
  "department": "Testing",
  "userName": "ada@acme.test",
  "emailAddress": "ada@acme.test",
  "avatarKey": "fake-avatar",
  "accepted": true,
  "userType": "USER",
  "modified": 1729114351093,
  "created": 1588960518,
  "anonymous": false,
  "systemUser": false,
  "pending": false,
  "active": true
}
'''


def test_cli_api_get_prints_the_answer_pretty(served):
    code, text, err = served.sh('api', '/api/content/v2/users/me')
    assert (code, text) == (0, ME_DOCUMENT), err


def test_cli_api_fields_make_a_post(served):
    code, text, err = served.sh('api', '/api/data/v1/accesstokens', '-f', 'name=ci', '-F', 'ownerId=1893952720', '-F', 'expires=0')
    assert code == 0, err
    assert [line for line in text.splitlines() if line.startswith(('  "name"', '  "ownerName"'))] == ['  "name": "ci",', '  "ownerName": "Ada Lovelace",']


def test_cli_api_get_fields_in_the_query_string_and_paginate(served):
    code, text, err = served.sh('api', '-X', 'GET', '/api/content/v2/users', '-f', 'limit=1', '-f', 'offset=2')
    assert code == 0, err
    assert [line for line in text.splitlines() if 'displayName' in line] == ['    "displayName": "Otto Factor",']
    code, text, err = served.sh('api', '/api/content/v2/users', '--paginate', '-f', 'limit=2')
    assert (code, sum('displayName' in line for line in text.splitlines())) == (0, 3), err
    assert served.fake.requests_by_route['users'] == 3  # the GET with fields, then two pages


def test_cli_api_refuses_a_url_on_another_host(served):
    sent = len(served.fake.log)
    code, text, err = served.sh('api', 'https://acme.domo.com.evil.example/api/content/v2/users/me')
    assert (code, text) == (2, '')
    assert one_error_line(err) == (
        "domo-routes: 🛑  InvalidInputError 🛑 - function: api || refusing 'https://acme.domo.com.evil.example/…': not a Domo host "
        "({instance}.domo.com or api.domo.com): the token never leaves its origin (pass a path such as /api/content/v2/users/me, "
        "or an https:// URL on the host the credentials are for)")
    assert len(served.fake.log) == sent


async def test_the_same_from_python_paging_by_hand_and_posting_json():
    fake = FakeDomo()
    with httpx.Client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), transport=fake.sync_transport()) as client:
        users, offset = [], 0
        while True:  # what --paginate does
            page = client.get('https://acme.domo.com/api/content/v2/users', params={'limit': 2, 'offset': offset}).raise_for_status().json()
            users, offset = users + page, offset + len(page)
            if len(page) < 2: break
    assert [user['displayName'] for user in users] == ['Ada Lovelace', 'Locked Out', 'Otto Factor']
    async with httpx.AsyncClient(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None), transport=fake.transport()) as client:
        created = await client.post('https://acme.domo.com/api/data/v1/accesstokens', json={'name': 'ci', 'ownerId': 1893952720, 'expires': 0})
        assert (created.status_code, created.json()['name'], created.json()['ownerEmail']) == (200, 'ci', 'ada@acme.test')
