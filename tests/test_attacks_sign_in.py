"""Attacks on the browser sign-in (device authorization, as Domo's CLI does it): a hostile or broken server naming where
the user goes and how often to poll, answers to the polls, the refresh and the sid that are huge, endless, dripping,
redirected or of the wrong shape; local files and keyrings that are corrupt, misplaced, locked or hanging; many
processes and Ctrl-C. Each test demands a promise of the library: every failure a `DomoError` (one line in the
command, no traceback), no secret in any output or file outside the secret store, nothing that hangs, nothing a
server sends reaching a terminal raw, credentials at their own origin only, and nothing lost to a transient failure.
The servers are the offline fakes, in process or on loopback, and small hostile servers (support_attacks); the kept
refresh token and device code are canaries (support_attacks_sign_in).

The families:
- The device answer: an interval longer than the code's life, a tiny interval, wrong-typed interval and expires_in,
  page addresses with userinfo, fragments, control characters or 100,000 characters, user codes with escape sequences
  or 10,000 characters, an error_description with escape sequences.
- Answers to the polls, the refresh and the sid: endless, 400 MB, dripping, redirected to another origin, of the
  wrong shape.
- What is kept, and nothing lost: a 401 on the sid, a keyring or a folder that fails during a rotation, a refresh
  token with surrounding whitespace, a huge user name, many processes rotating at once, two sign-ins at once.
- Domo's CLI's logins and the local files: a login file naming another instance, files that are not logins, a corrupt
  index, a configuration folder that cannot be written.
- The command: a bad --instance, Ctrl-C after the sign-in was kept, --debug, status and status --json, logout with an
  unreadable secret or a keyring that cannot read or delete.
- Keyring backends that raise or hang.
"""
import asyncio, io, json, os, shutil, signal, subprocess, sys, time, webbrowser
from pathlib import Path

import httpx
import pytest

pytest.importorskip('keyring')
import keyring  # noqa: E402

from conftest import DOMO_ROUTES, clean_env, one_error_line  # noqa: E402
from domo_routes import (DomoError, DomoNetworkError, DomoSignInAuth, MissingConfigurationError,  # noqa: E402
                         ResponseTooLargeError, SecretStore, SignInError, SignIns, UnexpectedResponseError, reroute,
                         sign_in)
import domo_routes.browser_sign_in as browser_sign_in  # noqa: E402
from domo_routes.browser_sign_in import kept_sign_ins, ryuu_login  # noqa: E402
from domo_routes.fake import FakeDomo, LeakCheck  # noqa: E402
from domo_routes.testing.service import _Fault  # noqa: E402
from support_attacks import declared_huge, endless, hostile_server  # noqa: E402
from support_attacks_sign_in import (CANARY_DEVICE, CANARY_REFRESH, HOSTILE, FlakyWriteKeyring, HeldSid,  # noqa: E402
                                     live_access_token, live_refresh_token, raw_controls)
from support_cli import RecordingDomo, sh, stop_in_background  # noqa: E402
from support_sign_in import PollClock, file_sign_ins, issued_secrets, write_ryuu_login  # noqa: E402

TESTS = os.path.dirname(__file__)
SID, TOKEN = '/api/oauth2/sid', '/api/oauth2/token'
PAGE = 'https://acme.domo.com/oauth2/device'


def device_answer(**fields) -> dict:
    "A device authorization answer with the canary device code, the fields given replacing the usual ones"
    return {'device_code': CANARY_DEVICE, 'user_code': 'WXYZ-1234', 'verification_uri': PAGE, 'expires_in': 12,
            'interval': 5, **fields}


def answer_next_device(fake, body) -> None:
    "The fake's next device authorization answers `body` (a dict, or JSON text with NaN and the like)"
    headers = {'content-type': 'application/json'} if isinstance(body, str) else None
    fake.fail_next(200, body=body, headers=headers, path='device_authorization')


def signing_in(fake, kept, clock, stream=None, **kw):
    "sign_in against the in-process fake, waiting on `clock`"
    kw.setdefault('open_browser', False)
    return sign_in('acme', session=fake.client(), sign_ins=kept, stream=stream or io.StringIO(), sleep=clock.sleep,
                   clock=clock, token_cache=None, **kw)


def keyring_env(backend: str, home, **extra) -> dict:
    "The environment that makes a `domo-routes` subprocess use one of support_attacks_sign_in's keyrings"
    return {'PYTHON_KEYRING_BACKEND': f'support_attacks_sign_in.{backend}', 'PYTHONPATH': TESTS,
            'DOMO_ROUTES_KEYRING': '1', 'TEST_KEYRING_FILE': str(Path(home, 'keyring.json')), **extra}


def home_sign_ins(home) -> SignIns:
    "The sign-ins a `domo-routes` subprocess with this HOME keeps in files"
    folder = Path(home, '.config', 'domo_routes')
    return SignIns(SecretStore(folder / 'secrets', use_keyring=False), folder)


@pytest.fixture
def site(tmp_path):
    "A served FakeDomo approving every sign-in at once (polls every second), a HOME, and the instance's environment"
    fake = FakeDomo()
    fake.sign_in.auto_approve, fake.sign_in.interval = True, 1
    server = fake.serve()
    home = tmp_path / 'home'
    home.mkdir()
    try: yield fake, str(home), {**server.env(), 'DOMO_INSTANCE': 'acme'}
    finally: stop_in_background(server)


@pytest.fixture
def in_process_keyring(monkeypatch):
    "Secrets go to a FlakyWriteKeyring of this test's own (never this machine's keyring): the backend"
    monkeypatch.delenv('DOMO_ROUTES_KEYRING', raising=False)
    monkeypatch.setattr(browser_sign_in, '_KEYRING_PROBED', {})
    before, backend = keyring.get_keyring(), FlakyWriteKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


# The device answer: where the user is sent and how often to poll

async def test_an_interval_longer_than_the_codes_life_does_not_outlast_the_code(tmp_path):
    "interval 86,400 s, the code valid 600 s: the wait ends when the code does, not a day later"
    fake, clock = FakeDomo(clock=lambda: 0.0), PollClock()
    fake.sign_in.interval, fake.sign_in.expires_in = 86400, 600
    with pytest.raises(SignInError, match='expired'):
        await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.now <= 600, f'waited {clock.now:.0f} s for a code that lasts 600 s (waits: {clock.waits[:3]})'


async def test_a_tiny_interval_does_not_make_the_polls_a_busy_loop(tmp_path):
    "interval 0.001 s: the client still waits a second or more between polls (Domo's CLI polls every second)"
    fake, clock = FakeDomo(), PollClock()
    fake.sign_in.interval = 0.001
    clock.at(3, lambda: fake.sign_in.approve())
    await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert min(clock.waits) >= 1.0 and fake.sign_in.polls <= 4, (min(clock.waits), fake.sign_in.polls)


BAD_SECONDS = ['0', '-5', '1e9', '"5"', 'true', 'false', 'null', 'NaN', 'Infinity', '-Infinity', '[5]', '{"s": 5}']
BAD_SECONDS_IDS = ['zero', 'negative', '1e9', 'string', 'true', 'false', 'null', 'nan', 'infinity', '-infinity', 'list',
                   'object']


@pytest.mark.parametrize('value', BAD_SECONDS, ids=BAD_SECONDS_IDS)
async def test_a_wrong_typed_or_absurd_interval_polls_every_five_seconds(tmp_path, value):
    fake, clock = FakeDomo(), PollClock()
    text = json.dumps(device_answer(interval=0)).replace('"interval": 0', f'"interval": {value}')
    answer_next_device(fake, text)
    with pytest.raises(SignInError, match='expired'):
        await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.waits[0] == 5.0, clock.waits


@pytest.mark.parametrize('value', BAD_SECONDS, ids=BAD_SECONDS_IDS)
async def test_a_wrong_typed_or_absurd_expires_in_bounds_the_wait_at_ten_minutes(tmp_path, value):
    fake, clock = FakeDomo(), PollClock()
    text = json.dumps(device_answer(expires_in=0)).replace('"expires_in": 0', f'"expires_in": {value}')
    answer_next_device(fake, text)
    with pytest.raises(SignInError, match='expired'):
        await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.now == 600, clock.now


PAGES_REFUSED = ['https://acme.domo.com@evil.example/', 'https://acme.domo.com#@evil.example/device',
                 'https://acme.domo.com\\@evil.example/device', 'ftp://acme.domo.com/device', 'data:text/html,<h1>x',
                 'https://acme.domo.com:99999/device', '//evil.example/device', ' https://evil.example/device']
PAGES_REFUSED_IDS = ['userinfo', 'fragment-userinfo', 'backslash-userinfo', 'ftp', 'data', 'port-99999', 'no-scheme',
                     'leading-space']


@pytest.mark.parametrize('page', PAGES_REFUSED, ids=PAGES_REFUSED_IDS)
async def test_a_page_address_with_userinfo_a_fragment_or_another_scheme_is_refused_and_never_opened(tmp_path, page,
                                                                                                     monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, 'open', lambda url, *a, **k: opened.append(url))
    monkeypatch.setenv('DISPLAY', ':0')
    fake, out = FakeDomo(), io.StringIO()
    answer_next_device(fake, device_answer(verification_uri=page))
    with pytest.raises(UnexpectedResponseError, match='https://'):
        await signing_in(fake, file_sign_ins(tmp_path), PollClock(), stream=out, open_browser=True)
    assert (opened, fake.sign_in.polls, out.getvalue()) == ([], 0, '')


async def test_a_page_address_with_control_characters_in_its_query_is_never_opened_raw(tmp_path, monkeypatch):
    "The line shows the address escaped; the browser must not be handed ESC, BEL, CR or LF either (refused, or encoded)"
    opened = []
    monkeypatch.setattr(webbrowser, 'open', lambda url, *a, **k: opened.append(url))
    monkeypatch.setenv('DISPLAY', ':0')
    fake, out = FakeDomo(), io.StringIO()
    answer_next_device(fake, device_answer(verification_uri=f'{PAGE}?x={HOSTILE}', expires_in=6))
    try: await signing_in(fake, file_sign_ins(tmp_path), PollClock(), stream=out, open_browser=True)
    except (UnexpectedResponseError, SignInError): pass
    assert not raw_controls(out.getvalue(), allowed='\n'), out.getvalue()
    assert not [url for url in opened if raw_controls(url)], f'raw controls handed to the browser: {opened!r}'


async def test_a_user_code_with_escape_sequences_and_line_breaks_is_one_escaped_line_and_an_escaped_error(tmp_path):
    "Shown escaped on one line (or refused before anything is shown); the error that ends the wait is escaped too"
    fake, out = FakeDomo(), io.StringIO()
    answer_next_device(fake, device_answer(user_code='AB\x1b]0;pwned\x07\x1b[2J\r\ndomo-routes: all good\x9b31m', expires_in=6))
    with pytest.raises((SignInError, UnexpectedResponseError)) as caught:
        await signing_in(fake, file_sign_ins(tmp_path), PollClock(), stream=out)
    shown = out.getvalue()
    assert not raw_controls(shown, allowed='\n') and not raw_controls(str(caught.value)), (shown, str(caught.value))
    assert shown == '' or (shown.count('\n') == 1 and shown.endswith('\n') and 'pwned' in shown), shown


@pytest.mark.parametrize('field, value', [('user_code', 'A' * 10_000), ('verification_uri', f'{PAGE}?x=' + 'A' * 100_000)],
                         ids=['user-code-10000', 'page-100000'])
async def test_an_absurdly_long_user_code_or_page_address_is_not_printed_in_full(tmp_path, field, value):
    "A code of 10,000 characters nobody can compare, a page of 100,000: refused, or shown shortened"
    fake, out = FakeDomo(), io.StringIO()
    answer_next_device(fake, device_answer(**{field: value}, expires_in=6))
    try: await signing_in(fake, file_sign_ins(tmp_path), PollClock(), stream=out)
    except UnexpectedResponseError: pass
    except SignInError as e: assert len(str(e)) <= 2000, f'the error is {len(str(e))} characters long'
    assert len(out.getvalue()) <= 2000, f'the line to open is {len(out.getvalue())} characters long'


def test_cli_an_error_description_with_escape_sequences_is_shown_escaped(site):
    fake, home, env = site
    fake.fail_next(400, body={'error': HOSTILE, 'error_description': HOSTILE}, path='device_authorization')
    code, out, err = sh('login', '--web', '--no-browser', env=env, home=home)
    assert code != 0 and 'Traceback' not in err, err
    assert not raw_controls(out + err, allowed='\n'), repr(err)
    assert not any(line.startswith('domo-routes: all good') for line in err.split('\n')), err
    last = err.strip().split('\n')[-1]
    assert last.startswith('domo-routes: ') and 'pwned' in last and '\\x1b' in last, last


# Answers to the polls, the refresh and the sid: size, time and shape

def _device_then(poll):
    "A hostile server answering the device authorization well, and every poll with `poll`"
    body = json.dumps(device_answer()).encode()

    def respond(conn, head):
        if b'device_authorization' in head.split(b'\r\n')[0]:
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(body)
                         + body)
        else: poll(conn, head)
    return respond


def slow_drip(conn, head):
    "A 200 of 100,000 bytes declared, one byte every 0.3 s: no read ever waits a whole second"
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n')
    try:
        for _ in range(100_000):
            conn.sendall(b' ')
            time.sleep(0.3)
    except OSError: pass


@pytest.mark.parametrize('poll, error', [(endless, ResponseTooLargeError), (declared_huge, ResponseTooLargeError),
                                         (slow_drip, SignInError)], ids=['endless', 'declared-400-mb', 'drip'])
async def test_a_poll_answered_without_end_with_400_mb_or_a_drip_is_not_read_without_bound(tmp_path, poll, error):
    "Refused at the size cap, or each poll cut at the client's timeout until the code's life (12 s on `clock`) is over"
    clock = PollClock()
    with LeakCheck(CANARY_DEVICE) as check, hostile_server(_device_then(poll)) as server, reroute(server.url):
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=1) as session:
            with pytest.raises(error) as caught:
                await sign_in('acme', open_browser=False, session=session, sign_ins=file_sign_ins(tmp_path),
                              stream=io.StringIO(), sleep=clock.sleep, clock=clock, token_cache=None)
        check.add(caught.value)
    check.assert_clean()
    assert time.monotonic() - started < 8 and not list(tmp_path.rglob('*.json'))


@pytest.mark.parametrize('answer', [endless, declared_huge], ids=['endless', 'declared-400-mb'])
async def test_a_refresh_answer_without_end_or_of_400_mb_is_refused_by_every_way_of_logging_in(answer):
    with LeakCheck(CANARY_REFRESH) as check, hostile_server(answer) as server, reroute(server.url):
        for call in ('who_am_i', 'get_auth_token', 'login'):
            auth = DomoSignInAuth('acme', CANARY_REFRESH, token_cache=None)
            async with httpx.AsyncClient(timeout=5) as session:
                with pytest.raises(ResponseTooLargeError) as caught:
                    await asyncio.wait_for(getattr(auth, call)(session), 8)
            check.add(caught.value, auth)
    check.assert_clean()


async def test_a_sid_answer_of_2_mib_is_refused():
    fake = FakeDomo()
    fake.fail_next(200, body={'sid': 'x' * (2 << 20)}, path=SID)
    auth = DomoSignInAuth('acme', live_refresh_token(fake), token_cache=None)
    async with fake.client() as session:
        with pytest.raises(ResponseTooLargeError): await auth.who_am_i(session)


async def test_a_refresh_endpoint_that_drips_is_bounded_in_who_am_i():
    with hostile_server(slow_drip) as server, reroute(server.url):
        auth, started = DomoSignInAuth('acme', CANARY_REFRESH, token_cache=None), time.monotonic()
        async with httpx.AsyncClient(timeout=1) as session:
            with pytest.raises(DomoNetworkError):
                await asyncio.wait_for(auth.who_am_i(session), 9)
    assert time.monotonic() - started < 5


async def test_a_refresh_endpoint_that_drips_does_not_hang_get_auth_token():
    "`domo-routes token` and `auth.get_auth_token()`: the login must be bounded as a whole, not only each read"
    with hostile_server(slow_drip) as server, reroute(server.url):
        auth = DomoSignInAuth('acme', CANARY_REFRESH, token_cache=None)
        async with httpx.AsyncClient(timeout=1) as session:
            try: await asyncio.wait_for(auth.get_auth_token(session), 8)
            except asyncio.TimeoutError: raise AssertionError('get_auth_token was still reading a dripping answer '
                                                              'after 8 s (the client timeout is 1 s)') from None
            except DomoError: pass


SHAPES = [
    (TOKEN, {'token_type': 'bearer', 'expires_in': 3600}),
    (TOKEN, {'access_token': 'fake-oauth-access-shape-0123456789', 'refresh_token': 12345}),
    (TOKEN, {'access_token': 'fake-oauth-access-shape-0123456789', 'refresh_token': {'a': 1}}),
    (TOKEN, {'access_token': 'fake-oauth-access-shape-0123456789', 'refresh_token': 'CANARY-new\nrefresh-0123456789'}),
    (TOKEN, {'access_token': 'fake-oauth-access-shape-0123456789', 'refresh_token': ' '}),
    (TOKEN, ['a', 'list']),
    (TOKEN, '<html><title>Maintenance</title></html>'),
    (SID, {'sid': 12345}),
    (SID, {'sid': ['x']}),
    (SID, {'sid': 'CANARY-sid\r\nx-evil: 1-0123456789'}),
    (SID, {'sid': ''}),
    (SID, 'null'),
]


@pytest.mark.parametrize('path, body', SHAPES, ids=[f'{p.rsplit("/", 1)[1]}-{i}' for i, (p, _) in enumerate(SHAPES)])
async def test_refresh_and_sid_answers_of_the_wrong_shape_are_domo_errors_and_keep_the_sign_in(tmp_path, path, body):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    kept.save('acme', live_refresh_token(fake))
    live_access_token(fake, 'fake-oauth-access-shape-0123456789')
    fake.fail_next(200, body=body, path=path)
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    with LeakCheck(CANARY_REFRESH, 'CANARY-new\nrefresh-0123456789', 'CANARY-sid\r\nx-evil: 1-0123456789') as check:
        async with fake.client() as session:
            try: check.add((await auth.who_am_i(session)).response)
            except DomoError as e: check.add(e)
        check.add(auth)
    check.assert_clean()
    assert kept.load('acme').refresh_token == CANARY_REFRESH


@pytest.mark.parametrize('status', [302, 307, 308])
async def test_a_poll_redirected_to_another_origin_carries_no_device_code(tmp_path, status):
    fake = RecordingDomo()
    answer_next_device(fake, device_answer())
    fake._add(1, _Fault('redirect', status=status, headers={'location': 'https://collector.example/steal'}, path=TOKEN))
    with LeakCheck(CANARY_DEVICE) as check:
        try: await signing_in(fake, file_sign_ins(tmp_path), PollClock())
        except DomoError as e: check.add(e)
    check.assert_clean()
    elsewhere = [r for r in fake.received if r[1].host == 'collector.example']
    assert elsewhere, 'the redirect was not followed: nothing to check'
    assert not [r for r in elsewhere if CANARY_DEVICE.encode() in r[3] or CANARY_DEVICE in str(r[1])], elsewhere


@pytest.mark.parametrize('path', [TOKEN, SID])
@pytest.mark.parametrize('status', [302, 307, 308])
async def test_a_refresh_or_sid_redirected_to_another_origin_sends_no_token_there(path, status):
    fake = RecordingDomo()
    fake._add(1, _Fault('redirect', status=status, headers={'location': 'https://collector.example/steal'}, path=path))
    auth = DomoSignInAuth('acme', live_refresh_token(fake), token_cache=None)
    with LeakCheck(CANARY_REFRESH) as check:
        async with fake.client() as session:
            with pytest.raises(DomoError, match='own origin') as caught: await auth.who_am_i(session)
        check.add(caught.value)
    check.assert_clean()
    assert not [r for r in fake.received if r[1].host == 'collector.example'], 'a token request went to collector.example'


# What is kept, and nothing lost to a transient failure

async def test_a_401_on_the_sid_right_after_the_approval_does_not_destroy_the_new_sign_in(tmp_path):
    "The refresh token was just accepted; the sid endpoint refused once: the approved sign-in is kept, not forgotten"
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    fake.sign_in.auto_approve = True
    fake.fail_next(401, body={'status': 401, 'message': 'Unauthorized'}, path=SID)
    try: await signing_in(fake, kept, clock)
    except DomoError: pass
    [refresh] = list(fake.sign_in.refresh_tokens)  # the server honours it still
    found = kept.load('acme')
    assert found is not None and found.refresh_token == refresh, 'the approved sign-in was forgotten after one 401 on /sid'


async def test_a_single_401_on_the_sid_is_not_remembered_as_a_refused_sign_in(tmp_path):
    "A long-running process: one 401 from /sid (the refresh token was accepted) must not fail every later call"
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    kept.save('acme', live_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    fake.fail_next(401, path=SID)
    async with fake.client() as session:
        try: await auth.who_am_i(session)
        except DomoError: pass
        try: res = await auth.who_am_i(session)
        except DomoError as e: raise AssertionError(f'the next call failed without trying: {e}') from None
    assert res.status == 200


async def test_a_rotated_refresh_token_survives_a_keyring_that_fails_once_to_write(tmp_path, in_process_keyring):
    "The server replaced the refresh token (the old one is dead); the keyring refused the write once: the new one lives on"
    fake = FakeDomo()
    fake.sign_in.rotate_refresh_tokens = True
    kept = SignIns(SecretStore(tmp_path / 'secrets'), tmp_path)
    assert kept.store.keyring is not None
    kept.save('acme', live_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    in_process_keyring.writes_to_refuse = 1
    async with fake.client() as session:
        try: await auth.who_am_i(session)
        except DomoError: pass
        auth.invalidate()
        try: await auth.who_am_i(session)
        except DomoError as e: raise AssertionError(f'the rotated refresh token was lost: {e}') from None
    assert kept.load('acme').refresh_token in fake.sign_in.refresh_tokens


async def test_a_rotated_refresh_token_that_cannot_be_written_to_a_file_is_a_domo_error(tmp_path):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    fake.sign_in.rotate_refresh_tokens = True
    kept.save('acme', live_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    shutil.rmtree(tmp_path / 'secrets')
    (tmp_path / 'secrets').write_text('')  # the folder cannot be written now (a file in its place)
    async with fake.client() as session:
        try: await auth.who_am_i(session)
        except Exception as e: assert isinstance(e, DomoError), f'{type(e).__name__}: {e}'


async def test_a_refresh_token_answered_with_surrounding_whitespace_is_still_replaced_by_its_rotation(tmp_path):
    "The token is used stripped but was kept as answered: the first rotation did not replace it, the kept one is dead"
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    fake.sign_in.rotate_refresh_tokens = fake.sign_in.auto_approve = True
    live_access_token(fake, 'fake-oauth-access-padded-0123456789')
    fake.fail_next(200, body={'refresh_token': live_refresh_token(fake) + '\n', 'token_type': 'bearer',
                              'access_token': 'fake-oauth-access-padded-0123456789'}, path=TOKEN)
    await signing_in(fake, kept, clock)  # checks who signed in: one refresh, one rotation
    other = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    async with fake.client() as session:
        try: assert (await other.who_am_i(session)).status == 200
        except DomoError as e: raise AssertionError(f'the kept sign-in is dead after its first rotation: {e}') from None


async def test_a_huge_user_name_from_the_server_does_not_hide_every_kept_sign_in(tmp_path):
    "users/me names a 2 MiB email: sign-ins.json must stay readable, or status lists nothing and the next save drops all"
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    fake.sign_in.auto_approve = True
    kept.save('globex', 'a-refresh-token-of-globex-0123456789', user='bob@globex.test')
    fake.fail_next(200, body={**fake.user.as_me(), 'emailAddress': 'x' * (2 << 20)}, path='users/me')
    await signing_in(fake, kept, clock)
    assert [e.instance for e in kept.entries()] == ['acme', 'globex'], kept.entries()
    assert (tmp_path / 'sign-ins.json').stat().st_size < 1 << 20


ROTATING_WORKER = """
import os, sys, time
from domo_routes import auth_from_env, run_sync
auth = auth_from_env(None)
open(sys.argv[2], 'w').close()
while not os.path.exists(sys.argv[1]): time.sleep(0.002)
print(run_sync(auth.who_am_i()).response['id'])
"""


def test_processes_without_a_shared_token_cache_all_survive_a_rotation(site, tmp_path):
    "Six processes refresh the one kept sign-in at once and the server rotates: a race lost is not 'sign in again'"
    fake, home, env = site
    fake.sign_in.rotate_refresh_tokens = True
    home_sign_ins(home).save('acme', live_refresh_token(fake))
    full = clean_env(HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'), DOMO_TOKEN_CACHE='none',
                     DOMO_ROUTES_KEYRING='0', **env)
    go, procs = tmp_path / 'go', []
    for i in range(6):
        procs.append(subprocess.Popen([sys.executable, '-c', ROTATING_WORKER, str(go), str(tmp_path / f'ready{i}')],
                                      env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 30
    while not all((tmp_path / f'ready{i}').exists() for i in range(6)) and time.monotonic() < deadline: time.sleep(0.01)
    go.touch()
    outs = [p.communicate(timeout=60) for p in procs]
    failed = [e.strip().splitlines()[-1][:160] for o, e in outs if o.strip() != str(fake.user.id)]
    assert not failed, f'{len(failed)} of 6 processes failed: {failed[:2]}'
    assert home_sign_ins(home).load('acme').refresh_token in fake.sign_in.refresh_tokens


async def test_two_sign_ins_at_once_for_one_instance_leave_one_working_entry(tmp_path):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    fake.sign_in.auto_approve = True
    auths = await asyncio.gather(signing_in(fake, kept, PollClock()), signing_in(fake, kept, PollClock()))
    assert [a.user for a in auths] == ['ada@acme.test'] * 2
    assert [(e.instance, e.user) for e in kept.entries()] == [('acme', 'ada@acme.test')]
    assert kept.load('acme').refresh_token in fake.sign_in.refresh_tokens
    assert len(list((tmp_path / 'secrets').glob('*.json'))) == 1


# Domo's CLI's logins and the local files

def config_home() -> Path: return Path(os.environ['XDG_CONFIG_HOME'])


@pytest.mark.parametrize('named', ['globex.domo.com', 'acme.domo.com.evil.example', 'evil.example'])
def test_a_domo_cli_login_whose_file_names_another_instance_is_not_sent_to_this_one(named):
    "acme.domo.com.json says its token is for another host: sending it to acme would give acme another host's token"
    path = write_ryuu_login(config_home(), 'acme.domo.com', CANARY_REFRESH)
    path.write_text(json.dumps({'instance': named, 'refreshToken': CANARY_REFRESH, 'devToken': False}))
    assert ryuu_login('acme') is None, f'the login of {named} is used for acme.domo.com'
    with pytest.raises(MissingConfigurationError):
        DomoSignInAuth('acme', token_cache=None)
    path.write_text(json.dumps({'instance': 'acme.domo.com', 'refreshToken': CANARY_REFRESH, 'devToken': False}))
    assert ryuu_login('acme').refresh_token == CANARY_REFRESH  # its own instance: used


def test_domo_cli_logins_that_are_lists_numbers_folders_loops_or_empty_are_skipped():
    folder = config_home() / 'configstore' / 'ryuu'
    folder.mkdir(parents=True)
    (folder / 'acme.domo.com.json').write_text(json.dumps([{'refreshToken': CANARY_REFRESH}]))
    (folder / 'globex.domo.com.json').write_text(json.dumps({'refreshToken': 12345}))
    (folder / 'initech.domo.com.json').mkdir()
    (folder / 'umbrella.domo.com.json').symlink_to(folder / 'umbrella.domo.com.json')
    (folder / 'hooli.domo.com.json').write_text('')
    (folder / 'wonka.domo.com.json').write_text(json.dumps({'refreshToken': CANARY_REFRESH + '\x1b[2J'}))
    assert [ryuu_login(i) for i in ('acme', 'globex', 'initech', 'umbrella', 'hooli', 'wonka')] == [None] * 6
    assert kept_sign_ins() == []


@pytest.mark.parametrize('index', ['{corrupt', '[1, 2]', '{"acme": "not a dict", "globex": 5}', 'null', '"x"'],
                         ids=['not-json', 'a-list', 'values-not-dicts', 'null', 'a-string'])
def test_a_corrupt_sign_ins_index_lists_nothing_and_is_replaced_by_the_next_sign_in(tmp_path, index):
    (tmp_path / 'sign-ins.json').write_text(index)
    kept = file_sign_ins(tmp_path)
    assert kept.entries() == [] and kept_sign_ins(kept) == []
    kept.save('acme', CANARY_REFRESH, user='ada@acme.test')
    assert [(e.instance, e.user) for e in kept.entries()] == [('acme', 'ada@acme.test')]


def _config_is_a_file(config: Path):
    config.mkdir(parents=True)
    (config / 'domo_routes').write_text('')


def _index_is_a_folder(config: Path): (config / 'domo_routes' / 'sign-ins.json').mkdir(parents=True)


def _secrets_is_a_file(config: Path):
    (config / 'domo_routes').mkdir(parents=True)
    (config / 'domo_routes' / 'secrets').write_text('')


@pytest.mark.parametrize('spoil', [_config_is_a_file, _index_is_a_folder, _secrets_is_a_file],
                         ids=['config-folder-is-a-file', 'index-is-a-folder', 'secrets-folder-is-a-file'])
def test_login_web_with_a_configuration_folder_that_cannot_be_written_is_one_error_line(site, spoil):
    "The approval is done, the sign-in cannot be kept: one line saying so, not a traceback"
    fake, home, env = site
    spoil(Path(home, '.config'))
    code, out, err = sh('login', '--web', '--no-browser', env=env, home=home)
    assert 'Traceback' not in err, err[-1500:]
    assert code != 0 and err.strip().split('\n')[-1].startswith('domo-routes: '), (code, err)


# The command: Ctrl-C, bad instances, debug, status and logout

@pytest.mark.parametrize('instance', ['evil.com#', 'acme.domo.com@evil.example', 'acme\x1b[2J'])
def test_login_web_with_a_bad_instance_is_one_error_line_before_any_wait(instance):
    code, out, err = sh('login', '--web', '--no-browser', '--instance', instance)
    assert code == 4 and not raw_controls(err, allowed='\n'), (code, err)
    assert 'not a Domo instance name' in one_error_line(err)


def test_ctrl_c_after_the_sign_in_was_kept_does_not_say_nothing_was_kept(tmp_path):
    "Approved and kept, then Ctrl-C while the first sid is minted: the last line must not claim that nothing was kept"
    fake = HeldSid()
    fake.sign_in.auto_approve, fake.sign_in.interval = True, 1
    server = fake.serve()
    home = tmp_path / 'home'
    home.mkdir()
    env = clean_env(HOME=str(home), XDG_CONFIG_HOME=str(home / '.config'), DOMO_TOKEN_CACHE='none',
                    DOMO_ROUTES_KEYRING='0', DOMO_INSTANCE='acme', **server.env())
    try:
        proc = subprocess.Popen([DOMO_ROUTES, 'login', '--web', '--no-browser'], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        assert fake.sid_asked.wait(20), 'the sign-in never reached its first sid'
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        fake.release()
        stop_in_background(server)
    kept = home_sign_ins(home).load('acme') is not None
    assert proc.returncode == 130, (proc.returncode, err)
    assert not (kept and 'nothing was kept' in err), f'the sign-in is kept, yet the command said: {err.strip().splitlines()[-1]}'


async def test_debug_output_with_short_device_codes_and_rotation_holds_no_secret(tmp_path):
    "debug_api=True and every logger at DEBUG, a 3-character device code, a rotation: no secret printed or logged"
    fake, clock = FakeDomo(), PollClock()
    fake.sign_in.rotate_refresh_tokens = True
    fake.sign_in.devices['Xy7'] = {'user_code': 'ABCD-1234', 'expires_at': fake.clock() + 600, 'status': 'approved',
                                   'user': fake.user.id}
    answer_next_device(fake, device_answer(device_code='Xy7'))
    with LeakCheck() as check:
        auth = await signing_in(fake, file_sign_ins(tmp_path), clock, debug_api=True)
        async with fake.client() as session:
            auth.invalidate()
            await auth.who_am_i(session, debug_api=True)
        check.add(auth)
    check.canaries = [*issued_secrets(fake), *fake.sessions]
    assert 'Xy7' in check.canaries and len(check.canaries) >= 6
    assert any('➡ sign_in POST' in text for text in check.texts), 'debug_api printed nothing: nothing was checked'
    check.assert_clean()


def test_cli_sign_in_and_its_use_write_no_secret_outside_the_secret_store(site):
    fake, home, env = site
    fake.sign_in.rotate_refresh_tokens = True
    outputs = [sh('login', '--web', '--no-browser', '--debug', env=env, home=home)]
    outputs += [sh(*argv, env=env, home=home) for argv in (['whoami', '--debug'], ['token'], ['status', '--json'])]
    assert [code for code, _, _ in outputs] == [0, 0, 0, 0], outputs
    secrets = [*issued_secrets(fake), *fake.sessions]
    store = Path(home, '.config', 'domo_routes', 'secrets')
    files = [p for p in Path(home).rglob('*') if p.is_file() and store not in p.parents]
    assert [(p.name, s[:12]) for p in files for s in secrets if s.encode() in p.read_bytes()] == []
    printed = ''.join(o + e for _, o, e in outputs).replace(outputs[2][1], '')  # `token` prints the sid, as asked
    assert [s[:12] for s in secrets if s in printed] == []


def test_status_and_status_json_show_a_hostile_index_escaped(tmp_path):
    home = tmp_path / 'home'
    folder = home / '.config' / 'domo_routes'
    folder.mkdir(parents=True)
    (folder / 'sign-ins.json').write_text(json.dumps({f'acme{HOSTILE}': {'user': HOSTILE, 'kept_in': HOSTILE},
                                                      'globex': {'user': HOSTILE + '\u2028\u2029', 'kept_in': 'file'}}))
    code, out, err = sh('status', home=str(home))
    assert code == 0 and 'pwned' in out and not raw_controls(out + err, allowed='\n'), repr(out)
    assert not any(line.startswith('domo-routes: all good') for line in out.split('\n')), out
    code, out, err = sh('status', '--json', home=str(home))
    assert code == 0 and not raw_controls(out, allowed='\n') and '\u2028' not in out, repr(out)
    assert {doc['user'] for doc in json.loads(out)} == {HOSTILE, HOSTILE + '\u2028\u2029'}


def test_logout_forgets_a_sign_in_whose_secret_file_is_corrupt(site):
    "The secret cannot be read, but forgetting needs none: logout removes it (or says it could not), status agrees"
    fake, home, env = site
    home_sign_ins(home).save('acme', live_refresh_token(fake), user='ada@acme.test')
    [secret] = list(Path(home, '.config', 'domo_routes', 'secrets').iterdir())
    secret.write_text('{corrupt')
    code, out, err = sh('logout', env=env, home=home)
    listed = 'acme.domo.com' in sh('status', env=env, home=home)[1]
    assert code != 0 or not listed, f'logout said {out.strip()!r} (exit {code}), and status still lists the sign-in'


def test_logout_with_a_keyring_that_cannot_delete_does_not_claim_it_forgot(site):
    fake, home, env = site
    env = {**env, **keyring_env('NoDeleteKeyring', home)}
    assert sh('login', '--web', '--no-browser', env=env, home=home)[0] == 0
    [refresh] = list(fake.sign_in.refresh_tokens)
    code, out, err = sh('logout', env=env, home=home)
    still_kept = refresh in Path(home, 'keyring.json').read_text()
    assert not still_kept or (code != 0 and 'Forgot the browser sign-in' not in out), \
        f'logout said {out.strip()!r} (exit {code}), but the keyring still holds the refresh token'


def test_logout_with_a_locked_keyring_says_it_could_not_instead_of_nothing(site):
    fake, home, env = site
    env = {**env, **keyring_env('LockableKeyring', home, TEST_KEYRING_LOCKED=os.path.join(home, 'locked'))}
    assert sh('login', '--web', '--no-browser', env=env, home=home)[0] == 0
    [refresh] = list(fake.sign_in.refresh_tokens)
    Path(home, 'locked').touch()
    code, out, err = sh('logout', env=env, home=home)
    assert refresh in Path(home, 'keyring.json').read_text()  # locked: it could not have been removed
    assert code != 0 and 'keyring' in one_error_line(err), f'logout said {out.strip()!r} (exit {code}) {err!r}'


# Keyring backends that raise or hang

def test_a_keyring_that_hangs_does_not_hang_status(tmp_path):
    "A keychain waiting for an unlock prompt nobody sees: the probe must give up and the files be used"
    home = tmp_path / 'home'
    home.mkdir()
    try: code, out, err = sh('status', env=keyring_env('HangingKeyring', home), home=str(home), timeout=9)
    except subprocess.TimeoutExpired: raise AssertionError('status still waits for the keyring after 9 s') from None
    assert code == 0, err


def test_a_keyring_that_raises_on_read_is_one_error_line_naming_it(site):
    fake, home, env = site
    env = {**env, **keyring_env('LockableKeyring', home, TEST_KEYRING_LOCKED=os.path.join(home, 'locked'))}
    assert sh('login', '--web', '--no-browser', env=env, home=home)[0] == 0
    Path(home, 'locked').touch()
    code, out, err = sh('whoami', env=env, home=home)
    assert code == 2 and 'keyring could not be read' in one_error_line(err) and 'DOMO_ROUTES_KEYRING=0' in err
    assert [s for s in issued_secrets(fake) if s in out + err] == []
