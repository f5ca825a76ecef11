"""Benchmarks for the auth objects against FakeDomo.serve() over real loopback HTTP (issue: auth objects).

Run: python bench/bench_auth.py [--rounds 5]
Every figure is a ratio against a baseline measured in the same process, rounds alternating, medians quoted:
the machines are shared and noisy, so absolute times mean little.
"""
import os
os.environ['DOMO_TOKEN_CACHE'] = 'none'  # these figures count each auth object's own logins: the token caches have bench_token_cache.py
import argparse, asyncio, statistics, subprocess, sys, time
import httpx
from domo_routes import DomoTokenAuth, DomoFullAuth, FakeDomo, reroute, who_am_i, aclose_pool
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD

ME = '/api/content/v2/users/me'

async def library_sequential(server, n):
    "n who_am_i calls through DomoTokenAuth, no session: the library's pooled client"
    auth = DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)
    with reroute(server.url):
        t = time.perf_counter()
        for _ in range(n): await who_am_i(auth)
        return time.perf_counter() - t

async def raw_sequential(server, n):
    "The same request n times on one shared raw httpx.AsyncClient"
    async with httpx.AsyncClient() as client:
        headers = {'host': 'acme.domo.com', 'x-domo-developer-token': FAKE_ACCESS_TOKEN, 'accept': 'application/json'}
        t = time.perf_counter()
        for _ in range(n):
            r = await client.get(server.url + ME, headers=headers); r.json()
        return time.perf_counter() - t

async def through_httpx_auth(server, n):
    "n requests through httpx.AsyncClient(auth=DomoFullAuth(...)): how many logins?"
    with reroute(server.url):
        async with httpx.AsyncClient(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD), transport=server.transport()) as client:
            for _ in range(n): (await client.get('https://acme.domo.com' + ME)).raise_for_status()

async def concurrent_cold(server, n):
    "n concurrent callers on one new DomoFullAuth"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
    with reroute(server.url):
        t = time.perf_counter()
        await asyncio.gather(*[who_am_i(auth) for _ in range(n)])
        return time.perf_counter() - t

async def raw_concurrent(server, n, token):
    async with httpx.AsyncClient() as client:
        headers = {'host': 'acme.domo.com', 'x-domo-authentication': token}
        t = time.perf_counter()
        await asyncio.gather(*[client.get(server.url + ME, headers=headers) for _ in range(n)])
        return time.perf_counter() - t

def import_time(module, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, '-c', f'import {module}'], check=True)
        times.append(time.perf_counter() - t)
    return times

async def main(rounds):
    fake = FakeDomo()
    with fake.serve() as server:
        lib, raw, conns = [], [], []
        for _ in range(rounds):
            before = fake.connections
            lib.append(await library_sequential(server, 1000))
            conns.append(fake.connections - before)
            raw.append(await raw_sequential(server, 1000))
        ratio = statistics.median(l / r for l, r in zip(lib, raw))
        print(f'1. sequential 1,000 who_am_i via DomoTokenAuth (no session) vs raw shared httpx.AsyncClient:')
        print(f'   median library {statistics.median(lib):.3f}s, raw {statistics.median(raw):.3f}s, ratio {ratio:.3f} (target <= 1.10); '
              f'connections opened by the library per 1,000 calls: {sorted(set(conns))} (target 1)')

        before = fake.logins
        await through_httpx_auth(server, 1000)
        print(f'2. 1,000 requests through httpx.AsyncClient(auth=DomoFullAuth(...)): logins {fake.logins - before} (target 1)')

        cold, rawc, logins = [], [], []
        for _ in range(rounds):
            before = fake.logins
            cold.append(await concurrent_cold(server, 100))
            logins.append(fake.logins - before)
            with reroute(server.url):
                a = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD); tok = await a.get_auth_token()
            rawc.append(await raw_concurrent(server, 100, tok))
        print(f'3. 100 concurrent cold callers: logins per round {sorted(set(logins))} (target 1); median wall '
              f'{statistics.median(cold):.3f}s vs raw client doing the same 100 requests {statistics.median(rawc):.3f}s '
              f'(ratio {statistics.median(c / r for c, r in zip(cold, rawc)):.2f}; the library also logs in once)')
    await aclose_pool()
    dr, hx = [], []
    for _ in range(rounds * 2):
        dr += import_time('domo_routes', 1); hx += import_time('httpx', 1)
    print(f'4. python -c "import domo_routes" {statistics.median(dr):.3f}s vs "import httpx" {statistics.median(hx):.3f}s: '
          f'ratio {statistics.median(dr) / statistics.median(hx):.2f} (target <= 1.3)')

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--rounds', type=int, default=5)
    asyncio.run(main(p.parse_args().rounds))
