"""The drivers' fast path (nbs/08_lifecycle_driver.ipynb): a FRESH token for the origin goes out without the operation
machinery, and what follows a 401 is still the flow's (one new login shared by every caller, a resend with the body),
including when the task that leads that login is cancelled."""
import asyncio

import httpx

from domo_routes import DomoFullAuth
from domo_routes.fake import FAKE_PASSWORD, FakeDomo

ME = 'https://acme.domo.com/api/content/v2/users/me'


def auth_for(fake) -> DomoFullAuth:
    return DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)


async def test_after_a_401_on_the_fast_path_twenty_callers_share_one_new_login():
    fake = FakeDomo()
    async with httpx.AsyncClient(auth=auth_for(fake), transport=fake.transport()) as client:
        assert (await client.get(ME)).status_code == 200
        fake.expire_all()
        fake.delay_next(0.05, n=100)  # answers take time: the callers overlap
        answers = await asyncio.gather(*[client.get(ME) for _ in range(20)])
    assert {a.status_code for a in answers} == {200} and fake.logins == 2


def test_sync_after_a_401_on_the_fast_path_a_post_is_sent_again_with_its_body():
    fake = FakeDomo()
    with httpx.Client(auth=auth_for(fake), transport=fake.sync_transport()) as client:
        client.get(ME)
        fake.expire_all()
        answer = client.post('https://acme.domo.com/api/data/v1/accesstokens',
                             json={'name': 'ci', 'ownerId': 1893952720, 'expires': 0})
    posts = [seen.body_size for seen in fake.log if seen.method == 'POST' and seen.path.endswith('/accesstokens')]
    assert answer.status_code == 200 and fake.logins == 2 and len(posts) == 2 and posts[0] == posts[1] > 0


async def test_a_cancelled_leader_of_the_login_after_a_401_leaves_no_caller_stuck():
    fake = FakeDomo()
    async with httpx.AsyncClient(auth=auth_for(fake), transport=fake.transport()) as client:
        await client.get(ME)
        fake.expire_all()
        fake.delay_next(0.3, n=2)  # the first request's 401 and the login it starts: slow
        leader = asyncio.create_task(client.get(ME))
        await asyncio.sleep(0.35)  # the leader now waits for its login's answer
        leader.cancel()
        follower = await asyncio.wait_for(client.get(ME), 10)
    assert leader.cancelled() and follower.status_code == 200
