"""One login per auth object per process, shared by every caller (nbs/04_lifecycle.ipynb: cells 17-18, 72, 74, 80 and 94)."""
import asyncio, concurrent.futures, threading, time

from domo_routes import DomoFullAuth
from domo_routes.fake import FakeDomo, FAKE_PASSWORD

from support_lifecycle import ME, pending_login


async def test_twenty_concurrent_who_am_i_share_one_login(fake):
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=None)
        await asyncio.gather(*(auth.who_am_i() for _ in range(20)))
    assert (fake.logins, fake.requests_by_route['me']) == (1, 20)


async def test_threads_loops_and_tasks_starting_cold_share_one_login(fake):
    "8 threads with sync clients, 4 event loops in other threads (5 tasks each) and 10 tasks here: one login"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    fake.delay_next(0.3)  # the login is slow, so every caller arrives while it is in flight
    start = threading.Barrier(8 + 4 + 1)

    def sync_caller():
        start.wait()
        with fake.sync_client(auth=auth) as client: return client.get(ME).status_code

    def loop_caller():
        async def calls():
            async with fake.client(auth=auth) as client:
                return [r.status_code for r in await asyncio.gather(*[client.get(ME) for _ in range(5)])]
        start.wait()
        return asyncio.run(calls())

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(sync_caller) for _ in range(8)] + [pool.submit(loop_caller) for _ in range(4)]
        await asyncio.sleep(0)
        start.wait()
        async with fake.client(auth=auth) as client:
            here = [r.status_code for r in await asyncio.gather(*[client.get(ME) for _ in range(10)])]
        results = [f.result() for f in futures]
    assert (fake.logins, fake.requests_by_route['login']) == (1, 1)
    assert (set(here), set(results[:8]), {s for r in results[8:] for s in r}) == ({200}, {200}, {200})


async def test_an_async_waiter_does_not_block_its_loop_while_another_thread_logs_in(fake):
    "A ticker task keeps running while this loop waits for a slow login in another thread"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)

    def slow_sync_login():
        fake.delay_next(0.5)
        with fake.sync_client(auth=auth) as client: client.get(ME)

    ticks = []
    async def ticker():
        for _ in range(20): ticks.append(time.monotonic()); await asyncio.sleep(0.02)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        other = pool.submit(slow_sync_login)
        while pending_login(auth) is None: await asyncio.sleep(0.005)  # the other thread is logging in
        async with fake.client(auth=auth) as client:
            ticking = asyncio.ensure_future(ticker())
            await asyncio.sleep(0)  # the ticker's first tick before the request (not in the notebook: without it, a blocked loop goes unseen)
            assert (await client.get(ME)).status_code == 200
            await ticking
        other.result()
    assert fake.logins == 1
    assert max(b - a for a, b in zip(ticks, ticks[1:])) < 0.2, 'the loop was blocked'


async def test_a_cancelled_leader_leaves_no_outcome_and_a_waiter_leads_the_next_login(fake):
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    async with fake.client(auth=auth) as client:
        fake.delay_next(0.3)
        leader = asyncio.ensure_future(client.get(ME))
        await asyncio.sleep(0.05)
        waiter = asyncio.ensure_future(client.get(ME))
        await asyncio.sleep(0.05)
        leader.cancel()
        assert (await asyncio.wait_for(waiter, 5)).status_code == 200
    assert (fake.logins, pending_login(auth)) == (1, None)


async def test_get_auth_token_racing_a_request_makes_one_login(fake):
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    fake.delay_next(0.1)
    async with fake.client(auth=auth) as client:
        token, response = await asyncio.gather(auth.get_auth_token(), client.get(ME))
    assert (token, response.status_code, fake.logins) == (auth.token, 200, 1)
