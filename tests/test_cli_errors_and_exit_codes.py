"""Exit codes and one-line errors of `domo-routes`: 0 ok, 1 a non-2xx answer (api) or unexpected, 2 usage or missing
configuration, 3 credentials rejected, 4 unknown instance, 5 network; one line on stderr, secrets masked, no traceback."""
import os, socket, threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import one_error_line
from domo_routes import (DomoError, DomoNetworkError, InvalidInstanceError, InvalidInputError, InvalidCredentialsError,
                         AccountLockedError, BlockedByAllowListError, MissingConfigurationError)
from domo_routes.cli import exit_code_for, ApiStatusError
from domo_routes.fake import FAKE_CLIENT_ID
from support_cli import sh, main_in_process, served  # noqa: F401 (a fixture)

STATUS_401_HINT = 'the server refused the credentials for this request (an expired or revoked token?); the answer is on stdout'


@pytest.mark.parametrize('error, code', [
    (MissingConfigurationError(function_name='x'), 2),
    (InvalidInstanceError(function_name='x'), 4),
    (InvalidCredentialsError(function_name='x'), 3),
    (AccountLockedError(function_name='x'), 3),
    (BlockedByAllowListError(function_name='x'), 3),
    (DomoNetworkError(function_name='x'), 5),
    (InvalidInputError('x'), 2),
], ids=['missing-configuration', 'invalid-instance', 'invalid-credentials', 'account-locked', 'allow-list', 'network', 'invalid-input'])
def test_exit_code_for_each_kind_of_error(error, code):
    assert exit_code_for(error)[0] == code


def test_exit_code_for_a_non_2xx_answer_is_1_with_a_hint_for_the_status():
    assert [exit_code_for(ApiStatusError(function_name='api', status=s)) for s in (404, 401)] == \
        [(1, 'the answer is on stdout'), (1, STATUS_401_HINT)]


def test_exit_code_hint_is_the_errors_own_when_it_carries_one():
    assert exit_code_for(MissingConfigurationError(function_name='x', hint='do this'))[1] == 'do this'


def test_exit_code_for_any_other_domo_error_is_1_and_suggests_debug():
    assert exit_code_for(DomoError(function_name='x')) == (1, 'run again with --debug for details')


@pytest.mark.parametrize('expected, env, extra', [
    (2, None, []),
    (3, {'DOMO_PASSWORD': 'wrong-password'}, []),
    (3, {'DOMO_USERNAME': 'locked@acme.test'}, []),
    (4, {'DOMO_INSTANCE': 'test'}, []),
    (4, {'DOMO_INSTANCE': 'evil.com#'}, []),
    (5, {'DOMO_ROUTES_BASE_URL': 'http://127.0.0.1:9'}, []),
    (2, {}, ['--env-file', 'nope.env']),
], ids=['no-credentials', 'wrong-password', 'locked-account', 'unknown-instance', 'host-in-instance', 'network', 'missing-env-file'])
def test_whoami_failure_exits_with_its_code_and_one_line(served, expected, env, extra):
    settings = {'DOMO_ROUTES_BASE_URL': served.server.url} if env is None else {**served.full_env, **env}
    code, text, err = sh('whoami', *(extra or ['--env-file', os.devnull]), env=settings)
    assert code == expected, err
    errors = [line for line in err.splitlines() if not line.endswith('…')]  # status lines ("Logging in to …") may come first
    assert (text, len(errors)) == ('', 1), err
    assert errors[0].startswith('domo-routes: ') and 'wrong-password' not in err and 'Traceback' not in err, err
    if extra:
        assert errors[0] == ("domo-routes: 🛑  MissingConfigurationError 🛑 - function: domo-routes || the env file 'nope.env' given "
                             "with --env-file does not exist (check the path, or leave --env-file out to read .env when there is one)"), err


def test_an_unexpected_argument_is_a_usage_error():
    assert main_in_process('whoami', 'extra-arg')[0] == 2


def proxy_refusing():
    "A loopback proxy answering every request with 407: (its URL, the request lines it saw, its socket)"
    listener, seen = socket.socket(), []
    listener.bind(('127.0.0.1', 0)); listener.listen(16)

    def answer(connection):
        with connection:
            data = b''
            while b'\r\n\r\n' not in data:
                chunk = connection.recv(4096)
                if not chunk: return
                data += chunk
            seen.append(data.split(b'\r\n', 1)[0].decode())
            connection.sendall(b'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n'
                               b'Content-Length: 0\r\nConnection: close\r\n\r\n')

    def serve():
        while True:
            try: connection, _ = listener.accept()
            except OSError: return
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return f'http://127.0.0.1:{listener.getsockname()[1]}', seen, listener


def test_a_proxy_refusing_with_407_is_a_network_error_exit_5_and_nothing_gets_past_it():
    proxy_url, seen, listener = proxy_refusing()
    proxied = {'HTTPS_PROXY': proxy_url}  # no DOMO_ROUTES_BASE_URL: the real hosts, through the proxy
    canary = 'credential-canary-0123456789abcdef'
    commands = [(['whoami'], {'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': canary}),
                (['api', '/api/content/v2/users/me'], {'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': canary}),
                (['token'], {'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test', 'DOMO_PASSWORD': canary}),  # the login's own path
                (['api', '/v1/users'], {'DOMO_CLIENT_ID': FAKE_CLIENT_ID, 'DOMO_CLIENT_SECRET': canary})]
    try:
        with ThreadPoolExecutor(4) as pool: runs = list(pool.map(lambda c: sh(*c[0], env={**proxied, **c[1]}), commands))
    finally:
        listener.close()
    for code, text, err in runs:
        assert (code, text) == (5, ''), err
        line = one_error_line(err)
        assert 'DomoNetworkError' in line and 'ProxyError' in line and '407' in line and canary not in err, line
    assert seen and all(s.startswith('CONNECT ') for s in seen), seen
    assert any('acme.domo.com:443' in s for s in seen) and any('api.domo.com:443' in s for s in seen), seen
