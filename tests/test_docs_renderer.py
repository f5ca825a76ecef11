"""The docs renderer (nbdev's `renderer` setting, docs_tools/showdoc.py, outside the package): signature,
docstring, and a Type | Default | Details table. It builds on fastcore's renderer: where fastcore is not installed
(the runs on other Pythons and on the lowest dependency versions install the package alone), these tests are skipped.
"""
import inspect, typing

import httpx
import pytest

pytest.importorskip('fastcore.docments')

from conftest import checkout_module

_showdoc = checkout_module('docs_tools/showdoc.py', 'docs_tools_showdoc')  # not a package anyone installs
TableRenderer, type_text, default_text = _showdoc.TableRenderer, _showdoc.type_text, _showdoc.default_text

from support_client import markdown_entry
from domo_routes import (TokenState, ManagedTokenAuth, DomoFullAuth, InvalidCredentialsError, ResponseGetData, RetryPolicy,
                         get_full_auth, get_data)

EMPTY = inspect.Parameter.empty  # the notebook's `_empty`


def greet(name: str, # who to greet
          punctuation: str = '!', # what ends the line
         ) -> str: # the greeting
    "Say hello"
    return f'Hello, {name}{punctuation}'


def bare(request, value): "No types, no defaults, no comments"


# --- type_text and default_text (cells 5, 6) ---

def test_type_text_drops_the_typing_prefix():
    assert type_text(typing.Optional[httpx.AsyncClient]) == 'Optional[httpx.AsyncClient]'


def test_type_text_of_no_annotation_is_empty():
    assert type_text(EMPTY) == ''


def test_type_text_keeps_a_string_annotation():
    assert type_text('Optional[ResponseGetData]') == 'Optional[ResponseGetData]'


def test_type_text_of_a_callable():
    assert type_text(typing.Callable[[], float]) == 'Callable[[], float]'


def test_type_text_drops_our_own_module_paths():
    assert type_text(typing.Optional[ResponseGetData]) == 'Optional[ResponseGetData]'


def test_default_text_of_a_function_is_its_name():
    assert default_text(print) == 'print'


def test_default_text_of_a_string_is_its_repr():
    assert default_text('GET') == "'GET'"


def test_default_text_of_no_default_is_empty():
    assert default_text(EMPTY) == ''


def test_default_text_never_shows_a_memory_address():
    assert '0x' not in default_text(RetryPolicy()), default_text(RetryPolicy())


def test_default_text_of_none():
    assert default_text(None) == 'None'


# --- entries (cells 16, 18) ---

def test_a_function_entry_in_full():
    "cell 16's example output"
    assert markdown_entry(TableRenderer(greet)) == (
        "---\n\n### greet\n\n```python\ndef greet(name: str, punctuation: str = '!') -> str\n```\n\nSay hello\n\n"
        "|  | **Type** | **Default** | **Details** |\n|---|---|---|---|\n"
        "| name | str |  | who to greet |\n| punctuation | str | '!' | what ends the line |\n"
        "| **Returns** | **str** |  | the greeting |\n")


def test_a_function_entry_has_a_row_per_parameter_with_its_comment():
    text = markdown_entry(TableRenderer(greet))
    assert "| name | str |  | who to greet |" in text and "| punctuation | str | '!' | what ends the line |" in text, text


def test_a_function_entry_has_its_signature_and_returns_row():
    text = markdown_entry(TableRenderer(greet))
    assert '| **Returns** | **str** |  | the greeting |' in text and 'def greet(name: str, punctuation: str = \'!\') -> str' in text


def test_an_enum_shows_its_header_and_members():
    text = markdown_entry(TableRenderer(TokenState))
    assert 'class TokenState(enum.Enum):' in text and "| `FRESH` | `'fresh'` |" in text and 'def TokenState' not in text, text


def test_a_class_shows_once_with_its_base_and_constructor_table_without_returns():
    text = markdown_entry(TableRenderer(InvalidCredentialsError))
    assert text.count('class InvalidCredentialsError(AuthError):') == 1 and '| status | Optional[int] | None | API request status |' in text, text
    assert '**Returns**' not in text


def test_a_class_shows_its_public_base_not_a_private_one():
    class Public: pass
    class _Private(Public): pass
    class Entry(_Private):
        "a class whose direct base is private"
    text = markdown_entry(TableRenderer(Entry))
    assert 'Public):' in text and '_Private' not in text, text
    assert 'class DomoFullAuth(DomoInstanceAuth):' in markdown_entry(TableRenderer(DomoFullAuth))


def test_a_property_shows_as_a_property_without_a_table():
    text = markdown_entry(TableRenderer(ManagedTokenAuth.expires_at))
    assert '@property\ndef expires_at(self) -> Optional[datetime.datetime]' in text and '| **Type**' not in text, text


def test_an_async_route_shows_as_async_with_its_return_type():
    text = markdown_entry(TableRenderer(get_full_auth))
    assert text.startswith('---') and 'async def get_full_auth(domo_instance: str,' in text and '| **Returns** | **ResponseGetData** |' in text, text


def test_a_long_signature_is_wrapped_within_100_columns():
    text = markdown_entry(TableRenderer(get_full_auth))
    assert all(len(line) <= 100 for line in text.split('```python')[1].split('```')[0].splitlines()), text


def test_no_memory_address_in_get_datas_entry():
    assert '0x' not in markdown_entry(TableRenderer(get_data))


def test_the_shown_name_can_be_given():
    assert TableRenderer(greet, name='hello').nm == 'hello'


def test_no_empty_table_for_parameters_without_types_defaults_or_comments():
    assert TableRenderer(bare).table(TableRenderer(bare).parameters()) == ''


def test_a_builtin_renders_too():
    assert 'def len(obj, /)' in markdown_entry(TableRenderer(len))


# --- a constructor documented once ---

def test_an_error_that_takes_its_bases_constructor_says_so_instead_of_repeating_the_table():
    from domo_routes import DomoNetworkError
    text = markdown_entry(TableRenderer(DomoNetworkError))
    assert 'Its arguments are those of `DomoError`.' in text and '**Type**' not in text


def test_an_error_with_its_own_constructor_keeps_its_table():
    text = markdown_entry(TableRenderer(InvalidCredentialsError))
    assert '**Type**' in text and 'Its arguments are those of' not in text


def test_an_interface_shows_no_constructor():
    from domo_routes.token_cache import TokenCache
    text = markdown_entry(TableRenderer(TokenCache))
    assert 'class TokenCache' in text and '__init__' not in text and '**Type**' not in text
