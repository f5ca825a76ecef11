"""Attacks on the credentials where users keep them (issue 21): config.toml and its profiles, the secret commands, the
credential chain and the .env files it finds, DOMO_TOKEN_CACHE values, the scrypt verifier beside a cached token, the
credential failures remembered per identity and exact credentials, and the command line's new commands and
session-only mode. Each test demands a promise of the library: every failure a `DomoError` (one line in the command,
no traceback), no secret in any repr, output or file outside the stores meant for them, a cached token that never
vouches for a wrong password, a wrong password tried at most once per window per identity and credentials across
objects and processes, nothing that hangs, nothing a config file, an .env or a server sends reaching a terminal raw.
The servers are the offline fakes, in process or on loopback (support_attacks_credentials keeps who tried which
password); the passwords are canaries.

The families:
- config.toml: huge, binary, a link to /dev/zero, a folder, a FIFO, nested 100,000 deep, writable by others.
- Profile names and values: dots, spaces, line breaks and escape sequences in names, a default that is gone, escape
  sequences in values, a profile named like an instance.
- Secret commands: a relative path, a line then an endless stream, a child that keeps stdout open, the secret on
  stderr, surrounding spaces and a CR.
- The chain and its .env files: an .env others can write, a folder or variable name with escape sequences, an .env
  of 128 MiB, DOMO_PROFILE missing or set by an implicit .env, flags or the environment naming another user than the
  default profile's.
- DOMO_TOKEN_CACHE values: /dev/null, a file, ~user, the home folder, a path with escape sequences.
- Secrets in reprs, output and files: a resolution's repr, a Redis password in describe, profiles and config.toml.
- The verifier: an entry written without one, one at the largest cost accepted.
- Failure memory: two wrong passwords taking turns, processes failing at the same moment, a clock hours ahead, a
  crafted record in Redis, new credentials, logout and invalidate, a Redis that never answers.
- The command: two logins writing config.toml at once, Ctrl-D at the prompt, keyrings that refuse or hang on writing,
  identities without their secret, `api --no-mask` on a terminal.
"""
import json, os, subprocess, sys, time, tracemalloc
from pathlib import Path

import pytest

pytest.importorskip('keyring')

from conftest import DOMO_ROUTES, RedisServer, clean_env, need_redis, one_error_line  # noqa: E402
from domo_routes import (DomoError, DomoFullAuth, FileTokenCache, InvalidCredentialsError,  # noqa: E402
                         InvalidInputError, Profiles, RedisTokenCache, SecretStore,
                         resolve_credentials)
import domo_routes.credentials as credentials  # noqa: E402
from domo_routes.credentials import keep_profile_secret, run_secret_command  # noqa: E402
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_PASSWORD  # noqa: E402
from domo_routes.lifecycle.flow import FAILURES  # noqa: E402
from support_attacks_credentials import (CANARY, CANARY_REDIS, CLEAR, HOSTILE, OTHER_WRONG, TITLE, WRONG,  # noqa: E402
                                         BlackHole, CountingDomo, keyring_env, raw_controls, run_in_a_terminal,
                                         slow_config_writes, write_config)
from support_cli import sh, stop_in_background  # noqa: E402

ADA = 'ada@acme.test'


def xdg() -> Path: return Path(os.environ['XDG_CONFIG_HOME'])


def home_config(home) -> Path: return Path(home, '.config', 'domo_routes', 'config.toml')


def profile_of_ada(command: str = f'["printf", "{CANARY}"]', default: bool = True, **values) -> str:
    "A config.toml with the profile prod (acme, ada, its password from `command`), the default unless told"
    extra = ''.join(f'{k} = {json.dumps(v)}\n' for k, v in values.items())
    return (('default = "prod"\n' if default else '') + f'[profiles.prod]\ninstance = "acme"\nusername = "{ADA}"\n'
            f'password_command = {command}\n{extra}')


@pytest.fixture
def site(tmp_path):
    "A CountingDomo on loopback, a HOME of its own with its file token cache, and the environment that points at it"
    fake = CountingDomo()
    server = fake.serve()
    home = tmp_path / 'home'
    home.mkdir()
    try: yield fake, str(home), {**server.env(), 'DOMO_TOKEN_CACHE': 'file'}
    finally: stop_in_background(server)


async def who(auth, fake):
    async with fake.client() as session: return await auth.who_am_i(session)


# The config file: config.toml that is huge, binary, endless, nested, not files at all, or others'

@pytest.mark.parametrize('kind', ['huge', 'binary', 'dev-zero', 'folder'])
def test_a_config_file_that_is_huge_binary_a_link_to_dev_zero_or_a_folder_is_one_error_line(kind, home):
    path = home_config(home)
    path.parent.mkdir(parents=True)
    if kind == 'huge': path.write_text('# a comment\n' * 200_000)
    elif kind == 'binary': path.write_bytes(b'\xff\xfe\x00\x9b' * 1000)
    elif kind == 'dev-zero': path.symlink_to('/dev/zero')
    else: path.mkdir()
    code, out, err = sh('profiles', home=str(home), timeout=20)
    assert code == 2 and 'config.toml' in one_error_line(err)


def test_a_config_file_that_is_a_fifo_is_one_error_line_not_a_hang(home):
    "A FIFO (or a socket) in place of config.toml: opened without O_NONBLOCK, the read waits for a writer for ever"
    path = home_config(home)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    try: code, out, err = sh('profiles', home=str(home), timeout=8)
    except subprocess.TimeoutExpired: pytest.fail('`domo-routes profiles` waited for ever on a FIFO for config.toml')
    assert code == 2 and 'config.toml' in one_error_line(err)


def test_a_config_file_nested_100000_deep_is_one_error_not_a_recursion_error(home):
    "200 KB of nested arrays (under the 1 MiB cap): tomllib recurses, and its RecursionError is no DomoError"
    write_config(xdg(), 'x = ' + '[' * 100_000 + ']' * 100_000 + '\n')
    with pytest.raises(InvalidInputError, match='config.toml'): Profiles()
    write_config(Path(home, '.config'), 'x = ' + '[' * 100_000 + ']' * 100_000 + '\n')
    code, out, err = sh('profiles', home=str(home))
    assert code == 2 and 'config.toml' in one_error_line(err)


@pytest.mark.parametrize('spoil', ['writable-by-others', 'another-users'])
def test_a_config_file_that_others_can_write_never_runs_its_commands(spoil, tmp_path):
    "config.toml names commands that run as this user: one that someone else can change is not trusted (as ssh does)"
    marker = tmp_path / 'ran'
    path = write_config(xdg(), profile_of_ada(f'["sh", "-c", "touch {marker}; echo {CANARY}"]'))
    if spoil == 'writable-by-others': path.chmod(0o666)
    else:
        if os.geteuid() != 0: pytest.skip('giving the file to another user needs root')
        os.chown(path, 65534, 65534)
    try: resolve_credentials(env_file=None, environ={})
    except DomoError: pass
    assert not marker.exists(), f'the password_command of a config.toml {spoil} ran'


# Profile names and values: dots, spaces, line breaks, escape sequences, a default that is gone

def test_a_profile_name_with_dots_reads_back_as_the_same_profile_after_a_write():
    "Names may hold dots; written back unquoted, [profiles.prod.eu] is profile prod with an unknown key eu"
    write_config(xdg(), '[profiles."prod.eu"]\ninstance = "acme"\n')
    found = Profiles()
    found.default = 'prod.eu'
    found.write()
    again = Profiles()
    assert (sorted(again.profiles), again.default) == (['prod.eu'], 'prod.eu')
    assert again.get('prod.eu').values == {'instance': 'acme'}


@pytest.mark.parametrize('name', ['my prod', 'a]\ndefault = "x"\n[profiles.b', '../x', f'ev{CLEAR}il'],
                         ids=['space', 'toml-injection', 'dot-dot', 'escape-sequence'])
def test_login_profile_refuses_a_name_that_is_not_a_profile_name_and_config_toml_stays_readable(site, name):
    "Unchecked, the name is written into a table header: every later command fails on config.toml, or TOML is injected"
    fake, home, env = site
    code, out, err = sh('login', '--profile', name, '-i', 'acme', '-u', ADA, home=home,
                        env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD})
    assert code == 2 and 'profile name' in one_error_line(err) and raw_controls(out) == []
    code, out, err = sh('profiles', env=env, home=home)
    assert code == 0 and raw_controls(out) == [], err


def test_a_default_naming_a_profile_that_is_gone_is_one_error_line_naming_it(site):
    fake, home, env = site
    write_config(Path(home, '.config'), 'default = "gone"\n[profiles.prod]\ninstance = "acme"\n')
    code, out, err = sh('whoami', '-i', 'acme', env=env, home=home)
    assert code == 2 and "no profile named 'gone'" in one_error_line(err) and fake.logins == 0


def test_escape_sequences_in_profile_values_are_shown_escaped_by_profiles_and_describe(site):
    fake, home, env = site
    write_config(Path(home, '.config'), f'default = "prod"\n[profiles.prod]\ninstance = "acme"\n'
                                        f'username = {json.dumps(HOSTILE)}\nscope = {json.dumps(HOSTILE)}\n')
    for argv in (['profiles'], ['profiles', '--json'], ['describe'], ['describe', '--json']):
        code, out, err = sh(*argv, env=env, home=home)
        assert code == 0 and raw_controls(out + err) == [], (argv, out, err)


def test_a_default_profile_with_a_hostile_instance_is_shown_escaped_when_describe_says_why_it_was_ignored(site):
    "Profile.instance falls back to the raw value when it is not a valid instance; the reason quotes it unescaped"
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada())
    path = home_config(home)
    path.write_text(path.read_text().replace('instance = "acme"', f'instance = {json.dumps("acme" + TITLE + CLEAR)}'))
    code, out, err = sh('describe', env={**env, 'DOMO_INSTANCE': 'globex'}, home=home)
    assert code == 0 and 'ignored' in out
    assert raw_controls(out + err) == [], out


def test_a_profile_named_like_an_instance_names_a_profile_never_the_instance(site):
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada(f'["printf", "{FAKE_PASSWORD}"]'))
    code, out, err = sh('whoami', '--profile', 'acme', env=env, home=home)
    assert code == 2 and "no profile named 'acme'" in one_error_line(err) and fake.attempts == []


# Secret commands: a relative path, endless output, a child holding stdout, stderr, spaces

def test_a_secret_command_with_a_relative_path_never_runs_a_program_of_the_working_folder(tmp_path, monkeypatch):
    "password_command = \"bin/domo-password\": run from a cloned repository, its bin/domo-password would run as you"
    repo = tmp_path / 'cloned-repo'
    (repo / 'bin').mkdir(parents=True)
    marker = tmp_path / 'ran'
    script = repo / 'bin' / 'domo-password'
    script.write_text(f'#!/bin/sh\ntouch {marker}\necho a-password-of-the-repository\n')
    script.chmod(0o755)
    write_config(xdg(), profile_of_ada('"bin/domo-password"'))
    monkeypatch.chdir(repo)
    with pytest.raises(DomoError): resolve_credentials(env_file=None, environ={})
    assert not marker.exists(), 'a relative password_command ran the working folder\'s program'


STREAM = ('import sys, time\nsys.stdout.write(sys.argv[1] + "\\n"); sys.stdout.flush()\n'
          'while True:\n    sys.stdout.buffer.write(b"x" * 65536); sys.stdout.flush(); time.sleep(0.005)\n')


def test_a_secret_command_that_prints_its_line_then_streams_without_end_is_read_no_further(monkeypatch):
    "Everything it prints is kept in memory until it exits or times out (a 1 GB stream: 1 GB), then cut to 64 KiB"
    monkeypatch.setattr(credentials, 'SECRET_COMMAND_TIMEOUT', 8.0)
    tracemalloc.start()
    started = time.monotonic()
    try: secret = run_secret_command([sys.executable, '-c', STREAM, CANARY], 'password_command of profile prod')
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert secret == CANARY and time.monotonic() - started < 4, time.monotonic() - started
    assert peak < 4 * 2**20, f'{peak / 2**20:.0f} MiB held for a secret of one line'


def test_a_secret_command_whose_child_keeps_stdout_open_gives_its_secret_at_once(monkeypatch):
    "The command printed its line and exited; a daemon it started (an agent) holds stdout: no wait for that child"
    monkeypatch.setattr(credentials, 'SECRET_COMMAND_TIMEOUT', 5.0)
    started = time.monotonic()
    assert run_secret_command(['sh', '-c', f'sleep 8 & echo {CANARY}'], 'password_command of profile prod') == CANARY
    assert time.monotonic() - started < 2


def test_a_secret_command_whose_stderr_holds_the_secret_shows_it_nowhere_even_with_debug(site):
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada(f'["sh", "-c", "echo {CANARY} >&2; echo {CANARY}; exit 1"]'))
    for debug in ([], ['--debug']):
        code, out, err = sh('whoami', *debug, env=env, home=home)
        assert code == 2 and 'password_command of profile prod failed' in err and CANARY not in out + err
    assert fake.attempts == []


def test_a_secret_with_surrounding_spaces_is_used_as_given_and_only_its_line_end_is_removed(tmp_path):
    "Passwords are sent as given: spaces kept, from a command (its CR LF removed), the keyring's files, the environment"
    padded = f'  {CANARY} '
    assert run_secret_command(['printf', padded + '\\r\\n'], 'password_command of profile prod') == padded
    write_config(xdg(), f'[profiles.prod]\ninstance = "acme"\nusername = "{ADA}"\n')
    store = SecretStore(tmp_path / 'secrets', use_keyring=False)
    keep_profile_secret('prod', 'DOMO_PASSWORD', padded, store=store)
    assert resolve_credentials(profile='prod', env_file=None, environ={}, store=store).env()['DOMO_PASSWORD'] == padded
    env = {'DOMO_PASSWORD': padded}
    assert resolve_credentials(profile='prod', env_file=None, environ=env).env()['DOMO_PASSWORD'] == padded


# The chain and its .env files: others' files, hostile names, huge files, DOMO_PROFILE, another user

@pytest.mark.parametrize('spoil', ['writable-by-others', 'another-users'])
def test_an_implicit_env_file_that_others_can_write_is_not_read(spoil, tmp_path, monkeypatch):
    "The nearest .env may be in a parent folder anyone shares (/tmp/.env): another user's file chooses who you are"
    shared = tmp_path / 'shared'
    work = shared / 'me' / 'project'
    work.mkdir(parents=True)
    env_file = shared / '.env'
    env_file.write_text(f'DOMO_INSTANCE=evil\nDOMO_USERNAME=mallory@evil.test\nDOMO_PASSWORD={CANARY}\n')
    if spoil == 'writable-by-others': env_file.chmod(0o666)
    else:
        if os.geteuid() != 0: pytest.skip('giving the file to another user needs root')
        os.chown(env_file, 65534, 65534)
    monkeypatch.chdir(work)
    r = resolve_credentials(environ={})
    assert not {'DOMO_INSTANCE', 'DOMO_USERNAME', 'DOMO_PASSWORD'} & set(r.env()), r.describe()


def test_describe_shows_the_folder_of_an_env_file_with_escape_sequences_escaped(home, tmp_path):
    "A cloned repository's folder names reach `from .env (…)` and `ignored: … (.env (…))` raw"
    project = tmp_path / f'repo{TITLE}{CLEAR}'
    project.mkdir()
    (project / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_ACCESS_TOKEN={FAKE_ACCESS_TOKEN}\n'
                                  'DOMO_TOKEN_CACHE=redis://collector.example:6379/0\n')
    code, out, err = sh('describe', home=str(home), cwd=str(project), env={'DOMO_TOKEN_CACHE': ''})
    assert code == 0 and 'from .env' in out and raw_controls(out + err) == [], out


def test_describe_shows_a_hostile_variable_name_of_an_env_file_escaped(home, tmp_path):
    "Any DOMO_* name of an .env is listed, and the name is printed as it is"
    (tmp_path / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_X{CLEAR}{TITLE}=1\n')
    code, out, err = sh('describe', home=str(home), cwd=str(tmp_path))
    assert code == 0 and 'DOMO_X' in out and raw_controls(out + err) == [], out


def test_describe_json_and_the_whoami_source_line_escape_hostile_folders_and_names(site, tmp_path):
    fake, home, env = site
    project = tmp_path / f'repo{TITLE}{CLEAR}'
    project.mkdir()
    (project / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_ACCESS_TOKEN={FAKE_ACCESS_TOKEN}\nDOMO_X{CLEAR}=1\n')
    code, out, err = sh('describe', '--json', env=env, home=home, cwd=str(project))
    assert code == 0 and json.loads(out)['method'] == 'token' and raw_controls(out + err) == []
    code, out, err = sh('whoami', env=env, home=home, cwd=str(project))
    assert code == 0 and 'credentials from .env' in err and raw_controls(out + err) == [], err


def test_an_implicit_env_file_of_128_mib_is_not_read_whole(tmp_path, monkeypatch):
    "A sparse .env of a cloned repository (or a runaway log renamed): config.toml and cache entries are capped at 1 MiB"
    with open(tmp_path / '.env', 'wb') as f: f.truncate(128 * 2**20)
    monkeypatch.chdir(tmp_path)
    tracemalloc.start()
    try: resolve_credentials(environ={})
    except DomoError: pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 16 * 2**20, f'{peak / 2**20:.0f} MiB read for an .env'


def test_domo_profile_naming_a_missing_or_hostile_profile_is_one_escaped_error_line(site):
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada())
    for name in ('nope', f'nope{TITLE}{CLEAR}'):
        code, out, err = sh('whoami', env={**env, 'DOMO_PROFILE': name}, home=home)
        assert code == 2 and 'no profile named' in one_error_line(err) and raw_controls(err) == []
    assert fake.attempts == []


def test_an_implicit_env_file_naming_a_profile_cannot_redirect_it(tmp_path, monkeypatch):
    "Judged acceptable: a project's .env may choose a profile (its scripts could name one anyway); it is used whole"
    write_config(xdg(), profile_of_ada())
    (tmp_path / '.env').write_text('DOMO_PROFILE=prod\nDOMO_INSTANCE=evil\nDOMO_USERNAME=mallory@evil.test\n'
                                   'DOMO_ROUTES_BASE_URL=https://collector.example\n'
                                   'DOMO_TOKEN_CACHE=redis://collector.example:6379/0\n')
    monkeypatch.chdir(tmp_path)
    r = resolve_credentials(environ={})
    assert r.profile == 'prod' and (r.env()['DOMO_INSTANCE'], r.env()['DOMO_USERNAME']) == ('acme', ADA)
    assert 'DOMO_ROUTES_BASE_URL' not in r.env() and 'DOMO_TOKEN_CACHE' not in r.env()


def test_flags_naming_another_user_never_send_the_default_profiles_password_for_them(site):
    "-i acme -u bob: the default profile (acme, ada) fills in ada's password, and bob logs in with it"
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada())
    code, out, err = sh('whoami', '-i', 'acme', '-u', 'bob@acme.test', env=env, home=home)
    assert ('bob@acme.test', CANARY) not in fake.attempts, 'ada\'s password was sent as bob\'s'
    assert CANARY not in out + err


def test_an_environment_naming_another_user_is_not_replaced_by_the_default_profiles_user():
    "DOMO_INSTANCE=acme DOMO_USERNAME=bob (bob's session kept): the default profile swaps in ada, unlike for globex"
    write_config(xdg(), profile_of_ada())
    r = resolve_credentials(env_file=None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'bob@acme.test'})
    assert r.env().get('DOMO_USERNAME') == 'bob@acme.test' and r.env().get('DOMO_PASSWORD') != CANARY, r.describe()


# DOMO_TOKEN_CACHE values: not folders, another user's, the home folder, escape sequences

@pytest.mark.parametrize('value, says', [('/dev/null', 'not a directory'), ('/etc/passwd', 'not a directory'),
                                         ('~no-such-user-xyz/tokens', 'absolute folder'), ('redis', 'absolute folder')],
                         ids=['dev-null', 'a-file', 'tilde-user', 'a-word'])
def test_a_token_cache_that_cannot_be_a_folder_is_one_error_line_before_any_login(site, value, says):
    fake, home, env = site
    code, out, err = sh('login', '-i', 'acme', '-u', ADA, home=home,
                        env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD, 'DOMO_TOKEN_CACHE': value})
    assert code == 2 and says in one_error_line(err) and fake.attempts == []


def test_the_home_folder_as_token_cache_keeps_tokens_there_and_logout_all_removes_only_its_own(site):
    "Judged acceptable: DOMO_TOKEN_CACHE=~ is the user's choice; entries are 0600 and nothing else there is touched"
    fake, home, env = site
    Path(home, 'notes.txt').write_text('mine')
    env = {**env, 'DOMO_TOKEN_CACHE': '~', 'DOMO_PASSWORD': FAKE_PASSWORD}
    assert sh('login', '-i', 'acme', '-u', ADA, env=env, home=home)[0] == 0
    entries = [p for p in Path(home).glob('*.json')]
    assert len(entries) == 1 and oct(entries[0].stat().st_mode & 0o777) == '0o600'
    assert sh('logout', '--all', env=env, home=home)[0] == 0
    assert list(Path(home).glob('*.json')) == [] and Path(home, 'notes.txt').read_text() == 'mine'


def test_a_token_cache_path_with_escape_sequences_from_an_implicit_env_reaches_stderr_escaped(site, tmp_path):
    "An implicit .env may name a local folder; the cache's warnings print that path as it is"
    fake, home, env = site
    (tmp_path / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_USERNAME={ADA}\nDOMO_PASSWORD={FAKE_PASSWORD}\n'
                                   f'DOMO_TOKEN_CACHE=/proc/cache{TITLE}{CLEAR}\n')
    code, out, err = sh('whoami', env={**env, 'DOMO_TOKEN_CACHE': ''}, home=home, cwd=str(tmp_path))
    assert code == 0 and 'token cache' in err and raw_controls(out + err) == [], err


# Secrets in reprs, output and files: a resolution, a Redis password, config.toml

def test_the_repr_of_a_resolution_and_of_each_of_its_settings_holds_no_secret():
    "A dataclass repr: shown by a notebook, a debugger, or a tracker that captures locals, it holds the password"
    write_config(xdg(), profile_of_ada())
    for r in (resolve_credentials(env_file=None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': ADA,
                                                          'DOMO_PASSWORD': CANARY}),
              resolve_credentials(profile='prod', env_file=None, environ={})):
        assert CANARY not in repr(r) and CANARY not in str(r) and CANARY not in repr(r.settings['DOMO_PASSWORD'])


def test_describe_and_profiles_never_show_a_redis_password(home):
    "DOMO_TOKEN_CACHE is no secret setting, so its URL is printed whole, password and all"
    redis_url = f'redis://:{CANARY_REDIS}@127.0.0.1:1/0'
    write_config(Path(home, '.config'), f'[profiles.prod]\ninstance = "acme"\ntoken_cache = "{redis_url}"\n')
    env = {'DOMO_TOKEN_CACHE': redis_url, 'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}
    for argv in (['describe'], ['describe', '--json'], ['describe', '--profile', 'prod'], ['profiles'],
                 ['profiles', '--json']):
        code, out, err = sh(*argv, env=env, home=str(home))
        assert code == 0 and CANARY_REDIS not in out + err, (argv, out)


def test_login_profile_never_writes_a_redis_password_into_config_toml(site):
    "The profile made from the settings used copies DOMO_TOKEN_CACHE, its password with it, into a file of no secret"
    need_redis()
    pytest.importorskip('redis')
    fake, home, env = site
    with RedisServer(password=CANARY_REDIS) as redis_server:
        code, out, err = sh('login', '--profile', 'prod', '-i', 'acme', '-u', ADA, home=home,
                            env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD, 'DOMO_TOKEN_CACHE': redis_server.url})
    assert code == 0 and CANARY_REDIS not in out + err, err
    assert CANARY_REDIS not in home_config(home).read_text()


def test_describe_profiles_and_whoami_never_show_a_password_from_a_command_the_environment_or_the_store(site):
    fake, home, env = site
    write_config(Path(home, '.config'), profile_of_ada(f'["printf", "{CANARY}"]'))
    runs = [sh(*argv, env=env, home=home) for argv in (['describe'], ['describe', '--json'], ['profiles'],
                                                       ['profiles', '--json'], ['whoami'])]
    runs += [sh('describe', env={**env, 'DOMO_PASSWORD': CANARY}, home=home)]
    assert [code for code, _, _ in runs[:4]] == [0, 0, 0, 0] and not [o + e for _, o, e in runs if CANARY in o + e]


# The verifier: an entry written without one, one at the largest cost accepted

async def test_a_cache_entry_without_a_verifier_never_vouches_for_a_password_and_the_right_one_renews_it(tmp_path):
    "An entry of an older version: a wrong password is a real attempt; the right one logs in once and adds a verifier"
    fake, cache = CountingDomo(), tmp_path / 'cache'
    await who(DomoFullAuth('acme', ADA, FAKE_PASSWORD, token_cache=FileTokenCache(cache)), fake)
    [path] = cache.glob('*.json')
    record = json.loads(path.read_text())
    del record['info']['verifier']
    path.write_text(json.dumps(record))
    with pytest.raises(InvalidCredentialsError):
        await who(DomoFullAuth('acme', ADA, WRONG, token_cache=FileTokenCache(cache)), fake)
    await who(DomoFullAuth('acme', ADA, FAKE_PASSWORD, token_cache=FileTokenCache(cache)), fake)
    assert (fake.tries(WRONG), fake.tries(FAKE_PASSWORD)) == (1, 2)
    [entry] = [e for e in FileTokenCache(cache).entries() if not e.identity.get('failure')]
    assert entry.info['verifier']['n'] == 2 ** 14


async def test_a_verifier_at_the_largest_cost_accepted_is_computed_once_per_process(tmp_path):
    "n = 2**17, r = 15, p = 4 (under the caps): about 2 s of CPU, paid once, then remembered for the process"
    import base64
    from domo_routes.secrets import _scrypt
    fake, cache = CountingDomo(), tmp_path / 'cache'
    await who(DomoFullAuth('acme', ADA, FAKE_PASSWORD, token_cache=FileTokenCache(cache)), fake)
    [path] = cache.glob('*.json')
    record = json.loads(path.read_text())
    salt, cost = os.urandom(16), {'n': 2 ** 17, 'r': 15, 'p': 4}
    record['info']['verifier'] = {'scrypt': base64.b64encode(_scrypt(FAKE_PASSWORD, salt, **cost)).decode(),
                                  'salt': base64.b64encode(salt).decode(), **cost}
    path.write_text(json.dumps(record))
    started = time.monotonic()
    for _ in range(3): await who(DomoFullAuth('acme', ADA, FAKE_PASSWORD, token_cache=FileTokenCache(cache)), fake)
    assert fake.tries(FAKE_PASSWORD) == 1 and time.monotonic() - started < 5


# Failure memory: passwords taking turns, simultaneous failures, skewed clocks, crafted records

async def test_two_wrong_passwords_taking_turns_are_each_tried_once_per_window_in_one_process():
    "One remembered failure per identity: the second wrong password replaces the first, which is then tried again"
    fake = CountingDomo()
    for password in [WRONG, OTHER_WRONG] * 3:
        with pytest.raises(InvalidCredentialsError):
            await who(DomoFullAuth('acme', ADA, password, token_cache=None), fake)
    assert (fake.tries(WRONG), fake.tries(OTHER_WRONG)) == (1, 1), fake.attempts


async def test_two_wrong_passwords_taking_turns_are_each_tried_once_per_window_across_processes(tmp_path):
    "Two cron jobs with two stale passwords for one user: each run replaces the other's record, and every run tries"
    fake, cache = CountingDomo(), tmp_path / 'cache'
    for password in [WRONG, OTHER_WRONG] * 3:
        FAILURES.forget()  # each run a new process
        with pytest.raises(InvalidCredentialsError):
            await who(DomoFullAuth('acme', ADA, password, token_cache=FileTokenCache(cache)), fake)
    assert (fake.tries(WRONG), fake.tries(OTHER_WRONG)) == (1, 1), fake.attempts


def test_processes_failing_at_the_same_moment_make_one_attempt(tmp_path):
    "The cache's lock is let go before the failure is written down (after a scrypt): the process waiting tries too"
    fake = CountingDomo(slow=0.5)
    server = fake.serve()
    home = str(tmp_path)
    env = clean_env(HOME=home, XDG_CONFIG_HOME=f'{home}/.config', XDG_CACHE_HOME=f'{home}/.cache',
                    DOMO_ROUTES_KEYRING='0', DOMO_TOKEN_CACHE='file', DOMO_INSTANCE='acme', DOMO_USERNAME=ADA,
                    DOMO_PASSWORD=WRONG, **server.env())
    try:
        runs = [subprocess.Popen([DOMO_ROUTES, 'whoami'], env=env, cwd=home, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
        codes = [run.wait(30) for run in runs]
    finally: stop_in_background(server)
    assert codes == [3, 3, 3] and fake.tries(WRONG) == 1, fake.attempts


async def test_a_failure_written_by_a_clock_hours_ahead_is_not_remembered_beyond_the_window(tmp_path, monkeypatch):
    "A shared home on NFS, a clock NTP set back 3 hours: the record says 3 h 15 min, and every process believes it"
    import domo_routes.token_cache as token_cache
    now = [1_700_000_000.0]
    monkeypatch.setattr(token_cache.time, 'time', lambda: now[0])
    fake, cache = CountingDomo(clock=lambda: now[0]), tmp_path / 'cache'

    async def run():
        FAILURES.forget()  # a new process
        auth = DomoFullAuth('acme', ADA, WRONG, token_cache=FileTokenCache(cache), clock=lambda: now[0])
        with pytest.raises(InvalidCredentialsError): await who(auth, fake)

    now[0] += 3 * 3600  # the writer's clock, 3 hours ahead
    await run()
    now[0] -= 3 * 3600 - 20 * 60  # the clock right again, 20 minutes later
    await run()
    now[0] += 15 * 60 + 1  # 15 minutes on: the window is over however the record was written
    await run()
    assert fake.tries(WRONG) >= 2, fake.attempts


async def test_a_crafted_failure_record_in_redis_is_an_invalid_credentials_error_shown_escaped(redis_server):
    "Someone who can write the Redis changes a real record's class, status and message: no other class, nothing raw"
    import redis
    fake = CountingDomo()
    with pytest.raises(InvalidCredentialsError):
        await who(DomoFullAuth('acme', ADA, WRONG, token_cache=RedisTokenCache(redis_server.url)), fake)
    client = redis.Redis.from_url(redis_server.url)
    [key] = [k for k in client.keys('domo_routes:*')
             if client.type(k) == b'hash' and b'"failure": true' in (client.hget(k, 'entry') or b'')]
    record = json.loads(client.hget(key, 'entry'))
    record['info'].update(error='SystemExit', status='999; rm -rf', message=f'{HOSTILE}\r\ndomo-routes: all good')
    client.hset(key, 'entry', json.dumps(record))
    FAILURES.forget()
    with pytest.raises(InvalidCredentialsError) as caught:
        await who(DomoFullAuth('acme', ADA, WRONG, token_cache=RedisTokenCache(redis_server.url)), fake)
    assert raw_controls(str(caught.value), '') == [] and fake.tries(WRONG) == 1


async def test_a_failure_record_planted_for_a_year_does_not_lock_out_the_right_password(tmp_path):
    "Judged acceptable: whoever can write the cache can plant a record, but only for credentials they know (scrypt)"
    from domo_routes.errors import AccountLockedError
    fake, cache = CountingDomo(), tmp_path / 'cache'
    planter = DomoFullAuth('acme', ADA, 'a-guess-of-the-attacker', token_cache=FileTokenCache(cache))
    planter.cache_slot().keep_failure(AccountLockedError(message='locked'), repr(planter.credentials()), 366 * 86400)
    assert (await who(DomoFullAuth('acme', ADA, FAKE_PASSWORD, token_cache=FileTokenCache(cache)), fake)).status == 200
    assert fake.tries(FAKE_PASSWORD) == 1


def test_new_credentials_in_the_environment_are_tried_at_once_after_a_remembered_failure(site):
    fake, home, env = site
    env = {**env, 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': ADA}
    codes = [sh('whoami', env={**env, 'DOMO_PASSWORD': p}, home=home)[0] for p in (WRONG, WRONG, OTHER_WRONG,
                                                                                   FAKE_PASSWORD)]
    assert codes == [3, 3, 3, 0]
    assert (fake.tries(WRONG), fake.tries(OTHER_WRONG), fake.tries(FAKE_PASSWORD)) == (1, 1, 1)


async def test_logout_all_logout_and_invalidate_forget_a_written_down_failure(site, tmp_path):
    fake, home, env = site
    env = {**env, 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': ADA, 'DOMO_PASSWORD': WRONG}
    assert sh('whoami', env=env, home=home)[0] == 3
    assert sh('logout', '--all', env=env, home=home)[0] == 0
    assert sh('whoami', env=env, home=home)[0] == 3
    assert sh('logout', env=env, home=home)[0] == 0
    assert sh('whoami', env=env, home=home)[0] == 3
    assert fake.tries(WRONG) == 3
    fake, cache = CountingDomo(), tmp_path / 'cache'
    auth = DomoFullAuth('acme', ADA, WRONG, token_cache=FileTokenCache(cache))
    with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    auth.invalidate()
    FAILURES.forget()
    with pytest.raises(InvalidCredentialsError):
        await who(DomoFullAuth('acme', ADA, WRONG, token_cache=FileTokenCache(cache)), fake)
    assert fake.tries(WRONG) == 2


def test_a_redis_that_accepts_and_never_answers_does_not_hang_a_failing_login(site):
    fake, home, env = site
    hole = BlackHole()
    try:
        started = time.monotonic()
        code, out, err = sh('whoami', home=home, timeout=20,
                            env={**env, 'DOMO_TOKEN_CACHE': f'redis://127.0.0.1:{hole.port}/0', 'DOMO_INSTANCE': 'acme',
                                 'DOMO_USERNAME': ADA, 'DOMO_PASSWORD': WRONG})
    finally: hole.close()
    assert code == 3 and time.monotonic() - started < 10 and WRONG not in out + err and 'Traceback' not in err


# The command: concurrent logins, the prompt, keyrings, identities without their secret, api --no-mask

def test_two_logins_making_profiles_at_once_keep_both(site, tmp_path):
    "Each login reads config.toml, adds its profile and writes the file back: the later write loses the other profile"
    fake, home, env = site
    slow = slow_config_writes(tmp_path / 'slow')
    full = clean_env(HOME=home, XDG_CONFIG_HOME=f'{home}/.config', XDG_CACHE_HOME=f'{home}/.cache',
                     DOMO_ROUTES_KEYRING='0', DOMO_PASSWORD=FAKE_PASSWORD, **env, **slow)
    runs = [subprocess.Popen([DOMO_ROUTES, 'login', '--profile', name, '-i', 'acme', '-u', ADA], env=full, cwd=home,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ('one', 'two')]
    assert [run.wait(30) for run in runs] == [0, 0]
    assert sorted(Profiles(home_config(home)).profiles) == ['one', 'two']


def test_ctrl_d_at_the_password_prompt_is_one_error_line_not_a_traceback(site):
    fake, home, env = site
    full = clean_env(HOME=home, XDG_CONFIG_HOME=f'{home}/.config', XDG_CACHE_HOME=f'{home}/.cache',
                     DOMO_ROUTES_KEYRING='0', **env)
    code, shown = run_in_a_terminal([DOMO_ROUTES, 'login', '--profile', 'prod', '-i', 'acme', '-u', ADA], full,
                                    f'password for {ADA} at acme.domo.com: ', b'\x04')
    assert 'Traceback' not in shown and shown.strip().splitlines()[-1].startswith('domo-routes: '), shown
    assert code in (2, 130) and fake.attempts == [] and not home_config(home).exists()


def test_keep_secret_with_a_keyring_that_refuses_to_write_is_one_error_line_without_the_password(site):
    fake, home, env = site
    code, out, err = sh('login', '--profile', 'prod', '-i', 'acme', '-u', ADA, '--keep-secret', home=home,
                        env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD, **keyring_env('WriteRefusingKeyring')})
    assert code == 2 and 'keyring could not be written' in one_error_line(err) and FAKE_PASSWORD not in out + err


def test_keep_secret_with_a_keyring_that_hangs_on_writing_does_not_hang_login(site):
    "The keyring answered the first read (the probe), then a write waits for a prompt nobody sees"
    fake, home, env = site
    try:
        code, out, err = sh('login', '--profile', 'prod', '-i', 'acme', '-u', ADA, '--keep-secret', home=home,
                            timeout=9, env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD,
                                            **keyring_env('WriteHangingKeyring')})
    except subprocess.TimeoutExpired: pytest.fail('login --keep-secret waited for ever on a keyring write')
    assert code != 0 and 'keyring' in one_error_line(err) and FAKE_PASSWORD not in out + err


def test_a_user_without_a_password_never_gets_another_users_kept_session(site):
    fake, home, env = site
    assert sh('login', '-i', 'acme', '-u', ADA, env={**env, 'DOMO_PASSWORD': FAKE_PASSWORD}, home=home)[0] == 0
    code, out, err = sh('whoami', '-i', 'acme', '-u', 'bob@acme.test', env=env, home=home)
    assert code == 3 and 'no live session of bob@acme.test' in one_error_line(err) and out == ''
    assert len(fake.attempts) == 1


@pytest.mark.parametrize('argv, code, says', [
    (['--client-id', FAKE_CLIENT_ID], 3, 'DOMO_CLIENT_SECRET is not set'),
    (['-i', 'acme', '--method', 'cookie'], 2, 'DOMO_DSID'),
], ids=['client-credentials-without-the-secret', 'cookie-without-the-cookie'])
def test_an_identity_without_its_secret_and_no_kept_session_is_one_error_line(site, argv, code, says):
    fake, home, env = site
    got, out, err = sh('whoami', *argv, env=env, home=home)
    assert got == code and says in one_error_line(err) and fake.logins == 0


def test_api_no_mask_on_a_terminal_shows_escape_sequences_escaped(site):
    "--no-mask prints the answer as sent, to a pipe byte for byte; a terminal still gets nothing it can act on"
    fake, home, env = site
    fake.fail_next(200, body=f'{HOSTILE} token={FAKE_ACCESS_TOKEN}', path='/api/content/v2/users/me',
                   headers={'x-note': 'plain'})
    full = clean_env(HOME=home, XDG_CONFIG_HOME=f'{home}/.config', XDG_CACHE_HOME=f'{home}/.cache',
                     DOMO_ROUTES_KEYRING='0', DOMO_INSTANCE='acme', DOMO_ACCESS_TOKEN=FAKE_ACCESS_TOKEN, **env)
    code, shown = run_in_a_terminal([DOMO_ROUTES, 'api', '/api/content/v2/users/me', '--no-mask', '-i'], full,
                                    'never asked', b'')
    assert code == 0 and FAKE_ACCESS_TOKEN in shown and raw_controls(shown, '\r\n') == [], repr(shown)
