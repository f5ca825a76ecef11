"""A reader that goes away (`domo-routes whoami | head -2`): the command stops quietly with 141, as a shell reports a
command killed by SIGPIPE; no traceback (it would print the installation's paths), and nothing said on stderr."""
import os, subprocess, tempfile

from conftest import DOMO_ROUTES, clean_env
from support_cli import served  # noqa: F401 (a fixture)


def _with_reader_gone(*argv, env: dict) -> tuple:
    "Run the installed command with its stdout a pipe whose reading end is closed before it writes"
    home = tempfile.mkdtemp(prefix='home-')
    full = {**clean_env(HOME=home, DOMO_TOKEN_CACHE='none', DOMO_ROUTES_KEYRING='0'), **env}
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([DOMO_ROUTES, *argv], env=full, stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally: os.close(write)
    return done.returncode, done.stderr


def test_whoami_into_a_closed_pipe_stops_quietly(served):
    code, err = _with_reader_gone('whoami', env=served.token_env)
    assert 'Traceback' not in err and 'BrokenPipeError' not in err and 'Exception ignored' not in err, err
    assert code == 141


def test_api_into_a_closed_pipe_stops_quietly(served):
    code, err = _with_reader_gone('api', '/api/content/v2/users', '--paginate', '-f', 'limit=1', env=served.token_env)
    assert ('Traceback' in err, 'Exception ignored' in err, code) == (False, False, 141), err
