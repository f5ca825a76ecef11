"""What the auth objects cost a `requests` user (issue 22: drop-in for requests, domolibrary and pydomo).

Run: python bench/bench_interop.py [--rounds 5] [--block 200]
One `requests.Session` against FakeDomo.serve() over real loopback HTTP, two ways, blocks interleaved in one process:
- baseline: the token already in the session's headers (what a script that logged in itself sends);
- auth: `session.auth = DomoFullAuth(...)` (logged in once before timing), the token put on each request by the auth
  object, its response hook run on each answer.
The figure is the client thread's CPU time per request (`time.thread_time`: the server runs in other threads and
the machine is shared), the median over rounds of auth/baseline and of their difference. No target: issue 22 asks for
the figure; the hot path's targets are issue 23's.
"""
import os
os.environ['DOMO_TOKEN_CACHE'] = 'none'
import argparse, statistics, time
import requests
from domo_routes import DomoFullAuth
from domo_routes.fake import FAKE_PASSWORD, FakeDomo

ME = '/api/content/v2/users/me'


def block(session: requests.Session, url: str, n: int, headers: dict) -> float:
    "CPU seconds of this thread for n GETs (each answer read)"
    t = time.thread_time()
    for _ in range(n): session.get(url, headers=headers).content
    return (time.thread_time() - t) / n


def main(rounds: int, n: int) -> None:
    fake = FakeDomo()
    with fake.serve() as server, server.routing():
        url, host = server.url + ME, {'Host': 'acme.domo.com'}
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
        with_auth = requests.Session()
        with_auth.auth = auth
        assert with_auth.get(url, headers=host).status_code == 200  # logged in: from here, the token is on each request
        ready = requests.Session()
        ready.headers['x-domo-authentication'] = auth.token
        assert ready.get(url, headers=host).status_code == 200
        for _ in range(2): block(ready, url, 50, host), block(with_auth, url, 50, host)  # warm both
        ratios, extra = [], []
        for _ in range(rounds):
            base = statistics.median(block(ready, url, n, host) for _ in range(3))
            ours = statistics.median(block(with_auth, url, n, host) for _ in range(3))
            ratios.append(ours / base)
            extra.append((ours - base) * 1e6)
        logins = fake.logins
    print(f'requests, one Session, {rounds} rounds x 3 blocks of {n} GETs, client CPU per request:')
    print(f'  token ready in the headers: {base * 1e6:.0f} µs (last round)')
    print(f'  session.auth = DomoFullAuth: median ratio {statistics.median(ratios):.3f}, '
          f'median overhead {statistics.median(extra):+.1f} µs per request')
    print(f'  logins during the run: {logins}')


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--block', type=int, default=200)
    args = parser.parse_args()
    main(args.rounds, args.block)
