"""No secret leaks on the lifecycle's paths (nbs/04_lifecycle.ipynb: cell 97)."""
import asyncio

from domo_routes import DomoFullAuth, DomoError
from domo_routes.fake import FakeDomo, LeakCheck

from support_lifecycle import ME

CANARY_PW = 'CANARY-pw-9a8b7c6d5e4f3a2b1c'


async def test_no_password_or_token_leaks_through_sync_async_shared_remembered_and_refused_paths():
    "Canary credentials through a sync client, a shared and a remembered failure, a refused redirect and the kept history; all loggers at DEBUG"
    fake = FakeDomo()
    fake.users['ada@acme.test'].password = CANARY_PW
    with LeakCheck(CANARY_PW) as check:
        auth = DomoFullAuth('acme', 'ada@acme.test', CANARY_PW, token_cache=None)
        with fake.sync_client(auth=auth) as client:
            r = client.get(ME)
            check.add(auth, r.history[0].json(), r.history[0].request.headers, r.history[0].text)
        wrong = DomoFullAuth('acme', 'ada@acme.test', CANARY_PW + 'x', token_cache=None)
        async with fake.client(auth=wrong) as client:
            for outcome in await asyncio.gather(*[client.get(ME) for _ in range(3)], return_exceptions=True): check.add(outcome)
            try: await client.get(ME)
            except DomoError as e: check.add(e)
        fake.redirect_next('https://collector.example/x', status=307)
        async with fake.client(auth=DomoFullAuth('acme', 'ada@acme.test', CANARY_PW, token_cache=None)) as client:
            try: await client.get(ME)
            except DomoError as e: check.add(e)
    check.assert_clean()
    assert auth.token not in ''.join(check.texts)
