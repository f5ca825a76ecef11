"""Tokens and credentials go to their own origin only (nbs/04_lifecycle.ipynb: cells 88 and 90)."""
import httpx
import pytest

from domo_routes import DomoFullAuth, DomoTokenAuth, DomoError
from domo_routes.fake import FakeDomo, FAKE_PASSWORD, FAKE_ACCESS_TOKEN

from support_lifecycle import ME, raises


def full_auth():
    return DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)


@pytest.mark.parametrize('url, headers', [('https://collector.example/x', {}),
                                          ('http://acme.domo.com/api/content/v2/users/me', {}),
                                          ('https://acme.domo.com:8443/x', {}),
                                          ('https://collector.example/x', {'host': 'acme.domo.com'})],
                         ids=['another host', 'plain http', 'another port', 'a Host header claiming the origin'])
async def test_a_token_is_not_sent_outside_its_origin(fake, url, headers):
    async with fake.client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)) as client:
        await client.get(url, headers=headers)
    assert 'x-domo-developer-token' not in fake.log[-1].header_names, url


async def test_a_redirect_request_built_by_httpx_loses_the_token_on_its_way_elsewhere(fake):
    "`response.next_request` of a redirect to another host carries no token"
    async with fake.client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)) as client:
        fake.redirect_next('https://collector.example/steal', status=307)
        first = await client.get(ME)
        await client.send(first.next_request)
    assert 'x-domo-developer-token' not in fake.log[-1].header_names and fake.log[-1].host == 'collector.example'


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
async def test_a_login_redirected_to_another_origin_is_refused_before_anything_is_sent_there(fake, status):
    fake.redirect_next('https://collector.example/steal', status=status)
    async with fake.client(auth=full_auth()) as client:
        e = await raises(DomoError, client.get(ME))
        assert 'redirected to https://collector.example: refused' in str(e), str(e)
    assert {r.host for r in fake.log} == {'acme.domo.com'}


async def test_a_login_redirected_from_https_to_http_is_refused(fake):
    fake.redirect_next('http://acme.domo.com/api/content/v2/authentication', status=307)
    async with fake.client(auth=full_auth()) as client:
        e = await raises(DomoError, client.get(ME))
        assert 'redirected to http://acme.domo.com' in str(e), str(e)


async def test_a_login_redirected_within_its_origin_is_followed_with_its_body(fake):
    fake.redirect_next('/api/content/v2/authentication', status=307)
    async with fake.client(auth=full_auth()) as client: assert (await client.get(ME)).status_code == 200
    assert (fake.logins, [r.path for r in fake.log][:2]) == (1, ['/api/content/v2/authentication'] * 2)


@pytest.mark.parametrize('sync', [True, False], ids=['httpx.Client', 'httpx.AsyncClient'])
async def test_a_client_following_redirects_itself_cannot_replay_the_password_elsewhere(fake, fake_server, sync):
    "With follow_redirects=True, the login's redirect to another server is refused before its headers are sent (real transports)"
    other = FakeDomo()
    with other.serve() as elsewhere, fake_server.routing():
        fake.redirect_next(elsewhere.url + '/steal', status=307)
        try:
            if sync:
                with httpx.Client(auth=full_auth(), follow_redirects=True) as client: client.get(ME)
            else:
                async with httpx.AsyncClient(auth=full_auth(), follow_redirects=True) as client: await client.get(ME)
            raise AssertionError('followed')
        except DomoError as e: assert 'refused before anything was sent there' in str(e), str(e)
    assert (len(other.log), fake.requests_by_route['fault']) == (0, 1)
