"""What start-up imports (issue 23: nothing the call does not need): `import domo_routes` loads none of its modules
nor httpx; `domo-routes --version` none of the commands; a name is loaded on first use, and what type checkers read
names the same things. Counted in a fresh interpreter, not timed (the timings are bench/bench_peers.py's)."""
import json, subprocess, sys

import domo_routes


def modules_after(code: str) -> set:
    "The modules a fresh interpreter has loaded after running `code`"
    out = subprocess.run([sys.executable, '-c', f'{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))'],
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_domo_routes_loads_none_of_its_modules_nor_httpx():
    loaded = modules_after('import domo_routes')
    assert {m for m in loaded if m.startswith('domo_routes')} == {'domo_routes'}
    assert not {'httpx', 'asyncio', 'typing', 'dataclasses'} & loaded


def test_domo_routes_version_loads_no_command_nor_httpx():
    loaded = modules_after("import sys; sys.argv = ['domo-routes', '--version']\n"
                           "from domo_routes import _console_script; _console_script()")
    assert {m for m in loaded if m.startswith('domo_routes')} == {'domo_routes'}
    assert not {'httpx', 'asyncio', 'argparse'} & loaded


def test_a_name_loads_what_it_needs_on_first_use():
    loaded = modules_after('from domo_routes import DomoFullAuth')
    assert 'domo_routes.domo_auth' in loaded and 'httpx' in loaded
    assert not {'domo_routes.browser_sign_in', 'domo_routes.credentials', 'domo_routes.testing'} & loaded


def test_every_public_name_resolves_and_is_in_all():
    for name in domo_routes.__all__: assert getattr(domo_routes, name) is not None, name
    assert set(domo_routes.__all__) <= set(dir(domo_routes))


def test_the_type_checkers_imports_name_exactly_the_public_names():
    import ast, inspect
    tree = ast.parse(inspect.getsource(domo_routes))
    guarded = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, 'id', '') == 'TYPE_CHECKING')
    names = {alias.name for node in guarded.body for alias in node.names}
    assert names == set(domo_routes.__all__)
