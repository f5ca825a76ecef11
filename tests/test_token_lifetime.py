"""A token's states and its lifetime in the server's time (nbs/04_lifecycle.ipynb: cells 10, 13 and 86)."""
import email.utils

import httpx

from domo_routes import Token, TokenState

from support_lifecycle import ME, domo_fake, current_token, lifecycle_internals

server_lifetime, MAX_LIFETIME = lifecycle_internals()
ANSWER = httpx.Response(200, headers={'date': 'Thu, 17 Oct 2024 02:27:34 GMT'})


def test_an_eight_hour_token_goes_fresh_stale_invalid():
    "Obtained at 1000, it is STALE in its last 5 minutes and INVALID at expiry"
    token = Token('a-session-token-of-fake-value-0123456789', obtained=1000.0, lifetime=8 * 3600)
    assert [token.state(t) for t in (1000, 29499, 29500, 29800)] == [TokenState.FRESH, TokenState.FRESH, TokenState.STALE,
                                                                       TokenState.INVALID]


def test_a_one_minute_token_refreshes_in_its_last_tenth():
    "A short-lived token (a sign-in's sid) is obtained about once per life, still ahead of its expiry"
    assert Token('t', 0, 60).refresh_at == 54.0
    assert [Token('t', 0, 60).state(t) for t in (53.9, 54.0, 60.0)] == [TokenState.FRESH, TokenState.STALE, TokenState.INVALID]


def test_a_session_expiration_is_measured_on_the_servers_date():
    "4 hours on the server's clock, whatever this machine's clock says, less the second a whole-second Date may hide"
    assert round(server_lifetime(ANSWER, expires_at=1729146454.205), 3) == 14399.205


def test_a_lifetime_measured_against_a_whole_second_date_is_rounded_toward_expiring_early():
    "The server's clock may be up to a second past its Date header: a 3 s token is taken to last 2 s, never 3.x"
    date = email.utils.parsedate_to_datetime(ANSWER.headers['date']).timestamp()
    assert server_lifetime(ANSWER, expires_at=date + 3.0) == 2.0
    assert server_lifetime(httpx.Response(200), expires_at=1003.5, clock=lambda: 1000.0) == 3.5  # no Date: the local clock, as is


def test_expires_in_is_taken_as_is():
    assert server_lifetime(ANSWER, expires_in=3599) == 3599.0


def test_without_a_date_header_the_local_clock_stands_in():
    assert server_lifetime(httpx.Response(200), expires_at=1000, clock=lambda: 400) == 600.0


def test_a_lifetime_that_makes_no_sense_is_clamped_or_replaced():
    "Beyond a year: clamped; negative, not a number, NaN: the fallback"
    assert [server_lifetime(ANSWER, expires_in=v) for v in (10**12, -5, 'soon', float('nan'))] == [MAX_LIFETIME, 1800.0, 1800.0, 1800.0]


def test_no_lifetime_given_means_the_fallback():
    assert server_lifetime(ANSWER) == 1800.0


async def test_a_client_clock_9_hours_ahead_makes_one_login_and_measures_the_servers_lifetime():
    fake, auth, now = domo_fake(skew=9 * 3600)
    async with fake.client(auth=auth) as client:
        for _ in range(50): await client.get(ME)
        assert fake.logins == 1
        assert round(current_token(auth).lifetime) == 8 * 3600 - 1  # the server's 8 hours, less the second its Date may hide


async def test_a_client_clock_9_hours_ahead_still_refreshes_before_expiry():
    "No request meets a 401: the token is replaced inside its refresh window"
    fake, auth, now = domo_fake(skew=9 * 3600)
    async with fake.client(auth=auth) as client:
        for _ in range(50): await client.get(ME)
        now[0] += 8 * 3600 - 200
        await client.get(ME)
        assert (fake.logins, fake.responses_by_status[401]) == (2, 0)


async def test_a_client_clock_9_hours_behind_makes_one_login():
    fake, auth, now = domo_fake(skew=-9 * 3600)
    async with fake.client(auth=auth) as client:
        for _ in range(50): await client.get(ME)
    assert fake.logins == 1
