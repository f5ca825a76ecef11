"""A cached token never vouches for a wrong password, and a credential failure is remembered for the identity and
those exact credentials, for a window: by every auth object of the process and, through a file or Redis cache, by
every process; other credentials are tried at once; invalidate() and login() try again (nbs/07_lifecycle_flow)."""
import asyncio, hashlib, json, time

import pytest

from domo_routes import (DomoDeveloperAuth, DomoFullAuth, FileTokenCache, InvalidCredentialsError, RedisTokenCache,
                         token_cache_from)
from domo_routes.fake import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD, FakeDomo

from support_lifecycle import ME


def logins_with(fake, password: str) -> int:
    "Password attempts the fake saw with `password` (every login request carries one)"
    return sum(1 for _, _, body in fake.password_attempts if body == password)


class CountingDomo(FakeDomo):
    "FakeDomo that also keeps which password each login request carried"
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.password_attempts = []

    def respond(self, request):
        if request.url.path.endswith('/authentication'):
            body = json.loads(request.content or b'{}')
            self.password_attempts.append((request.method, request.url.path, body.get('password')))
        return super().respond(request)


async def who(auth, fake):
    async with fake.client() as session: return await auth.who_am_i(session)


# -- a cached token never vouches for a wrong password

@pytest.mark.parametrize('cache', ['file', 'redis', 'memory'])
async def test_a_token_cached_for_the_right_password_is_not_used_for_a_wrong_one(cache, tmp_path, request):
    if cache == 'redis': cache_value = request.getfixturevalue('redis_server').url
    else: cache_value = str(tmp_path / 'cache') if cache == 'file' else 'memory'
    fake = CountingDomo()
    right = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=token_cache_from(cache_value))
    await who(right, fake)
    wrong = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=token_cache_from(cache_value))
    with pytest.raises(InvalidCredentialsError): await who(wrong, fake)  # a real attempt, refused
    again = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=token_cache_from(cache_value))
    assert (await who(again, fake)).status == 200
    assert (logins_with(fake, FAKE_PASSWORD), logins_with(fake, 'not-the-password')) == (1, 1)  # the right one: cached


async def test_a_cached_client_credentials_token_is_not_used_for_a_wrong_secret(tmp_path):
    fake, cache = FakeDomo(), FileTokenCache(tmp_path / 'cache')
    await who(DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=cache), fake)
    with pytest.raises(InvalidCredentialsError):
        await who(DomoDeveloperAuth(FAKE_CLIENT_ID, 'not-the-secret-0123456789', token_cache=cache), fake)


async def test_what_the_cache_keeps_lets_no_one_test_guesses_faster_than_scrypt(tmp_path):
    "Neither the password nor a fast hash of it: only scrypt (n = 2**14, r = 8) with a random salt"
    fake, cache = FakeDomo(), FileTokenCache(tmp_path / 'cache')
    await who(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=cache), fake)
    text = ''.join(p.read_text() for p in (tmp_path / 'cache').glob('*.json'))
    fast = [getattr(hashlib, name)(FAKE_PASSWORD.encode()).hexdigest() for name in ('md5', 'sha1', 'sha256', 'sha512')]
    assert FAKE_PASSWORD not in text and not [h for h in fast if h[:16] in text]
    [entry] = cache.entries()
    verifier = entry.info['verifier']
    assert (verifier['n'], verifier['r']) == (2 ** 14, 8) and len(set(verifier)) == 5


async def test_a_cache_entry_whose_verifier_asks_for_absurd_scrypt_costs_is_not_computed(tmp_path):
    "A hostile cache: p = 10,000 would take minutes of CPU (n = 2**30, a TiB): the entry is not used, nothing hangs"
    fake, cache = FakeDomo(), FileTokenCache(tmp_path / 'cache')
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=cache)
    await who(auth, fake)
    [path] = (tmp_path / 'cache').glob('*.json')
    record = json.loads(path.read_text())
    record['info']['verifier']['p'] = 10_000
    path.write_text(json.dumps(record))
    started = time.monotonic()
    await who(DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=FileTokenCache(tmp_path / 'cache')), fake)
    assert time.monotonic() - started < 5 and fake.logins == 2


# -- credential failures remembered

async def test_five_objects_of_one_process_two_calls_each_make_one_attempt():
    "The closing note's figure: a wrong password in 5 auth objects × 2 calls → 1 attempt"
    fake = CountingDomo()
    for _ in range(5):
        auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=None)
        for _ in range(2):
            with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    assert logins_with(fake, 'not-the-password') == 1


async def test_processes_sharing_a_file_cache_remember_the_failure_and_say_until_when(tmp_path):
    "A new process (the in-process memory forgotten, as a new process has none) finds the failure in the file cache"
    from domo_routes.lifecycle.flow import FAILURES
    fake, cache = CountingDomo(), tmp_path / 'cache'
    for _ in range(3):
        FAILURES.forget()
        auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=FileTokenCache(cache))
        with pytest.raises(InvalidCredentialsError) as caught: await who(auth, fake)
    assert logins_with(fake, 'not-the-password') == 1
    assert 'not tried again with these credentials before' in str(caught.value) and 'UTC' in str(caught.value)
    assert 'not-the-password' not in ''.join(p.read_text() for p in cache.glob('*.json'))


async def test_a_cron_job_every_minute_makes_one_attempt_per_window(tmp_path, monkeypatch):
    "The closing note's figure: 10 runs a minute apart → 1 attempt; 31 runs → 3 (at 0, 15 and 30 minutes)"
    from domo_routes.lifecycle.flow import FAILURES
    import domo_routes.token_cache as token_cache
    now = [1_700_000_000.0]
    monkeypatch.setattr(token_cache.time, 'time', lambda: now[0])  # the file cache's clock, moved by the test
    fake, cache = CountingDomo(clock=lambda: now[0]), tmp_path / 'cache'
    attempts = []
    for minute in range(31):
        FAILURES.forget()  # each run a new process
        auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=FileTokenCache(cache),
                            clock=lambda: now[0])
        with pytest.raises(InvalidCredentialsError): await who(auth, fake)
        attempts.append(logins_with(fake, 'not-the-password'))
        now[0] += 60
    assert (attempts[9], attempts[30]) == (1, 3)


async def test_other_credentials_are_tried_at_once_and_invalidate_and_login_try_again():
    fake = CountingDomo()
    auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=None)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    other = DomoFullAuth('acme', 'ada@acme.test', 'another-wrong-one', token_cache=None)
    with pytest.raises(InvalidCredentialsError): await who(other, fake)
    auth.invalidate()
    with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    async with fake.client() as session:
        with pytest.raises(InvalidCredentialsError): await auth.login(session)
    assert (logins_with(fake, 'not-the-password'), logins_with(fake, 'another-wrong-one')) == (3, 1)
    auth.domo_password = FAKE_PASSWORD
    assert (await who(auth, fake)).status == 200


async def test_a_login_that_works_forgets_the_failure_written_in_the_cache(tmp_path):
    from domo_routes.lifecycle.flow import FAILURES
    fake, cache = CountingDomo(), tmp_path / 'cache'
    with pytest.raises(InvalidCredentialsError):
        await who(DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=FileTokenCache(cache)), fake)
    async with fake.client() as session:
        await DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=FileTokenCache(cache)).login(session)
    assert [e for e in FileTokenCache(cache).entries() if e.identity.get('failure')] == []
    FAILURES.forget()
    auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=FileTokenCache(cache))
    with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    assert logins_with(fake, 'not-the-password') == 2  # the written-down failure went with the good login


async def test_a_failure_remembered_in_redis_is_seen_by_another_process(redis_server):
    from domo_routes.lifecycle.flow import FAILURES
    fake = CountingDomo()
    for _ in range(3):
        FAILURES.forget()
        auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=RedisTokenCache(redis_server.url))
        with pytest.raises(InvalidCredentialsError): await who(auth, fake)
    assert logins_with(fake, 'not-the-password') == 1
