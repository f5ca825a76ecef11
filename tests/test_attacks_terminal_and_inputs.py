"""Attacks through what the command prints and what it reads: a hostile server's text must not drive the terminal,
binary answers must reach a file intact, credential headers must stay masked and at home, and settings or local
inputs the library cannot use must be refused in one line. The servers are the offline fakes on loopback; ada's
password and access token are canaries (support_attacks), and no canary may appear in anything printed.

The families:
- Terminal escapes: a server's message, login refusal or user document holding ESC sequences (window title, clear
  screen, OSC 52 clipboard), a CR LF forging a `domo-routes:` line, or the C1 control CSI (0x9b) is shown escaped in
  the error line, in `whoami`, in `DomoError`; JSON output escapes C1, U+2028, U+2029 and ESC; a text answer piped to
  a file stays the data, byte for byte.
- Binary answers: an image/png answer of every byte value reaches stdout as it came.
- Credential headers: -H values that are not known to be harmless (Proxy-Authorization, X-Api-Key) are masked in
  --debug output, and a header such as x-api-key is not carried to another host by a redirect.
- Environment settings httpx cannot use (SSL_CERT_FILE, HTTPS_PROXY, DOMO_ROUTES_BASE_URL): one line naming the
  setting, exit 2, `InvalidInputError` from Python.
- Local inputs: --input and -F @file from /dev/zero are bounded; a client id holding ':' is refused.
"""
import json, os, subprocess, sys, tempfile, time, unicodedata

import httpx
import pytest

from conftest import DOMO_ROUTES, clean_env, one_error_line
from domo_routes import DomoDeveloperAuth, DomoError, InvalidInputError, get_data
from domo_routes.fake import LeakCheck
from domo_routes.testing.domo import default_users
from support_attacks import CANARY_PASSWORD, CANARY_TOKEN
from support_cli import RecordingDomo, Served, sh, stop_in_background

ME = '/api/content/v2/users/me'
NL = '\n'
IMAGE = '/api/content/v1/avatar/image.png'

TITLE, CLEAR, CLIPBOARD = '\x1b]0;pwned\x07', '\x1b[2J', '\x1b]52;c;ZXZpbA==\x07'  # set the title, clear, write the clipboard
FORGED = '\r\ndomo-routes: all good'  # a CR LF that would start a line of our own
CSI = '\x9b'  # the C1 control sequence introducer: ESC [ in one character
HOSTILE = f'Ada {TITLE}{CLEAR}{CLIPBOARD} pwned{FORGED} {CSI}31m red'
HOSTILE_JSON = f'{HOSTILE} \u2028 line \u2029 paragraph'  # what JavaScript reads as line breaks, for JSON output

PNG = b'\x89PNG\r\n\x1a\n' + bytes(range(256)) * 4  # the PNG signature (CR LF in it), every byte value four times
assert len(PNG) == 1032


class CanaryDomo(RecordingDomo):
    "ada's password and access token are the canaries; IMAGE answers a PNG of every byte value"
    def __init__(self):
        users = default_users()
        users[0].password = CANARY_PASSWORD
        super().__init__(users=users, access_token=CANARY_TOKEN)

    def _route(self, request, host, path):
        if path == IMAGE: return httpx.Response(200, content=PNG, headers={'content-type': 'image/png'})
        return super()._route(request, host, path)


@pytest.fixture
def domo():
    "CanaryDomo on a loopback port; token_env: its access token, full_env: ada's password"
    fake = CanaryDomo()
    server = fake.serve()
    try:
        yield Served(fake, server,
                     token_env={**server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': CANARY_TOKEN},
                     full_env={**server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test',
                               'DOMO_PASSWORD': CANARY_PASSWORD})
    finally:
        stop_in_background(server)


def no_canary(*texts) -> None:
    "No canary secret in any of `texts` (str or bytes)"
    for text in texts:
        text = text.decode('utf-8', 'replace') if isinstance(text, bytes) else text
        for canary in (CANARY_PASSWORD, CANARY_TOKEN):
            assert canary not in text, f'a canary is printed: {text!r}'


def raw_controls(text: str, allowed: str = '') -> list:
    "The control characters (C0, DEL, C1) of `text` other than `allowed`"
    return sorted({c for c in text if unicodedata.category(c) == 'Cc' and c not in allowed})


def assert_no_forged_line(text: str) -> None:
    assert not any(line.startswith('domo-routes: all good') for line in text.split('\n')), \
        f'a server forged a line of output: {text!r}'


def run_bytes(*argv, env: dict, timeout: float = 60, memory_cap: bool = False) -> tuple:
    """The installed `domo-routes` as `sh` runs it, output as bytes: (exit code, stdout, stderr, seconds);
    `memory_cap`: at most 2 GiB of address space, so a command that reads without bound fails fast (MemoryError)
    instead of filling the machine's memory"""
    home = tempfile.mkdtemp(prefix='home-')
    full = clean_env(HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'), XDG_CACHE_HOME=os.path.join(home, '.cache'),
                     DOMO_TOKEN_CACHE='none', **env)

    def cap():
        import resource
        if hasattr(resource, 'RLIMIT_AS'):
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            limit = 2 * 2**30 if hard == resource.RLIM_INFINITY else min(hard, 2 * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

    start = time.monotonic()
    p = subprocess.run([DOMO_ROUTES, *argv], env=full, capture_output=True, timeout=timeout,
                       cwd=tempfile.mkdtemp(prefix='cwd-'), preexec_fn=cap if memory_cap else None)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


# What reaches a terminal or a file

def test_api_error_line_shows_a_servers_escape_sequences_and_line_breaks_escaped(domo):
    domo.fake.fail_next(404, body={'message': HOSTILE}, path='/api/content/v2/hostile')
    code, out, err = domo.sh('api', '/api/content/v2/hostile')
    no_canary(out, err)
    assert code == 1, err
    assert not raw_controls(err, allowed='\n'), f'raw control characters on stderr: {raw_controls(err, NL)!r} in {err!r}'
    assert_no_forged_line(err)
    line = one_error_line(err)
    assert 'pwned' in line and '\\x1b' in line, line  # what the server said is shown, its controls escaped


def test_refused_login_reason_is_shown_with_its_escape_sequences_escaped(domo):
    domo.fake.fail_next(200, body={'success': False, 'reason': HOSTILE}, path='authentication')
    code, out, err = domo.sh('whoami', env=domo.full_env)
    no_canary(out, err)
    assert code == 3, err
    assert not raw_controls(err, allowed='\n'), f'raw control characters on stderr: {err!r}'
    assert_no_forged_line(err)
    line = one_error_line(err)
    assert 'pwned' in line and '\\x1b' in line, line


def test_whoami_prints_a_hostile_display_name_and_email_without_raw_control_characters(domo):
    me = domo.fake.users['ada@acme.test'].as_me()
    domo.fake.fail_next(200, body={**me, 'displayName': HOSTILE, 'emailAddress': HOSTILE}, path='users/me')
    code, out, err = domo.sh('whoami')
    no_canary(out, err)
    assert code == 0, err
    assert not raw_controls(out + err, allowed='\n'), f'raw control characters: {raw_controls(out + err, NL)!r} in {out!r}'
    assert_no_forged_line(out)
    lines = out.split('\n')
    assert 'pwned' in lines[0] and any(l.strip().startswith('email:') and 'pwned' in l for l in lines), out  # shown, escaped


def test_json_output_of_whoami_and_api_escapes_c1_controls_line_separators_and_esc(domo):
    "whoami --json already escapes them (ensure_ascii); api prints \\x9b, U+2028 and U+2029 raw"
    me = domo.fake.users['ada@acme.test'].as_me()
    domo.fake.fail_next(200, body={**me, 'displayName': HOSTILE_JSON, 'emailAddress': HOSTILE_JSON}, path='users/me')
    whoami = domo.sh('whoami', '--json')
    domo.fake.fail_next(200, body={'displayName': HOSTILE_JSON, 'rows': [HOSTILE_JSON]}, path='/api/content/v2/hostile')
    api = domo.sh('api', '/api/content/v2/hostile')
    for command, (code, out, err) in (('whoami --json', whoami), ('api', api)):
        no_canary(out, err)
        assert code == 0, (command, err)
        for raw, escaped in (('\x9b', '\\u009b'), ('\u2028', '\\u2028'), ('\u2029', '\\u2029'), ('\x1b', '\\u001b')):
            assert raw not in out and escaped in out, f'{command}: {raw!r} must appear only as {escaped}: {out!r}'
        assert not raw_controls(out, allowed='\n'), (command, out)
        assert json.loads(out)['displayName'] == HOSTILE_JSON  # the data itself is intact


def test_api_text_answer_piped_to_a_file_is_the_data_byte_for_byte(domo):
    "Documents the contract: stdout that is not a terminal gets the body raw (this holds today)"
    text = f'{HOSTILE_JSON}\r\nsecond line\n'
    domo.fake.fail_next(200, body=text, path='/api/content/v2/notes.txt')
    code, out, err, _ = run_bytes('api', '/api/content/v2/notes.txt', env=domo.token_env)
    no_canary(out, err)
    assert (code, err) == (0, b''), err
    assert out == text.encode('utf-8'), out


def test_domo_error_text_shows_control_characters_escaped():
    error = DomoError(function_name='f', message=f'\x1b[2J x \r\n y {HOSTILE}')
    text = str(error)
    assert not raw_controls(text), f'raw control characters in str(DomoError): {text!r}'
    assert ' x ' in text and 'pwned' in text, text


def test_api_binary_answer_reaches_stdout_byte_for_byte(domo):
    code, out, err, _ = run_bytes('api', IMAGE, env=domo.token_env)
    no_canary(out, err)
    assert (code, err) == (0, b''), err
    assert len(out) == len(PNG) and out == PNG, f'{len(out)} bytes written, the first differing at ' \
        f'{next((i for i, (a, b) in enumerate(zip(out, PNG)) if a != b), min(len(out), len(PNG)))}'


def test_api_debug_masks_credential_headers_given_with_h(domo):
    proxy_canary, key_canary = 'CANARY-proxy-basic-5e6f7a8b9c0d1e2f', 'CANARY-api-key-1a2b3c4d5e6f7a8b'
    code, out, err = domo.sh('api', '--debug', '-H', f'Proxy-Authorization: Basic {proxy_canary}',
                             '-H', f'X-Api-Key: {key_canary}', '-H', 'Accept: application/json', ME)
    no_canary(out, err)
    assert code == 0 and '➡' in err, err  # the request was made, and --debug showed it
    for canary in (proxy_canary, key_canary):
        assert canary not in out + err, f'an -H credential is printed by --debug: {err!r}'


# Stores and inputs

async def test_get_data_redirected_to_another_host_does_not_carry_an_api_key_header(fake):
    key_canary = 'CANARY-api-key-0f1e2d3c4b5a6978'
    fake.redirect_next('https://collector.example/x', status=307)
    with LeakCheck(key_canary, CANARY_TOKEN) as check:
        async with fake.client() as session:
            res = await get_data(f'https://acme.domo.com{ME}', headers={'x-api-key': key_canary}, session=session)
        check.add(res)
    to_collector = [r for r in fake.log if r.host == 'collector.example']
    assert to_collector, fake.log  # the redirect was followed
    assert all('x-api-key' not in r.header_names for r in to_collector), \
        f'x-api-key was sent to collector.example: {to_collector}'
    check.assert_clean()


BAD_SETTINGS = [('SSL_CERT_FILE', '/nonexistent'), ('SSL_CERT_FILE', '/etc/passwd'),
                ('HTTPS_PROXY', 'http://proxy.example:99999'), ('DOMO_ROUTES_BASE_URL', 'http://127.0.0.1:99999')]
BAD_SETTING_IDS = ['ca-file-missing', 'ca-file-not-certificates', 'proxy-port-out-of-range', 'base-url-port-out-of-range']


@pytest.mark.parametrize('variable, value', BAD_SETTINGS, ids=BAD_SETTING_IDS)
def test_cli_a_setting_httpx_cannot_use_is_one_line_naming_it_and_exit_2(variable, value):
    code, out, err = sh('whoami', env={'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': CANARY_TOKEN, variable: value})
    no_canary(out, err)
    line = one_error_line(err)
    assert variable in line and code == 2, (code, line)


PYTHON_WHO_AM_I = '''
import sys
from domo_routes import DomoTokenAuth, InvalidInputError, run_sync
try:
    run_sync(DomoTokenAuth('acme', sys.argv[1]).who_am_i())
    print('no error')
except Exception as e:
    print(type(e).__name__, isinstance(e, InvalidInputError))
    print(e)
'''


@pytest.mark.parametrize('variable, value', BAD_SETTINGS, ids=BAD_SETTING_IDS)
def test_python_a_setting_httpx_cannot_use_is_invalid_input_error_naming_it(variable, value, tmp_path):
    "Each in a fresh interpreter: the library's pooled client is made once per event loop"
    p = subprocess.run([sys.executable, '-c', PYTHON_WHO_AM_I, CANARY_TOKEN], capture_output=True, text=True, timeout=60,
                       env=clean_env(HOME=str(tmp_path), DOMO_TOKEN_CACHE='none', **{variable: value}), cwd=tmp_path)
    no_canary(p.stdout, p.stderr)
    kind, _, message = p.stdout.partition('\n')
    assert kind == 'InvalidInputError True' and variable in message, p.stdout + p.stderr[-2000:]


@pytest.mark.timeout(60)
@pytest.mark.parametrize('flags', [['--input', '/dev/zero'], ['-F', 'a=@/dev/zero']], ids=['input', 'field-file'])
def test_api_an_endless_local_input_is_refused_as_too_large(domo, flags):
    code, out, err, seconds = run_bytes('api', *flags, '/api/content/v2/upload', env=domo.token_env, timeout=45,
                                        memory_cap=True)
    out, err = out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace')
    no_canary(out, err)
    assert 'MemoryError' not in err, err[-1500:]
    line = one_error_line(err)
    assert code == 2 and ('large' in line.lower() or 'MiB' in line), (code, line)
    assert seconds < 30, seconds


def test_a_client_id_holding_a_colon_is_refused():
    "HTTP Basic splits at the first ':': 'id:with-colon' would send the id 'id' and a secret of 'with-colon:…'"
    secret = 'CANARY-client-secret-0123456789'
    with LeakCheck(secret) as check:
        with pytest.raises(InvalidInputError) as info:
            DomoDeveloperAuth('id:with-colon', secret, token_cache=None)
        check.add(info.value)
    check.assert_clean()
