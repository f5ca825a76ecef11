"""`domo-routes api`: any endpoint, the auth handled, with `gh api`'s flags: GET by default, fields (`-f` strings, `-F`
typed values and @files) as a JSON body or the query string, `-H` headers, `--input` bodies, `-i` headers, `--silent`;
a non-2xx answer exits 1 with its body on stdout. (Pages: test_cli_api_paginate.py; where a request may go:
test_cli_api_urls.py.)"""
import json

import pytest

from conftest import one_error_line
from domo_routes import mask
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_OTP
from support_cli import served  # noqa: F401 (a fixture)

ME = '/api/content/v2/users/me'


@pytest.fixture
def rows(tmp_path):
    "A CSV file to send"
    path = tmp_path / 'rows.csv'
    path.write_text('a,b\n1,2\n')
    return str(path)


# GET

def test_api_get_prints_pretty_json_in_the_servers_key_order_and_nothing_on_stderr(served):
    code, text, err = served.sh('api', ME)
    assert (code, err) == (0, '')
    assert text.startswith('{\n  "id": 1893952720,\n  "invitorUserId"'), text[:60]
    assert json.loads(text)['userName'] == 'ada@acme.test'
    method, url, headers, content = served.last()
    assert (method, url.path, headers['x-domo-developer-token'], content) == ('GET', ME, FAKE_ACCESS_TOKEN, b'')


def test_api_full_url_on_the_instance_and_path_without_slash_get_the_same_answer(served):
    code, text, err = served.here('api', ME)
    assert code == 0, err
    assert served.here('api', 'https://acme.domo.com/api/content/v2/users/me')[:2] == (0, text)
    assert served.here('api', 'api/content/v2/users/me')[:2] == (0, text)


# fields

def test_api_fields_make_a_post_with_a_json_body(served):
    code, text, err = served.sh('api', '/api/data/v1/accesstokens', '-f', 'name=ci', '-F', 'ownerId=1893952720', '-F', 'expires=0',
                                '-F', 'active=true', '-F', 'manager=null', '-f', 'raw=12')
    method, url, headers, content = served.last()
    assert (code, method, url.params.multi_items(), headers['content-type']) == (0, 'POST', [], 'application/json'), err
    assert json.loads(content) == {'name': 'ci', 'ownerId': 1893952720, 'expires': 0, 'active': True, 'manager': None, 'raw': '12'}
    answer = json.loads(text)
    created = next(t for t, d in served.fake.access_tokens.items() if d['name'] == 'ci')
    assert (answer['name'], answer['ownerEmail'], answer['token']) == ('ci', 'ada@acme.test', mask(created))  # a new token is masked too
    assert created not in text + err


def test_api_the_same_field_twice_is_a_usage_error(served):
    code, text, err = served.here('api', '-X', 'PUT', '/api/x', '-f', 'a=1', '-F', 'a=2')
    assert code == 2
    assert "the field 'a' is given twice" in one_error_line(err)


def test_api_get_fields_go_to_the_query_string_with_no_body(served):
    code, text, err = served.sh('api', '-X', 'GET', '/api/content/v2/users', '-f', 'limit=1', '-F', 'offset=2')
    method, url, headers, content = served.last()
    assert (code, method, url.params.multi_items(), content) == (0, 'GET', [('limit', '1'), ('offset', '2')], b''), err
    assert [u['userName'] for u in json.loads(text)] == ['otp@acme.test']


def test_api_query_fields_follow_the_paths_own_query_typed_values_as_text(served):
    served.here('api', '-X', 'get', '/api/content/v2/users?limit=1&sort=id', '-f', 'offset=1', '-F', 'active=true', '-F', 'none=null')
    assert (served.last()[0], served.last()[1].params.multi_items()) == \
        ('GET', [('limit', '1'), ('sort', 'id'), ('offset', '1'), ('active', 'true'), ('none', '')])


@pytest.mark.parametrize('method', ['DELETE', 'PATCH'])
def test_api_method_flag_in_any_case_sends_typed_fields_as_json(served, method):
    served.here('api', '-X', method.lower(), '/api/x', '-F', 'id=7')
    assert (served.last()[0], json.loads(served.last()[3])) == (method, {'id': 7})


def test_api_a_method_that_is_not_a_word_is_a_usage_error(served):
    assert served.here('api', '-X', 'GE T', '/api/x')[0] == 2


# headers

def test_api_headers_are_sent_as_given_an_accept_replacing_the_default(served):
    code, text, err = served.sh('api', ME, '-H', 'X-Request-Tag: cli-test', '-H', 'Accept: text/plain')
    assert (code, served.last()[2]['x-request-tag'], served.last()[2]['accept']) == (0, 'cli-test', 'text/plain'), err


def test_api_repeated_header_names_are_joined(served):
    served.here('api', ME, '-H', 'x-multi: a', '-H', 'X-Multi: b')
    assert served.last()[2]['x-multi'] == 'a, b'


@pytest.mark.parametrize('header', ['X-Bad: one\r\nX-Injected: header-canary', 'no colon header-canary', 'Host: evil.example'],
                         ids=['crlf-injection', 'no-colon', 'host'])
def test_api_a_malformed_or_forbidden_header_is_refused_unshown_and_unsent(served, header):
    sent = len(served.fake.log)
    code, text, err = served.here('api', ME, '-H', header)
    assert (code, text) == (2, '')
    assert 'header-canary' not in err and 'X-Injected' not in err, err
    assert len(served.fake.log) == sent


# --input

def test_api_input_from_stdin_is_sent_as_it_is_labelled_json(served):
    body = json.dumps({'timeBasedOneTimePassword': FAKE_OTP})
    code, text, err = served.sh('api', '-X', 'PUT', '/api/identity/v1/authentication/elevations/1893952720', '--input', '-', input=body)
    method, url, headers, content = served.last()
    assert (code, json.loads(text), method, content.decode(), headers['content-type']) == \
        (0, {'userId': 1893952720, 'elevated': True}, 'PUT', body, 'application/json'), err


def test_api_input_file_not_json_has_no_content_type_and_fields_go_to_the_query_string(served, rows):
    code, text, err = served.here('api', '/api/x/upload', '--input', rows, '-f', 'part=1')
    method, url, headers, content = served.last()
    assert (code, method, content, url.params.multi_items(), 'content-type' in headers) == (1, 'POST', b'a,b\n1,2\n', [('part', '1')], False)


def test_api_a_content_type_header_labels_the_input(served, rows):
    served.here('api', '/api/x/upload', '--input', rows, '-H', 'Content-Type: text/csv')
    assert served.last()[2]['content-type'] == 'text/csv'


def test_api_typed_field_at_file_sends_the_files_text(served, rows):
    served.here('api', '-X', 'PUT', '/api/x/notes', '-F', f'text=@{rows}')
    assert json.loads(served.last()[3]) == {'text': 'a,b\n1,2\n'}


@pytest.mark.parametrize('flags', [['-F', 'text=@missing.txt'], ['--input', 'missing.json'], ['--input', '-', '-F', 'a=@-']],
                         ids=['missing-field-file', 'missing-input-file', 'stdin-twice'])
def test_api_an_unreadable_file_or_stdin_read_twice_is_a_usage_error(served, flags, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the missing files are missing here
    code, text, err = served.here('api', '/api/x', *flags)
    assert code == 2
    one_error_line(err)


# the answer: -i, --silent, a status that is not 2xx

def test_api_include_prints_the_status_line_and_headers_then_the_body(served):
    code, text, err = served.sh('api', '-i', ME)
    head, _, body = text.partition('\n\n')
    assert (code, head.splitlines()[0], json.loads(body)['id']) == (0, 'HTTP/1.1 200 OK', 1893952720), err
    assert 'content-type: application/json' in head.splitlines(), head


def test_api_include_masks_cookies_and_shows_other_headers(served):
    served.fake.fail_next(200, headers={'set-cookie': 'DA-SID=session-cookie-canary-0123456789abcdef', 'x-plain': 'visible'}, body={'ok': True})
    code, text, err = served.here('api', '-i', ME)
    assert 'session-cookie-canary' not in text and 'x-plain: visible' in text and 'set-cookie: DA-S…cdef' in text, text


def test_api_include_with_silent_prints_the_headers_only(served):
    code, text, err = served.here('api', '-i', '--silent', ME)
    assert text.startswith('HTTP/1.1 200 OK\n') and text.endswith('\n\n') and '"id"' not in text, text


def test_api_silent_prints_nothing_at_all(served):
    assert served.sh('api', '--silent', ME) == (0, '', '')


def test_api_a_status_that_is_not_2xx_exits_1_with_the_body_on_stdout_and_one_line(served):
    code, text, err = served.sh('api', '/api/content/v2/nothing-here')
    assert (code, json.loads(text)['statusReason']) == (1, 'Not Found'), err
    line = one_error_line(err)
    assert 'ApiStatusError' in line and 'status 404' in line and 'GET /api/content/v2/nothing-here' in line and 'at acme.domo.com' in line, line


def test_api_silent_with_a_status_that_is_not_2xx_exits_1_with_one_line(served):
    code, text, err = served.here('api', '--silent', '/api/content/v2/nothing-here')
    assert (code, text) == (1, '')
    one_error_line(err)


def test_api_a_revoked_token_exits_1_saying_the_server_refused_it_unseen(served):
    code, text, err = served.here('api', ME, env={**served.token_env, 'DOMO_ACCESS_TOKEN': 'revoked-token-canary-0123456789'})
    assert (code, json.loads(text)['status']) == (1, 401)
    assert 'refused the credentials' in one_error_line(err) and 'revoked-token-canary' not in text + err


# client credentials

def test_api_with_client_credentials_a_path_goes_to_api_domo_com(served):
    code, text, err = served.here('api', '/v1/users', env=served.developer_env)
    assert (code, len(json.loads(text)), served.last()[1].host) == (0, 3, 'api.domo.com'), err


def test_api_a_full_url_on_api_domo_com_picks_the_client_credentials(served):
    code, text, err = served.here('api', 'https://api.domo.com/v1/users/1893952720', env={**served.developer_env, **served.token_env})
    assert (code, json.loads(text)['email']) == (0, 'ada@acme.test'), err
