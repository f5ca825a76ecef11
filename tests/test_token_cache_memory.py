"""The cache entry, its key, and the process-wide memory cache (nbs/06_token_cache.ipynb)"""
import re

from domo_routes import DomoFullAuth, InvalidCredentialsError, MemoryTokenCache, default_token_cache
from domo_routes.fake import FAKE_PASSWORD
from domo_routes.token_cache import cache_key

from support_cache import sample_entry


def test_cached_token_repr_masks_the_token():
    entry = sample_entry()
    shown = repr(entry)
    assert entry.value not in shown
    assert shown == "CachedToken(a-se…6789, 25200 s left, {'method': 'full', 'instance': 'acme', 'user': 'ada@acme.test'})"


def test_cache_key_is_a_digest_of_the_identity():
    identity = sample_entry().identity
    key = cache_key(identity)
    assert key == '9fdc8e60544209f96b40a74ae7ac2c8becb56319'
    assert re.fullmatch(r'[0-9a-f]{40}', key) and 'ada' not in key
    assert cache_key(dict(reversed(list(identity.items())))) == key  # the order of the fields does not matter
    assert cache_key({**identity, 'user': 'bob@acme.test'}) != key


def test_memory_cache_keeps_and_returns_an_entry():
    cache, entry = MemoryTokenCache(), sample_entry()
    cache.store(cache_key(entry.identity), entry)
    found = cache.load(cache_key(entry.identity))
    assert repr(cache) == 'MemoryTokenCache(1 entry)'
    assert (found.value, found.identity) == (entry.value, entry.identity)
    assert 6.9 * 3600 < found.remaining <= 7 * 3600


def test_memory_cache_discards_only_the_token_it_still_holds():
    cache, entry = MemoryTokenCache(), sample_entry()
    key = cache_key(entry.identity)
    cache.store(key, entry)
    cache.discard(key, 'some-other-token-value')
    assert len(cache.entries()) == 1  # another value is not removed
    cache.discard(key, entry.value)
    assert cache.entries() == [] and cache.load(key) is None


async def test_auth_objects_with_the_same_credentials_share_one_login_in_memory(fake):
    cache = MemoryTokenCache()
    async with fake.client() as session:
        first = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        second = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        await first.who_am_i()
        await second.who_am_i()
    assert fake.logins == 1
    assert first.token == second.token and second.refresh_count == 1


async def test_a_wrong_password_does_not_borrow_a_token_from_memory(fake):
    cache = MemoryTokenCache()
    async with fake.client() as session:
        await DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache).who_am_i()
        wrong = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', session=session, token_cache=cache)
        try:
            await wrong.who_am_i()
            raise AssertionError('the wrong password was accepted')
        except InvalidCredentialsError as e:
            assert 'INVALID_CREDENTIALS at acme' in str(e), str(e)
    assert (fake.logins, fake.requests_by_route['login']) == (1, 2)  # ada's login, and the wrong password's own attempt (refused)
    assert wrong.token is None


async def test_auth_objects_use_the_process_memory_cache_by_default(fake):
    # DOMO_TOKEN_CACHE unset (conftest removes it) and no token_cache= given: the library's default
    async with fake.client() as session:
        first = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session)
        second = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session)
        await first.who_am_i()
        await second.who_am_i()
    assert first.token_cache is default_token_cache() and second.token_cache is default_token_cache()
    assert fake.logins == 1 and first.token == second.token and second.refresh_count == 1
    assert [e.value for e in default_token_cache().entries()] == [first.token]
