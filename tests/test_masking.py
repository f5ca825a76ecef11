"""Masking: `mask`, `redact`, `mask_data`, `secret_forms`, `register_secret` and the registry behind them.

Ported from nbs/00_errors.ipynb: cells 6 and 9 (example outputs), 14/15, 18, 37, 39, 41. The tests that register
thousands of secrets use a registry of their own (`fresh_secret_registry`), so they neither evict the secrets
other tests registered nor depend on them. `test_the_cost_of_redact_does_not_grow_with_the_registry` and the
`is_secret_key` tests have no notebook cell: they check what the notebook's text promises.
"""
import base64, concurrent.futures, gc, json, random, string, time
from urllib.parse import quote, quote_plus

import pytest

from support_client import (mask, redact, register_secret, mask_data, secret_forms, is_secret_key, SECRET_KEYS, SHORT_SECRET,
                            fresh_secret_registry, secret_registry, loose_secret_count)

CANARY = 'CANARY-pw-7f3a9c1e5b2d4f6a8c0e'


# --- mask (cells 6, 15) ---

def test_mask_keeps_four_characters_each_side_of_a_long_secret():
    assert mask('abcdefghijklmnopqrstuvwxyz') == 'abcd…wxyz'


def test_mask_hides_a_short_secret_entirely():
    assert mask('hunter2') == '…'


def test_mask_shows_the_ends_from_24_characters_on():
    "Not a notebook assertion: the docstring's bound"
    assert (mask('a' * 23), mask('abcd' + 'x' * 16 + 'wxyz')) == ('…', 'abcd…wxyz')


def test_mask_of_none_is_none():
    assert mask(None) == 'None'


# --- secret_forms (cell 9, example output) ---

def test_secret_forms_lists_plain_url_encoded_and_json_escaped_forms():
    assert sorted(secret_forms('pa"ss/wörd 1')) == [
        'pa"ss/wörd 1', 'pa%22ss%2Fw%C3%B6rd%201', 'pa%22ss%2Fw%C3%B6rd+1', 'pa%22ss/w%C3%B6rd%201',
        'pa\\"ss/w\\u00f6rd 1', 'pa\\"ss/wörd 1']


# --- redact (cells 14, 15) ---

def test_redact_masks_a_registered_secret():
    register_secret(CANARY)
    shown = redact(f'login failed for {CANARY}')
    assert CANARY not in shown
    assert shown == 'login failed for CANA…8c0e'


def test_redact_masks_a_secret_named_query_parameter():
    assert (redact('GET /users/current?api-token=a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d&x=1')
            == 'GET /users/current?api-token=a5f9…4f4d&x=1')


def test_redact_masks_a_short_password_json_field_and_keeps_other_fields():
    assert (redact('{"password": "hunter2", "emailAddress": "ada@acme.test"}')
            == '{"password": "…", "emailAddress": "ada@acme.test"}')


def test_redact_masks_a_bearer_authorization_value_keeping_the_scheme():
    assert redact("{'Authorization': 'bearer 0123456789abcdef0123456789'}") == "{'Authorization': 'bearer 0123…6789'}"


def test_redact_leaves_text_without_secrets_alone():
    assert redact('nothing to hide') == 'nothing to hide'


# --- mask_data (cell 18) ---

def test_mask_data_masks_secret_named_values_at_any_depth():
    fake_token = 'eyJjdXN0b21lcklkIjoiYWNtZSJ9-a-long-session-token'
    assert (mask_data({'userId': 1, 'sessionToken': fake_token, 'nested': [{'access_token': fake_token}]})
            == {'userId': 1, 'sessionToken': 'eyJj…oken', 'nested': [{'access_token': 'eyJj…oken'}]})


# --- secret-named keys (no cell: the names the notebook's text lists) ---

@pytest.mark.parametrize('key', ['password', 'sessionToken', 'access_token', 'api-token', 'x-domo-authentication',
                                 'Authorization', 'client_secret', 'domo_password', 'Set-Cookie', *SECRET_KEYS])
def test_is_secret_key_recognises_secret_names(key):
    assert is_secret_key(key)


@pytest.mark.parametrize('key', ['emailAddress', 'userId', 'displayName', 'x-domo-customer'])
def test_is_secret_key_leaves_ordinary_names(key):
    assert not is_secret_key(key)


# --- every form of a registered secret (cell 37) ---

class Owner: pass

PASSWORD = 'CANARY"pass\\word/ü'
BASIC = base64.b64encode(b'client-id:' + PASSWORD.encode()).decode()
SHORT = 'Sh0r7!'


def register_owned(owner):
    "cell 37's secrets: a password with a quote, a backslash and a non-ASCII letter, its Basic credential, a short one"
    for secret in (PASSWORD, BASIC, SHORT): register_secret(secret, owner=owner)


@pytest.fixture
def owned():
    with fresh_secret_registry() as registry:
        owner = Owner()
        register_owned(owner)
        yield owner


PASSWORD_TEXTS = [json.dumps({'note': f'x{PASSWORD}y'}), json.dumps({'p': PASSWORD}, ensure_ascii=False), repr({'p': PASSWORD}),
                  f'https://a.example/?q={quote(PASSWORD, safe="")}', f'https://a.example/?q={quote_plus(PASSWORD)}']


@pytest.mark.parametrize('text', PASSWORD_TEXTS, ids=['json-inside-a-word', 'json-unicode', 'repr', 'url-quote', 'url-quote-plus'])
def test_every_form_of_a_registered_password_is_masked(owned, text):
    shown = redact(text)
    assert 'CANARY' not in shown and 'word' not in shown, (text, shown)


def test_a_registered_basic_credential_is_masked_in_a_header_and_a_json_field(owned):
    assert BASIC not in redact(f'authorization: Basic {BASIC}')
    assert BASIC not in redact(f'{{"h": "Basic {BASIC}"}}')


@pytest.mark.parametrize('text, shown', [
    ('{"note": "Sh0r7!"}', '{"note": "…"}'), ("{'p': 'Sh0r7!'}", "{'p': '…'}"), ('x-key: Sh0r7!', 'x-key: …'),
    ('GET /x?q=Sh0r7!&y=1', 'GET /x?q=…&y=1'), ('a=1&p=Sh0r7!', 'a=1&p=…'), ('Sh0r7!s are words', 'Sh0r7!s are words')],
    ids=['json-field', 'repr-field', 'header', 'query', 'form', 'inside-a-word'])
def test_a_short_secret_is_masked_as_a_whole_field_value_only(owned, text, shown):
    assert len(SHORT) < SHORT_SECRET
    assert redact(text) == shown


# --- no eviction of live secrets; the loose secrets are bounded (cell 39) ---

def register_loose(n=10_000):
    for i in range(n): register_secret(f'loose-secret-{i:08d}-padding')


def test_owned_secrets_stay_masked_after_ten_thousand_loose_ones(owned):
    register_loose()
    assert 'CANARY' not in redact(PASSWORD) and redact(f'{{"p": "{SHORT}"}}') == '{"p": "…"}'


def test_the_oldest_loose_secrets_are_let_go(owned):
    register_loose()
    assert 'loose-secret-00000001' in redact('loose-secret-00000001-padding')
    assert 'loose-secret-00009999' not in redact('loose-secret-00009999-padding')


def test_an_owners_secrets_are_forgotten_once_it_is_collected():
    with fresh_secret_registry() as registry:
        owner = Owner()
        register_owned(owner)
        register_loose()
        size = len(registry)
        del owner; gc.collect()
        register_secret('another-secret-to-trigger-release')
        assert len(registry) < size
        assert 'CANARY' in redact(PASSWORD) and redact(f'{{"p": "{SHORT}"}}') == '{"p": "Sh0r7!"}'


def test_loose_secrets_never_exceed_the_limit(owned):
    register_loose()
    register_secret('another-secret-to-trigger-release')
    registry = secret_registry()
    assert loose_secret_count(registry) == registry.loose_limit


def test_the_loose_limit_is_the_4096_most_recent():
    with fresh_secret_registry() as registry: assert registry.loose_limit == 4096


# --- many threads at once (cell 41) ---

def test_many_threads_registering_and_redacting_lose_nothing():
    with fresh_secret_registry():
        keep = Owner()
        def churn(n):
            mine = f'thread-secret-{n:04d}-0123456789'
            register_secret(mine, owner=keep)
            for i in range(200): register_secret(f'churn-{n}-{i}-abcdefgh')
            return mine not in redact(f'has {mine} in it')
        with concurrent.futures.ThreadPoolExecutor(8) as pool: assert all(pool.map(churn, range(64)))
        assert all(f'thread-secret-{n:04d}-0123456789' not in redact(f'has thread-secret-{n:04d}-0123456789') for n in range(64))


# --- the registry's cost (no cell: the notebook's text promises it) ---

def test_the_cost_of_redact_does_not_grow_with_the_registry():
    "One secret or 20,000: redact costs about the same (min of 5 timings; a pattern of all secrets would be 1000s of times slower)"
    rng = random.Random(1)
    text = ' '.join(''.join(rng.choices(string.ascii_lowercase + '-', k=rng.randint(3, 12))) for _ in range(10_000))
    def best():
        times = []
        for _ in range(5):
            start = time.perf_counter(); redact(text); times.append(time.perf_counter() - start)
        return min(times)
    with fresh_secret_registry():
        register_secret('one-registered-secret-0123456789')
        small = best()
    with fresh_secret_registry():
        owner = Owner()
        for i in range(20_000): register_secret(f'{i:08x}-owned-secret-{i}', owner=owner)
        large = best()
    assert large < 4 * small, (small, large)
