"""The token lifecycle, in parts: `token` (tokens and their time), `guards` (httpcore trace extensions), `flow`
(the token's state and the steps that keep it usable), `driver` (one loop for every way of sending) and `auth`
(`ManagedTokenAuth`). The names below are the lifecycle's public face, importable from `domo_routes.lifecycle`."""
# Kept by hand, like the package's own __init__.py: nbdev writes the modules of this folder, not this file.
from .token import TokenState, Token, REFRESH_WINDOW, MAX_LIFETIME, server_time, server_lifetime
from .guards import LoginTrace, TokenGuard
from .flow import LOGIN_WAIT, CACHE_LOCK_WAIT, CACHE_LOCK_POLL, MAX_LOGIN_REDIRECTS, SharedLogin, TokenFlow, CacheSlot
from .driver import MAX_LOGIN_ANSWER, LOGIN_ANSWER_SECONDS, run_sync, requests_login
from .auth import (DEFAULT_TOKEN_CACHE, ManagedTokenAuth, ServiceAuth, SERVICE_STATUS_ERRORS, TOKEN_FIELDS,
                   token_from_response, require_token)

__all__ = ['TokenState', 'Token', 'REFRESH_WINDOW', 'MAX_LIFETIME', 'server_time', 'server_lifetime', 'LoginTrace',
           'TokenGuard', 'LOGIN_WAIT', 'CACHE_LOCK_WAIT', 'CACHE_LOCK_POLL', 'MAX_LOGIN_REDIRECTS', 'SharedLogin',
           'TokenFlow', 'CacheSlot', 'MAX_LOGIN_ANSWER', 'LOGIN_ANSWER_SECONDS', 'run_sync',
           'requests_login', 'DEFAULT_TOKEN_CACHE', 'ManagedTokenAuth',
           'ServiceAuth', 'SERVICE_STATUS_ERRORS', 'TOKEN_FIELDS', 'token_from_response', 'require_token']
