"""`checked_secret`, the one door for secrets: stripped, registered for masking, refused without being shown.

Ported from nbs/00_errors.ipynb: cell 30 (its example output) and cell 31.
"""
import pytest

from domo_routes import InvalidInputError
from support_client import checked_secret, redact


def test_surrounding_whitespace_of_a_secret_read_from_a_file_is_stripped():
    assert checked_secret('  an-access-token-read-from-a-file\n', 'the access token', header=True) == 'an-access-token-read-from-a-file'


def test_a_line_break_inside_a_header_secret_is_refused_naming_the_caller_without_the_value():
    with pytest.raises(InvalidInputError) as caught:
        checked_secret('CANARY-token\r\nX-Injected: 1', 'the access token', header=True, function_name='DomoTokenAuth')
    assert str(caught.value) == ('🛑  InvalidInputError 🛑 - function: DomoTokenAuth || the access token holds a control character '
                                 'or a line break (check how it was read); its value is not shown')


@pytest.mark.parametrize('bad, why', [('tok en', 'visible ASCII'), ('tok\x00en', 'control'), ('tök', 'visible ASCII'),
                                      ('a\u2028b', 'control'), ('', 'missing'), (None, 'missing')],
                         ids=['space', 'nul', 'non-ascii', 'line-separator', 'empty', 'none'])
def test_a_secret_that_cannot_travel_in_a_header_is_refused_with_the_reason(bad, why):
    with pytest.raises(InvalidInputError) as caught: checked_secret(bad, 'secret', header=True)
    e = caught.value
    assert why in str(e) and isinstance(e, ValueError), e
    if bad and len(bad) > 2: assert bad not in str(e) + repr(e)


def test_a_secret_outside_a_header_keeps_inner_spaces_and_non_ascii_letters():
    assert checked_secret(' pässwörd with spaces \n', 'domo_password') == 'pässwörd with spaces'


def test_forbidden_characters_are_refused_and_named():
    with pytest.raises(InvalidInputError) as caught: checked_secret('a;b', 'cookie', forbid=';,')
    assert 'may not contain any of ; ,' in str(caught.value)


def test_a_checked_secret_is_registered_for_masking():
    "Not a notebook assertion: the notebook's text says `checked_secret` registers the secret on the way"
    secret = checked_secret('  checked-secret-CANARY-0123456789\n', 'the access token', header=True)
    assert secret not in redact(f'the token is {secret}')
