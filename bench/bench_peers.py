"""domo_routes side by side with httpx-auth and authlib: what an authenticated request costs (issue 23).

Run: python bench/bench_peers.py [--rounds 40] [--block 25] [--runs 3]
     (the peers: pip install -e ".[bench]"; a peer that is not installed is skipped with a notice)

One loopback server (FakeDomo.serve()), every client in one process, each with a transport of its own that sends
https://api.domo.com/... there (ToServerTransport). The same GET /v1/users/{id} with a client-credentials bearer token:
- raw httpx: the token already in the client's headers (the floor);
- an `httpx.Auth` that only puts the ready header on each request (what any auth object pays for httpx's plumbing);
- domo_routes: `DomoDeveloperAuth` as the caller's client's `auth`;
- httpx-auth 0.23: `OAuth2ClientCredentials` as the client's `auth`;
- authlib 1.9: `OAuth2Client` / `AsyncOAuth2Client` (its own client, token fetched first).
And the library's own `who_am_i()` route against raw httpx sending the same request (async), both on a client whose
transport sends https://acme.domo.com/... to the server (the target's figure); and, for the record, on the library's
pooled client rerouted there (`reroute`, test-only routing that costs a little more) against raw httpx sending straight
to the server.

Figures are client CPU time per request (`time.thread_time`: the server runs in other threads and the machine is
shared), in blocks of `--block` requests interleaved across the clients (their order rotated each round, garbage
collected between blocks), `--rounds` blocks each. Each block is compared with raw httpx's block of the same round
(seconds apart, so a machine that slows down or speeds up meanwhile moves both), and the figure is the median of
those paired differences and ratios over every round of every run. Start-up: CPU time of child processes
(`import domo_routes` against `import httpx`, `domo-routes --version` against the import), medians of 15.

The targets (issue 23) are checked at the end; the exit status is 1 if one is missed.
"""
import os
os.environ['DOMO_TOKEN_CACHE'] = 'none'  # each client logs in once itself
import argparse, asyncio, gc, importlib.util, resource, shutil, statistics, subprocess, sys, time
from pathlib import Path
import httpx
from domo_routes import DomoDeveloperAuth, DomoTokenAuth, reroute, who_am_i, aclose_pool
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FakeDomo

USER = 'https://api.domo.com/v1/users/1893952720'
TOKEN_URL = 'https://api.domo.com/oauth/token'
ME = '/api/content/v2/users/me'
TARGETS = {'overhead_us': 10.0, 'route_ratio': 1.05, 'import_ratio': 1.15, 'version_extra_ms': 10.0}


class HeaderOnly(httpx.Auth):
    "The least an httpx auth can do: put a ready header on each request (the plumbing every auth object pays)"
    def __init__(self, token: str): self.value = f'bearer {token}'
    def auth_flow(self, request):
        request.headers['authorization'] = self.value
        yield request


def use_httpx_for_authlib() -> None:
    "authlib prefers the httpx2 fork when something installed it; this bench compares everyone on httpx (its fallback)"
    if have('httpx2'):
        import warnings
        sys.modules['httpx2'] = httpx
        warnings.filterwarnings('ignore', message='.*httpx.*deprecated')


def have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def sync_clients(server) -> dict:
    "name → an httpx.Client ready to send USER (its token obtained)"
    clients = {}
    raw = httpx.Client(transport=server.transport())
    token = raw.post(TOKEN_URL, data={'grant_type': 'client_credentials'},
                     auth=(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET)).json()['access_token']
    raw.headers['authorization'] = f'bearer {token}'
    clients['raw httpx'] = raw
    clients['httpx.Auth, a header only'] = httpx.Client(auth=HeaderOnly(token), transport=server.transport())
    clients['domo_routes'] = httpx.Client(auth=DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=None),
                                          transport=server.transport())
    if have('httpx_auth'):
        import httpx_auth
        auth = httpx_auth.OAuth2ClientCredentials(TOKEN_URL, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET,
                                                  client=httpx.Client(transport=server.transport()))
        clients['httpx-auth'] = httpx.Client(auth=auth, transport=server.transport())
    if have('authlib'):
        use_httpx_for_authlib()
        from authlib.integrations.httpx_client import OAuth2Client
        client = OAuth2Client(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_endpoint=TOKEN_URL, transport=server.transport())
        client.fetch_token(grant_type='client_credentials')
        clients['authlib'] = client
    for client in clients.values(): assert client.get(USER).status_code == 200
    return clients


async def async_clients(server) -> dict:
    "name → an httpx.AsyncClient ready to send USER"
    clients = {}
    raw = httpx.AsyncClient(transport=server.transport())
    token = (await raw.post(TOKEN_URL, data={'grant_type': 'client_credentials'},
                            auth=(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET))).json()['access_token']
    raw.headers['authorization'] = f'bearer {token}'
    clients['raw httpx'] = raw
    clients['httpx.Auth, a header only'] = httpx.AsyncClient(auth=HeaderOnly(token), transport=server.transport())
    clients['domo_routes'] = httpx.AsyncClient(
        auth=DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=None), transport=server.transport())
    if have('httpx_auth'):
        import httpx_auth
        auth = httpx_auth.OAuth2ClientCredentials(TOKEN_URL, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET,
                                                  client=httpx.Client(transport=server.transport()))
        clients['httpx-auth'] = httpx.AsyncClient(auth=auth, transport=server.transport())
    if have('authlib'):
        use_httpx_for_authlib()
        from authlib.integrations.httpx_client import AsyncOAuth2Client
        client = AsyncOAuth2Client(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_endpoint=TOKEN_URL,
                                   transport=server.transport())
        await client.fetch_token(grant_type='client_credentials')
        clients['authlib'] = client
    for client in clients.values(): assert (await client.get(USER)).status_code == 200
    return clients


def rotated(items: list, i: int) -> list:
    "`items` starting at the i-th: each client takes each place in a round as often as the others"
    i %= len(items)
    return items[i:] + items[:i]


def sync_run(server, rounds: int, n: int) -> dict:
    "name → CPU seconds per request of each round's block"
    clients, times = sync_clients(server), {}
    for i in range(rounds):
        for name, client in rotated(list(clients.items()), i):
            gc.collect()
            t = time.thread_time()
            for _ in range(n): client.get(USER).content
            times.setdefault(name, []).append((time.thread_time() - t) / n)
    for client in clients.values(): client.close()
    return times


async def async_run(server, rounds: int, n: int) -> dict:
    clients, times = await async_clients(server), {}
    # the route: who_am_i against raw httpx sending the same request, both on a client whose transport sends
    # https://acme.domo.com/... to the loopback server; and, for the record, the library's own pooled client
    # rerouted there (`reroute`, the in-process routing tests use) against raw httpx sending straight to it
    me_headers = {'x-domo-developer-token': FAKE_ACCESS_TOKEN}
    route_auth = DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)
    raw_me, session = httpx.AsyncClient(transport=server.transport()), httpx.AsyncClient(transport=server.transport())
    direct = httpx.AsyncClient()

    async def raw_route(): (await raw_me.get('https://acme.domo.com' + ME, headers=me_headers)).json()
    async def route(): await who_am_i(route_auth, session=session)
    async def raw_direct(): (await direct.get(server.url + ME, headers={'host': 'acme.domo.com', **me_headers})).json()
    async def route_rerouted():
        with reroute(server.url): await who_am_i(route_auth)
    routes = {'raw httpx (users/me)': raw_route, 'who_am_i() route': route,
              'raw httpx (users/me, straight to the server)': raw_direct, 'who_am_i() route, rerouted': route_rerouted}
    for call in routes.values(): await call()
    for i in range(rounds):
        for name, step in rotated([*[(k, c.get) for k, c in clients.items()], *routes.items()], i):
            gc.collect()
            t = time.thread_time()
            if name in routes:
                for _ in range(n): await step()
            else:
                for _ in range(n): (await step(USER)).content
            times.setdefault(name, []).append((time.thread_time() - t) / n)
    for client in (*clients.values(), raw_me, session, direct): await client.aclose()
    await aclose_pool()
    return times


def child_cpu(argv: list) -> float:
    "CPU seconds (user + system) a child process took"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def start_up(runs: int = 15) -> dict:
    "Medians of CPU time: import httpx, import domo_routes, domo-routes --version (interleaved)"
    python = sys.executable
    cli = shutil.which('domo-routes', path=str(Path(python).parent)) or shutil.which('domo-routes')
    cmds = {'import httpx': [python, '-c', 'import httpx'], 'import domo_routes': [python, '-c', 'import domo_routes'],
            'domo-routes --version': [cli, '--version']}
    times: dict = {k: [] for k in cmds}
    for argv in cmds.values(): child_cpu(argv)  # warm the file cache
    for _ in range(runs):
        for name, argv in cmds.items(): times[name].append(child_cpu(argv))
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=40)
    parser.add_argument('--block', type=int, default=25)
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    for peer, package in (('httpx_auth', 'httpx-auth'), ('authlib', 'authlib')):
        if not have(peer): print(f'notice: {package} is not installed (pip install -e ".[bench]"): its rows are skipped')
    fake = FakeDomo(developer_lifetime=24 * 3600)
    sync_runs, async_runs = [], []
    with fake.serve() as server:
        gc.disable()  # collections land in whichever block is running: collected between blocks instead
        try:
            for _ in range(args.runs):
                sync_runs.append(sync_run(server, args.rounds, args.block))
                async_runs.append(asyncio.run(async_run(server, args.rounds, args.block)))
        finally: gc.enable()
    print(f'client CPU per request, {args.runs} runs x {args.rounds} blocks of {args.block} (medians):\n')
    print('| library | sync, over raw httpx | async, over raw httpx |')
    print('|---|---|---|')
    figures = {}
    def paired(runs: list, name: str, base: str) -> tuple:
        "median extra µs and ratio of `name` over `base`, block against block of the same round"
        pairs = [(t, b) for r in runs for t, b in zip(r[name], r[base])]
        return (statistics.median((t - b) * 1e6 for t, b in pairs), statistics.median(t / b for t, b in pairs))
    for name in sync_runs[0]:
        if name == 'raw httpx': continue
        cells = []
        for runs in (sync_runs, async_runs):
            extra, ratio = paired(runs, name, 'raw httpx')
            figures[name, runs is sync_runs] = extra
            cells.append(f'{extra:+.1f} µs ({ratio:.3f}x)')
        print(f'| {name} | {cells[0]} | {cells[1]} |')
    def versus(name: str, base: str) -> tuple: return paired(async_runs, name, base)
    route_extra, route = versus('who_am_i() route', 'raw httpx (users/me)')
    print(f"| domo_routes' own who_am_i() route | | {route_extra:+.1f} µs ({route:.3f}x) |")
    extra, ratio = versus('who_am_i() route, rerouted', 'raw httpx (users/me, straight to the server)')
    print(f"| ... on the library's pooled client, rerouted (test-only routing) | | {extra:+.1f} µs ({ratio:.3f}x) |")
    floor = statistics.median(t for r in sync_runs for t in r['raw httpx']) * 1e6
    print(f'\n(raw httpx itself: {floor:.0f} µs of client CPU per request, sync)')
    times = start_up()
    import_ratio = times['import domo_routes'] / times['import httpx']
    version_extra = (times['domo-routes --version'] - times['import domo_routes']) * 1000
    print(f"\nstart-up, CPU medians of 15: import httpx {times['import httpx'] * 1000:.1f} ms, import domo_routes "
          f"{times['import domo_routes'] * 1000:.1f} ms ({import_ratio:.3f}x), domo-routes --version "
          f"{times['domo-routes --version'] * 1000:.1f} ms (import {version_extra:+.1f} ms)")
    checks = [('sync overhead', figures['domo_routes', True], TARGETS['overhead_us'], 'µs'),
              ('async overhead', figures['domo_routes', False], TARGETS['overhead_us'], 'µs'),
              ('who_am_i() over raw httpx', route, TARGETS['route_ratio'], 'x'),
              ('import over httpx', import_ratio, TARGETS['import_ratio'], 'x'),
              ('--version over the import', version_extra, TARGETS['version_extra_ms'], 'ms')]
    print('\ntargets:')
    for label, value, target, unit in checks:
        print(f"  {'met   ' if value <= target else 'MISSED'} {label}: {value:.3f} {unit} (at most {target} {unit})")
    return 0 if all(value <= target for _, value, target, _ in checks) else 1


if __name__ == '__main__':
    sys.exit(main())
