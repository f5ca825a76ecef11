"""Attacks on the library's locks and waits, from processes and event loops: each makes a caller wait where nothing
will ever wake it, or freezes the callers of an event loop, and each must end at once, with an answer or a `DomoError`.

The family:
- Processes and event loops: a child forked while a thread of its parent is logging in (it logs in itself instead of
  waiting for a login that will never finish in it); children forked while threads log in and register secrets (none
  hangs on the masking registry's lock), and one more secret beside 4,096 alike that is registered without copying
  them; a slow Redis that does not freeze the event loop; a synchronous request on an event loop's own thread while a
  task of that loop is logging in (a `DomoError` naming the loop, not a deadlock); a Redis lock lost during a login that
  does not take the cache down.

A forked child writes its answer to a pipe and leaves with `os._exit`; the parent waits for it with a deadline and
kills it when it hangs, so a hang is a failure with a message, never a stuck test run.
"""
import asyncio, concurrent.futures, contextlib, gc, logging, os, select, signal, socket, threading, time, tracemalloc

import httpx
import pytest

from domo_routes import DomoError, DomoFullAuth, RedisTokenCache, mask, redact, register_secret
from domo_routes.fake import FAKE_PASSWORD, make_session_token

from support_client import fresh_secret_registry

ME = 'https://acme.domo.com/api/content/v2/users/me'
ADA_ID = 1893952720

# Python 3.12+ warns that fork() in a process with threads may deadlock: that is what these tests are about
forks = pytest.mark.filterwarnings('ignore:.*fork.*:DeprecationWarning')
needs_fork = pytest.mark.skipif(not hasattr(os, 'fork'), reason='os.fork: POSIX only')


class Child:
    "`work()` run in a forked child; its answer comes back through a pipe: 'ok …', 'error …', or 'hung' (then killed)"
    def __init__(self, work):
        self.read_end, write_end = os.pipe()
        self.started = time.monotonic()
        self.pid = os.fork()
        if self.pid == 0:  # the child: it never returns to pytest
            try:
                os.close(self.read_end)
                try: answer = f'ok {work()}'
                except BaseException as e: answer = f'error {type(e).__name__}: {e}'
                os.write(write_end, answer.encode()[:4000])
            finally: os._exit(0)
        os.close(write_end)

    def result(self, within: float) -> str:
        "The child's answer, or 'hung' when it gave none within `within` seconds of its fork (it is killed)"
        chunks, deadline = [], self.started + within
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read_end], [], [], left)[0]:
                    os.kill(self.pid, signal.SIGKILL)
                    return 'hung'
                chunk = os.read(self.read_end, 4096)
                if not chunk: return b''.join(chunks).decode() or 'error: no answer'
                chunks.append(chunk)
        finally:
            os.close(self.read_end)
            os.waitpid(self.pid, 0)


def wait_until(condition, seconds: float = 5, why: str = 'the condition') -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f'{why} did not happen within {seconds} s'
        time.sleep(0.01)


@contextlib.contextmanager
def interrupted_after(seconds: float, why: str):
    "Raise AssertionError(why) in this (the main) thread if the block is still running after `seconds`: a deadlock fails"
    def stop(signum, frame): raise AssertionError(why)
    previous = signal.signal(signal.SIGUSR1, stop)
    timer = threading.Timer(seconds, signal.pthread_kill, (threading.get_ident(), signal.SIGUSR1))
    timer.start()
    try: yield
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGUSR1, previous)


class SlowProxy:
    "A TCP proxy to 127.0.0.1:`port` that holds each chunk from the server `delay` seconds before passing it on"
    def __init__(self, port: int, delay: float):
        self.port, self.delay, self.sockets = port, delay, []
        self.listener = socket.create_server(('127.0.0.1', 0))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str: return f'redis://127.0.0.1:{self.listener.getsockname()[1]}/0'

    def _accept(self):
        while True:
            try: client, _ = self.listener.accept()
            except OSError: return
            server = socket.create_connection(('127.0.0.1', self.port))
            self.sockets += [client, server]
            threading.Thread(target=self._forward, args=(client, server, 0.0), daemon=True).start()
            threading.Thread(target=self._forward, args=(server, client, self.delay), daemon=True).start()

    def _forward(self, source, target, delay):
        try:
            while True:
                data = source.recv(65536)
                if not data: break
                if delay: time.sleep(delay)
                target.sendall(data)
        except OSError: pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError): s.shutdown(socket.SHUT_RDWR)

    def __enter__(self): return self

    def __exit__(self, *exc):
        self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError): s.shutdown(socket.SHUT_RDWR)
            s.close()


class Owner:
    "An object secrets can belong to (kept alive by the test)"


def alike_tokens(n: int) -> list:
    "`n` Domo session tokens for ada: the same length, the same first characters ('eyJjdXN0b21lcklk…')"
    return [make_session_token(ADA_ID, 2_000_000_000, 1_700_000_000) for _ in range(n)]


# Processes and event loops

@needs_fork
@forks
@pytest.mark.timeout(30)
def test_a_child_forked_during_a_login_logs_in_itself_instead_of_waiting_for_the_parents(fake, fake_server):
    "The parent's login runs in a thread that the child does not have: waiting for it would be waiting forever"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    fake.delay_next(2)  # the parent's login is slow: the fork happens in the middle of it

    def parent_login():
        with httpx.Client(auth=auth, transport=fake_server.transport()) as client: return client.get(ME).status_code

    def child_request():
        with httpx.Client(auth=auth, transport=fake_server.transport(), timeout=5) as client:
            return client.get(ME).status_code

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        parent = pool.submit(parent_login)
        wait_until(lambda: fake.connections >= 1, why="the parent's login")
        time.sleep(0.2)  # the login is on the wire, its answer 2 s away
        answer = Child(child_request).result(within=5)
        assert answer == 'ok 200', f"the child's request, within 5 s of its fork: {answer} (it waited for the parent's login)"
        assert parent.result(10) == 200
    assert fake.logins == 2  # the parent's and the child's own


@needs_fork
@forks
@pytest.mark.timeout(60)
def test_children_forked_while_threads_log_in_and_register_secrets_never_hang(fake, fake_server):
    "8 threads register secrets and log in, 12 forks among them: each child registers, redacts and logs in within 10 s"
    keeper = Owner()
    register_secret(*alike_tokens(2048), owner=keeper)  # a registry of some size: registering takes its lock a while
    stop = threading.Event()

    def register_in_a_loop():
        while not stop.is_set():
            register_secret(*alike_tokens(4), owner=Owner())  # the owner goes at once: let go at the next registration

    def log_in_in_a_loop():
        while not stop.is_set():
            with fake.sync_client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)) as c:
                assert c.get(ME).status_code == 200

    def child_work():
        secret = f'child-{os.getpid()}-secret-0123456789abcdef'
        register_secret(secret)
        if secret in redact(f'the secret is {secret}'): return 'not masked'
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
        with httpx.Client(auth=auth, transport=fake_server.transport(), timeout=5) as client:
            return client.get(ME).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        busy = [pool.submit(register_in_a_loop) for _ in range(4)] + [pool.submit(log_in_in_a_loop) for _ in range(4)]
        try:
            wait_until(lambda: fake.logins >= 4, why='logins in the threads')
            children = []
            for _ in range(12):
                children.append(Child(child_work))
                time.sleep(0.03)
        finally:
            stop.set()
        for future in busy: future.result(30)
    answers = [child.result(within=10) for child in children]
    assert answers == ['ok 200'] * 12, f"{answers.count('hung')} of 12 children hung: {answers}"


@pytest.mark.timeout(60)
def test_registering_one_more_secret_beside_4096_alike_ones_does_not_copy_them():
    "4,096 session tokens share their first characters and length: one more must cost its own forms, not a copy of theirs"
    owner = Owner()
    tokens = alike_tokens(4097)
    assert len({len(t) for t in tokens}) == 1 and len({t[:16] for t in tokens}) == 1
    with fresh_secret_registry():  # a registry of their own: no other test's secrets, none of theirs evicted
        register_secret(*tokens[:4096], owner=owner)
        gc.collect()
        gc.disable()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            register_secret(tokens[4096], owner=owner)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            gc.enable()
        allocated = peak - before
        assert allocated < 64 * 1024, f'registering one secret allocated {allocated:,} bytes (a copy of the others)'
        assert tokens[4096] not in redact(f'the token {tokens[4096]}') and mask(tokens[4096]) in redact(tokens[4096])


@pytest.mark.timeout(60)
async def test_a_slow_redis_does_not_freeze_the_event_loop(fake, redis_server):
    "Each answer of Redis arrives 0.8 s late: the login waits for it, the loop's other tasks do not"
    with SlowProxy(redis_server.port, delay=0.8) as proxy:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=RedisTokenCache(proxy.url, timeout=5))
        gaps, done = [], False

        async def heartbeat():
            last = time.monotonic()
            while not done:
                await asyncio.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        beating = asyncio.ensure_future(heartbeat())
        await asyncio.sleep(0.05)  # a few beats first
        try:
            async with fake.client(auth=auth) as client: response = await client.get(ME)
        finally:
            done = True
            await beating
    assert (response.status_code, fake.logins) == (200, 1)
    assert max(gaps) < 0.3, f'the event loop was frozen for {max(gaps):.2f} s while Redis answered'


@pytest.mark.timeout(30)
async def test_a_sync_request_on_the_loops_thread_during_that_loops_login_fails_at_once(fake):
    "Waiting for a login that only this (blocked) loop can finish is a deadlock: a DomoError that names the loop instead"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    async with httpx.AsyncClient(auth=auth, transport=fake.transport()) as client:
        fake.delay_next(1)
        task = asyncio.ensure_future(client.get(ME))
        await asyncio.sleep(0.1)  # task's login is in flight, on this loop
        start = time.monotonic()
        with interrupted_after(3, "the sync request on the loop's thread waited for that loop's login: a deadlock"):
            with httpx.Client(auth=auth, transport=fake.sync_transport()) as sync_client:
                with pytest.raises(DomoError) as raised: sync_client.get(ME)
        assert time.monotonic() - start < 2
        assert 'loop' in str(raised.value), str(raised.value)
        assert (await asyncio.wait_for(task, 5)).status_code == 200
    assert fake.logins == 1


@pytest.mark.timeout(30)
def test_a_redis_lock_lost_during_a_login_does_not_take_the_cache_down(fake, redis_server, caplog):
    "The lock expired or was deleted while the login ran: the token is still shared, and Redis is still used"
    import redis
    caplog.set_level(logging.INFO, logger='domo_routes')
    direct = redis.Redis.from_url(redis_server.url)
    cache = RedisTokenCache(redis_server.url)

    def get_me(token_cache) -> int:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=token_cache)
        with fake.sync_client(auth=auth) as client: return client.get(ME).status_code

    fake.delay_next(1)  # a slow login: the lock is held while it runs
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        first = pool.submit(get_me, cache)
        wait_until(lambda: direct.keys('domo_routes:lock:*'), why='the login lock in Redis')
        assert direct.delete(*direct.keys('domo_routes:lock:*')) == 1  # its release will raise LockNotOwnedError
        assert first.result(10) == 200
    lines = [r.getMessage() for r in caplog.records if r.name == 'domo_routes' and r.levelno >= logging.WARNING]
    assert not [line for line in lines if 'failed to unlock' in line or 'logging in without it' in line], lines
    assert get_me(RedisTokenCache(redis_server.url)) == 200  # another worker finds the token in Redis
    assert get_me(cache) == 200  # and so does the first cache: it is not treated as down
    assert fake.logins == 1
