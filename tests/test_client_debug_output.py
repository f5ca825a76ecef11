"""debug_api=True and the `domo_routes` logger: the request and the response shown, every secret masked.

Ported from nbs/02_client.ipynb: cell 62 (its asserts, and the shape of its example output).
"""
import logging

import pytest

from domo_routes import get_data
from support_client import mask, register_secret

CANARY_PASSWORD, CANARY_TOKEN = 'CANARY-password-0f9e8d7c6b5a4', 'CANARY-token-1a2b3c4d5e6f7a8b9c0d'


@pytest.fixture
def debug_records():
    "Records of the `domo_routes` logger at DEBUG, its level restored afterwards"
    logger = logging.getLogger('domo_routes')
    records, level = [], logger.level
    handler = logging.Handler(); handler.emit = records.append
    logger.addHandler(handler); logger.setLevel(logging.DEBUG)
    try: yield records
    finally:
        logger.removeHandler(handler); logger.setLevel(level)


@pytest.fixture
def shown(fake, debug_records, capsys):
    "What a debug_api=True login with a canary password, token header and api-token parameter printed and logged"
    import asyncio
    register_secret(CANARY_PASSWORD, CANARY_TOKEN)
    async def login():
        async with fake.client() as session:
            await get_data('https://acme.domo.com/api/content/v2/authentication', 'POST', session=session, debug_api=True,
                           body={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': CANARY_PASSWORD},
                           headers={'x-domo-developer-token': CANARY_TOKEN}, params={'api-token': CANARY_TOKEN},
                           function_name='generate_access_token')
    asyncio.run(login())
    return capsys.readouterr().out, '\n'.join(r.getMessage() for r in debug_records)


def test_the_request_line_names_the_route_method_and_url(shown):
    printed, _ = shown
    assert '➡ generate_access_token POST https://acme.domo.com/api/content/v2/authentication' in printed, printed


def test_the_response_line_names_the_route_and_status_unmasked(shown):
    printed, _ = shown
    assert '⬅ generate_access_token 200' in printed, printed  # a route named *_token: its method and status are not masked


def test_the_body_is_shown_with_the_password_masked(shown):
    printed, _ = shown
    assert 'ada@acme.test' in printed and f"'password': '{mask(CANARY_PASSWORD)}'" in printed, printed


def test_neither_the_printout_nor_the_log_holds_a_secret(shown):
    for text in shown:
        assert CANARY_PASSWORD not in text and CANARY_TOKEN not in text, text


def test_the_log_gets_the_same_lines_as_the_printout(shown):
    printed, logged = shown
    assert printed.strip().splitlines() == logged.splitlines()


def test_the_secret_query_parameter_and_header_are_masked_and_the_answer_shown(shown):
    "cell 62's example output (the user agent's httpx version aside)"
    printed, _ = shown
    request_line, response_line = printed.strip().splitlines()
    assert request_line.startswith('➡ generate_access_token POST https://acme.domo.com/api/content/v2/authentication?api-token=… headers=')
    assert f"'x-domo-developer-token': '{mask(CANARY_TOKEN)}'" in request_line and mask(CANARY_TOKEN) == 'CANA…9c0d'
    assert request_line.endswith("body={'method': 'password', 'emailAddress': 'ada@acme.test', 'password': 'CANA…b5a4'}")
    assert response_line == "⬅ generate_access_token 200 {'success': False, 'reason': 'INVALID_CREDENTIALS'}"
