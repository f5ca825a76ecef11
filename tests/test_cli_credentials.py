"""Where `domo-routes` finds credentials: flags, then the environment, then the env file (`--env-file`, which must exist,
else `.env` when there is one); what a half-filled set lacks; values stripped of surrounding whitespace, and a value
with a line break or control character inside refused without being shown or sent."""
import argparse, os

import pytest

from conftest import one_error_line
from domo_routes import DomoTokenAuth, MissingConfigurationError
from domo_routes.cli import auth_from_args
from domo_routes.fake import FAKE_ACCESS_TOKEN
from support_cli import sh, main_in_process, served  # noqa: F401 (a fixture)

FLAGS = ('instance', 'username', 'password', 'access_token', 'dsid', 'client_id', 'client_secret', 'scope')


def namespace(**flags) -> argparse.Namespace:
    "Flags as the parser makes them for whoami (unset flags None), no token cache"
    return argparse.Namespace(**{'method': None, 'env_file': os.devnull, 'token_cache': 'none', **{k: None for k in FLAGS}, **flags})


# auth_from_args, in-process

def test_a_half_filled_set_gets_the_one_variable_it_lacks():
    "No token cache (with one, an identity without its password uses the session `login` kept: test_cli_remembers)"
    args = argparse.Namespace(method=None, env_file=os.devnull, instance='acme', username='ada@acme.test', token_cache='none')
    with pytest.raises(MissingConfigurationError) as e: auth_from_args(args)
    assert str(e.value) == ('🛑  MissingConfigurationError 🛑 - function: domo-routes || '
                            'DOMO_PASSWORD is missing (DOMO_INSTANCE and DOMO_USERNAME are set)')


def test_an_access_token_flag_is_stripped_of_surrounding_whitespace():
    assert type(auth_from_args(namespace(instance='acme', access_token=FAKE_ACCESS_TOKEN + '\n'))) is DomoTokenAuth
    assert auth_from_args(namespace(instance='acme', access_token=f' {FAKE_ACCESS_TOKEN}\n')).token == FAKE_ACCESS_TOKEN


@pytest.mark.parametrize('flags, expected', [
    (dict(instance='acme', username='u@acme.test'), 'DOMO_PASSWORD is missing (DOMO_INSTANCE and DOMO_USERNAME are set)'),
    (dict(client_id='x'), 'DOMO_CLIENT_SECRET is missing (DOMO_CLIENT_ID is set)'),
    (dict(username='u@acme.test', password='pw-canary-1234'), 'DOMO_INSTANCE is missing'),
    (dict(), 'set DOMO_INSTANCE+DOMO_ACCESS_TOKEN or DOMO_INSTANCE+DOMO_USERNAME+DOMO_PASSWORD'),
], ids=['password-missing', 'client-secret-missing', 'instance-missing', 'nothing-set'])
def test_missing_configuration_names_what_is_missing_and_never_a_secret(flags, expected):
    with pytest.raises(MissingConfigurationError) as e: auth_from_args(namespace(**flags))
    assert expected in str(e.value), str(e.value)
    assert 'pw-canary-1234' not in str(e.value)


def test_an_env_file_that_does_not_exist_is_an_error_naming_it_with_a_hint():
    with pytest.raises(MissingConfigurationError) as e:
        auth_from_args(namespace(env_file='/nonexistent/nope.env', instance='acme', access_token=FAKE_ACCESS_TOKEN))
    assert "'/nonexistent/nope.env' given with --env-file does not exist" in str(e.value) and e.value.hint, str(e.value)


def test_without_env_file_flag_a_missing_dot_env_is_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env here
    assert type(auth_from_args(namespace(env_file=None, instance='acme', access_token=FAKE_ACCESS_TOKEN))) is DomoTokenAuth


def test_an_env_file_is_read_and_a_flag_wins_over_it(tmp_path):
    env_path = tmp_path / 'domo.env'
    env_path.write_text(f'DOMO_INSTANCE=acme\nDOMO_ACCESS_TOKEN="{FAKE_ACCESS_TOKEN}"\n')
    assert auth_from_args(namespace(env_file=str(env_path))).domo_instance == 'acme'
    assert auth_from_args(namespace(env_file=str(env_path), instance='other')).domo_instance == 'other'


def test_an_env_file_that_is_a_directory_is_an_error(tmp_path):
    with pytest.raises(MissingConfigurationError) as e: auth_from_args(namespace(env_file=str(tmp_path)))
    assert 'is a directory' in str(e.value)


# the installed command

def test_whoami_and_api_with_a_missing_env_file_exit_2(served, tmp_path, monkeypatch):
    code, text, err = served.sh('whoami', '--env-file', 'nope.env')
    assert (code, text) == (2, '')
    assert "'nope.env' given with --env-file does not exist" in one_error_line(err)
    monkeypatch.chdir(tmp_path)  # in-process: nope.env relative to an empty directory
    code, text, err = main_in_process('api', '/api/content/v2/users/me', '--env-file', 'nope.env', env=served.token_env)
    assert (code, text) == (2, '')
    assert "'nope.env'" in one_error_line(err)


def test_a_dot_env_in_the_working_directory_is_read_without_the_flag(served, tmp_path):
    (tmp_path / '.env').write_text(f'DOMO_INSTANCE=acme\nDOMO_ACCESS_TOKEN={FAKE_ACCESS_TOKEN}\n')
    code, text, err = sh('whoami', env=served.server.env(), cwd=str(tmp_path))
    assert code == 0, err


def test_a_half_filled_environment_gets_the_one_variable_it_lacks(served):
    code, text, err = sh('whoami', env={**served.server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test'})
    assert (code, text) == (2, '')
    line = one_error_line(err)
    assert 'DOMO_PASSWORD is missing (DOMO_INSTANCE and DOMO_USERNAME are set)' in line and 'DOMO_CLIENT_ID' not in line, line


def test_an_access_token_with_surrounding_whitespace_works(served):
    code, text, err = served.sh('whoami', env={**served.token_env, 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN + '\n'})
    assert (code, text.splitlines()[0]) == (0, 'Ada Lovelace'), err
    for value in (f'  {FAKE_ACCESS_TOKEN}\r\n', f'\t{FAKE_ACCESS_TOKEN} '):
        assert served.here('api', '/api/content/v2/users/me', env={**served.token_env, 'DOMO_ACCESS_TOKEN': value})[0] == 0
    assert served.here('whoami', '--access-token', FAKE_ACCESS_TOKEN + '\n', env={**served.server.env(), 'DOMO_INSTANCE': 'acme'})[0] == 0


def test_a_token_with_a_line_break_inside_is_refused_unseen_and_unsent(served):
    sent = len(served.fake.log)
    code, text, err = served.sh('whoami', env={**served.token_env, 'DOMO_ACCESS_TOKEN': 'token-canary-0123456789\r\nX-Injected: 1'})
    assert (code, text) == (2, '')
    assert 'line break' in one_error_line(err) and 'token-canary' not in err and 'X-Injected' not in err, err
    assert len(served.fake.log) == sent


@pytest.mark.parametrize('canary', ['token-canary-0123456789\nsecond-line-canary', 'token-canary\x1b[31m-0123456789', 'token canary 0123456789'],
                         ids=['newline', 'escape-sequence', 'spaces'])
@pytest.mark.parametrize('command', [['whoami'], ['api', '/api/content/v2/users/me'], ['token', '--method', 'cookie']],
                         ids=['whoami', 'api', 'token-cookie'])
def test_a_token_or_cookie_with_a_control_character_or_space_is_refused_unseen_and_unsent(served, command, canary):
    sent = len(served.fake.log)
    code, text, err = served.here(*command, env={**served.token_env, 'DOMO_ACCESS_TOKEN': canary, 'DOMO_DSID': canary})
    assert (code, text) == (2, '')
    assert 'canary' not in one_error_line(err) and 'second-line' not in err, err
    assert len(served.fake.log) == sent


def test_a_password_with_a_line_break_inside_is_refused_unseen_and_unsent(served):
    sent = len(served.fake.log)
    code, text, err = served.here('whoami', env={**served.full_env, 'DOMO_PASSWORD': 'pw-canary\r\n0123456789'})
    assert code == 2
    assert 'pw-canary' not in err and '0123456789' not in err, err
    assert len(served.fake.log) == sent
