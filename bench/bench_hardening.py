"""Figures for the hardening issue (10): masking cost with logging on, and bounded answers.

Run: python bench/bench_hardening.py [--rounds 5]

1. 200 logins (200 auth objects, each logging in once against FakeDomo over loopback HTTP, so httpx logs every
   request at INFO) with the root logger at INFO against the same at WARNING, in one process, rounds alternating:
   the median ratio (target <= 1.5) and the growth of resident memory over all INFO rounds (target <= 50 MiB).
   Every login registers a new session token, so a masking cost that grows with the number of secrets shows here.
2. Peak resident memory, above the baseline, while `get_data` refuses a 400 MB answer (chunked, no length) and a
   400 MB answer that declares its length (target <= +100 MiB). Measured in a fresh process each (VmHWM).
3. Wall time of `get_data(timeout=2)` against a server that sends one byte a second (target <= 4 s).
"""
import os
os.environ['DOMO_TOKEN_CACHE'] = 'none'  # these figures count each auth object's own logins: the token caches have bench_token_cache.py
import argparse, asyncio, io, logging, os, socket, statistics, subprocess, sys, textwrap, threading, time
import httpx
from domo_routes import DomoFullAuth
from domo_routes.fake import FakeDomo, FAKE_PASSWORD

def rss_mib() -> float:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'): return int(line.split()[1]) / 1024

async def logins(n: int) -> float:
    "n auth objects log in once each through one AsyncClient; seconds"
    async with httpx.AsyncClient() as client:
        start = time.perf_counter()
        for i in range(n):
            auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD)
            await auth.get_auth_token(session=client)
        return time.perf_counter() - start

def masking_figures(rounds: int):
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())  # formatted and written, as a real handler would
    root.addHandler(handler)
    fake = FakeDomo()
    ratios, growth = [], 0.0
    with fake.serve() as server, server.routing():
        asyncio.run(logins(20))  # warm up
        for _ in range(rounds):
            root.setLevel(logging.WARNING); quiet = asyncio.run(logins(200))
            before = rss_mib()
            root.setLevel(logging.INFO); loud = asyncio.run(logins(200))
            growth += rss_mib() - before
            lines = handler.stream.getvalue().count('\n')
            handler.stream = io.StringIO()  # the log text itself is not the library's memory
            ratios.append(loud / quiet)
            print(f'  200 logins: WARNING {quiet:.3f} s, INFO {loud:.3f} s ({lines} log lines), ratio {loud / quiet:.2f}', flush=True)
    root.removeHandler(handler)
    print(f'200 logins at INFO vs WARNING: median ratio {statistics.median(ratios):.2f} (target <= 1.5); '
          f'memory growth over {rounds} x 200 logins at INFO: {growth:.1f} MiB (target <= 50)')

HUGE = textwrap.dedent('''
    import asyncio, socket, sys, threading, time
    from domo_routes import get_data, ResponseTooLargeError
    from domo_routes.client import reroute
    declared = sys.argv[1] == 'declared'
    def serve(sock):
        conn, _ = sock.accept()
        conn.recv(65536)
        chunk = b'[' + b'0,' * (512 * 1024) + b'0'
        try:
            if declared:
                conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 400000000\\r\\n\\r\\n')
                for _ in range(400_000_000 // len(chunk)): conn.sendall(chunk)
            else:
                conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n')
                for _ in range(400_000_000 // len(chunk)): conn.sendall(b'%x\\r\\n%s\\r\\n' % (len(chunk), chunk))
                conn.sendall(b'0\\r\\n\\r\\n')
        except OSError: pass
    def status(key):
        for line in open('/proc/self/status'):
            if line.startswith(key): return int(line.split()[1]) / 1024
    sock = socket.socket(); sock.bind(('127.0.0.1', 0)); sock.listen(1)
    threading.Thread(target=serve, args=(sock,), daemon=True).start()
    async def main():
        with reroute(f'http://127.0.0.1:{sock.getsockname()[1]}'):
            try: await get_data('https://acme.domo.com/api/data/v1/export', timeout=60)
            except ResponseTooLargeError as e: return e.message
    base = status('VmRSS:')
    with open('/proc/self/clear_refs', 'w') as f: f.write('5')  # reset the peak (VmHWM) to now
    start = time.perf_counter()
    message = asyncio.run(main())
    print(f'{status("VmHWM:") - base:.1f} {time.perf_counter() - start:.2f} {message}')
''')

def drip_server():
    sock = socket.socket(); sock.bind(('127.0.0.1', 0)); sock.listen(4)
    def serve():
        while True:
            try: conn, _ = sock.accept()
            except OSError: return
            def one(conn=conn):
                conn.recv(65536)
                try:
                    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n')
                    for _ in range(60): conn.sendall(b' '); time.sleep(1)
                except OSError: pass
                finally: conn.close()
            threading.Thread(target=one, daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    return sock

def bounds_figures():
    for kind in ('chunked', 'declared'):
        out = subprocess.run([sys.executable, '-c', HUGE, kind], capture_output=True, text=True, timeout=300)
        peak, seconds, message = out.stdout.split(' ', 2)
        print(f'refusing a 400 MB answer ({kind}): peak memory +{float(peak):.1f} MiB (target <= +100), {float(seconds):.2f} s: {message.strip()}')
    from domo_routes import get_data, DomoNetworkError
    from domo_routes.client import reroute
    sock = drip_server()
    with reroute(f'http://127.0.0.1:{sock.getsockname()[1]}'):
        start = time.perf_counter()
        try: asyncio.run(get_data('https://acme.domo.com/api/x', timeout=2))
        except DomoNetworkError as e: message = e.message
        print(f'get_data(timeout=2) against one byte a second: {time.perf_counter() - start:.2f} s (target <= 4): {message}')

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    masking_figures(args.rounds)
    bounds_figures()
