"""Browser sign-in (device authorization, RFC 8628 as Domo's CLI uses it): where the user is sent, how the polls go
(pending, slow_down, denied, expired, 429, failures on the way), what is kept and what is not when it ends or is
cancelled (nbs/12_browser_sign_in.ipynb)."""
import asyncio, io, webbrowser

import pytest

from domo_routes import DomoSignInAuth, SignInError, UnexpectedResponseError, sign_in
from domo_routes.fake import FakeDomo
from domo_routes.browser_sign_in import DeviceAuthorization, show_sign_in

from support_sign_in import PollClock, file_sign_ins, issued_secrets


def signing_in(fake, kept, clock, stream=None, **kw):
    "sign_in against the in-process fake, waiting on `clock`"
    return sign_in('acme', open_browser=False, session=fake.client(), sign_ins=kept, stream=stream or io.StringIO(),
                   sleep=clock.sleep, clock=clock, token_cache=None, **kw)


async def test_the_user_is_sent_to_the_full_url_on_one_line_and_the_sign_in_is_kept(tmp_path):
    "One line names the page and the code; once approved, the refresh token is kept and the auth object works"
    fake, kept, clock, out = FakeDomo(), file_sign_ins(tmp_path), PollClock(), io.StringIO()
    clock.at(7, lambda: fake.sign_in.approve())
    auth = await signing_in(fake, kept, clock, stream=out)
    code = fake.sign_in.user_code
    assert out.getvalue() == (f'To sign in to acme.domo.com, open https://acme.domo.com/oauth2/device?user_code={code} '
                              f'and approve the code {code}\n')
    assert isinstance(auth, DomoSignInAuth) and auth.source == 'file' and auth.user == 'ada@acme.test'
    [refresh] = list(fake.sign_in.refresh_tokens)
    assert kept.load('acme').refresh_token == refresh and kept.entries()[0][:2] == ('acme', 'ada@acme.test')
    assert (fake.sign_in.polls, fake.sign_in.mints) == (2, 1)  # polls at 5 s (pending) and 10 s; the sid minted once
    assert (await auth.who_am_i()).response['displayName'] == 'Ada Lovelace' and fake.sign_in.mints == 1


async def test_pending_polls_go_on_at_the_servers_interval_until_approval(tmp_path):
    fake, clock = FakeDomo(), PollClock()
    fake.sign_in.interval = 7
    clock.at(30, lambda: fake.sign_in.approve())
    await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.poll_times == [7, 14, 21, 28, 35] and fake.sign_in.polls == 5


async def test_slow_down_adds_five_seconds_and_an_approval_after_12_s_takes_three_polls(tmp_path):
    "The closing note's figure: interval 5, the second poll answered slow_down, approved at 12 s: polls at 5, 10, 20"
    fake, clock = FakeDomo(), PollClock()
    clock.at(10, lambda: fake.sign_in.slow_down_next()).at(12, lambda: fake.sign_in.approve())
    await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert (clock.poll_times, fake.sign_in.polls) == ([5, 10, 20], 3)


async def test_an_interval_the_server_does_not_give_is_five_seconds(tmp_path):
    fake, clock = FakeDomo(), PollClock()
    fake.sign_in.interval = None  # the answer holds no `interval`
    clock.at(9, lambda: fake.sign_in.approve())
    await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.poll_times == [5, 10]


async def test_a_denied_sign_in_stops_with_a_clear_error_and_keeps_nothing(tmp_path):
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    clock.at(6, lambda: fake.sign_in.deny())
    with pytest.raises(SignInError, match='denied in the browser'):
        await signing_in(fake, kept, clock)
    assert (fake.sign_in.polls, kept.entries(), list((tmp_path / 'secrets').glob('*'))) == (2, [], [])


async def test_a_code_the_server_says_expired_stops_the_polls(tmp_path):
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    clock.at(6, lambda: fake.sign_in.expire_device_codes())
    with pytest.raises(SignInError, match='expired before it was approved'):
        await signing_in(fake, kept, clock)
    assert fake.sign_in.polls == 2 and kept.entries() == []


async def test_the_whole_wait_is_bounded_by_the_codes_life_even_if_the_server_never_says_expired(tmp_path):
    "A server that answers pending for ever: the polls stop when `expires_in` has passed"
    fake, clock = FakeDomo(clock=lambda: 0.0), PollClock()  # the fake's own clock never moves: never expired_token
    fake.sign_in.expires_in = 30
    with pytest.raises(SignInError, match='expired'):
        await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert (clock.poll_times[:5], fake.sign_in.polls, clock.now) == ([5, 10, 15, 20, 25], 5, 30)  # none at 30 s or after


async def test_a_429_is_waited_out_as_its_retry_after_says_and_503_and_dropped_connections_are_polled_through(tmp_path):
    fake, clock = FakeDomo(), PollClock()
    fake.fail_next(429, headers={'retry-after': '17'}, path='/api/oauth2/token')
    fake.fail_next(503, path='/api/oauth2/token')
    fake.drop_next()
    clock.at(1, lambda: fake.sign_in.approve())
    auth = await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.waits[:2] == [5, 17] and auth.refresh_token in issued_secrets(fake)


async def test_an_unrecognised_refusal_before_approval_is_taken_as_pending(tmp_path):
    "WIRE.md: Domo's answer before approval is not confirmed: a 4xx that is not a known error code polls on"
    fake, clock = FakeDomo(), PollClock()
    fake.fail_next(403, body={'status': 403, 'message': 'Forbidden'}, path='/api/oauth2/token')
    fake.fail_next(400, body={'error': 'unknown_thing'}, path='/api/oauth2/token')
    clock.at(11, lambda: fake.sign_in.approve())
    await signing_in(fake, file_sign_ins(tmp_path), clock)
    assert clock.poll_times == [5, 10, 15]


async def test_cancelling_the_sign_in_keeps_nothing(tmp_path):
    "A task cancelled while it waits for the approval (Ctrl-C in a notebook): no refresh token anywhere"
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    task = asyncio.ensure_future(sign_in('acme', open_browser=False, session=fake.client(), sign_ins=kept,
                                         stream=io.StringIO(), token_cache=None))
    while fake.sign_in.user_code is None: await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError): await task
    fake.sign_in.approve()
    assert (kept.entries(), list(tmp_path.rglob('*.json'))) == ([], [])


async def test_an_approval_page_that_is_not_https_is_refused_and_never_opened(tmp_path, monkeypatch):
    "A hostile server naming a javascript:, file: or plain-http page: an error, no browser opened, nothing polled"
    opened = []
    monkeypatch.setattr(webbrowser, 'open', lambda url, *a, **k: opened.append(url))
    monkeypatch.setenv('DISPLAY', ':0')
    for page in ('javascript:alert(1)', 'file:///etc/passwd', 'http://evil.example/device', 'https://a b/x'):
        fake = FakeDomo()
        monkeypatch.setattr(type(fake.sign_in), 'verification_uri', property(lambda self, page=page: page))
        with pytest.raises(UnexpectedResponseError, match='not an https:// address'):
            await sign_in('acme', session=fake.client(), sign_ins=file_sign_ins(tmp_path), stream=io.StringIO(),
                          token_cache=None)
        assert (opened, fake.sign_in.polls) == ([], 0)


async def test_a_device_answer_without_its_codes_is_an_unexpected_response(tmp_path):
    fake = FakeDomo()
    fake.fail_next(200, body={'user_code': 'ABCD'}, path='/device_authorization')
    with pytest.raises(UnexpectedResponseError, match='could not start'):
        await signing_in(fake, file_sign_ins(tmp_path), PollClock())


def test_a_user_code_cannot_write_to_the_terminal():
    "Escape sequences in what the server calls the user code are shown as text, not acted on"
    device = DeviceAuthorization('dc-0123456789abcdef', 'AB\x1b]0;pwned\x07CD', 'https://acme.domo.com/device')
    out = io.StringIO()
    show_sign_in(device, 'acme', open_browser=False, stream=out)
    assert '\x1b' not in out.getvalue() and '\x07' not in out.getvalue() and out.getvalue().count('\n') == 1


def test_the_page_is_opened_in_the_browser_when_there_is_a_display_and_not_when_told_not_to(monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, 'open', lambda url, *a, **k: opened.append(url))
    device = DeviceAuthorization('dc-0123456789abcdef', 'WXYZ-1234', 'https://acme.domo.com/oauth2/device')
    monkeypatch.setenv('DISPLAY', ':0')
    show_sign_in(device, 'acme', open_browser=False, stream=io.StringIO())
    assert opened == []
    show_sign_in(device, 'acme', stream=io.StringIO())
    assert opened == ['https://acme.domo.com/oauth2/device?user_code=WXYZ-1234']
    monkeypatch.delenv('DISPLAY')
    monkeypatch.delenv('WAYLAND_DISPLAY', raising=False)
    show_sign_in(device, 'acme', stream=io.StringIO())  # a server reached by ssh: the line only
    assert len(opened) == 1


def test_in_jupyter_the_page_is_a_link(monkeypatch):
    "In a notebook the user gets a clickable link (escaped), not a line on stderr"
    import sys, types
    import domo_routes.browser_sign_in as module
    shown = []
    monkeypatch.setattr(module, '_in_notebook', lambda: True)
    display = types.SimpleNamespace(HTML=lambda data: types.SimpleNamespace(data=data), display=lambda o: shown.append(o.data))
    monkeypatch.setitem(sys.modules, 'IPython', types.SimpleNamespace(display=display))  # as Jupyter's IPython would
    monkeypatch.setitem(sys.modules, 'IPython.display', display)
    err = io.StringIO()
    device = DeviceAuthorization('dc-0123456789abcdef', 'WXYZ-1234', 'https://acme.domo.com/oauth2/device')
    show_sign_in(device, 'acme', open_browser=False, stream=err)
    assert err.getvalue() == '' and len(shown) == 1
    assert '<a href="https://acme.domo.com/oauth2/device?user_code=WXYZ-1234" target="_blank">' in shown[0]


def test_a_jupyter_kernel_is_recognised_and_a_terminal_ipython_is_not(monkeypatch):
    "ipykernel's shell has IPKernelApp in its config (and is a ZMQInteractiveShell); plain IPython in a terminal has neither"
    import sys, types
    from domo_routes.browser_sign_in import _in_notebook

    class ZMQInteractiveShell:
        config = {'IPKernelApp': {}, 'ScriptMagics': {}}

    class TerminalInteractiveShell:
        config = {'TerminalIPythonApp': {}}
    for shell, expected in ((ZMQInteractiveShell(), True), (TerminalInteractiveShell(), False), (None, False)):
        monkeypatch.setitem(sys.modules, 'IPython', types.SimpleNamespace(get_ipython=lambda shell=shell: shell))
        assert _in_notebook() is expected
