"""Where requests may go: origins, base URLs, and rerouting every request of the process to a stand-in server.

Ported from nbs/02_client.ipynb: cells 11, 14, 16 (its test_eq/test_fail lines and its logged warning) and 19.
"""
import concurrent.futures, logging

import httpx
import pytest

from domo_routes import InvalidInputError, InvalidInstanceError
from support_client import origin_of, check_base_url, normalize_base_url, reroute, current_base_url, reroute_request


# --- origin_of (cell 11) ---

def test_origin_of_fills_in_the_default_port_and_lowers_the_host():
    assert origin_of('https://Acme.domo.com/api') == ('https', 'acme.domo.com', 443)


def test_origin_of_keeps_an_explicit_port():
    assert origin_of('http://127.0.0.1:8765') == ('http', '127.0.0.1', 8765)


def test_another_scheme_or_port_is_another_origin():
    assert origin_of('https://acme.domo.com') != origin_of('http://acme.domo.com') != origin_of('https://acme.domo.com:8443')


# --- check_base_url (cell 14) ---

def test_plain_http_off_loopback_is_refused():
    with pytest.raises(InvalidInputError) as caught: check_base_url('http://10.0.0.5:80')
    assert 'refusing' in str(caught.value)


def test_plain_http_on_loopback_is_accepted():
    assert check_base_url('http://127.0.0.1:8080') == 'http://127.0.0.1:8080'


def test_a_path_is_refused_unless_allowed():
    with pytest.raises(InvalidInputError) as caught: check_base_url('https://proxy/path')
    assert 'scheme://host' in str(caught.value)


def test_an_allowed_path_is_kept_and_the_url_normalised():
    assert check_base_url('https://Acme.Resolver.com:443/api/', allow_path=True) == 'https://acme.resolver.com/api'


@pytest.mark.parametrize('bad', ['https://evil.com#.resolver.com', 'https://a.com?x=1', 'https://user@a.com', 'https://a.com/ x',
                                 'ftp://a.com', 'https:///x'])
def test_base_urls_that_could_smuggle_a_request_are_refused(bad):
    with pytest.raises(InvalidInputError) as caught: check_base_url(bad, allow_path=True)
    assert 'refusing' in str(caught.value)


def test_a_refused_base_url_is_shown_without_user_info_or_query():
    with pytest.raises(ValueError) as caught: check_base_url('https://ada:fake-pass-word@a.com/?api-token=fake-canary-token')
    text = str(caught.value)
    assert ['fake-pass-word' in text, 'fake-canary-token' in text, '…@a.com' in text] == [False, False, True]


# --- reroute (cell 16) ---

def test_reroute_sets_the_current_base_url_and_unsets_it_on_exit():
    with reroute('http://127.0.0.1:8765'):
        assert current_base_url() == 'http://127.0.0.1:8765'
    assert current_base_url() is None


def test_reroute_reaches_other_threads():
    with reroute('http://127.0.0.1:8765'):
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            assert pool.submit(current_base_url).result() == 'http://127.0.0.1:8765'


def test_a_rerouted_request_keeps_its_logical_host_in_the_host_header():
    with reroute('http://127.0.0.1:8765'):
        r = reroute_request(httpx.Request('GET', 'https://acme.domo.com/api/x'))
        assert (str(r.url), r.headers['host']) == ('http://127.0.0.1:8765/api/x', 'acme.domo.com')


def test_a_request_is_rerouted_once():
    with reroute('http://127.0.0.1:8765'):
        r = reroute_request(httpx.Request('GET', 'https://acme.domo.com/api/x'))
        assert str(reroute_request(r).url) == 'http://127.0.0.1:8765/api/x'


def test_rerouting_to_a_remote_https_url_needs_to_be_allowed():
    with pytest.raises(InvalidInputError) as caught: reroute('https://collector.example').__enter__()
    assert 'DOMO_ROUTES_ALLOW_REMOTE_BASE_URL' in str(caught.value)
    assert current_base_url() is None


def test_rerouting_to_remote_plain_http_is_refused():
    with pytest.raises(InvalidInputError) as caught: reroute('http://collector.example').__enter__()
    assert 'loopback' in str(caught.value)


def test_an_allowed_remote_reroute_applies_and_is_logged_as_a_warning(caplog):
    # a host no other test uses: the check (and its warning) is cached per base URL
    url = 'https://staging-proxy-reroute-warning.example'
    with caplog.at_level(logging.WARNING, logger='domo_routes'):
        with reroute(url, allow_remote=True): assert current_base_url() == url
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ('domo_routes', logging.WARNING, f'rerouting every Domo request of this process to {url}')]


def test_the_staging_proxy_of_the_example_is_accepted_when_allowed():
    with reroute('https://staging-proxy.example', allow_remote=True): assert current_base_url() == 'https://staging-proxy.example'
    assert current_base_url() is None


# --- normalize_base_url (cell 19) ---

def test_a_bare_host_means_https():
    assert normalize_base_url('acme.resolver.com') == 'https://acme.resolver.com'


def test_an_https_base_url_keeps_its_path_prefix():
    assert normalize_base_url('https://Acme.Resolver.com/api/') == 'https://acme.resolver.com/api'


def test_a_loopback_fake_base_url_is_accepted():
    assert normalize_base_url('http://127.0.0.1:8765') == 'http://127.0.0.1:8765'


@pytest.mark.parametrize('bad', ['evil.com#.resolver.com', 'x@evil.com', 'http://acme.resolver.com', 'acme.resolver.com?x', 'a b', '', None])
def test_other_services_base_urls_that_could_smuggle_a_request_are_refused(bad):
    with pytest.raises(InvalidInstanceError) as caught: normalize_base_url(bad, 'ResolverAuth')
    assert 'refusing' in str(caught.value)
