"""Routes for a signed-in user: OTP elevation and access tokens (nbs/05_domo_auth.ipynb: cells 51-52)."""
import time

from domo_routes import DomoFullAuth, DomoTokenAuth, AuthError, InvalidCredentialsError
from domo_routes.fake import FAKE_PASSWORD, FAKE_OTP

from support_lifecycle import ADA_ID, raises


async def signed_in_with_a_new_token(fake):
    "(auth, made): ada signed in (`who_am_i` done), and the answer of `generate_access_token('ci robot', 7 days)`"
    auth = DomoFullAuth('acme', 'ada@acme.test', FAKE_PASSWORD, session=fake.client(), token_cache=None)
    await auth.who_am_i()
    made = await auth.generate_access_token('ci robot', duration_in_days=7)
    return auth, made


async def test_elevate_otp_with_the_right_code_elevates_the_session(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    assert (await auth.elevate_otp(FAKE_OTP)).response['elevated'] == True


async def test_elevate_otp_with_a_wrong_code_is_an_auth_error_with_status_400(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    e = await raises(AuthError, auth.elevate_otp('000000'))
    assert e.status == 400


async def test_a_generated_access_token_is_named_and_masked_in_the_repr(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    assert (made.status, made.response['name']) == (200, 'ci robot')  # printed by the example (cell 51)
    new_token = made.response['token']
    assert new_token not in repr(made) and made.response['name'] == 'ci robot'


async def test_a_generated_access_token_lasts_the_days_asked_for(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    assert 6.9 < (made.response['expires'] / 1000 - time.time()) / 86400 <= 7


async def test_get_access_tokens_lists_the_tokens_by_name_never_their_values(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    listed = (await auth.get_access_tokens()).response
    assert sorted(d['name'] for d in listed) == ['ci robot', 'seeded']
    assert all('token' not in d for d in listed)


async def test_a_generated_access_token_works_until_it_is_revoked(fake):
    auth, made = await signed_in_with_a_new_token(fake)
    new_token = made.response['token']
    assert (await DomoTokenAuth('acme', new_token, session=auth.session).who_am_i()).response['id'] == ADA_ID
    await auth.revoke_access_token(made.response['id'])
    await raises(InvalidCredentialsError, DomoTokenAuth('acme', new_token, session=auth.session).who_am_i())
