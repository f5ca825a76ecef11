"""Where a sign-in's refresh token lives: the OS keyring when one works, else 0600 files in a 0700 folder; Domo's CLI's
stored logins read (never written); `auth_from_env` using a kept sign-in when nothing else is configured; no token in
any repr, error or log line (nbs/12_browser_sign_in.ipynb)."""
import io, json, logging, os, stat
from pathlib import Path

import pytest

from domo_routes import (DomoSignInAuth, DomoTokenAuth, InvalidInputError, MissingConfigurationError, SecretStore,
                         SignIns, auth_from_env, sign_in)
from domo_routes.browser_sign_in import kept_sign_ins, ryuu_login
from domo_routes.fake import FakeDomo, FAKE_ACCESS_TOKEN

from support_sign_in import PollClock, file_sign_ins, issued_secrets, new_refresh_token, write_ryuu_login

keyring = pytest.importorskip('keyring')
from file_keyring import BrokenKeyring, FileKeyring  # noqa: E402  (needs keyring)


@pytest.fixture
def test_keyring(tmp_path, monkeypatch):
    "A working keyring of the test's own (a JSON file), chosen as the OS keyring would be; the file's path"
    path = tmp_path / 'keyring.json'
    monkeypatch.setenv('TEST_KEYRING_FILE', str(path))
    monkeypatch.delenv('DOMO_ROUTES_KEYRING')
    before = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield path
    keyring.set_keyring(before)


def config_home() -> Path: return Path(os.environ['XDG_CONFIG_HOME'])


def files_holding(root: Path, secret: str) -> list:
    return [p for p in root.rglob('*') if p.is_file() and secret.encode() in p.read_bytes()]


# -- the file store

def test_without_a_keyring_secrets_are_0600_files_in_a_0700_folder_with_one_notice(monkeypatch, caplog):
    monkeypatch.setattr(SecretStore, '_noticed', False)
    kept = SignIns()
    with caplog.at_level(logging.WARNING, logger='domo_routes'):
        kept.save('acme', 'a-refresh-token-for-the-file-store-0123', user='ada@acme.test')
        kept.save('globex', 'a-refresh-token-for-the-file-store-4567')
    folder = config_home() / 'domo_routes' / 'secrets'
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in config_home().rglob('*') if p.is_file()} == {0o600}
    assert [r.getMessage() for r in caplog.records] == [f'no OS keyring here: secrets are kept in {folder} (readable by you only)']
    [holder] = files_holding(config_home(), 'a-refresh-token-for-the-file-store-0123')
    assert holder.parent == folder and 'acme' not in holder.name  # one file, in secrets/, its name no clue
    assert 'a-refresh-token' not in (config_home() / 'domo_routes' / 'sign-ins.json').read_text()
    assert kept.load('acme').refresh_token == 'a-refresh-token-for-the-file-store-0123' and kept.load('acme').source == 'file'


def test_the_configuration_folder_follows_xdg_config_home_and_ignores_a_relative_one(monkeypatch, tmp_path):
    from domo_routes.browser_sign_in import config_dir
    assert config_dir() == config_home() / 'domo_routes'
    monkeypatch.setenv('XDG_CONFIG_HOME', 'relative/path')
    monkeypatch.setenv('HOME', str(tmp_path))
    assert config_dir() == tmp_path / '.config' / 'domo_routes'


def test_asking_for_a_keyring_where_none_works_is_an_error():
    with pytest.raises(InvalidInputError, match='no OS keyring works here'):
        SecretStore(use_keyring=True)


# -- the keyring

def test_with_a_working_keyring_the_refresh_token_goes_there_and_into_no_file(test_keyring):
    kept = SignIns()
    assert kept.store.keyring is not None and kept.store.where == 'the OS keyring'
    kept.save('acme', 'a-refresh-token-for-the-keyring-0123', user='ada@acme.test')
    assert 'a-refresh-token-for-the-keyring-0123' in test_keyring.read_text()
    assert files_holding(config_home(), 'a-refresh-token-for-the-keyring-0123') == []
    assert (kept.load('acme').source, kept.entries()[0].where) == ('keyring', 'the OS keyring')
    assert kept.forget('acme') and kept.load('acme') is None and 'a-refresh-token' not in test_keyring.read_text()


def test_a_keyring_that_fails_is_not_used_and_files_are(monkeypatch):
    monkeypatch.delenv('DOMO_ROUTES_KEYRING')
    before = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try: store = SecretStore()
    finally: keyring.set_keyring(before)
    assert store.keyring is None and 'readable by you only' in store.where


def test_domo_routes_keyring_0_keeps_secrets_in_files_even_with_a_working_keyring(test_keyring, monkeypatch):
    monkeypatch.setenv('DOMO_ROUTES_KEYRING', '0')
    assert SecretStore().keyring is None


async def test_a_sign_in_through_the_keyring_is_used_by_a_new_object(test_keyring):
    fake, clock = FakeDomo(), PollClock()
    fake.sign_in.auto_approve = True
    await sign_in('acme', open_browser=False, session=fake.client(), stream=io.StringIO(), sleep=clock.sleep, clock=clock,
                  token_cache=None)
    auth = auth_from_env(None, environ={'DOMO_INSTANCE': 'acme'}, token_cache=None)
    assert (type(auth), auth.source, auth.kept_in) == (DomoSignInAuth, 'keyring', 'the OS keyring')
    async with fake.client() as session:
        assert (await auth.who_am_i(session)).status == 200


# -- Domo's CLI's logins

async def test_a_login_of_domos_cli_is_used_read_only_and_a_rotation_goes_to_our_store():
    fake = FakeDomo()
    fake.sign_in.rotate_refresh_tokens = True
    token = new_refresh_token(fake)
    path = write_ryuu_login(config_home(), 'acme.domo.com', token)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    auth = auth_from_env(None, environ={'DOMO_INSTANCE': 'acme'}, token_cache=None)
    assert isinstance(auth, DomoSignInAuth) and auth.source == 'ryuu' and str(path) in auth.kept_in
    async with fake.client() as session:
        assert (await auth.who_am_i(session)).status == 200
        rotated = SignIns().load('acme')
        assert rotated is not None and rotated.refresh_token in fake.sign_in.refresh_tokens  # ours now, the live one
        auth.invalidate()
        assert (await auth.who_am_i(session)).status == 200
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before and auth.source == 'file'


async def test_a_login_of_domos_cli_with_dev_token_is_an_access_token():
    path = write_ryuu_login(config_home(), 'acme.domo.com', FAKE_ACCESS_TOKEN, dev_token=True)
    auth = auth_from_env(None, environ={'DOMO_INSTANCE': 'acme'})
    assert isinstance(auth, DomoTokenAuth) and str(path) in auth.kept_in
    async with FakeDomo().client() as session:
        assert (await auth.who_am_i(session)).response['displayName'] == 'Ada Lovelace'
    with pytest.raises(InvalidInputError, match='use DomoTokenAuth'):
        DomoSignInAuth('acme')


def test_domos_cli_logins_named_by_the_short_name_are_found_and_broken_ones_ignored():
    write_ryuu_login(config_home(), 'acme', 'a-refresh-token-of-domo-cli-0123')
    folder = config_home() / 'configstore' / 'ryuu'
    (folder / 'globex.domo.com.json').write_text('{not json')
    (folder / 'initech.domo.com.json').write_text(json.dumps({'refreshToken': 'two\nlines'}))
    (folder / 'umbrella.domo.com.json').write_text(json.dumps({'refreshToken': 'x' * 10 + ' ' * (1 << 17)}))
    assert ryuu_login('acme').refresh_token == 'a-refresh-token-of-domo-cli-0123'
    assert [ryuu_login(i) for i in ('globex', 'initech', 'umbrella', 'nowhere')] == [None] * 4
    assert [(e.instance, e.user) for e in kept_sign_ins()] == [('acme', None)]


# -- auth_from_env

def test_credentials_in_the_environment_win_over_a_kept_sign_in(tmp_path):
    SignIns().save('acme', 'a-kept-refresh-token-0123456789')
    env = {'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN}
    assert isinstance(auth_from_env(None, environ=env), DomoTokenAuth)
    assert isinstance(auth_from_env(None, environ={'DOMO_INSTANCE': 'acme'}), DomoSignInAuth)
    given = auth_from_env(None, environ={'DOMO_INSTANCE': 'acme', 'DOMO_REFRESH_TOKEN': 'a-given-refresh-token-0123'})
    assert (given.source, given.kept_in, given.refresh_token) == ('given', None, 'a-given-refresh-token-0123')


def test_with_nothing_configured_or_kept_the_error_names_the_sign_in_too():
    with pytest.raises(MissingConfigurationError, match='DOMO_REFRESH_TOKEN'):
        auth_from_env(None, environ={'DOMO_INSTANCE': 'acme'})


# -- secrets never shown

async def test_no_refresh_access_or_device_token_in_any_repr_error_or_log_line(tmp_path, caplog):
    fake, kept, clock = FakeDomo(), file_sign_ins(tmp_path), PollClock()
    fake.sign_in.rotate_refresh_tokens = True
    clock.at(6, lambda: fake.sign_in.approve())
    shown = []
    with caplog.at_level(logging.DEBUG):
        auth = await sign_in('acme', open_browser=False, session=fake.client(), sign_ins=kept, stream=io.StringIO(),
                             sleep=clock.sleep, clock=clock, token_cache=None, debug_api=True)
        async with fake.client() as session:
            auth.invalidate()
            await auth.who_am_i(session, debug_api=True)
            fake.sign_in.revoke()
            auth.invalidate()
            try: await auth.who_am_i(session)
            except MissingConfigurationError: raise
            except Exception as e: shown += [str(e), repr(e), getattr(e, 'hint', '')]
    shown += [repr(auth), str(auth), repr(kept.load('acme')), repr(kept), repr(kept.store), repr(kept.entries()),
              *[r.getMessage() for r in caplog.records]]
    text = '\n'.join(shown)
    assert 'sign in again' in text
    assert [s for s in issued_secrets(fake) if s in text] == []


def test_a_temporary_left_by_a_writer_killed_mid_write_is_swept_at_the_next_write():
    kept = SignIns()
    kept.save('acme', 'a-refresh-token-first-0123456789')
    folder = kept.store.directory
    left = folder / '.tmp-killed.json'
    left.write_text('{"name": "sign-in:acme.domo.com", "secret": "a-refresh-token-half-written-0123"}')
    os.utime(left, (0, 0))
    young = folder / '.tmp-writing-now.json'
    young.write_text('{}')
    kept.save('acme', 'a-refresh-token-second-0123456789')
    assert not left.exists() and young.exists()


def test_a_domo_cli_login_that_is_a_fifo_a_device_or_huge_is_skipped_without_hanging():
    "Files in a folder others may have written: a named pipe would block a read, /dev/zero would never end"
    folder = config_home() / 'configstore' / 'ryuu'
    folder.mkdir(parents=True)
    os.mkfifo(folder / 'acme.domo.com.json')
    (folder / 'globex.domo.com.json').symlink_to('/dev/zero')
    (folder / 'initech.domo.com.json').write_text(json.dumps({'refreshToken': 'a-refresh-token-0123456789',
                                                              'padding': 'x' * (1 << 17)}))
    assert [ryuu_login(i) for i in ('acme', 'globex', 'initech')] == [None] * 3
    assert kept_sign_ins() == []
