"""`domo-routes login`, `logout` and `status`, and the tokens the command line keeps between runs: `whoami`, `token`
and `api` use a kept token instead of logging in; `login` always checks the credentials; a cache that cannot hold
tokens is an error; `--token-cache` wins over DOMO_TOKEN_CACHE; processes started together make one login; no
command ever prints a token."""
import json, os, pathlib, re, subprocess

import pytest

from conftest import DOMO_ROUTES, clean_env, one_error_line
from domo_routes import FileTokenCache
from domo_routes.fake import FAKE_PASSWORD
from support_cli import sh, served  # noqa: F401 (a fixture)

EXPIRY = r'\d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ h \d\d min left\)'


@pytest.fixture
def cache_dir(tmp_path) -> str:
    "A token cache directory of its own (by default the command line uses ~/.cache/domo_routes)"
    path = tmp_path / 'cache'
    path.mkdir(mode=0o700)
    return str(path)


@pytest.fixture
def env(served, cache_dir) -> dict:
    "Username and password for the served fake, tokens kept in `cache_dir`"
    return {**served.full_env, 'DOMO_TOKEN_CACHE': cache_dir}


def test_login_keeps_a_token_that_whoami_token_api_and_status_use_without_logging_in(served, env, cache_dir):
    fake = served.fake
    code, text, err = sh('login', env=env)
    assert (code, fake.logins) == (0, 1), err
    assert re.fullmatch(rf"Logged in to acme\.domo\.com as ada@acme\.test, method full \(username and password\); the token expires {EXPIRY}\n"
                        rf"  kept in FileTokenCache\('{re.escape(cache_dir)}'\)\n", text), text
    code, text, err = sh('whoami', env=env)
    assert (code, fake.logins, text.splitlines()[:2]) == (0, 1, ['Ada Lovelace', '  id:            1893952720']), err
    code, text, err = sh('token', env=env)
    assert (code, fake.logins, len(text.split())) == (0, 1, 1), err
    code, text, err = sh('api', '/api/content/v2/users/me', '--silent', env=env)
    assert (code, fake.logins, text) == (0, 1, ''), err
    code, text, err = sh('status', env=env)
    assert (code, fake.logins) == (0, 1), err
    lines = text.splitlines()
    assert lines[0] == f"1 cached token in FileTokenCache('{cache_dir}')", text
    assert re.fullmatch(rf'  acme\.domo\.com +ada@acme\.test +full +expires {EXPIRY}', lines[1]), text
    code, text, err = sh('login', env=env)  # `login` always logs in
    assert (code, fake.logins) == (0, 2), err
    code, text, err = sh('logout', env=env)
    assert (code, fake.logins, text) == (0, 2, 'Forgot the cached token of ada@acme.test at acme.domo.com\n'), err
    code, text, err = sh('whoami', env=env)  # after logout: a login again
    assert (code, fake.logins) == (0, 3), err


def test_login_with_a_wrong_password_exits_3_and_the_kept_token_stays(served, env, cache_dir):
    assert sh('whoami', env=env)[0] == 0  # a token kept
    code, text, err = sh('login', env={**env, 'DOMO_PASSWORD': 'not-the-password'})
    assert (code, text) == (3, '')
    assert 'not-the-password' not in err
    entries = FileTokenCache(cache_dir).entries()
    assert len([e for e in entries if not e.identity.get('failure')]) == 1  # the token kept before is still there
    assert len([e for e in entries if e.identity.get('failure')]) == 1  # and the failure, for the next processes


@pytest.mark.parametrize('command', ['login', 'logout', 'status'])
def test_a_cache_writable_by_others_is_an_error_not_a_silent_no_op(served, env, tmp_path, command):
    loose = tmp_path / 'loose'
    loose.mkdir()
    os.chmod(loose, 0o777)
    code, text, err = sh(command, env={**env, 'DOMO_TOKEN_CACHE': str(loose)})
    assert code == 2
    assert 'writable by others' in one_error_line(err), err


def test_a_redis_cache_that_cannot_be_reached_is_a_network_error_without_its_password(served, env):
    code, text, err = sh('status', env={**env, 'DOMO_TOKEN_CACHE': 'redis://:CANARY-redis-pw@127.0.0.1:9/0'})
    assert code == 5
    assert 'CANARY-redis-pw' not in err and 'cannot be used' in one_error_line(err), err


def test_status_login_whoami_and_logout_never_print_a_token_or_password(served, env):
    assert sh('whoami', env=env)[0] == 0  # a token kept
    token = list(served.fake.sessions)[-1]
    outputs = [sh(*argv, env=env) for argv in (['status'], ['status', '--json'], ['login'], ['whoami'], ['logout', '--all'])]
    sessions = list(served.fake.sessions)
    assert token in sessions and len(sessions) == 2
    assert all(s not in o and FAKE_PASSWORD not in o for r in outputs for o in r[1:] for s in sessions), outputs
    assert json.loads(outputs[1][1])[0]['user'] == 'ada@acme.test'
    assert 'Forgot 1 cached token in' in outputs[-1][1]
    assert '0 cached tokens' in sh('status', env=env)[1]


def test_token_cache_flag_wins_over_the_environment_and_none_keeps_nothing(served, env):
    before = served.fake.logins
    for _ in range(2): assert sh('whoami', '--token-cache', 'none', env=env)[0] == 0
    assert served.fake.logins == before + 2
    code, text, err = sh('login', '--token-cache', 'none', env=env)
    assert code == 0 and 'not kept' in err, err  # and login says so


def test_logout_needs_no_password(served, env):
    assert sh('login', env=env)[0] == 0
    no_password = {k: v for k, v in env.items() if k != 'DOMO_PASSWORD'}
    code, text, err = sh('logout', env=no_password)
    assert (code, text.strip()) == (0, 'Forgot the cached token of ada@acme.test at acme.domo.com'), err
    assert sh('status', env=env)[1].splitlines()[0].split(' in ')[0] == '0 cached tokens'


def test_the_default_cache_is_a_private_file_cache_and_16_processes_started_together_log_in_once(served, tmp_path):
    home, cwd = tmp_path / 'home', tmp_path / 'cwd'
    home.mkdir(); cwd.mkdir()
    default_env = clean_env(HOME=str(home), XDG_CACHE_HOME=str(home), **served.full_env)  # no DOMO_TOKEN_CACHE: the default
    before = served.fake.logins
    procs = [subprocess.Popen([DOMO_ROUTES, 'whoami'], env=default_env, cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(16)]
    results = [(p.wait(120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs: p.stdout.close(); p.stderr.close()
    assert all(r[0] == 0 for r in results), results
    assert served.fake.logins - before == 1
    [entry] = list(pathlib.Path(home, 'domo_routes').glob('*.json'))
    assert (oct(entry.stat().st_mode & 0o777), oct(entry.parent.stat().st_mode & 0o777)) == ('0o600', '0o700')
