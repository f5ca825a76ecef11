"""A keyring backend for the tests: a JSON file named by TEST_KEYRING_FILE, so that subprocesses share it as they would
share the OS keyring. Selected with PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring (this folder on PYTHONPATH), or
in-process with `keyring.set_keyring(FileKeyring())`. Never a real keyring of the machine running the tests."""
import json, os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # a working backend, as keyring rates them

    @property
    def path(self) -> str: return os.environ['TEST_KEYRING_FILE']

    def _all(self) -> dict:
        try:
            with open(self.path) as f: return json.load(f)
        except FileNotFoundError: return {}

    def _write(self, doc: dict) -> None:
        with open(self.path + '.tmp', 'w') as f: json.dump(doc, f)
        os.replace(self.path + '.tmp', self.path)

    def get_password(self, service, username):
        return self._all().get(f'{service}\n{username}')

    def set_password(self, service, username, password):
        self._write({**self._all(), f'{service}\n{username}': password})

    def delete_password(self, service, username):
        doc = self._all()
        if doc.pop(f'{service}\n{username}', None) is None: raise PasswordDeleteError(username)
        self._write(doc)


class BrokenKeyring(KeyringBackend):
    "A keyring whose service is gone (a Secret Service with no session bus): every call fails"
    priority = 1

    def get_password(self, service, username): raise RuntimeError('org.freedesktop.DBus.Error.ServiceUnknown')
    def set_password(self, service, username, password): raise RuntimeError('org.freedesktop.DBus.Error.ServiceUnknown')
    def delete_password(self, service, username): raise RuntimeError('org.freedesktop.DBus.Error.ServiceUnknown')
