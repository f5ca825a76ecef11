"""The harness of the credential attacks (profiles, the credential chain, the verifier, failure memory): canary
secrets, a FakeDomo that keeps who tried which password (and can be slow to answer), keyring backends that refuse or
hang on writing, a `sitecustomize` that slows the writing of config.toml in a `domo-routes` subprocess, a terminal to
type into, and small helpers.

The keyring backends are selected in a subprocess with PYTHON_KEYRING_BACKEND=support_attacks_credentials.<Class>
(this folder on PYTHONPATH). None touches a real keyring of this machine. Their names avoid "fail" and "null":
domo_routes skips backends so named, and these must be tried."""
import json, os, pty, select, socket, threading, time, unicodedata
from pathlib import Path

from keyring.backend import KeyringBackend

from domo_routes.fake import FakeDomo

TESTS = os.path.dirname(__file__)

CANARY = 'CANARY-password-7c1d2e3f4a5b6c7d8e9f'  # a secret that must appear nowhere but where it is sent
CANARY_REDIS = 'CANARY-redis-password-0a1b2c3d4e5f'
WRONG = 'CANARY-wrong-password-1a2b3c4d5e6f'
OTHER_WRONG = 'CANARY-other-wrong-password-9f8e7d6c'

TITLE, CLEAR = '\x1b]0;pwned\x07', '\x1b[2J'
HOSTILE = f'ada{TITLE}{CLEAR}\x9b31m\u202e'


def raw_controls(text: str, allowed: str = '\n') -> list:
    "The control characters (C0, DEL, C1) and line or paragraph separators of `text` other than `allowed`"
    return sorted({c for c in text if unicodedata.category(c) in ('Cc', 'Zl', 'Zp') and c not in allowed})


def write_config(config_home, text: str) -> Path:
    "config.toml under the XDG_CONFIG_HOME `config_home`, with `text`"
    path = Path(config_home) / 'domo_routes' / 'config.toml'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


class CountingDomo(FakeDomo):
    "FakeDomo that keeps (username, password) of every password login, and can take `slow` seconds to answer one"
    def __init__(self, slow: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.slow, self.attempts = slow, []

    def respond(self, request):
        if request.url.path.endswith('/authentication'):
            body = json.loads(request.content or b'{}')
            self.attempts.append((body.get('emailAddress'), body.get('password')))
            if self.slow: time.sleep(self.slow)
        return super().respond(request)

    def tries(self, password: str) -> int:
        "Logins the fake saw with `password`"
        return sum(1 for _, p in self.attempts if p == password)


# keyring backends

class WriteRefusingKeyring(KeyringBackend):
    "A keyring that reads (nothing kept) but raises on every write, the secret in its message"
    priority = 1
    def get_password(self, service, username): return None
    def set_password(self, service, username, password):
        raise RuntimeError(f'org.freedesktop.Secret.Error.IsLocked: cannot store {password}')
    def delete_password(self, service, username): pass


class WriteHangingKeyring(KeyringBackend):
    "A keyring that answers reads at once but never returns from a write (a confirmation prompt nobody sees)"
    priority = 1
    def get_password(self, service, username): return None
    def set_password(self, service, username, password): time.sleep(3600)
    def delete_password(self, service, username): pass


def keyring_env(backend: str) -> dict:
    "The environment that makes a `domo-routes` subprocess use one of this module's keyrings"
    return {'PYTHON_KEYRING_BACKEND': f'support_attacks_credentials.{backend}', 'PYTHONPATH': TESTS,
            'DOMO_ROUTES_KEYRING': '1'}


SLOW_CONFIG_WRITES = '''
import time
import domo_routes.credentials as credentials
_write = credentials.Profiles.write
def _slow_write(self):
    time.sleep({seconds})  # a slow disk, or a busy machine: the other login reads meanwhile
    return _write(self)
credentials.Profiles.write = _slow_write
'''


def slow_config_writes(folder, seconds: float = 1.5) -> dict:
    "A `sitecustomize` in `folder` that makes `Profiles.write` wait `seconds` first; the environment that loads it"
    Path(folder).mkdir(parents=True, exist_ok=True)
    Path(folder, 'sitecustomize.py').write_text(SLOW_CONFIG_WRITES.format(seconds=seconds))
    return {'PYTHONPATH': str(folder)}


def run_in_a_terminal(argv, env, prompt: str, answer: bytes, timeout: float = 20) -> tuple:
    "(exit code, all the terminal showed): `argv` on a pseudo-terminal, `answer` typed when `prompt` appears"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    shown, typed, deadline = b'', False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try: chunk = os.read(fd, 4096)
            except OSError: break
            if not chunk: break
            shown += chunk
        if not typed and prompt.encode() in shown:
            os.write(fd, answer)
            typed = True
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors='replace')


class BlackHole:
    "A TCP server on loopback that accepts connections and never answers (a Redis that hangs)"
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held, self.stopped = [], False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try: conn, _ = self.sock.accept()
            except OSError: return
            self.held.append(conn)

    def close(self):
        self.stopped = True
        for conn in self.held: conn.close()
        self.sock.close()
