"""Attacks the library holds against, one test each: each tries to make the library send a credential where it does
not belong, print a secret, read without bound or fail with something other than a `DomoError`, and runs with canary
secrets under `LeakCheck` (support_attacks.leak_checked), which fails if a canary appears in anything the attack
printed, logged, returned or raised. The servers are the offline fakes, in process or on loopback, and small hostile
servers (support_attacks.hostile_server).

The families:
- Redirects: the password stays home (a login answered by 307/308 to another host or to http; a caller's client that
  follows redirects itself).
- Token shapes: a newline from a file, CR/LF inside, a hostile server's token.
- Instance names: names that are not ASCII labels are refused before any request.
- Destinations, judged by the URL: plain http, a spoofed Host header, another port, a remote DOMO_ROUTES_BASE_URL.
- Masking: every form, every secret of a live object (quotes and backslashes, 2,000 objects, Basic headers, short
  passwords).
- Bounds, size and time: an endless answer, a declared 400 MB, a gzip bomb, a server that drips.
- Robustness: answers that make no sense (an HTML page, expires_in = 10^12).
- Found by an independent probe: https to http on the same port, bodies that fail while read, JSON nested 3,000
  deep, arguments of the wrong kind, httpcore's DEBUG lines, a client-credentials answer with a hostile domain.
"""
import base64, datetime, json, time

import httpcore
import httpx

from domo_routes import (DomoCookieAuth, DomoDeveloperAuth, DomoError, DomoFullAuth, DomoNetworkError, DomoTokenAuth,
                         InvalidCredentialsError, InvalidInputError, InvalidInstanceError, ResolverAuth, ResponseTooLargeError,
                         RetryPolicy, UnexpectedResponseError, get_data, get_developer_auth, get_full_auth, redact, register_secret,
                         reroute, who_am_i)
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD, FakeDomo, FakeResolver
from support_attacks import (CANARY_PASSWORD, CANARY_TOKEN, bad_gzip, cut_short, declared_huge, deep_json, drip, endless, gzip_bomb,
                             hostile_server, leak_checked)


# Redirects: the password stays home

@leak_checked
async def test_login_answered_by_307_or_308_to_another_host_sends_no_password():
    "routes and auth objects, async and sync"
    seen = []
    for status in (307, 308):
        fake = FakeDomo()
        fake.redirect_next('https://collector.example/steal', status=status)
        async with fake.client() as session:
            try: await get_full_auth('acme', 'ada@acme.test', CANARY_PASSWORD, session=session)
            except DomoError as e: seen.append(type(e).__name__)
        to_collector = [r for r in fake.log if r.host == 'collector.example']
        assert all(r.body_size == 0 for r in to_collector), to_collector  # the route: redirected without its body
        for client in (fake.client, fake.sync_client):
            fake.redirect_next('https://collector.example/steal', status=status)
            auth = DomoFullAuth('acme', 'ada@acme.test', CANARY_PASSWORD, token_cache=None)
            try:
                c = client(auth=auth)
                r = (await c.get('https://acme.domo.com/api/content/v2/users/me')) if isinstance(c, httpx.AsyncClient) else c.get('https://acme.domo.com/api/content/v2/users/me')
                raise AssertionError(f'login followed to another host: {r}')
            except DomoError as e: seen.append(type(e).__name__)
        assert not [r for r in fake.log if r.host == 'collector.example' and r.body_size], fake.log
        assert len([r for r in fake.log if r.host == 'collector.example']) == len(to_collector)  # the auth flows sent nothing there
    return seen


@leak_checked
async def test_login_redirected_from_https_to_http_on_the_same_host_is_refused():
    fake = FakeDomo()
    fake.redirect_next('http://acme.domo.com/api/content/v2/authentication', status=307)
    async with fake.client(auth=DomoFullAuth('acme', 'ada@acme.test', CANARY_PASSWORD, token_cache=None)) as client:
        try: await client.get('https://acme.domo.com/api/content/v2/users/me'); raise AssertionError('followed')
        except DomoError as e: observed = str(e)
    assert 'refused' in observed and len(fake.log) == 1, fake.log
    fake.redirect_next('http://acme.domo.com/api/content/v2/authentication', status=308)
    async with fake.client() as session:
        try: await get_full_auth('acme', 'ada@acme.test', CANARY_PASSWORD, session=session); raise AssertionError('followed')
        except DomoError as e: observed += ' | ' + str(e)
    assert len(fake.log) == 2
    return observed


@leak_checked
async def test_resolver_login_answered_by_307_to_another_host_is_refused():
    fake = FakeResolver()
    fake.redirect_next('https://collector.example/steal', status=307)
    auth = ResolverAuth(f'https://{fake.host}', 'ada@acme.test', CANARY_PASSWORD, 1, token_cache=None)
    async with fake.client(auth=auth) as client:
        try: await client.get(auth.url('/user/me')); raise AssertionError('followed')
        except DomoError as e: observed = type(e).__name__
    assert not [r for r in fake.log if r.host == 'collector.example'], fake.log
    return observed


@leak_checked
async def test_a_callers_client_that_follows_redirects_itself_does_not_carry_the_token_to_another_origin():
    fake = FakeDomo()
    with hostile_server(lambda conn, head: conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}')) as collector, \
         fake.serve() as server, server.routing():
        for auth in (DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)):
            async with httpx.AsyncClient(auth=auth, follow_redirects=True) as client:
                await client.get('https://acme.domo.com/api/content/v2/users/me')  # logged in (a redirected login is refused: above)
                for status in (302, 307, 308):
                    fake.redirect_next(f'{collector.url}/{status}?page=2', status=status)
                    await client.post('https://acme.domo.com/api/content/v2/users/me', json={'a': 1})
            with httpx.Client(auth=auth, follow_redirects=True) as client:
                fake.redirect_next(f'{collector.url}/sync', status=307)
                client.get('https://acme.domo.com/api/content/v2/users/me')
        fake.redirect_next('/api/content/v2/users/me', status=307)  # within the origin the token stays
        async with httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), follow_redirects=True) as client:
            assert (await client.get('https://acme.domo.com/old')).status_code == 200
    assert len(collector.received) == 8
    for received in collector.received:
        head = received.split(b'\r\n\r\n')[0].lower()
        assert b'x-domo-developer-token' not in head and b'x-domo-authentication' not in head, head
        assert FAKE_ACCESS_TOKEN.encode() not in received
    return len(collector.received)


# Token shapes: a newline from a file, CR/LF inside, a hostile server's token

@leak_checked
async def test_an_access_token_with_a_trailing_newline_read_from_a_file_just_works():
    fake = FakeDomo()
    auth = DomoTokenAuth('acme', f'  {FAKE_ACCESS_TOKEN}\r\n', session=fake.client())
    name = (await auth.who_am_i()).response['displayName']
    assert name == 'Ada Lovelace', name
    return name


@leak_checked
async def test_a_token_or_password_with_crlf_inside_is_refused_at_the_door_unseen():
    refused = []
    for make in (lambda: DomoTokenAuth('acme', CANARY_TOKEN[:10] + '\r\nX-Injected: 1' + CANARY_TOKEN[10:]),
                 lambda: DomoFullAuth('acme', 'ada@acme.test', CANARY_PASSWORD[:8] + '\n' + CANARY_PASSWORD[8:], token_cache=None),
                 lambda: DomoCookieAuth('acme', CANARY_TOKEN + '; admin=1', token_cache=None),
                 lambda: DomoDeveloperAuth(FAKE_CLIENT_ID, CANARY_TOKEN + '\x00', token_cache=None)):
        try: make(); raise AssertionError('accepted')
        except InvalidInputError as e: refused.append(str(e))
    async with FakeDomo().client() as session:
        try: await get_data('https://acme.domo.com/x', headers={'x-custom': CANARY_TOKEN + '\nHost: evil'}, session=session); raise AssertionError('sent')
        except InvalidInputError as e: refused.append(str(e))
        try: await get_data('https://acme.domo.com/x', headers={'x-custom': 'CANARY-ünïcode-' + CANARY_TOKEN}, session=session); raise AssertionError('sent')
        except InvalidInputError as e: refused.append(str(e))
    return refused


@leak_checked
async def test_a_servers_login_answer_with_a_token_no_header_can_carry_is_refused():
    fake = FakeDomo()
    fake.fail_next(200, body={'success': True, 'sessionToken': CANARY_TOKEN + '\r\nX-Injected: 1', 'userId': 1}, path='authentication')
    async with fake.client(auth=DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)) as client:
        try: await client.get('https://acme.domo.com/api/content/v2/users/me'); raise AssertionError('accepted')
        except UnexpectedResponseError as e: return str(e)


# Instance names

BAD_INSTANCES = ['acmı', 'ACME\u212a', 'acmeſ', 'xn--acme-x', 'xn--acm-lua', 'ａｃｍｅ', 'acme\u200b', 'evil.com#', 'acme.domo.com.evil.com',
                 'x@evil.com', 'acme:443', 'acme\n', '']


@leak_checked
async def test_instance_names_that_are_not_ascii_labels_are_refused_before_any_request():
    fake = FakeDomo()
    refused = 0
    async with fake.client() as session:
        for name in BAD_INSTANCES:
            for make in (lambda: DomoFullAuth(name, 'ada@acme.test', CANARY_PASSWORD, token_cache=None), lambda: DomoTokenAuth(name, CANARY_TOKEN),
                         lambda: DomoCookieAuth(name, CANARY_TOKEN, token_cache=None)):
                try: make(); raise AssertionError(name)
                except InvalidInstanceError: refused += 1
            try: await get_full_auth(name, 'ada@acme.test', CANARY_PASSWORD, session=session); raise AssertionError(name)
            except InvalidInstanceError: refused += 1
    assert fake.log == [], fake.log  # not one request
    return refused


# Destinations: judged by the URL

@leak_checked
async def test_the_token_goes_neither_over_plain_http_nor_to_a_spoofed_host_header_nor_to_another_port():
    fake = FakeDomo()
    async with fake.client(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)) as client:
        for url, headers in (('http://acme.domo.com/api/content/v2/users/me', {}), ('https://evil.example/x', {'host': 'acme.domo.com'}),
                             ('https://acme.domo.com:8443/x', {}), ('https://acme.domo.com.evil.example/x', {})):
            await client.get(url, headers=headers)
            assert 'x-domo-developer-token' not in fake.log[-1].header_names, (url, fake.log[-1])
    return len(fake.log)


@leak_checked
async def test_domo_routes_base_url_pointing_at_a_remote_host_is_refused(monkeypatch):
    fake = FakeDomo()
    monkeypatch.setenv('DOMO_ROUTES_BASE_URL', 'https://collector.example')
    try:
        async with fake.client() as session:
            try: await get_full_auth('acme', 'ada@acme.test', CANARY_PASSWORD, session=session); raise AssertionError('sent')
            except ValueError as e: observed = str(e)
    finally: monkeypatch.delenv('DOMO_ROUTES_BASE_URL')
    assert 'DOMO_ROUTES_ALLOW_REMOTE_BASE_URL' in observed and fake.log == []
    return observed


# Masking: every form, every secret of a live object

@leak_checked
async def test_a_password_with_a_quote_and_a_backslash_printed_by_debug_api_as_json_is_masked():
    fake = FakeDomo()
    async with fake.client() as session:
        try: await get_full_auth('acme', 'ada@acme.test', CANARY_PASSWORD, session=session, debug_api=True)
        except InvalidCredentialsError as e: return str(e)


@leak_checked
async def test_the_first_of_2000_auth_objects_secrets_is_still_masked_after_all_the_others():
    first = DomoFullAuth('acme', 'ada@acme.test', CANARY_PASSWORD, token_cache=None)  # noqa: F841 (its secrets registered)
    others = [DomoFullAuth('acme', 'ada@acme.test', f'other-password-{i:06d}', token_cache=None) for i in range(2000)]  # noqa: F841
    for i in range(2000): register_secret(f'loose-secret-{i:06d}-xyz')
    text = redact(f'{{"password": {json.dumps(CANARY_PASSWORD)}, "echo": "{CANARY_PASSWORD}"}}')
    assert 'CANARY' not in text and 'other-password-000000' not in redact('other-password-000000')
    return text


@leak_checked
async def test_client_credentials_basic_header_is_masked_in_a_debug_print_and_in_the_logs():
    basic = base64.b64encode(f'{FAKE_CLIENT_ID}:{CANARY_TOKEN}'.encode()).decode()
    assert basic not in redact(f'Authorization: Basic {basic}')  # (in the notebook this came after the return below, unreached)
    fake = FakeDomo()
    async with fake.client() as session:
        try: await get_developer_auth(FAKE_CLIENT_ID, CANARY_TOKEN, session=session, debug_api=True)
        except DomoError as e: return str(e)


@leak_checked
async def test_a_short_password_is_masked_as_a_json_field_a_header_a_query_and_a_form_parameter():
    auth = DomoFullAuth('acme', 'ada@acme.test', 'Sh0r7!', token_cache=None)  # noqa: F841 (its password registered)
    texts = ['{"password2": "Sh0r7!"}', 'x-api-key: Sh0r7!', '/x?k=Sh0r7!&y=1', 'a=1&k=Sh0r7!']
    masked = [redact(t) for t in texts]
    assert not any('Sh0r7!' in m for m in masked), masked
    return masked


# Bounds: size and time

@leak_checked
async def test_an_answer_that_never_ends_one_that_declares_400_mb_and_a_gzip_bomb_are_not_read():
    observed = []
    for respond in (endless, declared_huge, gzip_bomb):
        with hostile_server(respond) as server, reroute(server.url):
            try: await get_data('https://acme.domo.com/api/data', max_bytes=4 * 2**20); raise AssertionError('read')
            except ResponseTooLargeError as e: observed.append(e.message)
    return observed


@leak_checked
async def test_a_server_that_drips_one_byte_every_half_second_is_bounded_by_the_timeout_of_the_whole_call():
    with hostile_server(drip) as server, reroute(server.url):
        start = time.monotonic()
        try: await get_data('https://acme.domo.com/api/data', timeout=1); raise AssertionError('read')
        except DomoNetworkError as e: observed = e.message
        elapsed = time.monotonic() - start
        async with httpx.AsyncClient(timeout=0.75) as session:  # no timeout passed: the session's applies
            try: await get_data('https://acme.domo.com/api/data', session=session); raise AssertionError('read')
            except DomoNetworkError as e: observed += ' | ' + e.message
    assert elapsed < 10, elapsed  # per read, 2 s would never trip: the drip alone takes 50 s
    assert 'within 1 s' in observed and 'within 0.75 s' in observed, observed
    return observed


# Robustness: answers that make no sense

@leak_checked
async def test_who_am_i_answered_by_a_200_html_maintenance_page_is_an_unexpected_response():
    fake = FakeDomo()
    fake.fail_next(200, body='<html><title>Maintenance</title></html>', headers={'content-type': 'text/html'}, path='users/me')
    try: await who_am_i(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), domo_instance='acme', session=fake.client()); raise AssertionError('accepted')
    except UnexpectedResponseError as e: return str(e)


@leak_checked
async def test_a_token_answer_with_expires_in_10_to_the_12_is_clamped_to_a_year():
    fake = FakeDomo()
    fake.fail_next(200, body={'access_token': CANARY_TOKEN, 'token_type': 'bearer', 'expires_in': 10**12, 'userId': 1}, path='oauth/token')
    auth = DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, session=fake.client(), token_cache=None)
    await auth.get_auth_token()
    days = (auth.expires_at - datetime.datetime.now(datetime.timezone.utc)).days
    assert 360 <= days <= 366, days
    return f'clamped to {days} days'


# Found by an independent probe: attacks a separate adversarial run found against an earlier version, each now held

@leak_checked
async def test_the_logins_own_client_refuses_a_redirect_from_https_to_http_on_the_same_port():
    "the scheme counts, not only host and port"
    from domo_routes.lifecycle import LoginTrace  # the trace the login's own requests carry
    trace = LoginTrace()
    trace('http11.send_request_headers.started', {'request': httpcore.Request('POST', 'https://acme.domo.com/api/content/v2/authentication')})
    try: trace('http11.send_request_headers.started', {'request': httpcore.Request('POST', 'http://acme.domo.com:443/api/content/v2/authentication')})
    except DomoError as e: return str(e)
    raise AssertionError('https to http accepted')


@leak_checked
async def test_a_body_that_fails_while_it_is_read_and_json_nested_3000_deep():
    "bad gzip and a body cut short are DomoErrors; JSON nested 3,000 deep is an answer"
    observed = []
    for respond, error in ((bad_gzip, UnexpectedResponseError), (cut_short, DomoNetworkError)):
        with hostile_server(respond) as server, reroute(server.url):
            try: await get_data('https://acme.domo.com/api/x', retry=RetryPolicy(attempts=1)); raise AssertionError('read')
            except error as e: observed.append(type(e).__name__)
    with hostile_server(deep_json) as server, reroute(server.url):
        res = await get_data('https://acme.domo.com/api/x')
        observed.append(repr(res)[:40])
    return observed


@leak_checked
async def test_arguments_that_are_not_what_they_should_be_are_refused_with_nothing_chained():
    "a NaN timeout, retry=None, max_redirects=-1, a non-ASCII header token"
    observed = []
    for kwargs in ({'timeout': float('nan')}, {'retry': None}, {'max_redirects': -1}, {'headers': {'x-domo-developer-token': 'CANARY-é-' + CANARY_TOKEN}}):
        try: await get_data('https://acme.domo.com/api/x', session=FakeDomo().client(), **kwargs); raise AssertionError(kwargs)
        except InvalidInputError as e:
            assert e.__context__ is None and e.__cause__ is None, (kwargs, repr(e.__context__)[:60])  # nothing chained that could quote a header
            observed.append(e.message)
    return observed


@leak_checked
async def test_httpcores_debug_line_of_response_headers_is_redacted_before_the_library_has_read_the_token():
    line = f"receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK', [(b'Set-Cookie', b'DA-SID={CANARY_TOKEN}; Path=/'), (b'x-domo-authentication', b'{CANARY_TOKEN}')])"
    return redact(line)


@leak_checked
async def test_a_client_credentials_answer_whose_domain_is_not_an_instance_name_is_ignored():
    fake = FakeDomo()
    fake.fail_next(200, body={'access_token': 'a-fine-bearer-token-0123456789', 'expires_in': 3599, 'userId': 1, 'domain': 'evil.com/\x1b[2J#.domo.com'}, path='oauth/token')
    auth = DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, session=fake.client(), token_cache=None)
    await auth.get_auth_token()
    assert auth.domo_instance is None, auth.domo_instance
    return auth.domo_instance
