"""ServiceAuth (a managed token for another API at a base URL) and `token_from_response` (nbs/04_lifecycle.ipynb: cell 65)."""
import httpx
import pytest

from domo_routes import ResponseGetData, ServiceAuth, token_from_response


def answer(body): return ResponseGetData(200, body, True)


@pytest.mark.parametrize('body', [{'token': 'fake-abc'}, {'data': {'accessToken': 'fake-abc'}}, 'fake-abc', '"fake-abc"',
                                  ' "fake-abc"\n', "'fake-abc'"])
def test_token_from_response_reads_every_shape_of_token_answer(body):
    assert token_from_response(answer(body)) == 'fake-abc'


@pytest.mark.parametrize('body', [{}, {'token': ''}, '', '""', '<html>login</html>', 'two words', None, 42])
def test_token_from_response_finds_no_token_where_there_is_none(body):
    assert token_from_response(answer(body)) is None


def test_a_service_base_url_with_a_fragment_is_refused():
    with pytest.raises(Exception) as info: ServiceAuth('https://evil.com#.resolver.com', token_cache=None)
    assert 'refusing' in str(info.value)


def test_a_service_base_url_is_normalized_and_keeps_its_prefix():
    svc = ServiceAuth('acme.example.com/api', token_cache=None)
    assert (svc.base_url, svc.host, svc.url('/x/y')) == ('https://acme.example.com/api', 'acme.example.com', 'https://acme.example.com/api/x/y')


def test_a_service_token_is_for_its_origin_only():
    "Same host on https: yes; another port, another host, plain http: no"
    svc = ServiceAuth('acme.example.com/api', token_cache=None)
    assert [svc.is_for_origin(httpx.Request('GET', u)) for u in ('https://acme.example.com/api/x', 'https://acme.example.com:8443/x',
                                                                 'https://evil.example.com/x', 'http://acme.example.com/api/x')] == [
        True, False, False, False]
