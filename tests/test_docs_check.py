"""The docs check's rules (.ci/docs.py, outside the package), each on a page written here: one that must fail it and
one that must pass. The rules are functions of a page's markdown parts (as `Page.parts` holds them: markdown cells,
visible code cells fenced as ``` {.python}, outputs) or of its HTML, so no build, nbdev or pandoc is needed.
"""
from types import SimpleNamespace

import pytest

from conftest import checkout_module

docs = checkout_module('.ci/docs.py', 'ci_docs')  # .ci is not a package
SITE = 'https://example.github.io/project/'

def code(text: str) -> str: return docs.fence(text, 'python')  # a code cell a reader sees, as Page writes it
def output(text: str) -> str: return docs.fence(text, 'output')

def entry(name: str, signature: str, table: str = '', level: int = 3) -> str:
    "A show_doc entry as docs_tools/showdoc.py's TableRenderer writes it (a cell's markdown output)"
    source = '[source](https://github.com/o/r/blob/main/r/m.py#L1){target="_blank" style="float:right"}'
    return f'---\n\n{source}\n\n{"#" * level} {name}\n\n```python\n{signature}\n```\n\nWhat it does\n\n{table}'

def page(parts: list, html: str = '<main></main>'):
    "A Page-like object and its parsed HTML"
    return SimpleNamespace(parts=parts, output_file='page.html'), docs.parse(html)

# --- 1. test assertions a reader sees ---

@pytest.mark.parametrize('line', ['assert token.state(0) is TokenState.FRESH', 'test_eq(redact(s), "***")',
                                  'test_ne(a, b)', 'test_fail(lambda: f(1))', 'test_is(a, b)', 'test_close(a, 1.0)',
                                  'with test_warns(UserWarning): f()', 'with pytest.raises(ValueError): f()',
                                  'with raises(ValueError): f()'])
def test_visible_assertion_fails(line):
    parts = ['Some prose:', code(f'x = f()\n{line}'), output('1')]
    assert docs.visible_test_lines(parts) == [line]
    problems = docs.page_problems(*page(parts))
    assert problems == [f'page.html: visible test line "{line}"']

def test_hidden_or_lookalike_assertions_pass():
    parts = ['Prose that says assert x == 1 and test_eq(a, b), not code',
             code('assert_clean(fake)  # the testing module\'s own helper, what the page documents\n'
                  '# assert x == 1, a comment\nx = raise_for_status(r)\ndef raises(e): ...'),
             output('assert 1 == 1'), '```python\nassert x  # an example in a markdown cell\n```']
    assert docs.visible_test_lines(parts) == []
    assert docs.page_problems(*page(parts)) == []

# --- 2. empty headings ---

@pytest.mark.parametrize('parts, heading, following', [
    (['## Setup', '## Use', 'Text.'], 'Setup', 'the heading "Use"'),
    (['## Setup\n\n<!-- nothing yet -->\n\n---', '# Part two', 'Text.'], 'Setup', 'the heading "Part two"'),
    (['Intro.', '### Helpers', entry('helper', 'def helper()')], 'Helpers', 'the heading "helper"'),
    (['Intro.', '#### Last'], 'Last', 'the end of the page')])
def test_empty_heading_fails(parts, heading, following):
    problem = f'the heading "{heading}" is empty: followed by {following}'
    assert docs.empty_headings(parts) == [problem]
    assert docs.page_problems(*page(parts)) == [f'page.html: {problem}']

def test_headings_with_content_pass():
    parts = ['## Tokens', '### The cache\n\nKept on disk.', '## Clients', code('client = Client()'),
             '## Reference', entry('Token', 'class Token:'), entry('Token.state', 'def state(now: float)', level=4),
             '## Errors', output('boom'), '## Last\n\n```{=html}\n<b>shown</b>\n```']
    assert docs.empty_headings(parts) == []
    assert docs.page_problems(*page(parts)) == []

# --- 3. a sentence ending in ':' followed by a heading or by nothing ---

@pytest.mark.parametrize('parts, following', [
    (['The cache is made like this:', '## Next\n\nText.'], 'the heading "Next"'),
    (['It is made like this:\n\n<!-- a hidden cell was here -->', '### Next\n\nText.'], 'the heading "Next"'),
    (['Intro.', 'At last, the answer:'], 'the end of the page')])
def test_dangling_colon_fails(parts, following):
    assert len(docs.dangling_colons(parts)) == 1
    assert docs.dangling_colons(parts)[0].endswith(f'ends in ":" and is followed by {following}')
    assert len(docs.page_problems(*page(parts))) == 1

def test_colon_before_code_output_or_entry_passes():
    parts = ['Made like this:', code('cache = FileTokenCache()'), 'It prints:', output('FileTokenCache(...)'),
             'The function that does it:', entry('make', 'def make()'), 'Three cases:\n\n- one\n- two',
             '## Next\n\nIn a cell:\n\n```python\nx = 1\n```', '## Last\n\nDone.']
    assert docs.dangling_colons(parts) == []
    assert docs.page_problems(*page(parts)) == []

# --- 4. private names and __main__. in entries ---

@pytest.mark.parametrize('name, signature, table, problem', [
    ('_login', 'def _login(auth)', '', 'the entry "_login" is a private name'),
    ('Client._send', 'def _send(self, request)', '', 'the entry "Client._send" is a private name'),
    ('retry', 'def retry(policy: __main__.RetryPolicy)', '', 'the entry "retry" says "__main__."'),
    ('retry', 'def retry(policy)', '| policy | __main__.RetryPolicy |  |  |', 'the entry "retry" says "__main__."'),
    ('walk', 'def walk(node, _depth: int = 0)', '', 'the entry "walk" has private names in its signature: _depth'),
    ('RetryPolicy', 'class RetryPolicy:\n    def __init__(self, tries: int = 3, sleep=_sleep)', '',
     'the entry "RetryPolicy" has private names in its signature: _sleep'),
    ('get_data', 'def get_data(url: str, timeout: _SessionTimeout = None)', '',
     'the entry "get_data" has private names in its signature: _SessionTimeout')])
def test_private_entry_fails(name, signature, table, problem):
    parts = ['Prose.', entry(name, signature, table)]
    assert [e.name for e in docs.entries(parts)] == [name]
    assert docs.entry_problems(docs.entries(parts)[0]) == [problem]
    assert docs.page_problems(*page(parts)) == [f'page.html: {problem}']

def test_public_and_dunder_entries_pass():
    parts = [entry('Auth.__call__', 'def __call__(self, request: httpx.Request) -> httpx.Request'),
             entry('Token', 'class Token:\n    def __init__(self, value: str, lifetime: Optional[float] = None)',
                   '| value | str |  | the value (private_key_id and 1_000 are fine) |'),
             entry('Token.state', 'def state(now: float = 1_000) -> TokenState', level=4),
             code('_private = 1  # code cells are not entries'), '### Not an entry\n\nText with _private words.']
    assert [e.name for e in docs.entries(parts)] == ['Auth.__call__', 'Token', 'Token.state']
    assert [p for e in docs.entries(parts) for p in docs.entry_problems(e)] == []
    assert docs.page_problems(*page(parts)) == []

# --- 5. links: made relative, then checked ---

def test_relative_links_use_the_published_site():
    text = (f'[Token]({SITE}lifecycle.html#token), [home]({SITE}), [top]({SITE}#install), '
            f'<a href="{SITE}client.html">client</a>, and the site is {SITE}')
    assert docs.relative_links(text, SITE) == ('[Token](lifecycle.html#token), [home](index.html), '
                                               '[top](index.html#install), <a href="client.html">client</a>, '
                                               f'and the site is {SITE}')
    assert docs.relative_links(text, '/') == text  # no published host: nothing to make relative

IDS = {'page.html': {'intro'}, 'lifecycle.html': {'token', 'login', 'auth.__call__'}}

@pytest.mark.parametrize('link, problem', [
    (f'{SITE}lifecycle.html#token', 'absolute, to the site itself'),
    ('//example.github.io/project/', 'absolute, to the site itself'), ('missing.html', 'no such page'),
    ('lifecycle.html#nothing', 'no such anchor'), ('#nothing', 'no such anchor'),
    ('lifecycle.html#_login', 'a private name'), ('lifecycle.html#client._send', 'a private name')])
def test_bad_link_fails(link, problem):
    problems = docs.link_problems('page.html', [link, link], IDS, 'example.github.io')
    assert problems and all(p.startswith(f'link to {link} (2 times): ') for p in problems)
    assert f'link to {link} (2 times): {problem}' in problems

def test_good_links_pass():
    links = ['lifecycle.html#token', 'lifecycle.html', '#intro', 'lifecycle.html#auth.__call__',
             'https://github.com/o/r/blob/main/r/m.py#L1', 'https://example.github.io.evil.com/x', 'mailto:a@b.c']
    assert docs.link_problems('page.html', links, IDS, 'example.github.io') == []

# --- 6. page length ---

def _html(words: int, nav_words: int = 0) -> str:
    nav = ' '.join(['nav'] * nav_words)
    return (f'<html><head><title>t</title></head><body><nav class="sidebar">{nav}</nav><main><header>'
            f'<h1>Title</h1></header><p>{" ".join(["word"] * (words - 4))}</p><pre><code>x = 1</code></pre>'
            '</main></body></html>')

def test_long_page_fails():
    parser = docs.parse(_html(2501))
    assert docs.words(parser) == 2501
    assert docs.too_long(docs.words(parser)) == ['2,501 words (at most 2,500): split the page']
    assert docs.page_problems(*page(['Prose.'], _html(2501))) == [
        'page.html: 2,501 words (at most 2,500): split the page']

def test_page_at_the_limit_passes_and_nav_is_not_counted():
    parser = docs.parse(_html(2500, nav_words=900))
    assert docs.words(parser) == 2500
    assert docs.too_long(docs.words(parser)) == []
    assert docs.page_problems(*page(['Prose.'], _html(2500, nav_words=900))) == []

def test_words_count_prose_code_and_outputs_apart():
    parser = docs.parse('<nav>a b</nav><main><p>one <code>two</code>three</p><pre>four\nfive</pre></main><p>six</p>')
    assert docs.words(parser) == 4  # "one", "twothree" (inline code joins its word), "four", "five"


def test_raw_backticks_in_a_title_or_description_fail():
    shown = '<header><h1 class="title">X</h1><p class="description">`domo-routes`: the command</p></header>'
    rendered = '<header><h1 class="title">X</h1><p class="description"><code>domo-routes</code>: the command</p></header>'
    assert (docs.raw_markup(shown), docs.raw_markup(rendered)) == (['its title or description shows raw backticks'], [])
