"""FakeServer: a fake on a loopback port, reached through `server.transport()` or `server.routing()`
(nbs/01_fake.ipynb)"""
import os

import httpx

from domo_routes.fake import FAKE_ACCESS_TOKEN

ME = 'https://acme.domo.com/api/content/v2/users/me'


async def test_an_async_client_reuses_one_connection_through_the_transport(fake, fake_server):
    async with httpx.AsyncClient(transport=fake_server.transport()) as client:
        for _ in range(3):
            res = await client.get(ME, headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})
            assert res.json()['emailAddress'] == 'ada@acme.test'
    assert (fake.connections, fake.requests_by_route['me']) == (1, 3)


async def test_the_server_tells_instances_apart_by_the_host_header(fake, fake_server):
    async with httpx.AsyncClient(transport=fake_server.transport()) as client:
        assert (await client.get('https://nope.domo.com/api/content/v2/users/me')).status_code == 403
    assert fake.requests_by_route['unknown_instance'] == 1


def test_a_sync_client_works_through_the_transport_too(fake, fake_server):
    with httpx.Client(transport=fake_server.transport()) as client:
        assert client.get(ME).status_code == 401
    assert (fake.connections, fake.requests_by_route['me']) == (1, 1)


def test_routing_sets_the_base_url_only_inside(fake_server):
    with fake_server.routing():
        assert os.environ['DOMO_ROUTES_BASE_URL'] == fake_server.url
    assert 'DOMO_ROUTES_BASE_URL' not in os.environ


async def test_two_clients_two_connections(fake, fake_server):
    async with httpx.AsyncClient(transport=fake_server.transport()) as client:
        for _ in range(3): await client.get(ME, headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})
        await client.get('https://nope.domo.com/api/content/v2/users/me')
    with httpx.Client(transport=fake_server.transport()) as client:
        client.get(ME)
    assert (fake.connections, fake.requests_by_route['me']) == (2, 4)


def test_an_answer_over_loopback_carries_one_date_the_fakes_own(fake_server):
    "The server's Date is the fake's clock (tests move it); http.server's own would be a second, contradicting one"
    with httpx.Client(transport=fake_server.transport()) as client:
        answer = client.get(ME)
    assert len(answer.headers.get_list('date')) == 1
