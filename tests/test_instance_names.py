"""Instance names: the three accepted forms, and the refusal table of names that would send a request elsewhere.

Ported from nbs/02_client.ipynb: cells 6 and 8.
"""
import pytest

from domo_routes import InvalidInstanceError
from support_client import normalize_instance, instance_url


@pytest.mark.parametrize('name, label', [('acme', 'acme'), ('ACME', 'acme'), ('acme.domo.com', 'acme'),
                                         ('https://acme.domo.com/', 'acme'), ('HTTPS://Acme.Domo.com', 'acme'),
                                         ('domo-community', 'domo-community'), ('a', 'a')])
def test_accepted_forms_give_the_lower_case_label(name, label):
    assert normalize_instance(name) == label


def test_instance_url_puts_the_label_under_domo_com():
    assert instance_url('https://acme.domo.com/', '/api/content/v2/users/me') == 'https://acme.domo.com/api/content/v2/users/me'


REFUSED = ['', 'evil.com#', 'evil.com/', 'evil.com?', 'x@evil.com', 'evil.com:443/#', 'acme\n', '-acme', 'acme-',
           'a b', 'acme.domo.com.evil.com', 'a' * 64, 'http://acme.domo.com', 'acme.domo.com:8443', 'acme/../x',
           ' acme', 'acme.evil.com', 'acme.domo.com/path', 'https://acme.domo.com/#', None, 42,
           'acmı', 'ACME\u212a', 'acmeſ', 'xn--acme-x', 'xn--acm-lua', 'ab--cd', 'acme\u200b', 'ａｃｍｅ']


@pytest.mark.parametrize('name', REFUSED, ids=[repr(n) for n in REFUSED])
def test_names_that_are_not_a_domo_instance_are_refused(name):
    with pytest.raises(InvalidInstanceError) as caught: normalize_instance(name)
    assert 'is not a Domo instance name' in str(caught.value)


def test_the_refusal_names_the_route_that_asked():
    with pytest.raises(InvalidInstanceError) as caught: normalize_instance('evil.com#', function_name='get_full_auth')
    assert str(caught.value).split(' || ')[0] == '🛑  InvalidInstanceError 🛑 - function: get_full_auth'


def test_a_label_of_63_characters_is_accepted():
    assert normalize_instance('a' * 63) == 'a' * 63
