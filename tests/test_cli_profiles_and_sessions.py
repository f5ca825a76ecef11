"""The command line with profiles and a memory of who you are (nbs/15_cli_settings, nbs/16_cli_session): `login
--profile` makes a profile, `profiles`, `switch`, `describe`; after `login`, an identity without its password uses
the kept session; a password that is given is checked, and a wrong one is tried once however often the command runs;
`login` asks on a terminal, never echoing; an implicit .env cannot send tokens elsewhere; `api --no-mask`."""
import json, os, pty, re, select, subprocess, tempfile, time
from pathlib import Path

import pytest

from conftest import DOMO_ROUTES, clean_env, one_error_line
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD, FakeDomo
from support_cli import sh, stop_in_background

WRONG = 'canary-wrong-password-0123456789'


class CountingDomo(FakeDomo):
    "FakeDomo that keeps the password of every login request"
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.passwords = []

    def respond(self, request):
        if request.url.path.endswith('/authentication'): self.passwords.append(json.loads(request.content or b'{}').get('password'))
        return super().respond(request)


@pytest.fixture
def site(tmp_path):
    "A served fake, a HOME of its own with its file token cache, and the environment pointing the command at the fake"
    fake = CountingDomo()
    server = fake.serve()
    home = tmp_path / 'home'
    home.mkdir()
    try: yield fake, str(home), {**server.env(), 'DOMO_TOKEN_CACHE': 'file'}
    finally: stop_in_background(server)


def config(home) -> Path: return Path(home, '.config', 'domo_routes', 'config.toml')


def logged_in_profile(fake, home, env):
    code, out, err = sh('login', '--profile', 'prod', '-i', 'acme', '-u', 'ada@acme.test',
                        env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD}, home=home)
    assert code == 0, err
    return out


def test_login_makes_a_profile_that_profiles_lists_and_whoami_then_needs_no_password(site):
    fake, home, env = site
    assert sh('profiles', env=env, home=home)[1].startswith('No profiles in ~/.config/domo_routes/config.toml')
    out = logged_in_profile(fake, home, env)
    assert 'profile prod created in ~/.config/domo_routes/config.toml' in out
    text = config(home).read_text()
    assert 'instance = "acme"' in text and 'username = "ada@acme.test"' in text and FAKE_PASSWORD not in text
    assert re.search(r'^\* prod +acme +ada@acme\.test', sh('profiles', env=env, home=home)[1], re.M)
    code, out, err = sh('whoami', env=env, home=home)  # no password, no instance: the default profile, its session
    assert code == 0 and out.startswith('Ada Lovelace') and fake.logins == 1, err
    assert 'credentials from the session kept by `domo-routes login` (no DOMO_PASSWORD given)' in err


def test_a_wrong_password_given_is_checked_not_vouched_for_by_the_session_and_tried_once_in_three_runs(site):
    fake, home, env = site
    logged_in_profile(fake, home, env)
    outs = [sh('whoami', env={**env, 'DOMO_PASSWORD': WRONG}, home=home) for _ in range(3)]
    assert [code for code, _, _ in outs] == [3, 3, 3]
    assert fake.passwords.count(WRONG) == 1  # the closing note's figure: 3 CLI runs, 1 attempt
    assert 'not tried again with these credentials before' in one_error_line(outs[2][2])
    assert not [o + e for _, o, e in outs if WRONG in o + e]
    code, out, err = sh('whoami', env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD}, home=home)
    assert code == 0 and fake.passwords.count(FAKE_PASSWORD) == 1  # the right one: the kept session serves it


def test_without_a_password_and_without_a_live_session_one_line_says_how_to_sign_in_again(site):
    fake, home, env = site
    logged_in_profile(fake, home, env)
    assert sh('logout', env=env, home=home)[0] == 0
    code, out, err = sh('whoami', env=env, home=home)
    line = one_error_line(err)
    assert code == 3 and 'no live session of ada@acme.test is kept, and DOMO_PASSWORD is not set' in line
    assert 'domo-routes login' in line and fake.logins == 1


def test_login_without_a_password_and_without_a_terminal_says_so(site):
    fake, home, env = site
    code, out, err = sh('login', '-i', 'acme', '-u', 'ada@acme.test', env=env, home=home, input='')
    assert code == 2 and 'DOMO_PASSWORD is missing, and there is no terminal to ask for it' in one_error_line(err)


def run_in_a_terminal(argv, env, answer: str, prompt: str, timeout: float = 30) -> tuple:
    "(exit code, all the terminal showed): `argv` on a pseudo-terminal, `answer` typed when `prompt` appears"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    shown, typed, deadline = b'', False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try: chunk = os.read(fd, 4096)
            except OSError: break
            if not chunk: break
            shown += chunk
        if not typed and prompt.encode() in shown:
            os.write(fd, answer.encode() + b'\n')
            typed = True
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors='replace')


def test_login_on_a_terminal_asks_for_the_password_without_echo_and_keep_secret_keeps_it(site):
    fake, home, env = site
    full = clean_env(HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'), XDG_CACHE_HOME=os.path.join(home, '.cache'),
                     DOMO_ROUTES_KEYRING='0', **env)
    argv = [DOMO_ROUTES, 'login', '--profile', 'prod', '-i', 'acme', '-u', 'ada@acme.test', '--keep-secret']
    code, shown = run_in_a_terminal(argv, full, FAKE_PASSWORD, 'password for ada@acme.test at acme.domo.com: ')
    assert code == 0 and 'Logged in to acme.domo.com as ada@acme.test' in shown, shown
    assert FAKE_PASSWORD not in shown  # not echoed
    assert 'its DOMO_PASSWORD kept in ~/.config/domo_routes/secrets (readable by you only)' in shown
    assert FAKE_PASSWORD not in config(home).read_text()
    assert sh('logout', '--all', env=env, home=home)[0] == 0  # the session gone: the kept password logs in again
    code, out, err = sh('whoami', env=env, home=home)
    assert code == 0 and fake.logins == 2 and 'password from ~/.config/domo_routes/secrets' in err, err
    code, out, err = sh('logout', env=env, home=home)  # the profile's logout forgets the kept password too
    assert code == 0 and 'Forgot the DOMO_PASSWORD kept for profile prod' in out, out
    assert list(Path(home, '.config', 'domo_routes', 'secrets').iterdir()) == []


def test_describe_names_each_source_masks_secrets_and_reports_what_it_ignored(site):
    fake, home, env = site
    logged_in_profile(fake, home, env)
    code, out, err = sh('describe', '--profile', 'prod', env={**env, 'DOMO_INSTANCE': 'globex',
                                                              'DOMO_PASSWORD': FAKE_PASSWORD}, home=home)
    assert code == 0 and 'profile: prod' in out and FAKE_PASSWORD not in out + err
    assert re.search(r'DOMO_INSTANCE +acme +from profile prod', out) and re.search(r'DOMO_PASSWORD +\S+ +from the environment', out)
    assert re.search(r'DOMO_INSTANCE +ignored: the profile prod is used as a whole', out)
    assert 'method: full (username and password)' in out
    doc = json.loads(sh('describe', '--json', env=env, home=home)[1])
    assert doc['profile'] == 'prod' and doc['settings']['DOMO_USERNAME'] == {'value': 'ada@acme.test', 'source': 'profile prod',
                                                                             'secret': False}


def test_switch_sets_the_default_and_refuses_a_profile_there_is_not(site):
    fake, home, env = site
    logged_in_profile(fake, home, env)
    code, out, err = sh('login', '--profile', 'robot', '--method', 'token', '-i', 'acme', env={**env,
                        'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}, home=home)
    code, out, err = sh('switch', 'nope', env=env, home=home)
    assert code == 2 and "no profile named 'nope'" in one_error_line(err)
    assert sh('switch', 'prod', env=env, home=home)[1].startswith('The default profile is now prod')


def test_an_implicit_env_file_cannot_send_the_session_to_someone_elses_redis(site, redis_server, tmp_path):
    "A cloned repository's .env names a Redis: not used (describe says why); named with --env-file, it is"
    import redis
    fake, home, env = site
    project = tmp_path / 'project'
    (project / 'sub').mkdir(parents=True)
    (project / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_USERNAME=ada@acme.test\nDOMO_PASSWORD={FAKE_PASSWORD}\n'
                                  f'DOMO_TOKEN_CACHE={redis_server.url}\n')
    env = {**env, 'DOMO_TOKEN_CACHE': ''}  # unset: only the .env names a cache
    code, out, err = sh('whoami', env=env, home=home, cwd=str(project / 'sub'))  # the nearest .env: the parent's
    assert code == 0 and redis.Redis.from_url(redis_server.url).keys('*') == [], err
    assert 'an implicit .env may not send secrets elsewhere' in sh('describe', env=env, home=home, cwd=str(project / 'sub'))[1]
    code, out, err = sh('whoami', '--env-file', str(project / '.env'), env=env, home=home)
    assert code == 0 and redis.Redis.from_url(redis_server.url).keys('*') != []


def test_an_unknown_token_cache_is_an_error_and_makes_no_folder(site, tmp_path):
    fake, home, env = site
    cwd = tmp_path / 'cwd'
    cwd.mkdir()
    code, out, err = sh('whoami', env={**env, 'DOMO_TOKEN_CACHE': 'bogus', 'DOMO_INSTANCE': 'acme',
                                       'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}, home=home, cwd=str(cwd))
    assert code == 2 and 'absolute folder' in one_error_line(err) and list(cwd.iterdir()) == []


def test_api_no_mask_prints_a_created_access_token_as_the_server_sent_it(site):
    fake, home, env = site
    env = {**env, 'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}
    fields = ['/api/data/v1/accesstokens', '-f', 'name=ci', '-F', 'ownerId=1893952720', '-F', 'expires=0']
    masked = json.loads(sh('api', *fields, env=env, home=home)[1])
    code, out, err = sh('api', *fields, '--no-mask', env=env, home=home)
    shown = json.loads(out)
    assert code == 0 and shown['token'] != masked['token'] and shown['token'] in fake.access_tokens
    assert '…' in masked['token']


def test_status_counts_tokens_and_remembered_failures_apart_and_logout_all_says_both(site):
    fake, home, env = site
    logged_in_profile(fake, home, env)
    sh('whoami', env={**env, 'DOMO_PASSWORD': WRONG}, home=home)
    out = sh('status', env=env, home=home)[1]
    assert out.startswith('1 cached token in ') and '\n1 credential failure remembered\n' in out, out
    assert len(json.loads(sh('status', '--json', env=env, home=home)[1])) == 1
    out = sh('logout', '--all', env=env, home=home)[1]
    assert out.startswith('Forgot 1 cached token and 1 remembered credential failure in '), out


def test_logout_of_an_access_token_says_there_is_nothing_kept(site):
    fake, home, env = site
    code, out, err = sh('logout', env={**env, 'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}, home=home)
    assert code == 0 and out.startswith('An access token is not kept by domo-routes'), out + err
