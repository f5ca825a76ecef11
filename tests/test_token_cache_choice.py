"""Choosing a cache from a DOMO_TOKEN_CACHE value: token_cache_from, and URLs whose passwords are never shown
(nbs/06_token_cache.ipynb)"""
from pathlib import Path

import pytest

from domo_routes import (FileTokenCache, InvalidInputError, MemoryTokenCache, RedisTokenCache, default_token_cache,
                         token_cache_from)
from domo_routes.token_cache import user_cache_dir


@pytest.fixture
def redis_py():
    "redis-py, which RedisTokenCache needs (the dev extra installs it)"
    return pytest.importorskip('redis')


def test_none_means_no_cache():
    assert token_cache_from('none') is None


def test_memory_and_unset_mean_the_process_memory_cache():
    assert token_cache_from('memory') is default_token_cache()
    assert token_cache_from(None) is default_token_cache()
    assert isinstance(token_cache_from(None), MemoryTokenCache)


def test_a_directory_means_a_file_cache_there():
    assert token_cache_from('  /tmp/x  ').directory == Path('/tmp/x')
    assert repr(token_cache_from('/var/cache/acme-jobs')) == "FileTokenCache('/var/cache/acme-jobs')"


def test_the_same_value_names_the_same_instance():
    assert token_cache_from('/tmp/x') is token_cache_from('/tmp/x')


def test_unset_with_default_file_means_the_user_cache_directory():
    cache = token_cache_from(None, default='file')
    assert isinstance(cache, FileTokenCache) and cache.directory == user_cache_dir()
    assert token_cache_from('', default='file') is not None


def test_another_url_scheme_is_refused():
    with pytest.raises(InvalidInputError, match='not none, memory'):
        token_cache_from('http://cache.example/')


def test_a_redis_url_is_shown_without_its_password(redis_py):
    cache = token_cache_from('redis://:hunter2-password@cache.internal:6379/0')
    assert isinstance(cache, RedisTokenCache)
    assert 'hunter2-password' not in repr(cache), repr(cache)
    assert repr(cache) == "RedisTokenCache('redis://…@cache.internal:6379/0')"


def test_a_short_redis_password_is_not_shown_either(redis_py):
    assert 'pw' not in repr(RedisTokenCache('redis://user:pw@cache.internal:6379/0'))


@pytest.mark.parametrize('url, secret', [
    ('redis://127.0.0.1:6391/0?password=S3cr3t-query-pw', 'S3cr3t-query-pw'),  # a password in the query string
    ('redis://:p@ss-AT-secret@127.0.0.1:6399/0', 'ss-AT-secret'),  # a password holding @
    ('REDIS://:pw-in-caps@127.0.0.1:6399/0', 'pw-in-caps'),  # a scheme in capitals
])
def test_redis_url_passwords_are_never_shown(url, secret, redis_py):
    shown = repr(token_cache_from(url))
    assert secret not in shown, shown


@pytest.mark.parametrize('url', [
    'redis://:Zq8Secr3tBase64Part/AbC+x=@127.0.0.1:6391/0',  # a password holding /
    'redis://default:Zq8Secr3t#frag@127.0.0.1:6391/0',  # a password holding #
    'redis://:pw@127.0.0.1:6392/0?ssl_cert_reqs=bogus',  # an option redis-py refuses
])
def test_a_url_redis_py_refuses_is_not_quoted_in_the_error(url, redis_py):
    try:
        token_cache_from(url)
        shown = 'accepted'
    except InvalidInputError as e:
        shown = str(e)
    assert 'Zq8Secr3t' not in shown and 'bogus' not in shown, shown
