"""Helpers for the tests of the `domo-routes` command.

`sh` runs the installed console script (through conftest's `run_cli`: its own HOME, an empty working directory,
DOMO_TOKEN_CACHE=none unless given); `main_in_process` runs `domo_routes.cli.main` in this process, for the many
variations of one behaviour; `RecordingDomo` is a FakeDomo that also keeps what each request carried (method, URL,
headers, body), which the fake's own log leaves out.
"""
import contextlib, io, os, threading
from dataclasses import dataclass, field

import httpx
import pytest

from conftest import run_cli
from domo_routes.fake import FakeDomo, FAKE_PASSWORD, FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET


def sh(*argv, env=None, input=None, cwd=None, home=None, timeout=60) -> tuple:
    "Run the installed `domo-routes`: (exit code, stdout, stderr); only the DOMO_* settings in `env` count"
    p = run_cli(*argv, env=env, input=input, cwd=cwd, home=home, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main_in_process(*argv, env=None) -> tuple:
    "Run `domo_routes.cli.main` here: (exit code, stdout, stderr); the DOMO_* settings are `env`'s only, no token cache unless given"
    from domo_routes.cli import main
    out, err = io.StringIO(), io.StringIO()
    old = dict(os.environ)
    try:
        for k in [k for k in os.environ if k.startswith('DOMO_')]: del os.environ[k]
        os.environ.update({'DOMO_TOKEN_CACHE': 'none', **(env or {})})
        with contextlib.redirect_stderr(err): code = main(list(argv), out=out)
    finally:
        os.environ.clear(); os.environ.update(old)
    return code, out.getvalue(), err.getvalue()


class RecordingDomo(FakeDomo):
    "FakeDomo that also keeps what each request carried: (method, URL, headers, body)"
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.received = []

    def respond(self, request):
        self.received.append((request.method, httpx.URL(str(request.url)), dict(request.headers), request.content))
        return super().respond(request)


@dataclass
class Served:
    "A RecordingDomo on a loopback port, and the environments that point the command at it"
    fake: RecordingDomo
    server: object
    token_env: dict = field(default_factory=dict)
    full_env: dict = field(default_factory=dict)
    developer_env: dict = field(default_factory=dict)

    def last(self) -> tuple:
        "What the last request carried: (method, URL, headers, body)"
        return self.fake.received[-1]

    def sh(self, *argv, env=None, **kwargs) -> tuple:
        "The installed command, with the access token's settings unless `env` is given"
        return sh(*argv, env=self.token_env if env is None else env, **kwargs)

    def here(self, *argv, env=None) -> tuple:
        "In-process, only the settings of `env` (default: the access token's), no .env"
        return main_in_process(*argv, '--env-file', os.devnull, env=self.token_env if env is None else env)


def stop_in_background(server) -> None:
    "Stop a FakeServer without waiting for it (its shutdown waits out a poll interval of half a second: that per test adds up)"
    threading.Thread(target=server.stop, name='StopFakeServer', daemon=True).start()


@pytest.fixture
def served():
    "A RecordingDomo served on a loopback port, with the token, full and developer environments"
    fake = RecordingDomo()
    server = fake.serve()
    try:
        yield Served(fake, server,
                     token_env={**server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_ACCESS_TOKEN': FAKE_ACCESS_TOKEN},
                     full_env={**server.env(), 'DOMO_INSTANCE': 'acme', 'DOMO_USERNAME': 'ada@acme.test', 'DOMO_PASSWORD': FAKE_PASSWORD},
                     developer_env={**server.env(), 'DOMO_CLIENT_ID': FAKE_CLIENT_ID, 'DOMO_CLIENT_SECRET': FAKE_CLIENT_SECRET})
    finally:
        stop_in_background(server)
