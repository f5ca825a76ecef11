"""FakeResolver: login, renewal (the old token retired), logout, and a user of no org (nbs/01_fake.ipynb)"""
from domo_routes.fake import FAKE_PASSWORD, FAKE_RESOLVER_ORG, FakeResolver


async def test_login_renewal_logout_and_a_user_of_no_org():
    resolver = FakeResolver()
    async with resolver.client(base_url='https://acme.resolver.com') as client:
        login = await client.post('/user/authenticate', json={'email': 'ada@acme.test', 'password': FAKE_PASSWORD,
                                                               'selectedOrg': FAKE_RESOLVER_ORG, 'client': 'core-client'})
        first = login.json()['token']
        renewed = (await client.get('/user/authenticate', headers={'authorization': f'bearer {first}'})).json()['token']
        assert (await client.get('/object/1', headers={'authorization': f'bearer {first}'})).status_code == 401  # retired
        assert (await client.get('/object/1', headers={'authorization': f'bearer {renewed}'})).json()['org'] == FAKE_RESOLVER_ORG
        assert (await client.post('/user/authenticate/logout', headers={'authorization': f'bearer {renewed}'})).status_code == 204
        assert (await client.get('/object/1', headers={'authorization': f'bearer {renewed}'})).status_code == 401
        left = await client.post('/user/authenticate', json={'email': 'left@acme.test', 'password': FAKE_PASSWORD})
        assert left.status_code == 404
    assert (resolver.logins, resolver.renewals, resolver.logouts, resolver.sessions) == (1, 1, 1, {})
