"""pydomo (Domo's SDK, the real package, pinned in the dev extra) through `pydomo_client`: its tokens come from a
domo_routes DomoDeveloperAuth, pydomo never logs in itself, a revoked token is replaced once and the request sent again,
a fleet on one Redis logs in once; plain pydomo alongside for the figures (nbs/19_interop.ipynb)."""
import os, subprocess, sys, tempfile, textwrap, time

import pytest

pytest.importorskip('pydomo')
import pydomo

from domo_routes import DomoDeveloperAuth, DomoFullAuth, InvalidInputError
from domo_routes.fake import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD, FakeDomo
from domo_routes.interop import pydomo_client

from conftest import RedisServer, clean_env, need_redis

ADA = 1893952720


@pytest.fixture
def served(fake):
    "The fake on a loopback port, the library's requests (pydomo_client's included) routed to it"
    with fake.serve() as server, server.routing(): yield fake


def developer(**kwargs) -> DomoDeveloperAuth:
    return DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, **{'token_cache': None, **kwargs})


def test_ten_calls_are_one_login_made_by_the_auth_object_never_by_pydomo(served):
    domo = pydomo_client(developer())
    assert served.logins == 0  # pydomo's constructor logs in; this one does not
    names = [domo.users.get(ADA)['name'] for _ in range(10)]
    assert names == ['Ada Lovelace'] * 10 and served.logins == 1 and served.requests_by_route['oauth_token'] == 1
    assert served.responses_by_status[401] == 0  # logged in before the first request, not after its 401


def test_a_revoked_token_is_replaced_once_and_the_request_sent_again_with_its_body(served):
    domo = pydomo_client(developer())
    assert domo.users.get(ADA)['id'] == ADA
    served.expire_all()  # the server revokes the token: plain pydomo would raise until its clock says expired
    created = domo.users.create({'email': 'new@acme.test', 'name': 'New', 'role': 'Participant'}, send_invite=False)
    posts = [seen for seen in served.log if seen.method == 'POST' and seen.path.rstrip('/') == '/v1/users']
    assert created and served.logins == 2 and served.responses_by_status[401] == 1
    assert len(posts) == 2 and posts[0].body_size == posts[1].body_size > 0  # the same body, sent twice


def test_a_token_in_the_cache_means_no_login_at_all(served):
    from domo_routes import MemoryTokenCache
    cache = MemoryTokenCache()
    assert pydomo_client(developer(token_cache=cache)).users.get(ADA)['id'] == ADA and served.logins == 1
    again = pydomo_client(DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=cache))
    assert again.users.get(ADA)['id'] == ADA and served.logins == 1


def test_wrong_client_credentials_are_one_attempt_and_a_clear_error(served):
    domo = pydomo_client(DomoDeveloperAuth(FAKE_CLIENT_ID, 'CANARY-not-the-secret-5e6f', token_cache=None))
    for _ in range(3):
        with pytest.raises(Exception) as failure: domo.users.get(ADA)
        assert 'CANARY' not in str(failure.value) and 'CANARY' not in repr(failure.value)
    assert served.requests_by_route['oauth_token'] == 1  # remembered: no second attempt with the same secret


def test_only_a_developer_auth_is_accepted():
    with pytest.raises(InvalidInputError, match='DomoDeveloperAuth'):
        pydomo_client(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))


# --- the fleet figure: 4 processes x calls, one Redis; and plain pydomo against the same fake -----------------------
WORKER = textwrap.dedent("""
    import os, sys, time
    import httpx, pydomo, pydomo.Transport
    from domo_routes.urls import reroute_request
    calls, mode = int(os.environ['WORKER_CALLS']), os.environ['WORKER_MODE']
    if mode == 'plain':  # plain pydomo, its requests sent to the same fake the same way as pydomo_client's
        real = pydomo.Transport.requests.request
        def request(method, url, headers=None, **kwargs):
            target = reroute_request(httpx.Request(method, url))
            return real(method, str(target.url), headers={**(headers or {}), 'Host': target.headers['host']}, **kwargs)
        pydomo.Transport.requests.request = request
    open(sys.argv[2], 'w').close()  # ready
    while not os.path.exists(sys.argv[1]): time.sleep(0.002)  # start together
    if mode == 'plain':
        domo = pydomo.Domo(os.environ['WORKER_ID'], os.environ['WORKER_SECRET'])
    else:
        from domo_routes import DomoDeveloperAuth, token_cache_from
        from domo_routes.interop import pydomo_client
        cache = token_cache_from(os.environ['WORKER_TOKEN_CACHE'])
        domo = pydomo_client(DomoDeveloperAuth(os.environ['WORKER_ID'], os.environ['WORKER_SECRET'], token_cache=cache))
    print(sum(domo.users.get(1893952720)['id'] == 1893952720 for _ in range(calls)))
""")


def fleet(mode: str, server, cache: str = 'none', processes: int = 4, calls: int = 50) -> list:
    "Start `processes` workers (each its own HOME, as on its own machine), released together; their successful calls"
    scratch = tempfile.mkdtemp(prefix='pydomo-fleet-')
    go, procs, readies = os.path.join(scratch, 'go'), [], []
    for i in range(processes):
        home, ready = os.path.join(scratch, f'home{i}'), os.path.join(scratch, f'ready{i}')
        os.makedirs(home)
        readies.append(ready)
        env = clean_env(HOME=home, WORKER_MODE=mode, WORKER_CALLS=str(calls), WORKER_ID=FAKE_CLIENT_ID,
                        WORKER_SECRET=FAKE_CLIENT_SECRET, WORKER_TOKEN_CACHE=cache, **server.env())
        procs.append(subprocess.Popen([sys.executable, '-c', WORKER, go, ready], env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    deadline = time.monotonic() + 60
    while not all(os.path.exists(r) for r in readies) and time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs): break
        time.sleep(0.01)
    open(go, 'w').close()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e[-800:] for _, e in outs]
    return [int(o) for o, _ in outs]


@pytest.fixture
def redis_url():
    need_redis()
    pytest.importorskip('redis')
    with RedisServer() as server: yield server.url


def test_a_fleet_of_four_processes_on_one_redis_logs_in_once_where_plain_pydomo_logs_in_in_each(redis_url):
    "The closing note's figure: 4 processes x 50 calls; tokens shaped as JWTs, so plain pydomo reads their expiry"
    fake = FakeDomo(jwt_bearer_tokens=True)
    with fake.serve() as server:
        assert fleet('domo_routes', server, cache=redis_url) == [50] * 4
        ours = fake.logins
        assert fleet('plain', server) == [50] * 4
        theirs = fake.logins - ours
    assert (ours, theirs) == (1, 4)


def test_with_opaque_tokens_plain_pydomo_logs_in_before_every_request_and_pydomo_client_does_not(redis_url):
    "Real tokens are very likely JWTs, but a client must not depend on it (WIRE.md): an opaque token, each side"
    fake = FakeDomo()
    with fake.serve() as server:
        assert fleet('domo_routes', server, cache=redis_url, calls=10) == [10] * 4
        ours = fake.logins
        assert fleet('plain', server, calls=10) == [10] * 4
        theirs = fake.logins - ours
    assert (ours, theirs) == (1, 4 * 11)  # plain pydomo: its constructor's login, then one before each request
