"""Auth objects from DOMO_* variables and a .env file, and the input the constructors refuse
(nbs/05_domo_auth.ipynb: cells 56-57)."""
from pathlib import Path

import pytest

from domo_routes import (DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth, MissingConfigurationError,
                         auth_from_env)
from domo_routes.fake import FAKE_PASSWORD, FAKE_ACCESS_TOKEN, FAKE_DSID

FULL = {'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test', 'DOMO_PASSWORD': FAKE_PASSWORD}
CANARY_PASSWORD = 'CANARY-env-password-42xyz'


@pytest.fixture
def env_file(tmp_path) -> Path:
    "A .env file with a full set of username-and-password settings (the password a canary)"
    path = tmp_path / '.env'
    path.write_text(f'DOMO_INSTANCE=acme\nDOMO_USERNAME=ada@acme.test\nDOMO_PASSWORD={CANARY_PASSWORD}\n')
    return path


def test_a_missing_password_is_named_with_the_settings_that_are_there():
    "From the example's printed output (cell 56)"
    with pytest.raises(MissingConfigurationError) as info:
        auth_from_env(None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test'}, token_cache=None)
    assert info.value.message == 'DOMO_PASSWORD is missing (DOMO_INSTANCE and DOMO_USERNAME are set)'


# -- which token cache (these tests are about the cache: auth_from_env chooses it)

def test_domo_token_cache_none_means_no_token_cache():
    assert auth_from_env(None, environ={**FULL, 'DOMO_TOKEN_CACHE': 'none'}).token_cache is None


def test_domo_token_cache_naming_a_directory_means_a_file_cache_there(tmp_path):
    directory = tmp_path / 'somewhere'
    assert auth_from_env(None, environ={**FULL, 'DOMO_TOKEN_CACHE': str(directory)}).token_cache.directory == directory


def test_an_explicit_token_cache_none_wins_over_the_default():
    assert auth_from_env(None, environ=FULL, token_cache=None).token_cache is None


def test_an_access_token_from_env_is_never_cached_whatever_domo_token_cache_says(tmp_path):
    environ = {'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN, 'DOMO_TOKEN_CACHE': str(tmp_path / 'x')}
    assert auth_from_env(None, environ=environ).token_cache is None


# -- which method, from which source

def test_a_dotenv_file_alone_gives_a_full_auth(env_file):
    a = auth_from_env(env_file, environ={}, token_cache=None)
    assert (type(a), a.domo_username) == (DomoFullAuth, 'ada@acme.test')


def test_an_access_token_in_the_environment_comes_first_and_loses_its_trailing_newline(env_file):
    "The environment's DOMO_ACCESS_TOKEN with the .env file's DOMO_INSTANCE: a DomoTokenAuth"
    a = auth_from_env(env_file, environ={'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN + '\n'}, token_cache=None)
    assert (type(a), a.token) == (DomoTokenAuth, FAKE_ACCESS_TOKEN)


def test_a_class_from_env_forces_its_own_method(env_file):
    assert type(DomoFullAuth.from_env(env_file, environ={'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN})) == DomoFullAuth


def test_domo_dsid_gives_a_cookie_auth():
    assert type(auth_from_env(None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_DSID': FAKE_DSID}, token_cache=None)) == DomoCookieAuth


# -- what is missing, never a value

def test_a_forced_method_that_is_not_set_names_its_variables_and_no_value(env_file):
    with pytest.raises(MissingConfigurationError) as info: DomoDeveloperAuth.from_env(env_file, environ={})
    e = info.value
    assert 'DOMO_CLIENT_ID+DOMO_CLIENT_SECRET' in str(e) and 'CANARY' not in str(e), str(e)


def test_a_started_set_names_what_is_missing_and_what_is_set_never_a_value():
    with pytest.raises(MissingConfigurationError) as info: auth_from_env(None, environ={'DOMO_PASSWORD': CANARY_PASSWORD}, token_cache=None)
    assert info.value.message == 'DOMO_INSTANCE and DOMO_USERNAME are missing (DOMO_PASSWORD is set)'


def test_nothing_set_names_every_set_of_variables():
    with pytest.raises(MissingConfigurationError) as info: auth_from_env(None, environ={}, token_cache=None)
    assert info.value.message.startswith('set DOMO_INSTANCE+DOMO_ACCESS_TOKEN or '), info.value.message


# -- input the constructors refuse

def test_an_access_token_with_a_control_character_is_refused():
    with pytest.raises(Exception) as info: DomoTokenAuth('acme', 'abc\r\ndef')
    assert 'control character' in str(info.value)


def test_an_instance_that_is_not_a_domo_instance_name_is_refused():
    with pytest.raises(Exception) as info: DomoFullAuth('evil.com#', 'a', 'b', token_cache=None)
    assert 'is not a Domo instance name' in str(info.value)
