"""DomoError and its classes: the one-line message format, the function named, secrets kept out, copying and pickling.

Ported from nbs/00_errors.ipynb (cells 23, 24, 27, 31 in part, 34); the copy/pickle/retold and credential_failure
tests have no notebook cell (documented behaviour of `DomoError.__reduce__`, `retold` and the class table).
"""
import copy, pickle

import httpx
import pytest

from domo_routes import (DomoError, InvalidInstanceError, BlockedByAllowListError, DomoNetworkError, AuthError,
                         InvalidCredentialsError, AccountLockedError, InvalidAuthTypeError, NoAccessTokenReturned,
                         TwoFactorRequiredError, InvalidInputError, ResponseTooLargeError, UnexpectedResponseError)
from support_client import register_secret

CANARY = 'CANARY-pw-7f3a9c1e5b2d4f6a8c0e'


# --- the message format (cells 23, 24) ---

def test_message_format_names_function_status_message_and_instance():
    def get_full_auth(): raise DomoError(status=200, message='INVALID_CREDENTIALS', domo_instance='acme')
    with pytest.raises(DomoError) as caught: get_full_auth()
    assert str(caught.value) == '🛑  DomoError 🛑 - function: get_full_auth || status 200 || INVALID_CREDENTIALS at acme'


def test_function_name_is_found_from_the_stack_and_kept_as_attributes():
    def get_full_auth(): raise DomoError(status=200, message='INVALID_CREDENTIALS', domo_instance='acme')
    with pytest.raises(DomoError) as caught: get_full_auth()
    err = caught.value
    assert (err.status, err.function_name, err.domo_instance, err.parent_class) == (200, 'get_full_auth', 'acme', None)


def test_parent_class_instance_is_named_before_the_function():
    class DomoFullAuth: pass
    e = DomoError(function_name='get_auth_token', parent_class=DomoFullAuth(), status=401, message='Unauthorized')
    assert str(e) == '🛑  DomoError 🛑 - function: DomoFullAuth.get_auth_token || status 401 || Unauthorized'


def test_a_registered_secret_echoed_in_the_message_is_masked():
    register_secret(CANARY)
    assert str(DomoError(function_name='f', message=f'echoed {CANARY}')) == '🛑  DomoError 🛑 - function: f || echoed CANA…8c0e'


def test_a_registered_secret_given_as_the_message_is_not_in_the_repr():
    register_secret(CANARY)
    assert CANARY not in repr(DomoError(function_name='f', message=CANARY))


# --- the errors before any auth route (cell 27) ---

def test_invalid_instance_error_format():
    e = InvalidInstanceError(function_name='get_full_auth', status=403, message='Forbidden', domo_instance='test')
    assert str(e) == '🛑  InvalidInstanceError 🛑 - function: get_full_auth || status 403 || Forbidden at test'


def test_blocked_by_allow_list_is_a_domo_error():
    assert issubclass(BlockedByAllowListError, DomoError)


# --- InvalidInputError (cell 31, last check) ---

def test_invalid_input_error_format():
    assert (str(InvalidInputError('domo_username is missing', function_name='get_full_auth'))
            == '🛑  InvalidInputError 🛑 - function: get_full_auth || domo_username is missing')


# --- the auth errors (cell 34) ---

def test_invalid_credentials_error_format():
    e = InvalidCredentialsError(function_name='get_full_auth', status=200, message='INVALID_CREDENTIALS', domo_instance='acme')
    assert str(e) == '🛑  InvalidCredentialsError 🛑 - function: get_full_auth || status 200 || INVALID_CREDENTIALS at acme'


def test_account_locked_error_says_account_locked_by_default():
    assert str(AccountLockedError(function_name='get_full_auth')) == '🛑  AccountLockedError 🛑 - function: get_full_auth || account locked'


def test_invalid_auth_type_error_names_the_required_classes():
    e = InvalidAuthTypeError(required_auth_type_ls=[httpx.BasicAuth, httpx.DigestAuth], function_name='who_am_i')
    assert str(e) == '🛑  InvalidAuthTypeError 🛑 - function: who_am_i || This API requires BasicAuth or DigestAuth'


def test_no_access_token_returned_names_the_raising_function_and_its_default_message():
    def raiser(): raise NoAccessTokenReturned(status=200)
    with pytest.raises(AuthError) as caught: raiser()
    assert (caught.value.function_name, caught.value.message) == ('raiser', 'No AccessToken returned')


def test_the_auth_errors_derive_from_auth_error():
    assert all(issubclass(c, AuthError) for c in (InvalidCredentialsError, AccountLockedError, NoAccessTokenReturned, InvalidAuthTypeError))


# --- not from a notebook cell: documented behaviour ---

def test_credential_failures_are_marked_and_other_errors_are_not():
    assert all(c.credential_failure for c in (InvalidCredentialsError, AccountLockedError, TwoFactorRequiredError))
    assert not any(c.credential_failure for c in (DomoError, AuthError, NoAccessTokenReturned, InvalidAuthTypeError,
                                                   InvalidInstanceError, DomoNetworkError))


ERRORS = [
    DomoError(function_name='f', status=500, message='boom', domo_instance='acme', parent_class='DomoFullAuth'),
    InvalidInstanceError(function_name='get_full_auth', status=403, message='Forbidden', domo_instance='test'),
    InvalidCredentialsError(function_name='get_full_auth', status=200, message='INVALID_CREDENTIALS', domo_instance='acme'),
    AccountLockedError(function_name='get_full_auth'),
    NoAccessTokenReturned(function_name='get_developer_auth', status=200),
    InvalidAuthTypeError(required_auth_type_ls=[httpx.BasicAuth], function_name='who_am_i'),
    TwoFactorRequiredError(function_name='get_full_auth', status=200, domo_instance='acme', two_factor_status='REQUIRED'),
    InvalidInputError('domo_username is missing', function_name='get_full_auth'),
    BlockedByAllowListError(function_name='get_data', status=200, domo_instance='acme.domo.com'),
    DomoNetworkError(function_name='get_data', message='request to acme.domo.com failed'),
    ResponseTooLargeError(function_name='get_data', status=200),
    UnexpectedResponseError(function_name='who_am_i', status=200),
]


@pytest.mark.parametrize('error', ERRORS, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_with_class_fields_and_text(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and vars(back) == vars(error)
    assert str(back) == str(error) and back.args == error.args and repr(back) == repr(error)


@pytest.mark.parametrize('error', ERRORS, ids=lambda e: type(e).__name__)
def test_errors_survive_copying_with_class_fields_and_text(error):
    for back in (copy.copy(error), copy.deepcopy(error)):
        assert type(back) is type(error) and vars(back) == vars(error) and str(back) == str(error)


def test_the_extra_keyword_fields_of_an_error_survive_pickling():
    e = TwoFactorRequiredError(function_name='get_full_auth', two_factor_status='REQUIRED')
    assert pickle.loads(pickle.dumps(e)).two_factor_status == 'REQUIRED'


def test_retold_keeps_class_and_fields_and_adds_to_the_message():
    e = InvalidCredentialsError(function_name='get_full_auth', status=200, message='INVALID_CREDENTIALS', domo_instance='acme')
    told = e.retold('(remembered)')
    assert type(told) is InvalidCredentialsError and told is not e
    assert (told.function_name, told.status, told.domo_instance, told.message) == ('get_full_auth', 200, 'acme', 'INVALID_CREDENTIALS (remembered)')
    assert str(told) == '🛑  InvalidCredentialsError 🛑 - function: get_full_auth || status 200 || INVALID_CREDENTIALS (remembered) at acme'
    assert e.message == 'INVALID_CREDENTIALS'  # the original is unchanged
