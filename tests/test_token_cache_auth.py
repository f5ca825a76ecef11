"""Auth objects with a token cache: an entry that has expired or is about to is never used, a refused token is replaced
in the cache, and a login lock held too long is given up (nbs/06_token_cache.ipynb)"""
import logging, time

import pytest

import domo_routes.lifecycle.flow as lifecycle
from domo_routes import CachedToken, DomoFullAuth, FileTokenCache
from domo_routes.fake import FAKE_PASSWORD

from support_cache import cache_slot

CACHED = 'a-cached-token-0123456789'


@pytest.mark.parametrize('remaining', [-60, 1, 100], ids=['expired', 'about-to-expire', 'inside-the-refresh-window'])
async def test_a_cached_token_that_is_not_fresh_is_never_used(fake, tmp_path, remaining):
    cache = FileTokenCache(tmp_path / 'c')
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        key, identity = cache_slot(auth)
        cache.store(key, CachedToken(CACHED, 8 * 3600, remaining, identity))  # of an 8-hour token
        await auth.who_am_i()
    assert auth.token != CACHED
    assert (fake.logins, fake.requests_by_route['me']) == (1, 1)  # a cached token sent would have cost a 401 and a second `me`


async def test_invalidate_forgets_the_cached_token_too(fake, tmp_path):
    cache = FileTokenCache(tmp_path / 'c')
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        key, identity = cache_slot(auth)
        cache.store(key, CachedToken(CACHED, 8 * 3600, 100, identity))
        auth.invalidate()
        assert cache.load(key) is None


async def test_a_cached_token_the_server_refused_is_replaced_for_everyone(fake, tmp_path):
    cache = FileTokenCache(tmp_path / 'c')
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        await auth.who_am_i()
        key, _ = cache_slot(auth)
        old = auth.token
        assert cache.load(key).value == old
        fake.expire_all()
        other = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        await other.who_am_i()
    assert cache.load(key).value == other.token != old
    assert fake.logins == 2


async def test_a_login_lock_held_too_long_is_given_up_with_a_warning(fake, tmp_path, monkeypatch, caplog):
    # a lock held by another process (or a dead worker) for longer than CACHE_LOCK_WAIT: the caller logs in without it
    assert lifecycle.CACHE_LOCK_WAIT < 30  # well inside the default 30 s a call may take, so waiting never turns into a timeout
    monkeypatch.setattr(lifecycle, 'CACHE_LOCK_WAIT', 0.5)
    caplog.set_level(logging.WARNING, logger='domo_routes')
    cache = FileTokenCache(tmp_path)
    async with fake.client() as session:
        auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=session, token_cache=cache)
        holder = cache.lock(cache_slot(auth)[0])
        assert holder.acquire()
        try:
            start = time.monotonic()
            assert (await auth.who_am_i()).status == 200
            waited = time.monotonic() - start
        finally:
            holder.release()
    lines = [r.getMessage() for r in caplog.records if r.name == 'domo_routes']
    assert 0.5 <= waited < 5, waited
    assert any('waited' in line for line in lines), lines
