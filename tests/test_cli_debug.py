"""`--debug`: the requests and answers on stderr (secrets masked), stdout still the result, a traceback on failure;
the password and the session token appear nowhere."""
import json

from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD
from support_cli import served  # noqa: F401 (a fixture)


def test_whoami_debug_prints_requests_on_stderr_and_parsable_json_on_stdout(served):
    code, text, err = served.sh('whoami', '--json', '--debug', env=served.full_env)
    assert (code, json.loads(text)['emailAddress']) == (0, 'ada@acme.test'), err
    assert '➡' in err and '⬅' in err and FAKE_PASSWORD not in text + err, err


def test_api_debug_include_keeps_stdout_the_answer_and_shows_no_session_token(served):
    code, text, err = served.sh('api', '--debug', '-i', '/api/content/v2/users/me', env=served.full_env)
    assert (code, json.loads(text.partition('\n\n')[2])['id']) == (0, 1893952720), err
    assert '➡' in err and '⬅' in err and '➡' not in text, err
    sessions = list(served.fake.sessions)
    assert sessions and not any(s in text + err for s in sessions) and FAKE_PASSWORD not in text + err


def test_debug_adds_the_traceback_of_a_failure_but_not_the_password(served):
    code, text, err = served.here('api', '--debug', '/api/content/v2/users/me', env={**served.full_env, 'DOMO_PASSWORD': 'wrong-password-canary'})
    assert (code, text) == (3, '')
    assert 'wrong-password-canary' not in err and 'Traceback' in err  # --debug adds the traceback


def test_debug_with_paginate_shows_each_page_request_and_no_token(served):
    code, text, err = served.here('api', '--debug', '--paginate', '/api/content/v2/users', '-f', 'limit=2')
    assert (code, len(json.loads(text)), err.count('➡')) == (0, 3, 2), err
    assert FAKE_ACCESS_TOKEN not in text + err
