__version__ = "0.2.0"

# The public API, importable from the top-level package. Kept by hand (nbdev writes only the version line above);
# each name is defined in the notebook its module is exported from. Every name is loaded on first use (PEP 562): a
# script pays for what it uses (`import domo_routes` imports nothing else; `from domo_routes import DomoFullAuth` the
# modules that class needs). Type checkers read the imports under TYPE_CHECKING, the same names.
TYPE_CHECKING = False  # as `typing.TYPE_CHECKING` (type checkers read it as true), without importing typing

if TYPE_CHECKING:
    from .errors import (DomoError, InvalidInstanceError, BlockedByAllowListError, DomoNetworkError, AuthError,
                         InvalidCredentialsError, AccountLockedError, InvalidAuthTypeError, NoAccessTokenReturned,
                         TwoFactorRequiredError, InvalidInputError, MissingConfigurationError, ResponseTooLargeError,
                         UnexpectedResponseError, SignInError, SessionExpiredError)
    from .secrets import (mask, redact, register_secret, checked_secret)
    from .urls import (normalize_instance, reroute)
    from .client import (ResponseGetData, RequestParts, get_data, RetryPolicy, aclose_pool, raise_for_status,
                         MAX_RESPONSE_BYTES)
    from .routes import (get_full_auth, get_cookie_auth, get_developer_auth, who_am_i, session_token_expiry)
    from .token_cache import (MemoryTokenCache, FileTokenCache, RedisTokenCache, CachedToken, default_token_cache,
                              token_cache_from)
    from .lifecycle import (ManagedTokenAuth, ServiceAuth, Token, TokenState, run_sync, token_from_response,
                            requests_login)
    from .domo_auth import (DomoAuth, DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth, AUTH_METHODS,
                            elevate_otp, generate_access_token, get_access_tokens, revoke_access_token)
    from .browser_sign_in import (DomoSignInAuth, SignIns, SecretStore, sign_in)
    from .credentials import (auth_from_env, resolve_credentials, Profiles, Profile)
    from .resolver import (ResolverAuth, NoActiveOrgError, get_resolver_token, renew_resolver_token,
                           logout_resolver_token)
    from .saymon import (SaymonAuth, get_saymon_token)
    from .interop import (RetryTransport, pydomo_client)
    from .testing import (FakeDomo, FakeResolver, FakeSaymon, FakeServer, LeakCheck)

_WHERE = {  # name → the module of this package that defines it
    **dict.fromkeys(('DomoError', 'InvalidInstanceError', 'BlockedByAllowListError', 'DomoNetworkError',
                      'AuthError', 'InvalidCredentialsError', 'AccountLockedError', 'InvalidAuthTypeError',
                      'NoAccessTokenReturned', 'TwoFactorRequiredError', 'InvalidInputError',
                      'MissingConfigurationError', 'ResponseTooLargeError', 'UnexpectedResponseError',
                      'SignInError', 'SessionExpiredError'), 'errors'),
    **dict.fromkeys(('mask', 'redact', 'register_secret', 'checked_secret'), 'secrets'),
    **dict.fromkeys(('normalize_instance', 'reroute'), 'urls'),
    **dict.fromkeys(('ResponseGetData', 'RequestParts', 'get_data', 'RetryPolicy', 'aclose_pool',
                      'raise_for_status', 'MAX_RESPONSE_BYTES'), 'client'),
    **dict.fromkeys(('get_full_auth', 'get_cookie_auth', 'get_developer_auth', 'who_am_i',
                      'session_token_expiry'), 'routes'),
    **dict.fromkeys(('MemoryTokenCache', 'FileTokenCache', 'RedisTokenCache', 'CachedToken',
                      'default_token_cache', 'token_cache_from'), 'token_cache'),
    **dict.fromkeys(('ManagedTokenAuth', 'ServiceAuth', 'Token', 'TokenState', 'run_sync',
                      'token_from_response', 'requests_login'), 'lifecycle'),
    # AUTH_METHODS (defined in auth_methods) from domo_auth: importing that module registers the auth classes
    **dict.fromkeys(('DomoAuth', 'DomoFullAuth', 'DomoTokenAuth', 'DomoCookieAuth', 'DomoDeveloperAuth',
                      'AUTH_METHODS', 'elevate_otp', 'generate_access_token', 'get_access_tokens',
                      'revoke_access_token'), 'domo_auth'),
    **dict.fromkeys(('DomoSignInAuth', 'SignIns', 'SecretStore', 'sign_in'), 'browser_sign_in'),
    **dict.fromkeys(('auth_from_env', 'resolve_credentials', 'Profiles', 'Profile'), 'credentials'),
    **dict.fromkeys(('ResolverAuth', 'NoActiveOrgError', 'get_resolver_token', 'renew_resolver_token',
                      'logout_resolver_token'), 'resolver'),
    **dict.fromkeys(('SaymonAuth', 'get_saymon_token'), 'saymon'),
    **dict.fromkeys(('RetryTransport', 'pydomo_client'), 'interop'),
    **dict.fromkeys(('FakeDomo', 'FakeResolver', 'FakeSaymon', 'FakeServer', 'LeakCheck'), 'testing'),
}

_MODULES = frozenset({'errors', 'secrets', 'urls', 'client', 'routes', 'token_cache', 'lifecycle', 'domo_auth',
                      'browser_sign_in', 'credentials', 'resolver', 'saymon', 'interop', 'testing', 'fake', 'cli'})

def __getattr__(name: str):
    import importlib
    if name in _MODULES: return importlib.import_module(f'.{name}', __name__)  # `domo_routes.client`, as before
    module = _WHERE.get(name)
    if module is None: raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    value = getattr(importlib.import_module(f'.{module}', __name__), name)
    globals()[name] = value  # asked once: later lookups find it here
    return value

def __dir__() -> list: return sorted({*globals(), *_WHERE} - {'TYPE_CHECKING'})

def _console_script() -> int:
    "The `domo-routes` command: `--version` answered before anything is imported, else `cli.main.main`"
    import sys
    if sys.argv[1:] == ['--version']:
        print(f'domo-routes {__version__}')
        return 0
    from .cli.main import main
    return main()

__all__ = list(_WHERE)
