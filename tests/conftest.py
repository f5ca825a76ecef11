"""Fixtures shared by the system tests: the fakes, a real redis-server, the installed `domo-routes` command.

`async def` tests run in a fresh event loop each (no pytest plugin needed); every test has a timeout (pytest-timeout,
set in pyproject.toml), so a hang is a failure with a traceback, not a stuck CI.
"""
import asyncio, inspect, os, shutil, socket, subprocess, sys, tempfile, time
from pathlib import Path
from typing import Optional

import pytest

PROXY_VARIABLES = ('https_proxy', 'http_proxy', 'all_proxy', 'no_proxy')
# this environment's own console script, not one elsewhere on PATH (CI once found another installation there)
DOMO_ROUTES = os.path.join(os.path.dirname(sys.executable), 'domo-routes')


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    "Run `async def` tests in a new event loop, closed afterwards"
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture(autouse=True)
def _no_ambient_domo_settings(monkeypatch, tmp_path_factory):
    """No DOMO_* variable or proxy setting of the machine running the tests leaks into a test; no kept sign-in either:
    the configuration folder is an empty one, and secrets go to files there, never to this machine's keyring"""
    for name in list(os.environ):
        if name.startswith('DOMO_') or name.lower() in PROXY_VARIABLES: monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('XDG_CONFIG_HOME', str(tmp_path_factory.mktemp('config')))
    monkeypatch.setenv('DOMO_ROUTES_KEYRING', '0')


@pytest.fixture(autouse=True)
def _fresh_memory_cache():
    "Tokens kept in the process-wide memory cache, and credential failures remembered, by one test are not the next's"
    yield
    from domo_routes import default_token_cache
    from domo_routes.lifecycle.flow import FAILURES
    default_token_cache().clear()
    FAILURES.forget()


def clean_env(**extra) -> dict:
    "The environment for a subprocess: no DOMO_* or proxy settings, a fresh HOME unless given, plus `extra`"
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith('DOMO_') and k != 'DOMO_ROUTES_KEYRING') and k.lower() not in PROXY_VARIABLES}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_cli(*argv, env: Optional[dict] = None, input: Optional[str] = None, cwd=None, timeout: float = 60,
            home: Optional[str] = None) -> subprocess.CompletedProcess:
    "Run the installed `domo-routes` as a user would: its own HOME, no .env in the working directory, no cache unless given"
    home = home or tempfile.mkdtemp(prefix='home-')
    full = clean_env(HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'), XDG_CACHE_HOME=os.path.join(home, '.cache'),
                     DOMO_TOKEN_CACHE='none', DOMO_ROUTES_KEYRING='0')  # a test opts in to a keyring (its own backend)
    full.update(env or {})
    return subprocess.run([DOMO_ROUTES, *argv], env=full, input=input, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd or tempfile.mkdtemp(prefix='cwd-'))


def one_error_line(stderr: str) -> str:
    "The error line of stderr (progress lines ending in … aside): exactly one, and no traceback"
    lines = [line for line in stderr.splitlines() if not line.endswith('…')]
    assert len(lines) == 1 and lines[0].startswith('domo-routes: ') and 'Traceback' not in stderr, stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class RedisServer:
    "Debian's redis-server on a free loopback port (no persistence), stopped afterwards"
    def __init__(self, password: Optional[str] = None):
        self.binary = shutil.which('redis-server') or '/usr/bin/redis-server'
        self.port, self.password, self.proc = free_port(), password, None

    @property
    def url(self) -> str:
        return f'redis://{":" + self.password + "@" if self.password else ""}127.0.0.1:{self.port}/0'

    def start(self) -> 'RedisServer':
        args = [self.binary, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
        if self.password: args += ['--requirepass', self.password]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(400):
            try:
                with socket.create_connection(('127.0.0.1', self.port), 0.1): return self
            except OSError: time.sleep(0.025)
        raise RuntimeError('redis-server did not start')

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def __enter__(self): return self.start()
    def __exit__(self, *exc): self.stop()


HAVE_REDIS = bool(shutil.which('redis-server')) or os.path.exists('/usr/bin/redis-server')


def need_redis():
    "Skip where redis-server is not installed; on CI it must be (.ci/run installs it)"
    if not HAVE_REDIS:
        assert os.environ.get('CI') != 'true', 'CI installs redis-server (.ci/run): the Redis tests must run there'
        pytest.skip('redis-server is not installed (Debian: apt-get install redis-server)')


@pytest.fixture
def redis_server():
    "A fresh redis-server for one test"
    need_redis()
    pytest.importorskip('redis')
    with RedisServer() as server: yield server


@pytest.fixture
def fake():
    "A fresh FakeDomo"
    from domo_routes.fake import FakeDomo
    return FakeDomo()


@pytest.fixture
def fake_server(fake):
    "`fake` served on a loopback port"
    with fake.serve() as server: yield server


@pytest.fixture
def home(tmp_path) -> Path:
    "An empty HOME for subprocesses"
    path = tmp_path / 'home'
    path.mkdir()
    return path


def checkout_module(relative: str, name: str):
    "A module of the checkout that is not a package anyone installs (.ci/docs.py, docs_tools/showdoc.py), by its path"
    import importlib.util, pathlib
    spec = importlib.util.spec_from_file_location(name, pathlib.Path(__file__).resolve().parent.parent / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
