"""`run_sync`: any coroutine of the library from a script, inside a running loop (Jupyter), and after fork()
(nbs/04_lifecycle.ipynb: cells 58-59 and 95; nbs/05_domo_auth.ipynb: cell 59).

Inside a running loop `run_sync` applies nest-asyncio, which patches asyncio for the whole process: that test runs in
a subprocess of its own, so the other tests keep an unpatched asyncio.
"""
import subprocess, sys, textwrap

from domo_routes import DomoFullAuth, run_sync
from domo_routes.fake import FAKE_PASSWORD, FAKE_ACCESS_TOKEN

from conftest import clean_env
from support_lifecycle import ADA_ID


def run_script(script: str, home, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', textwrap.dedent(script)], capture_output=True, text=True,
                          env=clean_env(HOME=str(home), **env), timeout=60)


def test_run_sync_runs_a_coroutine_from_a_script(fake):
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    me = run_sync(auth.who_am_i())
    assert me.response['id'] == ADA_ID


def test_run_sync_works_from_a_script_and_in_parent_and_child_after_fork(fake_server, home):
    "3 calls, one login; after fork() the parent and the child (its own loop and pool) both keep working"
    out = run_script(f'''
        import os
        from domo_routes import DomoFullAuth, DomoTokenAuth, run_sync
        auth = DomoFullAuth("acme", "ada@acme.test", "{FAKE_PASSWORD}", token_cache=None)
        for _ in range(3): print(run_sync(auth.who_am_i()).response["displayName"])
        pid = os.fork()
        token = DomoTokenAuth("acme", "{FAKE_ACCESS_TOKEN}")
        for _ in range(20): run_sync(token.who_am_i())
        if pid == 0: os._exit(0)
        _, status = os.waitpid(pid, 0)
        print("child", status, "parent ok")
    ''', home, **fake_server.env())
    assert out.stdout.split() == ['Ada', 'Lovelace'] * 3 + ['child', '0', 'parent', 'ok'], out.stderr
    assert out.stderr == ''
    assert fake_server.fake.logins == 1


def test_run_sync_works_inside_a_running_loop_as_in_jupyter(home):
    out = run_script(f'''
        import asyncio
        from domo_routes import DomoTokenAuth, run_sync
        from domo_routes.fake import FakeDomo
        async def main():
            fake = FakeDomo()
            auth = DomoTokenAuth("acme", "{FAKE_ACCESS_TOKEN}", session=fake.client())
            asyncio.get_running_loop()
            print(repr(run_sync(auth.who_am_i()).response["displayName"]))
        asyncio.run(main())
    ''', home)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == repr('Ada Lovelace'), out.stdout + out.stderr
