"""get_data, the one HTTP door: a request against the fake, timeouts, size caps, retries, redirects and the IP allow-list.

Ported from nbs/02_client.ipynb: cells 39, 49 + 52, 51 (its example output), 55, 57 (its example output) + 58, 60.
"""
import datetime, email.utils

import httpx
import pytest

from domo_routes import (DomoError, DomoNetworkError, BlockedByAllowListError, ResponseTooLargeError, InvalidInputError,
                         RetryPolicy, get_data)
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_PASSWORD
from support_client import ME_URL, recording_retry

TOKEN = {'x-domo-developer-token': FAKE_ACCESS_TOKEN}
LOGIN_URL = 'https://acme.domo.com/api/content/v2/authentication'


# --- a request (cells 49, 52) ---

async def test_a_get_with_an_access_token_reads_the_user(fake):
    async with fake.client() as session:
        res = await get_data(ME_URL, headers=TOKEN, session=session)
    assert (res.status, res.is_success, res.response['displayName']) == (200, True, 'Ada Lovelace')


# --- timeouts (cell 52) ---

async def test_a_call_without_a_timeout_is_refused():
    with pytest.raises(ValueError) as caught: await get_data('https://acme.domo.com/', timeout=None)
    assert isinstance(caught.value, InvalidInputError) and 'needs a timeout' in str(caught.value)


# --- the size cap (cell 51, example output) ---

async def test_an_answer_larger_than_max_bytes_is_refused(fake):
    async with fake.client() as session:
        fake.fail_next(200, body={'rows': ['x' * 100] * 50})
        with pytest.raises(ResponseTooLargeError) as caught:
            await get_data(ME_URL, headers=TOKEN, session=session, max_bytes=1000)
    assert str(caught.value) == ('🛑  ResponseTooLargeError 🛑 - function: get_data || status 200 || the answer to GET '
                                 '/api/content/v2/users/me is larger than 1,000 bytes: refused without reading the rest '
                                 '(pass max_bytes= to allow more) at acme.domo.com')


def _streaming_session(chunks: int, size: int, sent: list, gzip: bool = False):
    "A client whose every answer is `chunks` chunks of `size` bytes, no Content-Length; `sent` counts the chunks produced"
    import zlib
    async def body():
        compressor = zlib.compressobj(wbits=31) if gzip else None
        for _ in range(chunks):
            sent.append(1)
            yield compressor.compress(b'x' * size) + compressor.flush(zlib.Z_SYNC_FLUSH) if gzip else b'x' * size
        if gzip: yield compressor.flush()
    def handler(request):
        return httpx.Response(200, content=body(), headers={'content-encoding': 'gzip'} if gzip else {})
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_an_answer_of_undeclared_length_is_refused_once_it_passes_the_cap_without_reading_the_rest():
    "Not a notebook assertion: the notebook's text (an undeclared length is counted as it arrives)"
    sent = []
    async with _streaming_session(100, 1000, sent) as session:
        with pytest.raises(ResponseTooLargeError) as caught: await get_data(ME_URL, session=session, max_bytes=5000)
    assert 'larger than 5,000 bytes' in str(caught.value) and len(sent) < 100, len(sent)


async def test_a_small_compressed_answer_is_counted_after_decompression():
    "Not a notebook assertion: the notebook's text (a small gzip bomb is caught too)"
    sent = []
    async with _streaming_session(100, 10_000, sent, gzip=True) as session:
        with pytest.raises(ResponseTooLargeError): await get_data(ME_URL, session=session, max_bytes=50_000)
    assert len(sent) < 100, len(sent)


# --- RetryPolicy.delay (cell 39) ---

def test_a_retry_after_in_seconds_is_obeyed():
    assert RetryPolicy().delay(1, httpx.Response(503, headers={'retry-after': '7'})) == 7.0


def test_a_retry_after_is_capped_at_max_delay():
    assert RetryPolicy().delay(1, httpx.Response(503, headers={'retry-after': '3600'})) == 60.0


def test_a_retry_after_as_an_http_date_is_obeyed():
    soon = email.utils.format_datetime(datetime.datetime.now(datetime.timezone.utc))
    assert 0 <= RetryPolicy().delay(1, httpx.Response(429, headers={'retry-after': soon})) <= 1


def test_the_backoff_is_full_jitter_within_the_exponential_bound():
    p = RetryPolicy()
    assert all(0 <= p.delay(3) <= 2.0 for _ in range(100))


# --- retries, counted by the fake (cell 55) ---

async def test_a_503_twice_then_success_costs_three_requests(fake):
    fast, _ = recording_retry()
    async with fake.client() as session:
        fake.fail_next(503, n=2)
        assert (await get_data(ME_URL, headers=TOKEN, session=session, retry=fast)).status == 200
    assert fake.requests_by_route['fault'] + fake.requests_by_route['me'] == 3


async def test_a_persistent_503_is_returned_after_the_third_attempt(fake):
    fast, _ = recording_retry()
    async with fake.client() as session:
        fake.fail_next(503, n=3)
        assert (await get_data(ME_URL, headers=TOKEN, session=session, retry=fast)).status == 503
    assert fake.requests_by_route['fault'] == 3


async def test_a_retry_after_beyond_max_delay_waits_max_delay(fake):
    fast, waits = recording_retry()
    async with fake.client() as session:
        fake.fail_next(429, n=1, headers={'retry-after': '120'})
        await get_data(ME_URL, headers=TOKEN, session=session, retry=fast, timeout=120)
    assert waits == [60.0]
    assert fake.requests_by_route['fault'] == 1


async def test_a_wait_that_would_end_past_the_deadline_is_not_begun(fake):
    fast, waits = recording_retry()
    async with fake.client() as session:
        fake.fail_next(429, n=1, headers={'retry-after': '45'})
        res = await get_data(ME_URL, headers=TOKEN, session=session, retry=fast, timeout=30)
    assert (res.status, waits) == (429, [])
    assert fake.requests_by_route['fault'] == 1


async def test_a_post_is_not_retried_on_a_503(fake):
    fast, _ = recording_retry()
    async with fake.client() as session:
        fake.fail_next(503)
        assert (await get_data(LOGIN_URL, 'POST', body={}, session=session, retry=fast)).status == 503
    assert fake.requests_by_route['fault'] == 1 and len(fake.log) == 1


async def test_a_post_is_retried_when_the_connection_failed_before_sending(fake):
    fast, _ = recording_retry()
    async with fake.client() as session:
        fake.drop_next(1)
        res = await get_data(LOGIN_URL, 'POST', session=session, retry=fast,
                             body={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': FAKE_PASSWORD})
    assert res.is_success is True
    assert fake.requests_by_route['fault'] == 1


async def test_a_connection_that_keeps_failing_is_a_network_error_naming_the_host(fake):
    fast, _ = recording_retry()
    async with fake.client() as session:
        fake.drop_next(3)
        with pytest.raises(DomoNetworkError) as caught: await get_data(ME_URL, headers=TOKEN, session=session, retry=fast)
    assert 'acme.domo.com' in str(caught.value), str(caught.value)
    assert fake.requests_by_route['fault'] == 3


# --- redirects (cells 57, 58) ---

async def _redirected_to_another_host(fake):
    "cell 57: a PUT with a token, a body and Basic auth, answered with a 307 to another host"
    async with fake.client() as session:
        fake.redirect_next('https://collector.example/steal?api-token=echoed&page=2', status=307)
        res = await get_data(ME_URL, 'PUT', headers=TOKEN, body={'name': 'my data'}, session=session,
                             auth=httpx.BasicAuth('u', 'basic-password'))
    first, second = fake.log[-2:]
    return res, first, second


async def test_the_first_request_carries_the_credentials_and_the_body(fake):
    _, first, _ = await _redirected_to_another_host(fake)
    assert 'x-domo-developer-token' in first.header_names and 'authorization' in first.header_names and first.body_size > 0
    assert (first.host, first.method) == ('acme.domo.com', 'PUT')


async def test_a_redirect_to_another_host_drops_the_credentials(fake):
    _, _, second = await _redirected_to_another_host(fake)
    assert not second.header_names & {'x-domo-developer-token', 'authorization', 'x-domo-authentication'}, second


async def test_a_307_to_another_host_keeps_the_method_but_drops_the_body_and_secret_query_parameters(fake):
    _, _, second = await _redirected_to_another_host(fake)
    assert (second.method, second.body_size, second.query_names) == ('PUT', 0, frozenset({'page'}))


async def test_a_redirect_to_another_host_is_followed_with_only_plain_headers(fake):
    "cell 57's example output: what reached the other host"
    res, _, second = await _redirected_to_another_host(fake)
    assert res.response == {'host': 'collector.example', 'path': '/steal'}
    assert (second.host, sorted(second.header_names)) == (
        'collector.example', ['accept', 'accept-encoding', 'connection', 'content-length', 'host', 'user-agent'])


async def test_a_redirect_from_https_to_http_is_refused(fake):
    async with fake.client() as session:
        fake.redirect_next('http://acme.domo.com/api/content/v2/users/me', status=308)
        with pytest.raises(DomoError) as caught: await get_data(ME_URL, headers=TOKEN, session=session)
    assert 'from https to http' in str(caught.value)
    assert str(caught.value) == ('🛑  DomoError 🛑 - function: get_data || status 308 || redirected from https to '
                                 'http://acme.domo.com: refused (it would travel in clear) at acme.domo.com')
    assert [(r.host, r.path) for r in fake.log] == [('acme.domo.com', '/api/content/v2/users/me')]  # the http one was never sent


async def test_a_redirect_within_the_instance_keeps_the_credentials(fake):
    async with fake.client() as session:
        fake.redirect_next('/api/content/v2/users/me', status=302)
        assert (await get_data('https://acme.domo.com/old', headers=TOKEN, session=session)).response['id'] == 1893952720
    assert 'x-domo-developer-token' in fake.log[-1].header_names


async def test_another_port_is_another_origin_for_redirects(fake):
    async with fake.client() as session:
        fake.redirect_next('https://acme.domo.com:8443/api/content/v2/users/me', status=307)
        await get_data(ME_URL, 'POST', headers=TOKEN, body={'a': 1}, session=session)
    assert (fake.log[-1].body_size, 'x-domo-developer-token' in fake.log[-1].header_names) == (0, False)


# --- the IP allow-list (cell 60) ---

@pytest.mark.parametrize('as_redirect', [True, False], ids=['redirect-to-whitelist-blocked', 'blocked-html-page'])
async def test_the_ip_allow_list_is_blocked_by_allow_list_error(fake, as_redirect):
    async with fake.client() as session:
        fake.block_next(as_redirect=as_redirect)
        with pytest.raises(BlockedByAllowListError) as caught: await get_data(ME_URL, headers=TOKEN, session=session)
    assert 'allow-list' in str(caught.value)
