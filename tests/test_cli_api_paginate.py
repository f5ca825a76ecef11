"""`domo-routes api --paginate`: page after page of a limit/offset listing, one merged array; a listing that is not
one printed as it came, an endpoint that ignores offset or never ends an error, a failing page its body and exit 1."""
import json

import pytest

from conftest import one_error_line
from domo_routes import DomoError, DomoTokenAuth, reroute
from domo_routes.cli import paginate
from domo_routes.fake import FAKE_ACCESS_TOKEN
from support_cli import served  # noqa: F401 (a fixture)

USERS = '/api/content/v2/users'
EVERYONE = ['ada@acme.test', 'locked@acme.test', 'otp@acme.test']


def test_paginate_prints_one_merged_array_one_request_per_page(served):
    before = served.fake.requests_by_route['users']
    code, text, err = served.sh('api', '--paginate', USERS, '-f', 'limit=2')
    assert (code, [u['userName'] for u in json.loads(text)], served.fake.requests_by_route['users'] - before, err) == (0, EVERYONE, 2, '')
    assert [dict(r[1].params) for r in served.fake.received[-2:]] == [{'limit': '2', 'offset': '0'}, {'limit': '2', 'offset': '2'}]


@pytest.mark.parametrize('flags, pages, offsets', [(['-f', 'limit=1'], 4, ['0', '1', '2', '3']), (['-F', 'limit=3'], 2, ['0', '3']), ([], 1, ['0'])],
                         ids=['limit-1', 'typed-limit-3', 'no-limit'])
def test_paginate_asks_for_each_offset_of_the_page_size(served, flags, pages, offsets):
    before = served.fake.requests_by_route['users']
    code, text, err = served.here('api', '--paginate', USERS, *flags)
    assert (code, [u['userName'] for u in json.loads(text)], served.fake.requests_by_route['users'] - before) == (0, EVERYONE, pages), err
    assert [r[1].params['offset'] for r in served.fake.received[-pages:]] == offsets
    if not flags: assert served.fake.received[-1][1].params['limit'] == '50'  # no limit given: 50 at a time


def test_paginate_starts_where_the_path_says(served):
    code, text, err = served.here('api', '--paginate', '/api/content/v2/users?offset=1&limit=1')
    assert [u['userName'] for u in json.loads(text)] == EVERYONE[1:]


def test_paginate_an_answer_that_is_not_a_listing_is_printed_as_it_came_with_a_note(served):
    served.fake.fail_next(200, body={'count': 3}, path=USERS)
    code, text, err = served.here('api', '--paginate', USERS)
    assert (code, json.loads(text)) == (0, {'count': 3})
    assert 'not a JSON array' in err


def test_paginate_an_endpoint_that_ignores_offset_is_an_error(served):
    served.fake.fail_next(200, body=[{'id': 1}, {'id': 2}], path=USERS, n=2)
    code, text, err = served.here('api', '--paginate', USERS, '-f', 'limit=2')
    assert (code, text) == (1, '')
    assert 'repeats the one before' in one_error_line(err)


def test_paginate_a_page_that_fails_prints_its_body_and_exits_1(served):
    served.fake.fail_next(404, body={'status': 404, 'message': 'gone'}, path=USERS, n=1)
    code, text, err = served.here('api', '--paginate', USERS, '-f', 'limit=1')
    assert (code, json.loads(text)['message']) == (1, 'gone')
    assert 'status 404' in one_error_line(err)


@pytest.mark.parametrize('flags', [['-X', 'POST'], ['--input', 'ROWS'], ['-i'], ['-f', 'limit=0'], ['-f', 'limit=many']],
                         ids=['post', 'input', 'include', 'limit-0', 'limit-not-a-number'])
def test_paginate_refuses_flags_it_cannot_page_with(served, flags, tmp_path):
    rows = tmp_path / 'rows.csv'
    rows.write_text('a,b\n1,2\n')
    code, text, err = served.here('api', '--paginate', USERS, *[str(rows) if f == 'ROWS' else f for f in flags])
    assert (code, text) == (2, '')
    assert '--paginate' in one_error_line(err)


async def test_paginate_stops_with_an_error_after_max_pages(served):
    with reroute(served.server.url):
        with pytest.raises(DomoError) as e:
            await paginate('https://acme.domo.com/api/content/v2/users?limit=1', DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), max_pages=2)
    assert 'more than 2 pages of 1' in str(e.value), str(e.value)
