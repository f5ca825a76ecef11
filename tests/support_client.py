"""The one place the client, errors and routes tests import names that are about to move.

Masking lives in `domo_routes.secrets`, the URL helpers in `domo_routes.urls`: tests import those names from here,
so a move changes this file only.
Private names (the secret registry) are reached only through this module too.
"""
import contextlib, sys

# masking and the secrets' door
from domo_routes.secrets import (mask, redact, register_secret, mask_data, secret_forms, is_secret_key, checked_secret,
                                 SECRET_KEYS, SHORT_SECRET)
# where requests go
from domo_routes.urls import (normalize_instance, instance_url, origin_of, check_base_url, normalize_base_url, reroute,
                              current_base_url, reroute_request)

__all__ = ['mask', 'redact', 'register_secret', 'mask_data', 'secret_forms', 'is_secret_key', 'checked_secret', 'SECRET_KEYS',
           'SHORT_SECRET', 'normalize_instance', 'instance_url', 'origin_of', 'check_base_url', 'normalize_base_url', 'reroute',
           'current_base_url', 'reroute_request', 'secret_registry', 'fresh_secret_registry', 'ME_URL', 'raises_async',
           'recording_retry', 'loose_secret_count', 'markdown_entry']

# the module that defines the masking functions, wherever that is: its global registry is the one they use
_masking_module = sys.modules[register_secret.__module__]


def secret_registry():
    "The process-wide registry `register_secret` adds to and `redact` reads (private: `_secrets`)"
    return _masking_module._secrets


@contextlib.contextmanager
def fresh_secret_registry():
    """An empty registry of the same class, default limits, in place of the process-wide one while inside.

    For the tests that register thousands of secrets: they evict the loose secrets other tests registered, and
    with their own registry their counts do not depend on what ran before."""
    saved = _masking_module._secrets
    fresh = _masking_module._secrets = type(saved)()
    try: yield fresh
    finally: _masking_module._secrets = saved


ME_URL = 'https://acme.domo.com/api/content/v2/users/me'


async def raises_async(cls, awaitable):
    "The exception of class `cls` that awaiting `awaitable` raises; AssertionError if none is raised"
    try: await awaitable
    except cls as e: return e
    raise AssertionError(f'{getattr(cls, "__name__", cls)} not raised')


def recording_retry(**kwargs) -> tuple:
    "A `RetryPolicy` that records its waits instead of sleeping, and the list it records them in"
    from domo_routes import RetryPolicy
    waits = []
    async def record(seconds): waits.append(seconds)
    return RetryPolicy(sleep=record, **kwargs), waits


def loose_secret_count(registry) -> int:
    "How many secrets without an owner `registry` holds (private: `_loose`)"
    return len(registry._loose)


def markdown_entry(renderer) -> str:
    "The markdown a docs renderer gives nbdev (IPython's display protocol, private by name: `_repr_markdown_`)"
    return renderer._repr_markdown_()
