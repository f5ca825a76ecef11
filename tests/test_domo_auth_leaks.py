"""No secret leaks through any Domo auth object or auth route (nbs/05_domo_auth.ipynb: cell 60)."""
from domo_routes import (DomoFullAuth, DomoTokenAuth, DomoCookieAuth, DomoDeveloperAuth, DomoError, get_full_auth,
                         get_developer_auth, who_am_i)
from domo_routes.fake import FakeDomo, LeakCheck, FAKE_CLIENT_ID

from support_lifecycle import current_token

CANARY_PW, CANARY_SECRET, CANARY_TOKEN = 'CANARY-pw-9a8b7c6d5e4f3a2b1c', 'CANARY-secret-1f2e3d4c5b6a7980', 'CANARY-token-5e6f7a8b9c0d1e2f3a4b'
CANARY_DSID = 'CANARY-dsid-0a1b2c3d4e5f6a7b8c9d'


async def test_no_canary_credential_leaks_through_any_auth_object_or_route_in_success_or_failure():
    "Every auth object and route, success and failure, debug output on, every logger at DEBUG, over real loopback HTTP"
    fake = FakeDomo(client_secret=CANARY_SECRET, access_token=CANARY_TOKEN)
    fake.users['ada@acme.test'].password = CANARY_PW
    fake.browser_sessions[CANARY_DSID] = fake.user.id
    with fake.serve() as server, server.routing(), LeakCheck(CANARY_PW, CANARY_SECRET, CANARY_TOKEN, CANARY_DSID) as check:
        full = DomoFullAuth('acme', 'ada@acme.test', CANARY_PW, token_cache=None)
        check.add(full, await full.who_am_i(debug_api=True), full, current_token(full))
        cookie = DomoCookieAuth('acme', CANARY_DSID, token_cache=None)
        check.add(cookie, await cookie.who_am_i(debug_api=True))
        token = DomoTokenAuth('acme', CANARY_TOKEN)
        check.add(token, await token.who_am_i(debug_api=True))
        dev = DomoDeveloperAuth(FAKE_CLIENT_ID, CANARY_SECRET, token_cache=None)
        check.add(dev, await dev.who_am_i(debug_api=True), await get_developer_auth(FAKE_CLIENT_ID, CANARY_SECRET, debug_api=True))
        for failing in (lambda: get_full_auth('acme', 'ada@acme.test', CANARY_PW + 'x', debug_api=True),
                        lambda: get_developer_auth(FAKE_CLIENT_ID, CANARY_SECRET + 'x', debug_api=True),
                        lambda: who_am_i(None, 'acme', {'x-domo-developer-token': CANARY_TOKEN + 'x'}, debug_api=True),
                        lambda: DomoCookieAuth('acme', CANARY_DSID + 'x', token_cache=None).who_am_i(),
                        lambda: DomoFullAuth('acme', 'ada@acme.test', CANARY_PW + 'y', token_cache=None).who_am_i()):
            try: await failing(); raise AssertionError('expected an error')
            except DomoError as e: check.add(e)
    assert any(r.name.startswith('httpcore') for r in check.records) and any(r.name == 'httpx' for r in check.records)
    assert any('CANA' in t for t in check.texts)  # the masks are there: the canaries passed through these paths
    check.assert_clean()
