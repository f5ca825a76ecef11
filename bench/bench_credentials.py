"""The cost of binding a cached token to the password that obtained it (issue: credentials where users keep them).

Run: python bench/bench_credentials.py [--rounds 15]

A process's first request with a token in the file cache: with a password given, the cache's scrypt verifier is
checked once (16 MiB, n = 2**14); without one (`session_only`, as the command line after `login`), it is not. Both
are measured in the same process, rounds alternating, each round as a new process would be (the in-process memory
of checks emptied, new auth objects); CPU time, medians quoted. The target: the check adds at most 100 ms.
Also counted: password attempts the fake sees for a wrong password, 5 objects × 2 calls (target 1).
"""
import argparse, asyncio, statistics, tempfile, time

from domo_routes import DomoFullAuth, FileTokenCache, InvalidCredentialsError
from domo_routes.fake import FAKE_PASSWORD, FakeDomo
from domo_routes.lifecycle.flow import FAILURES
import domo_routes.secrets as secrets

TARGET_MS = 100.0


async def first_request(fake, cache_dir: str, checked: bool) -> float:
    "CPU seconds of a new process's first token: from the cache, the verifier checked or not"
    secrets._checked.clear()  # a new process remembers no check
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=FileTokenCache(cache_dir))
    if not checked: auth.session_only = 'DOMO_PASSWORD'  # the command line after `login`: no secret, no check
    started = time.process_time()
    await auth.get_auth_token(fake.client())
    return time.process_time() - started


async def main(rounds: int) -> None:
    fake, cache_dir = FakeDomo(), tempfile.mkdtemp()
    await DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=FileTokenCache(cache_dir)).get_auth_token(fake.client())
    with_check, without = [], []
    for _ in range(rounds):
        with_check.append(await first_request(fake, cache_dir, True))
        without.append(await first_request(fake, cache_dir, False))
    assert fake.logins == 1, 'every round should have used the cached token'
    added = (statistics.median(with_check) - statistics.median(without)) * 1000
    print(f'first request with a cached token: {statistics.median(with_check) * 1000:.1f} ms CPU with the check, '
          f'{statistics.median(without) * 1000:.1f} ms without (medians of {rounds}); the check adds {added:.1f} ms '
          f'(target <= {TARGET_MS:.0f}): {"ok" if added <= TARGET_MS else "OVER"}')
    wrong = FakeDomo()
    FAILURES.forget()
    for _ in range(5):
        auth = DomoFullAuth('acme', 'ada@acme.test', 'not-the-password', token_cache=None)
        for _ in range(2):
            try: await auth.get_auth_token(wrong.client())
            except InvalidCredentialsError: pass
    print(f'wrong password, 5 objects x 2 calls: {wrong.requests_by_route["login"]} attempt(s) (target 1)')


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=15)
    asyncio.run(main(parser.parse_args().rounds))
