"""Figures for the token cache issue (12): logins made by many processes, and the time a cached token saves.

Run: python bench/bench_token_cache.py [--rounds 5]   (needs Debian's redis-server and the `redis` extra)

1. 16 processes start cold at the same moment against one FakeDomo served on loopback, sharing the file cache
   (DOMO_TOKEN_CACHE=<directory>): logins, through the Python API and through `domo-routes whoami`; then a
   second batch of 16 (target: 1 login in all).
2. 16 processes, each with its own HOME (as on 16 machines), sharing one redis-server: logins (target 1); the
   server then ends every session and 16 more processes start: re-logins (target 1).
3. Time to the first authenticated request of a new auth object, with a cached token against with a login, on
   loopback, in one process, rounds alternating: medians and their ratio.
"""
import argparse, asyncio, os, shutil, socket, statistics, subprocess, sys, tempfile, textwrap, time
from domo_routes import DomoFullAuth, FileTokenCache
from domo_routes.fake import FakeDomo, FAKE_PASSWORD

WORKER = textwrap.dedent("""
    import os, sys, time
    from domo_routes import DomoFullAuth, run_sync
    while not os.path.exists(sys.argv[1]): time.sleep(0.002)
    print(run_sync(DomoFullAuth('acme', 'ada@acme.test', os.environ['WORKER_PASSWORD']).who_am_i()).response['id'])
""")

def start_together(commands: list, envs: list) -> list:
    "Start every command, release them at the same moment (a file appears), wait; their exit codes"
    scratch = tempfile.mkdtemp()
    go = os.path.join(scratch, 'go')
    procs = [subprocess.Popen(c + ([go] if c[0] == sys.executable else []), env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for c, e in zip(commands, envs)]
    time.sleep(1.5)
    open(go, 'w').close()
    return [p.wait(120) for p in procs]

def homes(n: int) -> list:
    base = tempfile.mkdtemp()
    return [{'HOME': f'{base}/h{i}', 'XDG_CACHE_HOME': f'{base}/h{i}/.cache'} for i in range(n)]

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def file_cache_figures():
    fake = FakeDomo()
    directory = tempfile.mkdtemp()
    with fake.serve() as server:
        env = {**os.environ, **server.env(), 'DOMO_TOKEN_CACHE': directory, 'WORKER_PASSWORD': FAKE_PASSWORD}
        codes = start_together([[sys.executable, '-c', WORKER]] * 16, [env] * 16)
        first = fake.logins
        codes += start_together([[sys.executable, '-c', WORKER]] * 16, [env] * 16)
        print(f'1. file cache, Python API: 16 cold processes {first} login(s); a second batch of 16: {fake.logins - first} more '
              f'(exit codes {sorted(set(codes))})')
        cli = os.path.join(os.path.dirname(sys.executable), 'domo-routes')  # this environment's own script, not one elsewhere on PATH
        fake2, directory2 = FakeDomo(), tempfile.mkdtemp()
    with fake2.serve() as server:
        env = {**os.environ, **server.env(), 'DOMO_TOKEN_CACHE': directory2, 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test',
               'DOMO_PASSWORD': FAKE_PASSWORD}
        cmd, cwd = [cli, 'whoami'], tempfile.mkdtemp()  # no .env there
        codes = [subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(16)]
        codes = [p.wait(120) for p in codes]
        first = fake2.logins
        more = [subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(16)]
        codes += [p.wait(120) for p in more]
        print(f'   file cache, `domo-routes whoami`: 16 concurrent processes {first} login(s); 16 more: {fake2.logins - first} '
              f'(exit codes {sorted(set(codes))})')

def redis_figures():
    binary = shutil.which('redis-server') or '/usr/bin/redis-server'
    if not os.path.exists(binary): print('2. skipped: redis-server is not installed'); return
    port = free_port()
    redis = subprocess.Popen([binary, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        fake = FakeDomo()
        with fake.serve() as server:
            env = {**os.environ, **server.env(), 'DOMO_TOKEN_CACHE': f'redis://127.0.0.1:{port}/0', 'WORKER_PASSWORD': FAKE_PASSWORD}
            codes = start_together([[sys.executable, '-c', WORKER]] * 16, [{**env, **h} for h in homes(16)])
            first = fake.logins
            fake.expire_all()
            codes += start_together([[sys.executable, '-c', WORKER]] * 16, [{**env, **h} for h in homes(16)])
            print(f'2. Redis, 16 processes with separate homes: {first} login(s); after the server ended the session, '
                  f'16 more processes: {fake.logins - first} re-login(s) (exit codes {sorted(set(codes))})')
    finally:
        redis.terminate(); redis.wait(10)

async def first_request(cache, session) -> float:
    start = time.perf_counter()
    await DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=cache).who_am_i(session=session)
    return time.perf_counter() - start

def timing_figures(rounds: int):
    import httpx
    fake = FakeDomo()
    cache = FileTokenCache(tempfile.mkdtemp())
    with fake.serve() as server, server.routing():
        async def run():
            cached, login = [], []
            async with httpx.AsyncClient() as session:
                await first_request(cache, session)  # fills the cache, warms the connection
                for _ in range(rounds * 20):
                    login.append(await first_request(None, session))
                    cached.append(await first_request(cache, session))
            return statistics.median(cached), statistics.median(login)
        cached, login = asyncio.run(run())
    print(f'3. first authenticated request of a new auth object on loopback: cached token {cached * 1000:.2f} ms, '
          f'with a login {login * 1000:.2f} ms (medians of {rounds * 20}); ratio {cached / login:.2f}')

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=5)
    rounds = parser.parse_args().rounds
    file_cache_figures()
    redis_figures()
    timing_figures(rounds)
