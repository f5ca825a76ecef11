"The `domo-routes` command: `main` in `cli.main`, each command in a module of its own, loaded only when it runs."
# Kept by hand: nbdev writes the modules of this folder, not this file. Names are looked up on first use (PEP 562),
# so `domo-routes --version` imports nothing a command needs.
from .main import (main, build_parser, exit_code_for, ApiStatusError, COMMANDS)
_ELSEWHERE = {'auth_from_args': 'settings', 'cache_from_args': 'settings', 'settings_from_args': 'settings',
              'endpoint_host': 'api', 'endpoint_url': 'api', 'read_input': 'api', 'parse_field': 'api',
              'parse_header': 'api',
              'api_request': 'api', 'paginate': 'api', 'write_answer': 'api', 'PAGE_LIMIT': 'api', 'MAX_PAGES': 'api',
              'DEVELOPER_HOST': 'api', 'waiting': 'session'}

def __getattr__(name):
    if name in _ELSEWHERE:
        import importlib
        return getattr(importlib.import_module(f'.{_ELSEWHERE[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

__all__ = ['main', 'build_parser', 'exit_code_for', 'ApiStatusError', 'COMMANDS', *_ELSEWHERE]
