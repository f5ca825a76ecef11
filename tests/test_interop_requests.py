"""Every auth object as a `requests` auth (`session.auth = auth`, the shape of `HTTPDigestAuth`): the login through the
session's adapter, one login for many threads, a new token ahead of expiry, one new login and resend on a 401, the
token never sent to another origin (a redirect included), failures remembered (nbs/08_lifecycle_driver.ipynb,
nbs/19_interop.ipynb). Against the fake on loopback, with the real `requests`."""
import http.server, json, threading

import pytest

requests = pytest.importorskip('requests')

from domo_routes import DomoDeveloperAuth, DomoFullAuth, FileTokenCache, InvalidCredentialsError
from domo_routes.fake import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD

from support_cli import RecordingDomo

HOST = {'Host': 'acme.domo.com'}


class CountingAdapter(requests.adapters.HTTPAdapter):
    "A session's adapter that keeps what it sent: (method, path, headers, the send keywords)"
    def __init__(self):
        super().__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request.method, request.path_url, dict(request.headers), kwargs))
        return super().send(request, **kwargs)


@pytest.fixture
def served():
    fake = RecordingDomo()
    with fake.serve() as server, server.routing(): yield fake, server


def session_for(auth, adapter=None):
    session = requests.Session()
    session.auth = auth
    if adapter is not None: session.mount('http://', adapter)
    return session


def test_the_login_goes_through_the_sessions_adapter_with_its_settings(served):
    fake, server = served
    adapter, auth = CountingAdapter(), DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    session = session_for(auth, adapter)
    answer = session.get(f'{server.url}/api/content/v2/users/me', headers=HOST, timeout=17)
    assert answer.status_code == 200 and answer.json()['displayName'] == 'Ada Lovelace' and fake.logins == 1
    paths = [path for _, path, _, _ in adapter.sent]
    assert paths == ['/api/content/v2/users/me', '/api/content/v2/authentication', '/api/content/v2/users/me']
    assert all(kwargs['timeout'] == 17 for _, _, _, kwargs in adapter.sent)  # the login rode on the session's call
    for _ in range(3): session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert fake.logins == 1 and len(adapter.sent) == 6  # the token on each request: no more logins, no 401s


def test_twenty_threads_on_one_session_make_one_login(served):
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    statuses, start = [], threading.Barrier(20)

    def call():
        start.wait()
        statuses.append(session.get(f'{server.url}/api/content/v2/users/me', headers=HOST).status_code)
    threads = [threading.Thread(target=call) for _ in range(20)]
    for t in threads: t.start()
    for t in threads: t.join(30)
    assert (statuses, fake.logins) == ([200] * 20, 1)


def test_a_revoked_session_is_replaced_once_and_a_post_sent_again_with_its_body(served):
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    fake.expire_all()
    body = {'name': 'ci', 'ownerId': 1893952720, 'expires': 0}
    answer = session.post(f'{server.url}/api/data/v1/accesstokens', json=body, headers=HOST)
    assert answer.status_code == 200 and answer.json()['name'] == 'ci' and fake.logins == 2
    posted = [b for m, url, _, b in fake.received if m == 'POST' and url.path.endswith('/accesstokens')]
    assert [json.loads(b) for b in posted] == [body, body] and [h.status_code for h in answer.history] == [401]


def test_an_endpoint_that_refuses_fresh_tokens_gets_its_401_back_without_a_loop(served):
    fake, server = served
    fake.fail_next(401, n=100, path='/always-401')
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    assert session.get(f'{server.url}/always-401', headers=HOST).status_code == 401
    assert session.get(f'{server.url}/always-401', headers=HOST).status_code == 401
    assert fake.logins <= 2


def test_a_token_in_its_refresh_window_is_replaced_for_the_next_requests(served):
    fake, server = served
    now = [1_700_000_000.0]
    fake.clock = lambda: now[0]
    fake.session_lifetime = 600
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None, clock=lambda: now[0])
    session = session_for(auth)
    session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    first = auth.token
    now[0] += 545  # in its last tenth
    assert session.get(f'{server.url}/api/content/v2/users/me', headers=HOST).status_code == 200
    assert auth.token != first and fake.logins == 2
    now[0] += 100  # the first one has expired: the requests carry the new one, no 401
    assert session.get(f'{server.url}/api/content/v2/users/me', headers=HOST).status_code == 200
    assert fake.responses_by_status[401] == 1  # the first request's, before any token


class Recorder(http.server.BaseHTTPRequestHandler):
    "Another origin: keeps the headers of what it receives"
    seen: list = []

    def do_GET(self):
        Recorder.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header('content-length', '2')
        self.end_headers()
        self.wfile.write(b'{}')

    def log_message(self, *args): pass


def test_the_token_is_never_sent_to_another_origin_nor_through_a_redirect_to_one(served):
    fake, server = served
    other = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
        session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
        elsewhere = f'http://127.0.0.1:{other.server_address[1]}/collect'
        session.get(elsewhere)
        fake.redirect_next(elsewhere)
        assert session.get(f'{server.url}/api/content/v2/users/me', headers=HOST).status_code == 200
    finally: other.shutdown()
    assert len(Recorder.seen) == 2
    assert not [h for h in Recorder.seen if any(k.lower() == 'x-domo-authentication' for k in h)], Recorder.seen


def test_a_wrong_password_is_one_attempt_and_an_invalid_credentials_error(served):
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=None))
    for _ in range(5):
        with pytest.raises(InvalidCredentialsError): session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert sum(1 for m, url, _, _ in fake.received if url.path.endswith('/authentication')) == 1


def test_a_fresh_token_another_process_cached_spares_the_first_request_its_401(served, tmp_path):
    fake, server = served
    cache = FileTokenCache(tmp_path / 'cache')
    session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=cache)).get(
        f'{server.url}/api/content/v2/users/me', headers=HOST)
    before = fake.responses_by_status[401]
    answer = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=FileTokenCache(tmp_path / 'cache'))).get(
        f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert answer.status_code == 200 and fake.logins == 1 and fake.responses_by_status[401] == before


def test_client_credentials_as_a_requests_auth_send_their_bearer_token(served):
    fake, server = served
    session = session_for(DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=None))
    answer = session.get(f'{server.url}/v1/users/1893952720', headers={'Host': 'api.domo.com'})
    assert answer.status_code == 200 and answer.json()['name'] == 'Ada Lovelace' and fake.logins == 1


def test_a_redirect_within_the_origin_then_away_takes_the_token_off_at_the_hop_that_leaves(served):
    fake, server = served
    other = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    Recorder.seen = []
    try:
        session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
        session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
        fake.redirect_next('/api/content/v2/users/me')
        fake.redirect_next(f'http://127.0.0.1:{other.server_address[1]}/collect')
        answer = session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    finally: other.shutdown()
    assert answer.status_code == 200 and [h.status_code for h in answer.history] == [302, 302]
    assert len(Recorder.seen) == 1 and not [k for k in Recorder.seen[0] if k.lower() == 'x-domo-authentication']


class elsewhere:
    "A server on another origin that answers every request with `status`, and keeps the headers it received"
    def __init__(self, status: int):
        seen, code = [], status

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            def do_GET(self):
                seen.append({':path': self.path, **{k.lower(): v for k, v in self.headers.items()}})
                self.send_response(code)
                self.send_header('content-length', '2')
                self.end_headers()
                self.wfile.write(b'{}')
            do_PUT = do_POST = do_GET
            def log_message(self, *args): pass
        self.seen, self.server = seen, http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}/collect'

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc): self.server.shutdown()

    def tokens(self) -> list:
        return [h[k] for h in self.seen for k in ('x-domo-authentication', 'authorization') if k in h]


@pytest.mark.parametrize('warm', [False, True])
def test_a_host_elsewhere_that_answers_401_after_a_redirect_never_gets_a_token(served, warm):
    "requests copies the hooks onto the redirected request: a 401 from elsewhere must not start a login and a resend"
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    if warm: session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    logins = fake.logins
    with elsewhere(401) as other:
        fake.redirect_next(other.url)
        answer = session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert answer.status_code == 401 and len(other.seen) == 1 and other.tokens() == []
    assert fake.logins == logins  # a stranger's 401 is not ours to answer


def test_a_resend_after_a_401_that_is_redirected_away_carries_no_token(served):
    "The resend's redirect is followed from the first request: it must carry no token (old or new) when it leaves"
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    with elsewhere(200) as other:
        fake.fail_next(401, path='/users/me')  # a refusal of a token that still works (the server changed its mind)
        fake.redirect_next(other.url, path='/users/me')  # ... and the resend is sent elsewhere
        answer = session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert answer.status_code == 200 and fake.logins == 2 and len(other.seen) == 1
    assert other.tokens() == [], other.seen


def test_a_resend_after_a_401_redirected_within_the_origin_carries_the_new_token(served):
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    fake.expire_all()
    fake.redirect_next('/api/content/v2/users/me', path='/users/me', status=307)
    fake.fail_next(401, path='/users/me')  # the redirect goes to the resend: the first request meets the 401 first
    answer = session.get(f'{server.url}/api/content/v2/users/me', headers=HOST)
    assert answer.status_code == 200 and answer.json()['displayName'] == 'Ada Lovelace' and fake.logins == 2


def test_a_streamed_body_answered_401_is_not_sent_again_empty(served, caplog):
    "A generator body is read as it is sent: after the 401, the caller gets the 401 (and a warning), never an empty upload"
    fake, server = served
    session = session_for(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None))
    chunks = lambda: (b'x' * 1000 for _ in range(8))
    answer = session.put(f'{server.url}/api/data/v1/accesstokens/1', data=chunks(), headers=HOST)
    puts = [body for m, url, _, body in fake.received if m == 'PUT']
    assert answer.status_code == 401 and puts == [b'x' * 8000] and fake.logins == 1  # sent once; a token ready
    assert 'cannot be sent twice' in caplog.text
    session.put(f'{server.url}/api/data/v1/accesstokens/1', data=chunks(), headers=HOST)  # again: the token is there
    puts = [body for m, url, _, body in fake.received if m == 'PUT']
    assert puts == [b'x' * 8000] * 2 and fake.logins == 1


def test_a_token_that_travels_in_the_query_works_as_a_requests_auth_and_stays_out_of_other_urls():
    "SAYMON's `?api-token=`: worked out for each request (never kept), and only on requests for its origin"
    from domo_routes import SaymonAuth
    from domo_routes.fake import FAKE_SAYMON_USER_ID, FakeSaymon
    fake = FakeSaymon()
    with fake.serve() as server, server.routing():
        session = session_for(SaymonAuth(fake.host, 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, token_cache=None))
        url = f'{server.url}/node/api/users/current'
        answers = [session.get(url, headers={'Host': fake.host}, params={'n': i}) for i in range(3)]
        with elsewhere(200) as other: session.get(other.url, params={'n': 9})
    assert [a.status_code for a in answers] == [200] * 3 and answers[0].json()['login'] == 'ada'
    assert all('api-token=' in a.url for a in answers) and fake.logins == 1  # the token on each, one login
    assert len(other.seen) == 1 and 'api-token' not in other.seen[0][':path'], other.seen
