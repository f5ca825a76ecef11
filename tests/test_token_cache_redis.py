"""RedisTokenCache against a real redis-server, in this process: entries that expire on Redis's clock, compare-and-delete,
the fleet's lock, and a dead Redis that costs one short timeout and one warning (nbs/06_token_cache.ipynb)"""
import logging, time

import pytest

from domo_routes import CachedToken, DomoFullAuth, RedisTokenCache
from domo_routes.fake import FAKE_PASSWORD
from domo_routes.token_cache import cache_key

from conftest import free_port
from support_cache import sample_entry

IDENTITY = sample_entry().identity
KEY = cache_key(IDENTITY)


@pytest.fixture
def cache(redis_server) -> RedisTokenCache:
    return RedisTokenCache(redis_server.url)


async def test_a_dead_redis_costs_one_short_timeout_and_one_warning(fake, caplog):
    pytest.importorskip('redis')  # no redis-server needed: nothing listens on that port
    caplog.set_level(logging.WARNING, logger='domo_routes')
    dead = RedisTokenCache(f'redis://127.0.0.1:{free_port()}/0', timeout=0.5)
    async with fake.client() as session:
        start = time.monotonic()
        for _ in range(3):
            await DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=dead).who_am_i()
        took = time.monotonic() - start
    assert took < 2, took  # then nothing for `retry_after` seconds; nothing fails
    assert fake.logins == 3
    lines = [r.getMessage() for r in caplog.records if r.name == 'domo_routes']
    assert sum('failed to' in line for line in lines) == 1, lines  # one warning per outage, not one per call


def test_discard_removes_only_the_token_the_entry_still_holds(cache):
    cache.store(KEY, CachedToken('token-one-0123456789', 3600, 3600, IDENTITY))
    cache.discard(KEY, 'token-two-0123456789')
    assert cache.load(KEY).value == 'token-one-0123456789'
    cache.discard(KEY, 'token-one-0123456789')
    assert cache.load(KEY) is None


def test_an_entry_expires_with_its_token_on_redis_clock(cache):
    cache.store(KEY, CachedToken('token-one-0123456789', 3600, 0.2, IDENTITY))
    time.sleep(0.4)
    assert cache.load(KEY) is None


def test_a_broken_entry_is_a_miss_with_a_warning(cache, caplog):
    caplog.set_level(logging.WARNING, logger='domo_routes')
    cache.client.hset(cache.prefix + KEY, mapping={'entry': '{broken', 'token': 'x'})
    assert cache.load(KEY) is None
    lines = [r.getMessage() for r in caplog.records if r.name == 'domo_routes']
    assert any('cannot be used' in line and 'logging in instead' in line for line in lines), lines


def test_the_lock_is_taken_by_one_holder_at_a_time(cache):
    a, b = cache.lock(KEY), cache.lock(KEY)
    assert (a.acquire(), b.acquire()) == (True, False)
    a.release()
    assert b.acquire() is True
    b.release()
