"""Helpers for the token-lifecycle and Domo auth tests (ported from nbs/04_lifecycle.ipynb and nbs/05_domo_auth.ipynb).

Every auth object made here is given `token_cache=None` (except `DomoTokenAuth`, which takes none): these tests count
each object's own logins; sharing through a token cache is tested elsewhere.

The few private names of the package these tests need are reached through the functions at the end of this module,
so that a re-cut of the package changes one place.
"""
from typing import Optional

from domo_routes import (DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth, ResolverAuth, SaymonAuth,
                         RetryPolicy)
from domo_routes.fake import (FakeDomo, FakeResolver, FakeSaymon, FAKE_PASSWORD, FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID,
                              FAKE_CLIENT_SECRET, FAKE_DSID, FAKE_RESOLVER_ORG, FAKE_SAYMON_USER_ID)

ME = 'https://acme.domo.com/api/content/v2/users/me'
ADA_ID = 1893952720
FAST = RetryPolicy(attempts=3, base_delay=0.001)  # a login's retries without the real backoff


def domo_fake(lifetime: float = 8 * 3600, password: str = FAKE_PASSWORD, skew: float = 0.0, **kw):
    "(fake, auth, now): a FakeDomo and a DomoFullAuth on one clock the test moves (`now[0] += …`); `skew`: the auth's clock ahead of the fake's"
    now = [1_700_000_000.0]
    fake = FakeDomo(clock=lambda: now[0], session_lifetime=lifetime)
    auth = DomoFullAuth('acme', 'ada@acme.test', password, clock=lambda: now[0] + skew, token_cache=None, **kw)
    auth.login_retry = FAST
    return fake, auth, now


EVERY_AUTH = ('full', 'token', 'cookie', 'developer', 'resolver', 'saymon')


def make_auth(name: str):
    "(fake, auth, url) for auth class `name`: a fresh fake, an auth object for it, and a URL that needs the token"
    if name == 'full': return FakeDomo(), DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, token_cache=None), ME
    if name == 'token': return FakeDomo(), DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), ME
    if name == 'cookie': return FakeDomo(), DomoCookieAuth('acme', FAKE_DSID, token_cache=None), ME
    if name == 'developer':
        return FakeDomo(), DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=None), 'https://api.domo.com/v1/users'
    if name == 'resolver':
        return (FakeResolver(), ResolverAuth('acme.resolver.com', 'ada@acme.test', FAKE_PASSWORD, FAKE_RESOLVER_ORG, token_cache=None),
                'https://acme.resolver.com/object/1')
    if name == 'saymon':
        return (FakeSaymon(), SaymonAuth('saymon.example.com', 'admin', FAKE_PASSWORD, FAKE_SAYMON_USER_ID, token_cache=None),
                'https://saymon.example.com/node/api/users/current')
    raise ValueError(name)


async def raises(error_type, awaitable):
    "Await `awaitable`, which must raise `error_type`; return the error"
    try: await awaitable
    except error_type as e: return e
    raise AssertionError(f'no {error_type.__name__}')


# -- private names of the package (kept here, in one place) -------------------------------------------------------

def pending_login(auth):
    "The login in flight on `auth` (None when none is): the flow's `pending`"
    return auth._flow.pending


def current_token(auth):
    "`auth`'s current `Token` (value and life), not only its value: the flow's `token`"
    return auth._flow.token


def lifecycle_internals():
    "(server_lifetime, MAX_LIFETIME) from domo_routes.lifecycle: not exported by the package"
    from domo_routes.lifecycle import server_lifetime, MAX_LIFETIME
    return server_lifetime, MAX_LIFETIME
