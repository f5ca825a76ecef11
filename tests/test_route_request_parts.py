"""What `get_data` puts on the request it builds: the JSON `accept` unless the caller asks for another, the URL parsed
once per route but one holding a query (a token may ride in it) parsed each time and never kept."""
import gc

import httpx

from domo_routes import get_data
from support_client import ME_URL


def _recording() -> tuple:
    seen = []
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={'id': 1})
    return httpx.AsyncClient(transport=httpx.MockTransport(answer)), seen


async def test_a_route_asks_for_json_in_one_accept_header():
    session, seen = _recording()
    async with session: await get_data(ME_URL, session=session)
    assert seen[-1].headers.get_list('accept') == ['application/json']


async def test_the_callers_accept_in_any_case_replaces_the_json_one():
    session, seen = _recording()
    async with session: await get_data(ME_URL, headers={'ACCEPT': 'text/csv'}, session=session)
    assert seen[-1].headers.get_list('accept') == ['text/csv']


async def test_the_same_url_asked_again_with_other_parameters_carries_only_its_own():
    session, seen = _recording()
    async with session:
        await get_data(ME_URL, params={'page': '1'}, session=session)
        await get_data(ME_URL, params={'size': '2'}, session=session)
        await get_data(ME_URL, session=session)
    assert [str(r.url) for r in seen] == [f'{ME_URL}?page=1', f'{ME_URL}?size=2', ME_URL]


async def test_a_url_with_a_token_in_its_query_is_not_kept_after_the_call():
    canary = 'CANARY-query-token-5b1e'
    session, seen = _recording()
    async with session:
        for _ in range(3): await get_data(f'{ME_URL}?api-token={canary}', session=session)
    assert all(canary in str(r.url) for r in seen)
    seen.clear()
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, httpx.URL) and canary in str(o)] == []
