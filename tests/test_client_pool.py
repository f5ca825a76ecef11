"""The library's own pooled client: one per event loop, closed with its loop, no sockets or loops left behind;
proxy settings httpx cannot use are a one-line InvalidInputError.

Ported from nbs/02_client.ipynb: cells 33, 34 and 53.
"""
import asyncio, concurrent.futures, subprocess, sys, textwrap

from domo_routes import InvalidInputError, get_data
from domo_routes.client import pooled_client
from support_client import ME_URL


async def _twice():
    return pooled_client(), pooled_client()


async def test_one_pooled_client_per_loop_kept_open_while_the_loop_runs():
    a, b = await _twice()
    assert a is b and not a.is_closed


async def test_another_loop_gets_another_client_closed_when_its_loop_finishes():
    a, _ = await _twice()
    with concurrent.futures.ThreadPoolExecutor(1) as other_thread: c, _ = other_thread.submit(asyncio.run, _twice()).result()
    assert c is not a and c.is_closed


LEAK_SCRIPT = textwrap.dedent('''
    import asyncio, gc, os, weakref
    from domo_routes.fake import FakeDomo, FAKE_ACCESS_TOKEN
    from domo_routes import get_data, reroute
    def sockets():
        count = 0
        for fd in os.listdir('/proc/self/fd'):
            try: count += os.readlink(f'/proc/self/fd/{fd}').startswith('socket:')
            except OSError: pass  # the listing's own descriptor, closed by now
        return count
    loops = weakref.WeakSet()
    async def call():
        loops.add(asyncio.get_running_loop())
        r = await get_data('https://acme.domo.com/api/content/v2/users/me', headers={'x-domo-developer-token': FAKE_ACCESS_TOKEN})
        assert r.status == 200, r
    with FakeDomo().serve() as server, reroute(server.url):
        before = sockets()
        for _ in range(200): asyncio.run(call())
        import time
        for _ in range(40):
            gc.collect()
            if sockets() == before and not loops: break
            time.sleep(0.05)  # the server's side of each closed connection ends in its own thread
        print(sockets() - before, len(loops))
''')


def test_two_hundred_asyncio_runs_leave_no_socket_and_no_loop_behind():
    out = subprocess.run([sys.executable, '-c', LEAK_SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ['0', '0'], out.stderr


def test_unusable_proxy_settings_are_a_one_line_invalid_input_error_without_the_proxy_password(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy-user:CANARY-proxy-pw@127.0.0.1:bad')
    found = []
    def call():  # a loop of its own: the pooled client (which reads the proxy settings) is made for it
        try: asyncio.run(get_data(ME_URL))
        except BaseException as e: found.append(e)
    with concurrent.futures.ThreadPoolExecutor(1) as pool: pool.submit(call).result(timeout=30)
    e = found[0]
    assert isinstance(e, InvalidInputError) and 'CANARY-proxy-pw' not in str(e) and 'proxy settings' in str(e), repr(e)
