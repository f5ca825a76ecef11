"""Profiles and the credential chain (nbs/13_credentials.ipynb): config.toml read and checked (no secret in clear),
secrets from the environment, a command or the keyring, the chain's order (flags, a named profile used as a whole,
the environment, the nearest .env, the default profile, a kept sign-in), settings an implicit .env may not set, and
DOMO_TOKEN_CACHE values that are refused rather than guessed."""
import json, os, stat
from pathlib import Path

import pytest

from domo_routes import (DomoFullAuth, DomoSignInAuth, DomoTokenAuth, InvalidInputError, MissingConfigurationError,
                         Profiles, SignIns, auth_from_env, redact, resolve_credentials, token_cache_from)
from domo_routes.credentials import Profile, run_secret_command
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD

CANARY = 'canary-password-0123456789-never-shown'


def config_home() -> Path: return Path(os.environ['XDG_CONFIG_HOME'])


def write_config(text: str) -> Path:
    path = config_home() / 'domo_routes' / 'config.toml'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


PROFILES = f'''
default = "prod"

[profiles.prod]
instance = "acme"
username = "ada@acme.test"
password_command = ["printf", "{FAKE_PASSWORD}"]

[profiles.robot]
client_id = "fake-client-id"
scope = "data user"

[profiles.globex]
instance = "globex"
access_token_command = "printf {FAKE_ACCESS_TOKEN}"
'''


# -- config.toml

def test_profiles_are_read_with_their_default_and_where_each_secret_comes_from():
    write_config(PROFILES)
    found = Profiles()
    assert (found.default, sorted(found.profiles)) == ('prod', ['globex', 'prod', 'robot'])
    assert found.get('prod').values == {'instance': 'acme', 'username': 'ada@acme.test'}
    assert found.get('prod').commands == {'password': ['printf', FAKE_PASSWORD]}
    assert found.get('globex').commands == {'access_token': ['printf', FAKE_ACCESS_TOKEN]}  # a string, split as a shell would


@pytest.mark.parametrize('key', ['password', 'access_token', 'client_secret', 'dsid', 'refresh_token'])
def test_a_secret_in_clear_is_refused_and_the_error_says_what_to_do_without_showing_it(key):
    write_config(f'[profiles.prod]\ninstance = "acme"\n{key} = "{CANARY}"\n')
    with pytest.raises(InvalidInputError) as caught: Profiles()
    assert f'holds {key} in clear' in str(caught.value) and f'{key}_command' in str(caught.value)
    assert CANARY not in str(caught.value) and CANARY not in repr(caught.value)


@pytest.mark.parametrize('text, problem', [
    ('[profiles.prod]\ninstanse = "acme"\n', "unknown key 'instanse'"),
    ('[profiles.prod]\ninstance = 5\n', 'must be a non-empty string'),
    ('[profiles.prod]\nmethod = "magic"\n', 'method must be one of'),
    ('[profiles."a b"]\ninstance = "acme"\n', 'is not a profile name'),
    ('[profiles.prod]\npassword_command = []\n', 'must be a command'),
    ('default = 3\n', 'default must be a profile name'),
    ('[profiles.prod\ninstance = "acme"\n', 'is not valid TOML'),
], ids=['typo', 'not-a-string', 'method', 'name', 'empty-command', 'default', 'broken'])
def test_a_profile_that_makes_no_sense_is_one_error_naming_the_file(text, problem):
    path = write_config(text)
    with pytest.raises(InvalidInputError) as caught: Profiles()
    assert problem in str(caught.value) and 'config.toml' in str(caught.value), str(caught.value)
    assert path.exists()


def test_profiles_written_back_read_the_same_with_quotes_controls_and_unicode_and_are_0600():
    write_config(PROFILES)
    found = Profiles()
    found.profiles['odd'] = Profile('odd', {'instance': 'acme', 'username': 'a"b\\c\x7f\x1b é@acme.test'},
                                    {'password': ['sh', '-c', 'echo "$X"']})
    found.default = 'odd'
    found.write()
    again = Profiles()
    assert again.default == 'odd' and again.get('odd').values == found.get('odd').values
    assert again.get('odd').commands == found.get('odd').commands and again.get('prod').commands == found.get('prod').commands
    assert stat.S_IMODE(found.path.stat().st_mode) == 0o600


def test_a_missing_profile_is_an_error_listing_those_there_are():
    write_config(PROFILES)
    with pytest.raises(MissingConfigurationError, match=r"no profile named 'prdo'.*profiles: globex, prod, robot"):
        Profiles().get('prdo')


# -- secrets from commands

def test_a_secret_command_gives_its_first_line_registered_as_a_secret():
    secret = run_secret_command(['printf', f'{CANARY}\\nsecond line\\n'], 'password_command of profile prod')
    assert secret == CANARY and CANARY not in redact(f'the password is {CANARY}')


@pytest.mark.parametrize('argv, why', [
    (['sh', '-c', f'echo {CANARY}; echo {CANARY} >&2; exit 3'], 'failed (exit code 3'),
    (['no-such-command-anywhere'], "'no-such-command-anywhere' was not found"),
    (['true'], 'printed nothing'),
    (['printf', '\\377\\376'], 'not UTF-8'),
], ids=['fails', 'missing', 'empty', 'bytes'])
def test_a_secret_command_that_fails_is_one_error_that_never_shows_what_it_printed(argv, why):
    with pytest.raises(MissingConfigurationError) as caught: run_secret_command(argv, 'password_command of profile prod')
    assert why in str(caught.value) and 'password_command of profile prod' in str(caught.value)
    assert CANARY not in str(caught.value)


def test_a_secret_command_that_hangs_is_stopped(monkeypatch):
    import domo_routes.credentials as credentials
    monkeypatch.setattr(credentials, 'SECRET_COMMAND_TIMEOUT', 0.5)
    with pytest.raises(MissingConfigurationError, match='gave no answer within 0.5 s'):
        run_secret_command(['sleep', '30'], 'password_command of profile prod')


def test_a_secret_command_runs_without_a_shell():
    "A profile's command is argv: `$(…)`, `;` and `*` reach the program as they are, nothing expands them"
    assert run_secret_command(['printf', '%s', '$(id); echo *'], 'x') == '$(id); echo *'


# -- the chain

def test_the_default_profile_is_used_when_the_environment_names_nothing_its_password_from_its_command():
    write_config(PROFILES)
    r = resolve_credentials(env_file=None, environ={})
    assert (r.profile, r.default, r.env()['DOMO_PASSWORD']) == ('prod', True, FAKE_PASSWORD)
    assert r.settings['DOMO_PASSWORD'].source == 'password_command of profile prod' and r.settings['DOMO_PASSWORD'].secret
    assert isinstance(auth_from_env(env_file=None, environ={}, token_cache=None), DomoFullAuth)


def test_a_named_profile_is_used_as_a_whole_and_what_the_environment_says_otherwise_is_reported():
    write_config(PROFILES)
    env = {'DOMO_PROFILE': 'robot', 'DOMO_INSTANCE': 'evil', 'DOMO_CLIENT_ID': 'another-client',
           'DOMO_CLIENT_SECRET': 'fake-client-secret-0123456789abcdef'}
    r = resolve_credentials(env_file=None, environ=env)
    assert r.env() == {'DOMO_CLIENT_ID': 'fake-client-id', 'DOMO_SCOPE': 'data user',
                       'DOMO_CLIENT_SECRET': 'fake-client-secret-0123456789abcdef'}
    assert sorted(v for v, _, _ in r.ignored) == ['DOMO_CLIENT_ID', 'DOMO_INSTANCE']
    assert r.settings['DOMO_CLIENT_SECRET'].source == 'the environment'


def test_explicit_flags_win_over_a_profile():
    write_config(PROFILES)
    r = resolve_credentials({'DOMO_USERNAME': 'bob@acme.test'}, profile='prod', env_file=None, environ={})
    assert (r.env()['DOMO_USERNAME'], r.settings['DOMO_USERNAME'].source) == ('bob@acme.test', 'the command line')


def test_the_environment_wins_over_the_nearest_env_file_found_in_a_parent_folder(tmp_path, monkeypatch):
    (tmp_path / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_USERNAME=ada@acme.test\nDOMO_PASSWORD={CANARY}\n')
    deep = tmp_path / 'notebooks' / 'reports'
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    r = resolve_credentials(environ={'DOMO_USERNAME': 'bob@acme.test'})
    assert (r.env_file, r.env()['DOMO_INSTANCE'], r.env()['DOMO_USERNAME']) == (tmp_path / '.env', 'acme', 'bob@acme.test')
    assert r.settings['DOMO_INSTANCE'].source == f'.env ({tmp_path / ".env"})'


def test_a_complete_environment_is_used_before_the_default_profile():
    write_config(PROFILES)
    r = resolve_credentials(env_file=None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN})
    assert r.profile is None and isinstance(auth_from_env(env_file=None, environ=r.env()), DomoTokenAuth)


def test_the_default_profile_is_not_used_for_another_instance_whose_kept_sign_in_is(tmp_path):
    write_config(PROFILES)
    SignIns().save('initech', 'a-refresh-token-of-initech-0123456789')
    r = resolve_credentials(env_file=None, environ={'DOMO_INSTANCE': 'initech'})
    assert r.profile is None and r.ignored == [('the default profile', 'prod', 'it is for instance acme, not initech')]
    auth = auth_from_env(env_file=None, environ={'DOMO_INSTANCE': 'initech'}, token_cache=None)
    assert isinstance(auth, DomoSignInAuth) and auth.domo_instance == 'initech'


def test_each_class_from_env_walks_the_chain_a_profile_included(monkeypatch):
    write_config(PROFILES)
    monkeypatch.setenv('DOMO_PROFILE', 'prod')
    auth = DomoFullAuth.from_env(env_file=None)
    assert (auth.domo_username, auth.resolution.profile) == ('ada@acme.test', 'prod')


def test_describe_says_where_each_setting_came_from_and_masks_every_secret():
    write_config(PROFILES.replace(FAKE_PASSWORD, CANARY))
    text = resolve_credentials(env_file=None, environ={'DOMO_INSTANCE': 'acme'}).describe()
    assert 'DOMO_PASSWORD' in text and 'from password_command of profile prod' in text and CANARY not in text
    assert 'profile: prod (the default)' in text


# -- what an implicit .env may not set

@pytest.mark.parametrize('line', ['DOMO_TOKEN_CACHE=redis://someone-else.example:6379/0',
                                  'DOMO_ROUTES_BASE_URL=https://collector.example'])
def test_an_implicit_env_file_may_not_send_secrets_elsewhere_but_a_named_one_may(tmp_path, monkeypatch, line):
    (tmp_path / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_ACCESS_TOKEN={FAKE_ACCESS_TOKEN}\n{line}\n')
    monkeypatch.chdir(tmp_path)
    variable = line.split('=')[0]
    implicit = resolve_credentials(environ={})
    assert variable not in implicit.env() and [v for v, _, _ in implicit.ignored] == [variable]
    assert 'may not send secrets elsewhere' in implicit.describe()
    named = resolve_credentials(env_file=str(tmp_path / '.env'), environ={})
    assert named.env()[variable] == line.split('=', 1)[1]


def test_the_environment_and_a_profile_may_name_a_redis_token_cache():
    assert resolve_credentials(env_file=None, environ={'DOMO_TOKEN_CACHE': 'redis://cache.internal:6379/0'}).env()[
        'DOMO_TOKEN_CACHE'] == 'redis://cache.internal:6379/0'


# -- DOMO_TOKEN_CACHE values

@pytest.mark.parametrize('value', ['bogus', 'redis', 'cache/tokens', './tokens', 'http://cache.internal'])
def test_a_token_cache_that_is_not_a_known_form_or_an_absolute_folder_is_refused(value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInputError, match='absolute folder'): token_cache_from(value)
    assert list(tmp_path.iterdir()) == []  # no ./bogus holding tokens in plain sight


def test_a_token_cache_folder_may_start_with_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path))
    assert token_cache_from('~/tokens').directory == tmp_path / 'tokens'


def test_the_environments_token_cache_applies_with_a_profile_that_names_none():
    "DOMO_TOKEN_CACHE=none opts out whatever profile is used, unless the profile itself says where tokens go"
    write_config(PROFILES + '\n[profiles.cached]\ninstance = "acme"\ntoken_cache = "memory"\n')
    r = resolve_credentials(profile='prod', env_file=None, environ={'DOMO_TOKEN_CACHE': 'none'})
    assert r.env()['DOMO_TOKEN_CACHE'] == 'none'
    r = resolve_credentials(profile='cached', env_file=None, environ={'DOMO_TOKEN_CACHE': 'none'})
    assert r.env()['DOMO_TOKEN_CACHE'] == 'memory' and [v for v, _, _ in r.ignored] == ['DOMO_TOKEN_CACHE']


@pytest.mark.parametrize('text, problem', [('defualt = "prod"\n', "unknown key 'defualt'"),
                                           ('[profile.prod]\ninstance = "acme"\n', "unknown key 'profile'")])
def test_a_misspelled_top_level_key_or_table_is_an_error_not_silence(text, problem):
    write_config(text)
    with pytest.raises(InvalidInputError, match=problem): Profiles()


def test_changing_the_default_or_a_profile_keeps_the_files_comments_and_order():
    path = write_config('# my instances\ndefault = "prod"  # the one I use most\n\n# EU, ask Bob\n[profiles.prod]\n'
                        'instance = "acme"   # acme EU\nusername = "ada@acme.test"\n\n[profiles.robot]\nclient_id = "x"\n')
    found = Profiles()
    found.default = 'robot'
    found.profiles['prod'].values['username'] = 'bob@acme.test'
    found.profiles['new'] = Profile('new', {'instance': 'globex'})
    found.write()
    text = path.read_text()
    assert text.startswith('# my instances\ndefault = "robot"  # the one I use most\n\n# EU, ask Bob\n[profiles.prod]\n'
                           'instance = "acme"   # acme EU\n')
    assert 'username = "bob@acme.test"' in text and text.endswith('[profiles.new]\ninstance = "globex"\n')
    assert Profiles().default == 'robot' and Profiles().get('prod').values['username'] == 'bob@acme.test'
