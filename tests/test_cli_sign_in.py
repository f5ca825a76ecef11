"""`domo-routes login --web` and what follows it, as a user runs them: the link on one line, the approval, then
`whoami`, `token`, `api` and `status` with only the instance set, `logout`; Ctrl-C; Domo's CLI's logins; the keyring;
sixteen processes and one mint; rotation across processes; no secret in any output (nbs/16_cli_session.ipynb)."""
import os, re, signal, subprocess, sys, tempfile, textwrap, threading, time
from pathlib import Path

import httpx
import pytest

from conftest import DOMO_ROUTES, clean_env, one_error_line
from domo_routes import SignIns, SecretStore
from domo_routes.fake import FakeDomo
from support_cli import sh, stop_in_background
from support_sign_in import issued_secrets, new_refresh_token, write_ryuu_login

TESTS = os.path.dirname(__file__)
URL_LINE = re.compile(r'To sign in to acme\.domo\.com, open (http://127\.0\.0\.1:\d+/oauth2/device\?user_code=([A-Z0-9-]+)) '
                      r'and approve the code \2\n')


@pytest.fixture
def site(tmp_path):
    "A served FakeDomo, a HOME, and the environment that points the command at both, with only the instance set"
    fake = FakeDomo()
    server = fake.serve()
    home = tmp_path / 'home'
    home.mkdir()
    env = {**server.env(), 'DOMO_INSTANCE': 'acme'}
    try: yield fake, str(home), env
    finally: stop_in_background(server)


def cli_env(home: str, env: dict, **extra) -> dict:
    "The whole environment of a `domo-routes` subprocess, as `run_cli` builds it"
    return clean_env(**{'HOME': home, 'XDG_CONFIG_HOME': os.path.join(home, '.config'), 'DOMO_TOKEN_CACHE': 'none',
                        'XDG_CACHE_HOME': os.path.join(home, '.cache'), 'DOMO_ROUTES_KEYRING': '0', **env, **extra})


def start_login(home: str, env: dict, *flags, **extra) -> subprocess.Popen:
    return subprocess.Popen([DOMO_ROUTES, 'login', '--web', '--no-browser', *flags], env=cli_env(home, env, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tempfile.mkdtemp())


def the_link(proc: subprocess.Popen) -> tuple:
    "(the stderr lines up to the link, the link): read as the user would, while the command waits"
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if URL_LINE.fullmatch(line): return lines, URL_LINE.fullmatch(line).group(1)
    raise AssertionError(f'no link: {lines}')


def signed_in(fake, home: str, env: dict, *flags, **extra) -> tuple:
    "Run `login --web`, open its link (approving, as the user would in the browser): (code, stdout, stderr)"
    proc = start_login(home, env, *flags, **extra)
    lines, url = the_link(proc)
    assert httpx.get(url).status_code == 200
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, ''.join(lines) + err


def test_the_whole_sign_in_then_every_command_with_only_the_instance_set(site):
    fake, home, env = site
    fake.sign_in.interval = 1
    code, out, err = signed_in(fake, home, env)
    folder, shown = os.path.join(home, '.config', 'domo_routes', 'secrets'), '~/.config/domo_routes/secrets'
    assert code == 0, err
    assert out == f'Signed in to acme.domo.com as ada@acme.test, method sign-in (browser sign-in)\n  kept in {shown} (readable by you only)\n'
    assert err.startswith('domo-routes: waiting for the approval in the browser (Ctrl-C cancels)\nTo sign in to acme.domo.com, open ')
    outputs = [(code, out, err)]
    code, out, err = sh('whoami', env=env, home=home)
    outputs.append((code, out, err))
    assert code == 0 and out.splitlines()[0] == 'Ada Lovelace' and f'  kept in:       {shown} (readable by you only)' in out
    assert '  method:        sign-in (browser sign-in)' in out
    code, sid, err = sh('token', env=env, home=home)
    assert code == 0 and sid.strip() in fake.sessions and 'sign-in (browser sign-in) token (the sign-in kept in' in err
    code, out, err = sh('api', '/api/content/v2/users/me', env=env, home=home)
    outputs.append((code, out, err))
    assert code == 0 and '"displayName": "Ada Lovelace"' in out
    code, out, err = sh('status', env=env, home=home)
    outputs.append((code, out, err))
    assert code == 0 and re.search(r'1 browser sign-in kept\n  acme\.domo\.com +ada@acme\.test +sign-in +kept in ', out), out
    code, out, err = sh('status', '--json', env=env, home=home)
    outputs.append((code, out, err))
    assert '"kind": "sign-in"' in out and '"user": "ada@acme.test"' in out
    code, out, err = sh('logout', env=env, home=home)
    outputs.append((code, out, err))
    assert code == 0 and out.startswith('Forgot the browser sign-in of ada@acme.test at acme.domo.com')
    assert SignIns(SecretStore(Path(folder), use_keyring=False), os.path.join(home, '.config', 'domo_routes')).entries() == []
    assert os.listdir(folder) == []
    code, out, err = sh('whoami', env=env, home=home)
    assert code == 2 and 'domo-routes login --web' in one_error_line(err)
    secrets = issued_secrets(fake)
    assert len(secrets) >= 3 and [s for s in secrets if any(s in o + e for _, o, e in outputs)] == []
    assert sid.strip() not in ''.join(o + e for _, o, e in outputs)  # the sid only where `token` was asked for it


def test_debug_output_of_the_sign_in_and_its_use_holds_no_token(site):
    fake, home, env = site
    fake.sign_in.interval = 1
    code, out, err = signed_in(fake, home, env, '--debug')
    assert code == 0 and 'device_authorization' in err and 'grant_type=device_code' in err
    code2, out2, err2 = sh('whoami', '--debug', env=env, home=home)
    assert code2 == 0 and '➡ who_am_i GET https://acme.domo.com/api/content/v2/users/me' in err2
    text = out + err + out2 + err2
    assert [s for s in issued_secrets(fake) if s in text] == [] and [s for s in fake.sessions if s in text] == []


def test_ctrl_c_while_waiting_exits_130_and_keeps_nothing(site):
    fake, home, env = site
    proc = start_login(home, env)
    lines, _ = the_link(proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and out == ''
    assert err.strip().splitlines()[-1] == 'domo-routes: the sign-in was cancelled: nothing was kept'
    fake.sign_in.approve()  # too late: nobody is polling
    secrets = Path(home, '.config', 'domo_routes', 'secrets')
    assert not secrets.exists() or list(secrets.iterdir()) == []
    assert sh('status', env=env, home=home)[1].count('sign-in') == 0


def test_a_denied_sign_in_is_one_error_line_and_exit_3(site):
    fake, home, env = site
    fake.sign_in.interval = 1
    proc = start_login(home, env)
    lines, url = the_link(proc)
    assert httpx.get(url + '&deny').status_code == 200
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3 and 'denied in the browser' in one_error_line(err) and 'login --web' in err


def test_login_web_needs_an_instance():
    code, out, err = sh('login', '--web', '--no-browser')
    assert code == 2 and 'which instance?' in one_error_line(err)


def test_fake_server_auto_approve_lets_the_readme_sign_in_run_alone(tmp_path):
    "The README's offline sign-in: `fake-server --auto-approve`, then `login --web --no-browser` needs no one"
    home = tmp_path / 'home'
    home.mkdir()
    server = subprocess.Popen([DOMO_ROUTES, 'fake-server', '--auto-approve'], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=cli_env(str(home), {}))
    try:
        first = server.stdout.readline()
        base = re.fullmatch(r'FakeDomo serving on (http://127\.0\.0\.1:\d+)\n', first).group(1)
        assert 'approved at once' in ''.join(server.stdout.readline() for _ in range(5))
        env = {'DOMO_ROUTES_BASE_URL': base, 'DOMO_INSTANCE': 'acme'}
        started = time.monotonic()
        code, out, err = sh('login', '--web', '--no-browser', env=env, home=str(home))
        assert code == 0 and out.startswith('Signed in to acme.domo.com as ada@acme.test'), err
        assert time.monotonic() - started < 30  # one poll, at the fake's interval
        assert sh('whoami', env=env, home=str(home))[0] == 0
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)


def test_fake_server_names_the_url_that_approves_a_sign_in(tmp_path):
    server = subprocess.Popen([DOMO_ROUTES, 'fake-server'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=cli_env(str(tmp_path), {}))
    try:
        lines = [server.stdout.readline() for _ in range(6)]
        assert any(re.search(r'curl "http://127\.0\.0\.1:\d+/oauth2/device\?user_code=CODE"', line) for line in lines), lines
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)


# -- Domo's CLI's logins

def test_a_domo_cli_login_is_used_said_so_and_left_alone_by_logout(site):
    fake, home, env = site
    path = write_ryuu_login(Path(home, '.config'), 'acme.domo.com', new_refresh_token(fake))
    before, shown = path.read_bytes(), '~/.config/configstore/ryuu/acme.domo.com.json'  # the home folder as ~
    code, out, err = sh('whoami', env=env, home=home)
    assert code == 0 and f"  kept in:       Domo's CLI's login ({shown}, read only)" in out, err
    code, out, err = sh('status', env=env, home=home)
    assert f"kept in Domo's CLI's login ({shown}, read only)" in out
    code, out, err = sh('logout', env=env, home=home)
    assert code == 0 and "Domo's CLI's own login for acme.domo.com is left as it is" in out
    assert path.read_bytes() == before and sh('whoami', env=env, home=home)[0] == 0
    assert [s for s in issued_secrets(fake) if s in out + err] == []


def test_a_domo_cli_login_with_a_developer_token_is_used_as_an_access_token(site):
    fake, home, env = site
    from domo_routes.fake import FAKE_ACCESS_TOKEN
    write_ryuu_login(Path(home, '.config'), 'acme.domo.com', FAKE_ACCESS_TOKEN, dev_token=True)
    code, out, err = sh('whoami', env=env, home=home)
    assert code == 0 and '  method:        token (access token)' in out and "Domo's CLI's login" in out, err
    assert FAKE_ACCESS_TOKEN not in out + err


# -- the keyring, as the OS would provide it

def test_with_a_keyring_the_sign_in_goes_there_and_status_says_so(site, tmp_path):
    fake, home, env = site
    fake.sign_in.interval = 1
    keyring_file = tmp_path / 'keyring.json'
    extra = dict(PYTHON_KEYRING_BACKEND='file_keyring.FileKeyring', PYTHONPATH=TESTS, TEST_KEYRING_FILE=str(keyring_file),
                 DOMO_ROUTES_KEYRING='1')
    pytest.importorskip('keyring')
    code, out, err = signed_in(fake, home, env, **extra)
    assert code == 0 and out.endswith('  kept in the OS keyring\n'), err
    [refresh] = [t for t in fake.sign_in.refresh_tokens]
    assert refresh in keyring_file.read_text()
    assert [p for p in Path(home).rglob('*') if p.is_file() and refresh.encode() in p.read_bytes()] == []
    code, out, err = sh('status', env={**env, **extra}, home=home)
    assert re.search(r'acme\.domo\.com +ada@acme\.test +sign-in +kept in the OS keyring', out), out + err


# -- many processes

WORKER = textwrap.dedent("""
    import os, sys, time
    from domo_routes import auth_from_env, run_sync
    auth = auth_from_env(None)  # only DOMO_INSTANCE: the kept sign-in; the cache DOMO_TOKEN_CACHE names
    open(sys.argv[2], 'w').close()
    while not os.path.exists(sys.argv[1]): time.sleep(0.002)
    print(run_sync(auth.who_am_i()).response['id'])
""")


def test_sixteen_processes_with_one_kept_sign_in_and_a_file_cache_mint_once(site, tmp_path):
    fake, home, env = site
    config = Path(home, '.config')
    SignIns(SecretStore(config / 'domo_routes' / 'secrets', use_keyring=False), config / 'domo_routes').save(
        'acme', new_refresh_token(fake))
    go, procs = tmp_path / 'go', []
    full = cli_env(home, env, DOMO_TOKEN_CACHE='file')
    for i in range(16):
        procs.append(subprocess.Popen([sys.executable, '-c', WORKER, str(go), str(tmp_path / f'ready{i}')], env=full,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 60
    while not all((tmp_path / f'ready{i}').exists() for i in range(16)) and time.monotonic() < deadline: time.sleep(0.01)
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert [o.strip() for o, _ in outs] == ['1893952720'] * 16, [e[-300:] for _, e in outs]
    assert (fake.sign_in.refreshes, fake.sign_in.mints) == (1, 1)


def test_a_refresh_token_rotated_in_one_process_is_the_one_the_next_process_uses(site):
    fake, home, env = site
    fake.sign_in.rotate_refresh_tokens = True
    fake.sign_in.interval = 1
    assert signed_in(fake, home, env)[0] == 0  # one refresh already: `login --web` checks who signed in
    for _ in range(3):
        code, out, err = sh('whoami', env=env, home=home)  # no token cache: each process refreshes
        assert code == 0, err
    assert (fake.sign_in.refreshes, len(fake.sign_in.refresh_tokens), len(fake.sign_in.retired)) == (4, 1, 4)
