"""The harness of the browser sign-in attacks: canary secrets, keyring backends that misbehave as real ones do (hang,
lock, refuse to delete, fail a write once), a FakeDomo whose sid endpoint can be held, and small helpers.

The keyring backends are selected in a subprocess with PYTHON_KEYRING_BACKEND=support_attacks_sign_in.<Class> (this
folder on PYTHONPATH), or in-process with `keyring.set_keyring`. None of them touches a real keyring of this machine.
Their names avoid "fail" and "null": domo_routes skips backends so named, and these must be tried."""
import json, os, threading, time, unicodedata

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from domo_routes.fake import FakeDomo

CANARY_REFRESH = 'CANARY-refresh-token-5b6c7d8e9f0a1b2c'
CANARY_DEVICE = 'CANARY-device-code-0f1e2d3c4b5a6978'

TITLE, CLEAR, CLIPBOARD = '\x1b]0;pwned\x07', '\x1b[2J', '\x1b]52;c;ZXZpbA==\x07'
FORGED = '\r\ndomo-routes: all good'  # a CR LF that would start a line of our own
HOSTILE = f'Ada {TITLE}{CLEAR}{CLIPBOARD} pwned{FORGED} \x9b31m red \u202e'


def raw_controls(text: str, allowed: str = '') -> list:
    "The control characters (C0, DEL, C1) and line or paragraph separators of `text` other than `allowed`"
    return sorted({c for c in text if unicodedata.category(c) in ('Cc', 'Zl', 'Zp') and c not in allowed})


def live_refresh_token(fake, token: str = CANARY_REFRESH, user: str = None) -> str:
    "Make `token` a refresh token the fake honours (its owner: `user`, default ada)"
    fake.sign_in.refresh_tokens[token] = (fake.users[user.lower()] if user else fake.user).id
    return token


def live_access_token(fake, token: str) -> str:
    "Make `token` an access token the fake's sid endpoint honours for an hour"
    fake.sign_in.access[token] = (fake.user.id, fake.clock() + 3600)
    return token


class HeldSid(FakeDomo):
    "A FakeDomo whose sid endpoint waits (at most `hold` seconds, or until `release()`) before it answers"
    def __init__(self, hold: float = 8.0, **kwargs):
        super().__init__(**kwargs)
        self.hold, self.released, self.sid_asked = hold, threading.Event(), threading.Event()

    def release(self) -> None: self.released.set()

    def _sid(self, request, path):
        self.sid_asked.set()
        self.released.wait(self.hold)
        return super()._sid(request, path)


# keyring backends

class _JsonFile:
    "Secrets in the JSON file named by TEST_KEYRING_FILE, as subprocesses would share the OS keyring"
    @property
    def path(self) -> str: return os.environ['TEST_KEYRING_FILE']

    def _all(self) -> dict:
        try:
            with open(self.path) as f: return json.load(f)
        except FileNotFoundError: return {}

    def _write(self, doc: dict) -> None:
        with open(self.path + '.tmp', 'w') as f: json.dump(doc, f)
        os.replace(self.path + '.tmp', self.path)

    def _get(self, service, username): return self._all().get(f'{service}\n{username}')
    def _set(self, service, username, password): self._write({**self._all(), f'{service}\n{username}': password})

    def _delete(self, service, username):
        doc = self._all()
        if doc.pop(f'{service}\n{username}', None) is None: raise PasswordDeleteError(username)
        self._write(doc)


class HangingKeyring(KeyringBackend):
    "A keyring that never answers (a keychain waiting for an unlock prompt nobody sees, a D-Bus service stuck)"
    priority = 1
    def get_password(self, service, username): time.sleep(3600)
    def set_password(self, service, username, password): time.sleep(3600)
    def delete_password(self, service, username): time.sleep(3600)


class LockableKeyring(_JsonFile, KeyringBackend):
    "A working keyring until the file TEST_KEYRING_LOCKED exists: then every secret read or write raises (the probe answers)"
    priority = 1

    def _locked(self, username) -> None:
        if username != 'probe' and os.path.exists(os.environ.get('TEST_KEYRING_LOCKED', '/nonexistent')):
            raise RuntimeError('org.freedesktop.Secret.Error.IsLocked')

    def get_password(self, service, username):
        self._locked(username)
        return self._get(service, username)

    def set_password(self, service, username, password):
        self._locked(username)
        self._set(service, username, password)

    def delete_password(self, service, username):
        self._locked(username)
        self._delete(service, username)


class NoDeleteKeyring(_JsonFile, KeyringBackend):
    "A keyring that reads and writes but cannot delete (an item the user must confirm removing, a read-only collection)"
    priority = 1
    def get_password(self, service, username): return self._get(service, username)
    def set_password(self, service, username, password): self._set(service, username, password)
    def delete_password(self, service, username): raise RuntimeError('user interaction is required to delete')


class FlakyWriteKeyring(KeyringBackend):
    "An in-memory keyring whose next `writes_to_refuse` writes raise (locked for a moment), then work again"
    priority = 1
    writes_to_refuse = 0

    def __init__(self):
        super().__init__()
        self.secrets: dict = {}

    def get_password(self, service, username): return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        if self.writes_to_refuse:
            self.writes_to_refuse -= 1
            raise RuntimeError('the keychain is locked')
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        if self.secrets.pop((service, username), None) is None: raise PasswordDeleteError(username)
