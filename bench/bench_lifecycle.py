"""Figures for the httpx-native lifecycle (issue 9), against FakeDomo.serve() over real loopback HTTP.

Run: python bench/bench_lifecycle.py [--rounds 7]
Speeds are ratios against raw httpx measured in the same process, rounds alternating, medians quoted (the machines
are shared and noisy). Counts are exact.
"""
import os
os.environ['DOMO_TOKEN_CACHE'] = 'none'  # these figures count each auth object's own logins: the token caches have bench_token_cache.py
import argparse, asyncio, concurrent.futures, os, statistics, subprocess, sys, textwrap, threading, time
import httpx
from domo_routes import DomoFullAuth, DomoTokenAuth, who_am_i, DomoError
from domo_routes.fake import FakeDomo, FAKE_ACCESS_TOKEN, FAKE_PASSWORD

ME = '/api/content/v2/users/me'

async def async_library(server, n):
    "n who_am_i calls through the library's route, on one AsyncClient (the caller's)"
    auth = DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)
    async with httpx.AsyncClient() as client:
        await who_am_i(auth, session=client)
        t = time.perf_counter()
        for _ in range(n): (await who_am_i(auth, session=client)).response['id']
        return time.perf_counter() - t

async def async_raw(server, n):
    "the same request n times on one raw AsyncClient, header ready"
    headers = {'host': 'acme.domo.com', 'x-domo-developer-token': FAKE_ACCESS_TOKEN, 'accept': 'application/json'}
    async with httpx.AsyncClient() as client:
        await client.get(server.url + ME, headers=headers)
        t = time.perf_counter()
        for _ in range(n): (await client.get(server.url + ME, headers=headers)).json()['id']
        return time.perf_counter() - t

def sync_library(server, n):
    "n requests through httpx.Client(auth=DomoFullAuth(...)) (one login)"
    with httpx.Client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)) as client:
        client.get('https://acme.domo.com' + ME)
        t = time.perf_counter()
        for _ in range(n): client.get('https://acme.domo.com' + ME).json()['id']
        return time.perf_counter() - t

def sync_raw(server, n, token):
    headers = {'host': 'acme.domo.com', 'x-domo-authentication': token}
    with httpx.Client() as client:
        client.get(server.url + ME, headers=headers)
        t = time.perf_counter()
        for _ in range(n): client.get(server.url + ME, headers=headers).json()['id']
        return time.perf_counter() - t

def ratio(lib, raw): return statistics.median(l / r for l, r in zip(lib, raw))

def counts():
    "The login counts of issue 9's items 2-5"
    out = {}
    fake = FakeDomo()
    with fake.serve() as server, server.routing():
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
        fake.delay_next(0.3)
        barrier = threading.Barrier(12)
        def sync_caller():
            barrier.wait()
            with httpx.Client(auth=auth) as c: return c.get('https://acme.domo.com' + ME).status_code
        def loop_caller():
            async def go():
                async with httpx.AsyncClient(auth=auth) as c:
                    return [r.status_code for r in await asyncio.gather(*[c.get('https://acme.domo.com' + ME) for _ in range(5)])]
            barrier.wait(); return asyncio.run(go())
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            fs = [pool.submit(sync_caller) for _ in range(8)] + [pool.submit(loop_caller) for _ in range(4)]
            [f.result() for f in fs]
        out['8 sync threads + 4 event loops (20 tasks), cold: logins'] = fake.logins

        before = fake.requests_by_route['login']
        bad = DomoFullAuth('acme', 'ada@acme.test', 'wrong password')
        fake.delay_next(0.2)
        async def wrong():
            async with httpx.AsyncClient(auth=bad) as c:
                await asyncio.gather(*[c.get('https://acme.domo.com' + ME) for _ in range(200)], return_exceptions=True)
                first = fake.requests_by_route['login'] - before
                for _ in range(20):
                    try: await c.get('https://acme.domo.com' + ME)
                    except DomoError: pass
                return first, fake.requests_by_route['login'] - before - first
        out['wrong password, 200 concurrent callers: password attempts'], out['... then 20 more calls: password attempts'] = asyncio.run(wrong())

        always = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
        fake.fail_next(401, n=300, path='/always-401')
        before = fake.logins
        async def refused():
            async with httpx.AsyncClient(auth=always) as c:
                await asyncio.gather(*[c.get('https://acme.domo.com/always-401') for _ in range(100)])
        asyncio.run(refused())
        out['endpoint always 401, 100 concurrent calls: logins'] = fake.logins - before

    now = [1_700_000_000.0]
    fake = FakeDomo(clock=lambda: now[0])
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, clock=lambda: now[0], monotonic=lambda: now[0])
    async def window():
        async with fake.client(auth=auth) as c:
            await c.get('https://acme.domo.com' + ME)
            now[0] += 8 * 3600 - 200
            fake.fail_next(503, n=50, path='/authentication')
            auth.login_retry = type(auth.login_retry)(attempts=3, base_delay=0.001)
            return [r.status_code for r in await asyncio.gather(*[c.get('https://acme.domo.com' + ME) for _ in range(20)])]
    statuses = asyncio.run(window())
    out['refresh window, login answers 503: calls that succeeded (of 20)'] = statuses.count(200)

    skew = FakeDomo()
    ahead = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, clock=lambda: time.time() + 9 * 3600, monotonic=time.monotonic)
    with skew.sync_client(auth=ahead) as c:
        for _ in range(50): c.get('https://acme.domo.com' + ME)
    out['client clock 9 h ahead, 50 calls: logins'] = skew.logins

    script = textwrap.dedent('''
        import asyncio, os
        from domo_routes import get_data, reroute
        from domo_routes.fake import FakeDomo, FAKE_ACCESS_TOKEN
        def sockets():
            n = 0
            for fd in os.listdir('/proc/self/fd'):
                try: n += os.readlink(f'/proc/self/fd/{fd}').startswith('socket:')
                except OSError: pass
            return n
        async def call(): await get_data('https://acme.domo.com/api/content/v2/users/me', headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})
        with FakeDomo().serve() as server, reroute(server.url):
            before = sockets()
            for _ in range(200): asyncio.run(call())
            import time; time.sleep(0.5)
            print(sockets() - before)
    ''')
    out['open sockets left after 200 asyncio.run() calls'] = int(subprocess.run([sys.executable, '-c', script], capture_output=True, text=True).stdout)
    return out

def main(rounds):
    fake = FakeDomo()
    with fake.serve() as server, server.routing():
        a_lib, a_raw, s_lib, s_raw = [], [], [], []
        token = asyncio.run(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD).get_auth_token())
        for _ in range(rounds):
            a_lib.append(asyncio.run(async_library(server, 500))); a_raw.append(asyncio.run(async_raw(server, 500)))
            s_lib.append(sync_library(server, 500)); s_raw.append(sync_raw(server, 500, token))
    print(f'async who_am_i via the library vs raw httpx, one AsyncClient, 500 calls: median ratio {ratio(a_lib, a_raw):.3f} '
          f'(library {statistics.median(a_lib):.3f}s, raw {statistics.median(a_raw):.3f}s; target <= 1.10)')
    print(f'sync httpx.Client(auth=DomoFullAuth(...)) vs raw sync httpx with a ready header, 500 calls: median ratio {ratio(s_lib, s_raw):.3f} '
          f'(library {statistics.median(s_lib):.3f}s, raw {statistics.median(s_raw):.3f}s; target <= 1.10)')
    for k, v in counts().items(): print(f'{k}: {v}')

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--rounds', type=int, default=7)
    main(p.parse_args().rounds)
