"""Helpers shared by the token cache tests: a sample entry, the cache key an auth object uses, and many worker processes
released at the same moment."""
import os, subprocess, sys, tempfile, textwrap, time

from domo_routes import CachedToken
from domo_routes.fake import FAKE_PASSWORD

from conftest import clean_env

ADA_ID = '1893952720'  # the seeded user's id, as a worker prints it


def sample_entry() -> CachedToken:
    "An 8-hour session token with 7 hours left, for ada at acme"
    return CachedToken('a-session-token-of-ada-0123456789', 8 * 3600, 7 * 3600,
                       {'method': 'full', 'instance': 'acme', 'user': 'ada@acme.test'})


def cache_slot(auth) -> tuple:
    "(key, identity) under which `auth` keeps its token in its cache"
    slot = auth.cache_slot()
    return slot.key, slot.identity


# Each worker: its own auth object (the cache named by WORKER_TOKEN_CACHE, passed explicitly), ready when imported,
# then one `who_am_i` once the parent releases every worker together; prints the user id.
WORKER = textwrap.dedent("""
    import os, sys, time
    from domo_routes import DomoFullAuth, run_sync, token_cache_from
    auth = DomoFullAuth('acme', 'ada@acme.test', os.environ['WORKER_PASSWORD'],
                        token_cache=token_cache_from(os.environ['WORKER_TOKEN_CACHE']))
    open(sys.argv[2], 'w').close()  # ready
    while not os.path.exists(sys.argv[1]): time.sleep(0.002)  # start together
    print(run_sync(auth.who_am_i()).response['id'])
""")


def run_workers(n: int, cache: str, env: dict, homes: bool = False, timeout: float = 120) -> list:
    """Start `n` worker processes on the token cache `cache` (a DOMO_TOKEN_CACHE value), release them at once when all
    are ready, and return their (stdout, stderr); each its own HOME if `homes` (as on `n` machines)"""
    scratch = tempfile.mkdtemp(prefix='workers-')
    go = os.path.join(scratch, 'go')
    procs, readies = [], []
    for i in range(n):
        home = os.path.join(scratch, f'home{i}' if homes else 'home')
        os.makedirs(home, exist_ok=True)
        ready = os.path.join(scratch, f'ready{i}')
        readies.append(ready)
        full = clean_env(HOME=home, XDG_CACHE_HOME=os.path.join(home, '.cache'), WORKER_PASSWORD=FAKE_PASSWORD,
                         WORKER_TOKEN_CACHE=cache, **env)
        procs.append(subprocess.Popen([sys.executable, '-c', WORKER, go, ready], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=full))
    try:
        deadline = time.monotonic() + 60
        while not all(os.path.exists(r) for r in readies):
            if any(p.poll() is not None for p in procs) or time.monotonic() > deadline: break  # a worker died: report it below
            time.sleep(0.01)
        open(go, 'w').close()
        outs = [p.communicate(timeout=timeout) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None: p.kill(); p.wait()
    assert all(p.returncode == 0 for p in procs), [e[-600:] for _, e in outs]
    return outs
