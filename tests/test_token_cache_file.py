"""FileTokenCache: entries in 0600 files of a 0700 directory; whatever is wrong with a file is a miss with a warning,
never a crash (nbs/06_token_cache.ipynb)"""
import logging, os, sys, time
from pathlib import Path

import pytest

from domo_routes import CachedToken, FileTokenCache, InvalidInputError
from domo_routes.fake import FAKE_PASSWORD
from domo_routes.token_cache import cache_key, user_cache_dir

from support_cache import sample_entry

ENTRY = sample_entry()
KEY = cache_key(ENTRY.identity)


@pytest.fixture
def cache(tmp_path) -> FileTokenCache:
    "A cache in a directory that does not exist yet"
    return FileTokenCache(tmp_path / 'tokens')


@pytest.fixture
def warnings(caplog):
    "The messages of the library's warnings, as they are logged"
    caplog.set_level(logging.WARNING, logger='domo_routes')
    return lambda: [r.getMessage() for r in caplog.records if r.name == 'domo_routes' and r.levelno >= logging.WARNING]


def entry_path(cache: FileTokenCache, key: str = KEY) -> Path:
    return cache.directory / f'{key}.json'


def test_store_makes_a_private_directory_and_a_private_file(cache):
    cache.store(KEY, ENTRY)
    assert oct(os.stat(cache.directory).st_mode & 0o777) == '0o700'
    assert oct(os.stat(entry_path(cache)).st_mode & 0o777) == '0o600'


def test_load_returns_the_token_with_its_remaining_life(cache):
    cache.store(KEY, ENTRY)
    found = cache.load(KEY)
    assert found.value == ENTRY.value
    assert 6.9 * 3600 < found.remaining <= 7 * 3600


def test_no_credential_is_written(cache):
    cache.store(KEY, ENTRY)
    text = entry_path(cache).read_text()
    assert FAKE_PASSWORD not in text and 'password' not in text


def test_store_leaves_no_temporary_file_behind(cache):
    cache.store(KEY, ENTRY)
    assert [p.name for p in cache.directory.iterdir() if p.name.startswith('.entry-')] == []


@pytest.mark.parametrize('bad', [
    b'{not json', b'', b'[1, 2]',
    b'{"token": "a\\r\\nX-Evil: 1", "lifetime": 60, "expires": 1e18, "identity": {}}',  # a header injection
    b'{"token": "t0123456789", "lifetime": 60, "expires": "soon", "identity": {}}',  # an expiry that is no number
    b'\xff\xfe',
], ids=['not-json', 'empty', 'not-an-entry', 'header-injection', 'bad-expiry', 'not-utf8'])
def test_a_corrupt_or_hostile_entry_is_a_miss_with_a_warning(cache, warnings, bad):
    cache.store(KEY, ENTRY)
    entry_path(cache).write_bytes(bad)
    assert cache.load(KEY) is None
    lines = warnings()
    assert len(lines) == 1 and 'cannot be used' in lines[0], lines


def test_an_entry_others_can_read_is_ignored(cache, warnings):
    cache.store(KEY, ENTRY)
    os.chmod(entry_path(cache), 0o644)
    assert cache.load(KEY) is None
    assert 'readable by others' in warnings()[-1]


def test_an_expired_entry_is_a_miss_and_not_listed(cache):
    cache.store(KEY, CachedToken('old-token-0123456789', 60, -1, ENTRY.identity))
    assert (cache.load(KEY), len(cache.entries())) == (None, 0)


def test_discard_removes_only_the_token_the_entry_still_holds(cache):
    cache.store(KEY, ENTRY)
    cache.discard(KEY, 'another-token-value')
    assert cache.load(KEY).value == ENTRY.value
    cache.discard(KEY, ENTRY.value)
    assert cache.load(KEY) is None


def test_an_unwritable_directory_is_a_warning_and_the_token_is_not_kept(tmp_path, warnings):
    if os.getuid() != 0:
        directory = tmp_path / 'ro'
        directory.mkdir(mode=0o700)
        os.chmod(directory, 0o500)
    else:  # root writes in any 0500 directory of its own; /proc/self is one that no one can write in
        directory = Path('/proc/self')
        if not directory.is_dir(): pytest.skip('running as root, and no /proc/self to stand for an unwritable directory')
    try:
        unwritable = FileTokenCache(directory)
        assert unwritable.problem() is None  # the user's own directory, not writable by others: usable, but not writable
        unwritable.store(KEY, ENTRY)
        assert 'cannot write' in warnings()[-1], warnings()
        assert not (directory / f'{KEY}.json').exists()
    finally:
        if directory != Path('/proc/self'): os.chmod(directory, 0o700)


def test_the_lock_is_taken_by_one_holder_at_a_time(cache):
    lock_a, lock_b = cache.lock(KEY), cache.lock(KEY)
    assert (lock_a.acquire(), lock_b.acquire()) == (True, False)
    lock_a.release()
    assert lock_b.acquire() is True
    lock_b.release()


def test_a_key_that_is_not_a_digest_is_refused(cache):
    with pytest.raises(InvalidInputError, match='hex digest'):
        cache.load('../etc/passwd')


def test_a_shared_directory_keeps_its_mode_and_its_other_files(tmp_path):
    project = tmp_path / 'project'
    project.mkdir()
    os.chmod(project, 0o755)
    (project / 'package.json').write_text('{"name": "my-app"}')
    shared = FileTokenCache(project)
    shared.store(KEY, ENTRY)
    assert (len(shared.entries()), oct(project.stat().st_mode & 0o777)) == (1, '0o755')
    shared.clear()
    assert sorted(p.name for p in project.iterdir() if not p.name.endswith('.lock')) == ['package.json']


def test_a_directory_others_can_write_is_refused_without_a_trace(tmp_path, warnings):
    loose = tmp_path / 'loose'
    loose.mkdir()
    os.chmod(loose, 0o777)
    loose_cache = FileTokenCache(loose)
    loose_cache.store(KEY, ENTRY)
    assert (list(loose.iterdir()), loose_cache.load(KEY)) == ([], None)
    assert 'writable by others' in warnings()[-1]
    assert loose_cache.lock(KEY).acquire() and not list(loose.iterdir())  # no lock file planted there either


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(tmp_path):
    fifo_cache = FileTokenCache(tmp_path)
    os.mkfifo(entry_path(fifo_cache), 0o600)
    start = time.monotonic()
    assert fifo_cache.load(KEY) is None
    assert time.monotonic() - start < 1


def test_an_entry_nested_beyond_reason_is_a_miss_not_a_recursion_error(tmp_path):
    nested_cache = FileTokenCache(tmp_path)
    path = entry_path(nested_cache)
    path.write_text('{"a":' + '[' * 100000 + ']' * 100000 + '}')
    os.chmod(path, 0o600)
    assert (nested_cache.load(KEY), nested_cache.entries()) == (None, [])


@pytest.mark.skipif(sys.platform in ('win32', 'darwin'), reason='XDG_CACHE_HOME is read on Linux and other Unixes')
def test_a_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', 'relative/dir')
    assert user_cache_dir() == Path.home() / '.cache' / 'domo_routes'
