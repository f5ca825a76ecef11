__version__ = "0.2.0"

# The public API, importable from the top-level package. The imports below are kept by hand (nbdev writes only the
# version line above); each name is defined in the notebook its module is exported from.
from .errors import (DomoError, InvalidInstanceError, BlockedByAllowListError, DomoNetworkError, AuthError,
                     InvalidCredentialsError, AccountLockedError, InvalidAuthTypeError, NoAccessTokenReturned,
                     TwoFactorRequiredError, InvalidInputError, MissingConfigurationError, ResponseTooLargeError,
                     UnexpectedResponseError, SignInError, SessionExpiredError)
from .secrets import mask, redact, register_secret, checked_secret
from .urls import normalize_instance, reroute
from .client import (ResponseGetData, RequestParts, get_data, RetryPolicy, aclose_pool, raise_for_status,
                     MAX_RESPONSE_BYTES)
from .routes import get_full_auth, get_cookie_auth, get_developer_auth, who_am_i, session_token_expiry
from .token_cache import (MemoryTokenCache, FileTokenCache, RedisTokenCache, CachedToken, default_token_cache,
                          token_cache_from)
from .lifecycle import (ManagedTokenAuth, ServiceAuth, Token, TokenState, run_sync, token_from_response,
                        requests_login)
from .domo_auth import (DomoAuth, DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth, AUTH_METHODS,
                        elevate_otp, generate_access_token, get_access_tokens, revoke_access_token)
from .browser_sign_in import DomoSignInAuth, SignIns, SecretStore, sign_in
from .credentials import auth_from_env, resolve_credentials, Profiles, Profile
from .resolver import ResolverAuth, NoActiveOrgError, get_resolver_token, renew_resolver_token, logout_resolver_token
from .saymon import SaymonAuth, get_saymon_token
from .interop import RetryTransport, pydomo_client
# The fakes are for tests: loaded on first use (PEP 562), so `import domo_routes` costs about what `import httpx` does.
_LAZY = {'FakeDomo': 'testing', 'FakeResolver': 'testing', 'FakeSaymon': 'testing', 'FakeServer': 'testing',
         'LeakCheck': 'testing'}

def __getattr__(name):
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

__all__ = ['DomoError', 'InvalidInstanceError', 'BlockedByAllowListError', 'DomoNetworkError', 'AuthError',
           'InvalidCredentialsError', 'AccountLockedError', 'InvalidAuthTypeError', 'NoAccessTokenReturned',
           'TwoFactorRequiredError', 'InvalidInputError', 'MissingConfigurationError', 'ResponseTooLargeError',
           'UnexpectedResponseError', 'SignInError', 'SessionExpiredError', 'mask', 'redact', 'register_secret',
           'checked_secret',
           'normalize_instance', 'reroute', 'ResponseGetData', 'RequestParts', 'get_data', 'RetryPolicy', 'aclose_pool',
           'raise_for_status', 'MAX_RESPONSE_BYTES', 'get_full_auth', 'get_cookie_auth', 'get_developer_auth',
           'who_am_i', 'session_token_expiry', 'MemoryTokenCache', 'FileTokenCache', 'RedisTokenCache', 'CachedToken',
           'default_token_cache', 'token_cache_from', 'ManagedTokenAuth', 'ServiceAuth', 'Token', 'TokenState',
           'run_sync', 'token_from_response', 'requests_login', 'DomoAuth', 'DomoFullAuth', 'DomoTokenAuth',
           'DomoCookieAuth',
           'DomoDeveloperAuth', 'AUTH_METHODS', 'auth_from_env', 'elevate_otp', 'generate_access_token',
           'get_access_tokens', 'revoke_access_token', 'DomoSignInAuth', 'SignIns', 'SecretStore', 'sign_in',
           'resolve_credentials', 'Profiles', 'Profile',
           'ResolverAuth', 'NoActiveOrgError', 'get_resolver_token', 'renew_resolver_token', 'logout_resolver_token',
           'SaymonAuth', 'get_saymon_token', 'RetryTransport', 'pydomo_client', *_LAZY]
