"""Many processes, one login: cold workers sharing a FileTokenCache, and a fleet (each worker its own home, as on its
own machine) sharing a real redis-server (nbs/06_token_cache.ipynb)"""
from pathlib import Path

import json
import pytest

from domo_routes import FileTokenCache, RedisTokenCache
from domo_routes.fake import FAKE_PASSWORD
from domo_routes.token_cache import cache_key

from conftest import RedisServer, need_redis
from support_cache import ADA_ID, run_workers

REDIS_PASSWORD = 'CANARY-redis-password-4d3c2b1a'


def test_sixteen_cold_processes_on_a_file_cache_log_in_once(fake_server, tmp_path):
    fake, directory = fake_server.fake, str(tmp_path / 'cache')
    outs = run_workers(16, directory, fake_server.env())
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 1)
    entries = FileTokenCache(directory).entries()
    assert (len(entries), entries[0].identity['user'], entries[0].identity['method']) == (1, 'ada@acme.test', 'full')
    stored = ''.join(p.read_text() for p in Path(directory).glob('*.json'))
    assert FAKE_PASSWORD not in stored and entries[0].value in fake.sessions


def test_processes_find_the_token_another_process_left_in_the_file_cache(fake_server, tmp_path):
    fake, directory = fake_server.fake, str(tmp_path / 'cache')
    run_workers(1, directory, fake_server.env())
    assert fake.logins == 1
    outs = run_workers(16, directory, fake_server.env())
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 1)  # the second batch: every process found the token


def test_a_session_the_server_ended_is_replaced_once_for_every_process(fake_server, tmp_path):
    fake, directory = fake_server.fake, str(tmp_path / 'cache')
    run_workers(1, directory, fake_server.env())
    [before] = FileTokenCache(directory).entries()
    # the server ends every session: each process meets a 401; the token is removed for everyone, and one logs in again
    fake.expire_all()
    outs = run_workers(16, directory, fake_server.env())
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 2)
    assert FileTokenCache(directory).entries()[0].value != before.value


@pytest.fixture
def locked_redis():
    "A redis-server that asks for a password (a canary: it must not show up anywhere)"
    need_redis()
    pytest.importorskip('redis')
    with RedisServer(password=REDIS_PASSWORD) as server: yield server


def test_a_fleet_on_one_redis_logs_in_once(fake_server, locked_redis):
    fake = fake_server.fake
    outs = run_workers(16, locked_redis.url, fake_server.env(), homes=True)
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 1)
    assert all(REDIS_PASSWORD not in e for _, e in outs)
    cache = RedisTokenCache(locked_redis.url)
    [entry] = cache.entries()
    assert (entry.identity['user'], entry.info['user_id'], sorted(entry.info)) == ('ada@acme.test', int(ADA_ID),
                                                                                   ['user_id', 'verifier'])
    assert entry.info['verifier']['n'] >= 2 ** 14 and FAKE_PASSWORD not in json.dumps(entry.info)  # scrypt, never the password
    ttl = cache.client.pttl(cache.prefix + cache_key(entry.identity)) / 1000
    assert 0 < ttl <= 8 * 3600 and abs(ttl - entry.remaining) < 5, (ttl, entry.remaining)  # it expires with its token
    dump = b''.join(str(cache.client.hgetall(k)).encode() for k in cache.client.scan_iter('*'))
    assert FAKE_PASSWORD.encode() not in dump and b'CANARY-redis' not in dump


def test_a_fleet_on_one_redis_logs_in_again_once_when_the_server_ends_the_session(fake_server, locked_redis):
    fake = fake_server.fake
    run_workers(1, locked_redis.url, fake_server.env(), homes=True)
    assert fake.logins == 1
    fake.expire_all()  # the server ends the session
    outs = run_workers(16, locked_redis.url, fake_server.env(), homes=True)
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 2)  # one re-login for the fleet


def test_when_redis_dies_each_process_logs_in_on_its_own_with_a_warning(fake_server, locked_redis):
    fake = fake_server.fake
    run_workers(1, locked_redis.url, fake_server.env(), homes=True)
    assert fake.logins == 1
    locked_redis.stop()  # Redis dies: every process logs in on its own, warns, and succeeds
    outs = run_workers(4, locked_redis.url, fake_server.env(), homes=True)
    assert ({o.strip() for o, _ in outs}, fake.logins) == ({ADA_ID}, 1 + 4)
    assert all('Redis at' in e and 'logging in without it' in e for _, e in outs), [e for _, e in outs]
    assert all(REDIS_PASSWORD not in e for _, e in outs)
