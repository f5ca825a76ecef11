"""`domo-routes token`: a token and nothing else on stdout (status on stderr), so `TOKEN=$(domo-routes token)` works;
an access token needs no `token` call, and the command says so."""
import os

from conftest import one_error_line
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET
from support_cli import served  # noqa: F401 (a fixture)

NO_ENV_FILE = ['--env-file', os.devnull]


def test_token_prints_only_the_session_token_on_stdout(served):
    code, text, err = served.sh('token', *NO_ENV_FILE, env=served.full_env)
    assert (code, text.count('\n'), served.fake.sessions.get(text.strip(), (None,))[0]) == (0, 1, 1893952720), err


def test_token_with_client_credentials_prints_a_bearer_token(served):
    code, text, err = served.sh('token', '--method', 'developer', *NO_ENV_FILE,
                                env={**served.server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_CLIENT_ID': FAKE_CLIENT_ID,
                                     'DOMO_CLIENT_SECRET': FAKE_CLIENT_SECRET})
    assert code == 0 and text.strip() in served.fake.bearer_tokens, (code, err)


def test_token_with_only_an_access_token_says_it_needs_no_token_call(served):
    code, text, err = served.sh('token')
    assert (code, text) == (2, '')
    line = one_error_line(err)
    assert 'an access token needs no `token` call' in line and 'x-domo-developer-token' in line and FAKE_ACCESS_TOKEN not in err, line


def test_token_with_a_login_started_names_what_it_lacks_first(served):
    code, text, err = served.here('token', env={**served.token_env, 'DOMO_USERNAME': 'ada@acme.test'})
    assert 'DOMO_PASSWORD is missing' in one_error_line(err)
