"""`DomoSignInAuth`, the auth object of a browser sign-in: its login is a chain of two requests (refresh token → access
token → sid), with every promise the other auth objects keep: the caller's client, one mint for many callers, minted
ahead of expiry, one re-mint on a 401, refusals remembered, rotation kept (nbs/12_browser_sign_in.ipynb)."""
import asyncio, threading

import httpx
import pytest

from domo_routes import (DomoSignInAuth, InvalidCredentialsError, MissingConfigurationError, RedisTokenCache,
                         TokenState, run_sync)
from domo_routes.fake import FakeDomo

from support_lifecycle import ME
from support_sign_in import file_sign_ins, new_refresh_token

TOKEN_PATH = '/api/oauth2/token'


def token_requests(fake) -> int:
    "Requests to the token endpoint (refreshes, refused ones included)"
    return sum(1 for seen in fake.log if seen.path == TOKEN_PATH)


def on_a_clock(sid_lifetime: float = 3600, **kw):
    "(fake, auth, now): a fake and an auth object from a refresh token, on one clock the test moves"
    now = [1_700_000_000.0]
    fake = FakeDomo(clock=lambda: now[0])
    fake.sign_in.sid_lifetime = fake.sign_in.access_token_lifetime = sid_lifetime
    auth = DomoSignInAuth('acme', new_refresh_token(fake), clock=lambda: now[0], token_cache=None, **kw)
    return fake, auth, now


async def test_the_login_is_a_refresh_then_a_sid_and_requests_carry_the_sid():
    fake, auth, _ = on_a_clock()
    async with fake.client(auth=auth) as client:
        me = await client.get(ME)
    assert me.status_code == 200 and me.json()['id'] == 1893952720
    assert [(s.method, s.path) for s in fake.log] == [('POST', TOKEN_PATH), ('GET', '/api/oauth2/sid'), ('GET', me.url.path)]
    assert auth.token in fake.sessions and (fake.sign_in.refreshes, fake.sign_in.mints) == (1, 1)


async def test_built_from_a_refresh_token_it_works_in_a_sync_client_and_through_the_library():
    fake, auth, _ = on_a_clock()
    with fake.sync_client(auth=auth) as client:
        assert client.get(ME).status_code == 200
    async with fake.client() as session:
        assert (await auth.who_am_i(session)).response['displayName'] == 'Ada Lovelace'
    assert fake.sign_in.mints == 1


async def test_two_hundred_concurrent_async_callers_cause_one_mint():
    fake, auth, _ = on_a_clock()
    fake.delay_next(0.05, n=2)  # the refresh and the sid take a while: everyone arrives meanwhile
    async with fake.client(auth=auth) as client:
        answers = await asyncio.gather(*[client.get(ME) for _ in range(200)])
    assert {a.status_code for a in answers} == {200}
    assert (fake.sign_in.refreshes, fake.sign_in.mints, token_requests(fake)) == (1, 1, 1)


def test_threads_tasks_and_loops_together_cause_one_mint():
    "8 threads, each its own event loop with 10 tasks, and 8 threads with a sync client: one refresh, one sid"
    fake, auth, _ = on_a_clock()
    fake.delay_next(0.1, n=2)
    statuses, start = [], threading.Barrier(16)

    def tasks():
        async def run():
            async with fake.client(auth=auth) as client:
                return [r.status_code for r in await asyncio.gather(*[client.get(ME) for _ in range(10)])]
        start.wait()
        statuses.extend(asyncio.run(run()))

    def sync():
        with fake.sync_client(auth=auth) as client:
            start.wait()
            statuses.append(client.get(ME).status_code)

    threads = [threading.Thread(target=f) for f in [tasks] * 8 + [sync] * 8]
    for t in threads: t.start()
    for t in threads: t.join(60)
    assert (len(statuses), set(statuses), fake.sign_in.mints, fake.sign_in.refreshes) == (88, {200}, 1, 1)


async def test_ten_minutes_of_requests_with_a_60_s_sid_mint_about_ten_and_no_401_reaches_the_caller():
    "The closing note's figure: a request every second for 10 minutes; each sid minted ahead of its expiry"
    fake, auth, now = on_a_clock(sid_lifetime=60)
    statuses = []
    async with fake.client(auth=auth) as client:
        for _ in range(600):
            statuses.append((await client.get(ME)).status_code)
            now[0] += 1
    assert set(statuses) == {200} and fake.responses_by_status[401] == 0
    assert 10 <= fake.sign_in.mints <= 12, fake.sign_in.mints


async def test_a_401_is_answered_by_one_new_mint_and_the_request_sent_again():
    fake, auth, _ = on_a_clock()
    async with fake.client(auth=auth) as client:
        await client.get(ME)
        fake.expire_all()  # the server ends every session
        answers = await asyncio.gather(*[client.get(ME) for _ in range(20)])
    assert {a.status_code for a in answers} == {200} and fake.sign_in.mints == 2


async def test_a_revoked_refresh_token_says_to_sign_in_again_and_is_remembered():
    fake, auth, _ = on_a_clock()
    fake.sign_in.revoke()
    async with fake.client(auth=auth) as client:
        with pytest.raises(InvalidCredentialsError) as caught:
            await client.get(ME)
        assert 'sign in again' in str(caught.value) and 'login --web' in caught.value.hint
        before = token_requests(fake)
        results = await asyncio.gather(*[client.get(ME) for _ in range(20)], return_exceptions=True)
    assert all(isinstance(r, InvalidCredentialsError) and 'remembered' in str(r) for r in results)
    assert token_requests(fake) == before == 1  # refused once: not sent again


async def test_fifty_callers_meeting_a_revoked_refresh_token_share_one_refusal():
    fake, auth, _ = on_a_clock()
    fake.sign_in.revoke()
    fake.delay_next(0.05)
    async with fake.client(auth=auth) as client:
        results = await asyncio.gather(*[client.get(ME) for _ in range(50)], return_exceptions=True)
    assert all(isinstance(r, InvalidCredentialsError) for r in results) and token_requests(fake) == 1


async def test_a_sign_in_done_again_is_new_credentials_the_remembered_refusal_does_not_block(tmp_path):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    kept.save('acme', new_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    fake.sign_in.revoke()
    async with fake.client(auth=auth) as client:
        with pytest.raises(InvalidCredentialsError): await client.get(ME)
        kept.save('acme', new_refresh_token(fake))  # `domo-routes login --web` in another terminal
        assert (await client.get(ME)).status_code == 200


async def test_a_rotated_refresh_token_replaces_the_kept_one_and_other_objects_use_it(tmp_path):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    fake.sign_in.rotate_refresh_tokens = True
    first = new_refresh_token(fake)
    kept.save('acme', first, user='ada@acme.test')
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    async with fake.client() as session:
        await auth.who_am_i(session)
        second = kept.load('acme').refresh_token
        assert second != first and second in fake.sign_in.refresh_tokens and first not in fake.sign_in.refresh_tokens
        other = DomoSignInAuth('acme', sign_ins=file_sign_ins(tmp_path), token_cache=None)  # as another process would
        await other.who_am_i(session)
        auth.invalidate()
        await auth.who_am_i(session)  # re-reads the kept one, which `other` rotated
    assert fake.sign_in.refreshes == 3 and kept.entries()[0].user == 'ada@acme.test'


async def test_a_refusal_because_another_process_had_just_rotated_the_token_is_retried_with_the_new_one(tmp_path):
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    fake.sign_in.rotate_refresh_tokens = True
    kept.save('acme', new_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    rotated_elsewhere = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    real_read = auth._current_refresh_token
    stale = kept.load('acme').refresh_token
    calls = []

    def read_before_the_other_process_wrote():
        calls.append(1)
        return stale if len(calls) == 1 else real_read()
    auth._current_refresh_token = read_before_the_other_process_wrote
    async with fake.client() as session:
        await rotated_elsewhere.who_am_i(session)  # rotates: `stale` is dead now
        assert (await auth.who_am_i(session)).status == 200
    assert token_requests(fake) == 3  # the other's refresh, the refused one, the one with the new token


async def test_a_refresh_token_given_and_rotated_is_kept_in_memory_with_a_warning(caplog):
    fake, auth, _ = on_a_clock()
    fake.sign_in.rotate_refresh_tokens = True
    async with fake.client() as session:
        await auth.who_am_i(session)
        auth.invalidate()
        await auth.who_am_i(session)
    assert fake.sign_in.refreshes == 2 and sum('kept in memory only' in r.getMessage() for r in caplog.records) == 2


def test_without_a_kept_sign_in_it_says_how_to_sign_in(tmp_path):
    with pytest.raises(MissingConfigurationError, match='login --web'):
        DomoSignInAuth('acme', sign_ins=file_sign_ins(tmp_path))


async def test_a_redis_token_cache_shares_the_sid_across_objects(redis_server):
    "Two workers of a fleet with the same refresh token: one refresh, one sid"
    fake = FakeDomo()
    token = new_refresh_token(fake)
    auths = [DomoSignInAuth('acme', token, token_cache=RedisTokenCache(redis_server.url)) for _ in range(2)]
    async with fake.client() as session:
        for auth in auths: await auth.who_am_i(session)
    assert (fake.sign_in.mints, auths[1].state) == (1, TokenState.FRESH)


def test_from_a_script_run_sync_gets_a_sid_and_the_header_that_carries_it():
    fake, auth, _ = on_a_clock()
    value = run_sync(auth.get_auth_token(fake.client()))
    assert value in fake.sessions and httpx.Headers(auth.auth_header)['x-domo-authentication'] == value


async def test_an_async_login_reads_the_kept_sign_in_off_the_event_loop(tmp_path):
    "The keyring (D-Bus, a locked Keychain) or a file may be slow: the loop's other tasks go on meanwhile"
    fake, kept = FakeDomo(), file_sign_ins(tmp_path)
    kept.save('acme', new_refresh_token(fake))
    auth = DomoSignInAuth('acme', sign_ins=kept, token_cache=None)
    reads, real_find = [], kept.find

    def recorded_find(instance):
        reads.append(threading.get_ident())
        return real_find(instance)
    kept.find = recorded_find
    async with fake.client(auth=auth) as client:
        assert (await client.get(ME)).status_code == 200
    assert reads and threading.get_ident() not in reads
