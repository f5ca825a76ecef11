"""`domo-routes demo` (every auth method and failure against an embedded offline Domo, secrets masked, the server
stopped before it returns) and `domo-routes fake-server` (FakeDomo for other tools, until SIGTERM), end to end."""
import json, os, signal, subprocess, threading

from conftest import DOMO_ROUTES, clean_env
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_SECRET, FAKE_PASSWORD
from support_cli import sh, main_in_process

DEMO_SHOWS = ('Ada Lovelace <ada@acme.test>', 'INVALID_CREDENTIALS at acme', 'ACCOUNT_LOCKED at acme',
              'status 403 || Forbidden at test', 'status 401 || Unauthorized', "'evil.com#' is not a Domo instance name")


def test_demo_walks_through_the_methods_and_failures_secrets_masked():
    code, text, err = sh('demo')
    assert code == 0, err
    for expected in DEMO_SHOWS:
        assert expected in text, expected
    assert FAKE_PASSWORD not in text and FAKE_ACCESS_TOKEN not in text and FAKE_CLIENT_SECRET not in text


def test_demo_in_process_stops_its_server_and_leaves_no_thread():
    before = set(threading.enumerate())
    code, text, err = main_in_process('demo')
    assert code == 0, err
    for expected in DEMO_SHOWS:
        assert expected in text, expected
    left = [t for t in threading.enumerate() if t not in before]
    assert len(left) < 10 and not any(t.name == 'FakeServer' for t in threading.enumerate()), left  # the server thread is gone
    for t in left: t.join(5)  # and a connection's thread, closed with the server, ends
    assert not [t for t in left if t.is_alive()], left


def test_fake_server_serves_whoami_token_and_api_then_stops_on_sigterm(home):
    env = clean_env(HOME=str(home), DOMO_TOKEN_CACHE='none')
    server = subprocess.Popen([DOMO_ROUTES, 'fake-server', '--port', '0'], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split()[-1]
        full = {'DOMO_ROUTES_BASE_URL': url, 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test', 'DOMO_PASSWORD': FAKE_PASSWORD}
        code, text, err = sh('whoami', '--env-file', os.devnull, env=full)
        assert (code, text.splitlines()[0]) == (0, 'Ada Lovelace'), err
        code, text, err = sh('token', '--env-file', os.devnull, env=full)
        assert (code, len(text.split())) == (0, 1), err
        assert text.strip() not in err and 'expires' in err
        code, text, err = sh('whoami', '--env-file', os.devnull, env={**full, 'DOMO_PASSWORD': 'nope-nope'})
        assert (code, text, len(err.splitlines())) == (3, '', 1), err
        code, text, err = sh('api', '--paginate', '-f', 'limit=2', '/api/content/v2/users', '--env-file', os.devnull, env=full)
        assert (code, len(json.loads(text))) == (0, 3), err
    finally:
        server.send_signal(signal.SIGTERM)
        try: assert server.wait(10) == 0
        finally: server.stdout.close(); server.stderr.close()
