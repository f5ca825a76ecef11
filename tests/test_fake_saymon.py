"""FakeSaymon: tokens created with HTTP Basic, as quoted JSON strings, checked as `?api-token=` (nbs/01_fake.ipynb)"""
import pytest

from domo_routes.fake import FAKE_PASSWORD, FAKE_SAYMON_USER_ID, FakeSaymon

TOKENS = f'/node/api/users/{FAKE_SAYMON_USER_ID}/auth-token'


@pytest.fixture
def saymon():
    return FakeSaymon()


async def test_a_token_comes_quoted_and_serves_users_current(saymon):
    async with saymon.client(base_url='https://saymon.example.com') as client:
        made = await client.post(TOKENS, auth=('admin', FAKE_PASSWORD))
        assert (made.text[0], made.text[-1]) == ('"', '"')  # the quotes SAYMON's reference shows
        token = made.json()
        assert (await client.get('/node/api/users/current', params={'api-token': token})).json()['login'] == 'ada'
        assert (await client.get('/node/api/users/current')).status_code == 401


@pytest.mark.parametrize('path, login, password, status', [
    (TOKENS, 'ada', FAKE_PASSWORD, 403),  # no manage-users permission
    ('/node/api/users/nobody/auth-token', 'admin', FAKE_PASSWORD, 404),  # no such user
    ('/node/api/users/nobody/auth-token', 'admin', 'wrong', 401),  # a wrong password, checked first
], ids=['permission', 'user', 'password'])
async def test_a_refused_token_request(saymon, path, login, password, status):
    async with saymon.client(base_url='https://saymon.example.com') as client:
        assert (await client.post(path, auth=(login, password))).status_code == status
    assert saymon.tokens == {}


async def test_expire_all_ends_every_token(saymon):
    async with saymon.client(base_url='https://saymon.example.com') as client:
        token = (await client.post(TOKENS, auth=('admin', FAKE_PASSWORD))).json()
        saymon.expire_all()
        assert (await client.get('/node/api/users/current', params={'api-token': token})).status_code == 401


async def test_the_log_keeps_paths_never_query_strings(saymon):
    async with saymon.client(base_url='https://saymon.example.com') as client:
        token = (await client.post(TOKENS, auth=('admin', FAKE_PASSWORD))).json()
        await client.get('/node/api/users/current', params={'api-token': token})
    assert [r.path for r in saymon.log][:2] == [TOKENS, '/node/api/users/current']
    assert any('api-token' in r.path for r in saymon.log) is False
