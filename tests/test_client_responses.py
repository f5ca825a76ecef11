"""What a route gets back and sends: ResponseGetData's masked repr, response_message, raise_for_status, RequestParts.

Ported from nbs/02_client.ipynb: cells 23, 26 and 30.
"""
import json

import httpx
import pytest

from domo_routes import InvalidInstanceError, UnexpectedResponseError, ResponseGetData, RequestParts, raise_for_status
from domo_routes.client import response_message

FAKE_SECRET_TOKEN = 'eyJjdXN0b21lcklkIjoiYWNtZSJ9-the-session-token-value'


# --- ResponseGetData (cell 23) ---

def test_the_repr_masks_secret_fields_in_the_original_shape():
    r = ResponseGetData(200, {'userId': 1, 'success': True, 'sessionToken': FAKE_SECRET_TOKEN}, True)
    assert repr(r) == ("ResponseGetData(status=200, response={'userId': 1, 'success': True, 'sessionToken': 'eyJj…alue'}, "
                       "is_success=True, parent_class=None)")


def test_the_response_keeps_the_real_values():
    r = ResponseGetData(200, {'userId': 1, 'success': True, 'sessionToken': FAKE_SECRET_TOKEN}, True)
    assert r.response['sessionToken'] == FAKE_SECRET_TOKEN


def test_str_does_not_show_the_secret():
    r = ResponseGetData(200, {'userId': 1, 'success': True, 'sessionToken': FAKE_SECRET_TOKEN}, True)
    assert FAKE_SECRET_TOKEN not in str(r)


# --- response_message (cell 26) ---

def test_response_message_of_a_bare_word_body_is_the_word():
    assert response_message(ResponseGetData(403, 'Forbidden', False)) == 'Forbidden'


def test_response_message_prefers_domos_status_reason():
    res = ResponseGetData(401, {'status': 401, 'statusReason': 'Unauthorized', 'message': 'Full authentication is required'}, False)
    assert response_message(res) == 'Unauthorized'


def test_response_message_of_an_html_body_is_the_status_phrase():
    assert response_message(ResponseGetData(502, '<html>bad gateway</html>', False)) == 'Bad Gateway'


# --- raise_for_status (cell 26) ---

def test_raise_for_status_raises_the_class_of_the_table_with_its_explanation():
    with pytest.raises(InvalidInstanceError) as caught:
        raise_for_status(ResponseGetData(404, {'message': 'no such user'}, False), 'f', None, 'h', {404: (InvalidInstanceError, 'who?')})
    assert str(caught.value) == '🛑  InvalidInstanceError 🛑 - function: f || status 404 || who? (no such user) at h'


def test_raise_for_status_accepts_a_success():
    assert raise_for_status(ResponseGetData(204, '', True), 'f', None, 'h', {}) is None


def test_a_maintenance_page_where_json_is_expected_is_an_unexpected_response():
    maintenance = ResponseGetData(200, '<html><title>Down for maintenance</title></html>', True,
                                  headers=httpx.Headers({'content-type': 'text/html; charset=utf-8'}))
    with pytest.raises(UnexpectedResponseError) as caught: raise_for_status(maintenance, 'who_am_i', None, 'acme', {}, json_expected=True)
    assert str(caught.value) == ('🛑  UnexpectedResponseError 🛑 - function: who_am_i || status 200 || expected a JSON answer, '
                                 'got text/html (a maintenance or sign-in page?) at acme')


# --- RequestParts (cell 30) ---

def test_request_parts_built_for_a_template_keep_its_user_agent_and_timeout():
    parts = RequestParts('POST', 'https://acme.domo.com/api/x', {'origin': 'https://acme.domo.com'}, {'a': 1})
    with httpx.Client(timeout=7, headers={'user-agent': 'mine/1'}) as client:
        template = client.build_request('GET', 'https://acme.domo.com/')
    request = parts.build(template)
    assert ((request.headers['user-agent'], request.headers['origin'], request.extensions['timeout']['read'], json.loads(request.content))
            == ('mine/1', 'https://acme.domo.com', 7, {'a': 1}))


def test_request_parts_built_alone_get_the_default_timeout():
    parts = RequestParts('POST', 'https://acme.domo.com/api/x', {'origin': 'https://acme.domo.com'}, {'a': 1})
    assert parts.build().extensions['timeout']['connect'] == 10.0
