"""Attacks on what the library keeps and reads back, and on the lifecycle's rules, one test each.

The families:
- Stores and inputs: temporaries of writers killed mid-store, a cached entry with an absurd expiry, user ids from a
  server that are not user ids, password shapes (spaces kept, bytes that are not text refused unseen).
- The lifecycle: a token that has worked earns its retry; lifetimes read from a whole-second `Date` expire early.
"""
import asyncio, json, os, subprocess, sys, time

import httpx
import pytest

from domo_routes import (DomoFullAuth, FileTokenCache, InvalidCredentialsError, InvalidInputError, UnexpectedResponseError,
                         generate_access_token)
from domo_routes.fake import FAKE_PASSWORD, FakeDomo, FakeUser, LeakCheck, default_users
from domo_routes.token_cache import CachedToken, cache_key
from domo_routes.secrets import secret_verifier

from conftest import run_cli

ME = 'https://acme.domo.com/api/content/v2/users/me'
YEAR_AND_A_DAY = 366 * 86400


# Stores and inputs

def _entry_file(directory, identity: dict, token: str, expires: float, password: str = FAKE_PASSWORD) -> str:
    "An entry written as the file cache writes one (0600), for `identity`, obtained with `password` (its verifier)"
    directory.mkdir(mode=0o700, exist_ok=True)
    path = directory / f'{cache_key(identity)}.json'
    info = {'verifier': secret_verifier(password)}  # a cached token serves only the password that obtained it
    path.write_text(json.dumps(CachedToken(token, 3600, None, identity, info).record(expires)))
    path.chmod(0o600)
    return str(path)


def test_temporaries_left_by_writers_killed_mid_store_are_removed_by_age_and_by_logout_all(tmp_path, fake_server):
    "Whole entries, token included, in .entry-*.tmp files: swept once a minute old, all of them by `logout --all`"
    directory = tmp_path / 'cache'
    cache = FileTokenCache(directory)
    cache.store('0' * 40, CachedToken('fake-session-token-kept-0123456789', 3600, 3600, {'method': 'full'}))
    stale = [directory / f'.entry-dead{i}.tmp' for i in range(5)]
    for path in stale:
        path.write_text(json.dumps({'token': 'CANARY-a-dead-writers-token-0123456789'}))
        os.utime(path, (time.time() - 120, time.time() - 120))
    fresh = directory / '.entry-alive.tmp'  # a writer at work right now: its file is left alone
    fresh.write_text('{}')
    cache.store('1' * 40, CachedToken('fake-session-token-kept-9876543210', 3600, 3600, {'method': 'full'}))
    assert not any(p.exists() for p in stale) and fresh.exists()
    for path in stale[:2]: path.write_text('{}')
    env = {'DOMO_TOKEN_CACHE': str(directory)}
    out = run_cli('logout', '--all', env=env)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in directory.iterdir() if p.name.startswith('.entry-')) == [], list(directory.iterdir())


def test_a_cached_entry_with_an_absurd_expiry_lives_a_year_at_most_and_status_and_whoami_still_work(tmp_path, fake, fake_server):
    directory = tmp_path / 'cache'
    identity = {'method': 'full', 'instance': 'acme', 'user': 'ada@acme.test', 'origin': 'https://acme.domo.com',
                'via': fake_server.url}
    async def a_real_token():
        async with fake.client() as client:
            return (await client.post('https://acme.domo.com/api/content/v2/authentication',
                                      json={'method': 'password', 'emailAddress': 'ada@acme.test',
                                            'password': FAKE_PASSWORD})).json()['sessionToken']
    _entry_file(directory, identity, asyncio.run(a_real_token()), time.time() + 10**15)
    cache = FileTokenCache(directory)
    [entry] = cache.entries()
    assert 0 < entry.remaining <= YEAR_AND_A_DAY and entry.lifetime <= YEAR_AND_A_DAY
    env = {'DOMO_TOKEN_CACHE': str(directory), 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test',
           'DOMO_PASSWORD': FAKE_PASSWORD, **fake_server.env()}
    status = run_cli('status', env=env)
    assert status.returncode == 0 and 'Traceback' not in status.stderr and 'ada@acme.test' in status.stdout, status
    whoami = run_cli('whoami', env=env)
    assert whoami.returncode == 0 and 'Ada Lovelace' in whoami.stdout, whoami.stderr
    assert fake.logins == 1  # the one above: whoami used the cached token


@pytest.mark.parametrize('bogus', ['abc', [1], True, 1.9, -5, 0])
async def test_a_user_id_the_server_sends_that_is_not_a_positive_integer_is_an_unexpected_response(bogus):
    "`id: true` or `1.9` must not become user 1: the elevation or the new token would be someone else's"
    fake = FakeDomo()
    me = {**fake.user.as_me(), 'id': bogus}
    fake.fail_next(200, body=me, path='/users/me')
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    fake.fail_next(200, body={'userId': bogus, 'success': True, 'sessionToken': _session_of(fake),
                              'twoFactorInfo': {'status': 'VALID'}}, path='/authentication')
    with pytest.raises(UnexpectedResponseError) as raised:
        await generate_access_token(auth, 'a token for whom?')
    assert 'user id' in str(raised.value)
    assert not [r for r in fake.log if r.path.startswith('/api/data/v1/accesstokens')]
    with pytest.raises(InvalidInputError): await auth.elevate_otp('123456', user_id=bogus)
    assert not [r for r in fake.log if 'elevations' in r.path]


def _session_of(fake: FakeDomo) -> str:
    "A live session of ada's, issued by `fake` (as a login would)"
    now = fake.clock()
    from domo_routes.fake import make_session_token
    token = make_session_token(fake.user.id, now + 3600, now)
    fake.sessions[token] = (fake.user.id, now + 3600)
    return token


async def test_a_password_with_spaces_around_it_is_sent_as_given():
    "Stripping it would make a password with spaces unusable, and remember it as wrong"
    spaced = '  a password with spaces around it  '
    fake = FakeDomo(users=[FakeUser(1893952720, 'ada@acme.test', spaced, 'Ada Lovelace'), *default_users()[1:]])
    auth = DomoFullAuth('acme', 'ada@acme.test', spaced, session=fake.client(), token_cache=None)
    assert (await auth.who_am_i()).response['displayName'] == 'Ada Lovelace'
    with pytest.raises(InvalidCredentialsError):
        await DomoFullAuth('acme', 'ada@acme.test', spaced.strip(), session=fake.client(), token_cache=None).who_am_i()


def test_a_password_holding_bytes_that_are_not_text_is_one_clear_error_that_shows_none_of_it():
    "From the environment (surrogate escapes): an InvalidInputError in Python, one line and exit 2 from the command"
    with LeakCheck('\udcff\udcfe') as check:
        with pytest.raises(InvalidInputError) as raised:
            DomoFullAuth('acme', 'ada@acme.test', 'pass\udcff\udcfeword', token_cache=None)
        check.add(raised.value)
    check.assert_clean()
    assert 'not UTF-8' in str(raised.value)
    env = {k: v for k, v in os.environ.items() if not k.startswith('DOMO_')}
    env_bytes = {k.encode(): v.encode('utf-8', 'surrogateescape') for k, v in env.items()}
    env_bytes.update({b'DOMO_INSTANCE': b'acme', b'DOMO_USERNAME': b'ada@acme.test', b'DOMO_PASSWORD': b'pass\xff\xfeword',
                      b'DOMO_TOKEN_CACHE': b'none'})
    exe = os.path.join(os.path.dirname(sys.executable), 'domo-routes')
    out = subprocess.run([exe, 'whoami'], env=env_bytes, capture_output=True, timeout=60, cwd='/')
    assert out.returncode == 2, out
    stderr = out.stderr.decode('utf-8', 'replace')
    assert b'\xff' not in out.stderr and '\ufffd' not in stderr and 'Traceback' not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and 'domo_password' in stderr


# The lifecycle

async def test_a_token_that_has_worked_is_replaced_when_the_server_revokes_it_even_within_a_minute_of_the_last_refusal():
    "The session is revoked twice in a minute: 20 concurrent callers get their answers, and one new login each time"
    fake = FakeDomo()
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    async with fake.client(auth=auth) as client:
        assert (await client.get(ME)).status_code == 200
        fake.expire_all()  # an admin ends the sessions: the next request is refused, and a login replaces the token
        assert (await client.get(ME)).status_code == 200
        fake.expire_all()  # ... and again, seconds later: the token obtained after the refusal had worked
        answers = await asyncio.gather(*[client.get(ME) for _ in range(20)])
    assert [a.status_code for a in answers] == [200] * 20
    assert fake.logins == 3


async def test_a_token_refused_before_it_ever_worked_is_not_replaced_again_within_the_cooldown():
    "The guard stays: an endpoint that refuses every fresh token does not get a login per request"
    fake = FakeDomo()
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None)
    async with fake.client(auth=auth) as client:
        fake.fail_next(401, n=10, path='/users/me')
        answers = await asyncio.gather(*[client.get(ME) for _ in range(5)])
    assert {a.status_code for a in answers} == {401} and fake.logins == 2
