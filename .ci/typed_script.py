"""A user's script, as the README shows the library: CI type-checks it with mypy (`bash .ci/run`), against a normal
install and against the README's editable install, so the public API stays visible to type checkers.
It is checked, not run (it would need a Domo instance)."""
import asyncio
import httpx
from domo_routes import (DomoAuth, DomoCookieAuth, DomoDeveloperAuth, DomoFullAuth, DomoTokenAuth, FileTokenCache,
                         InvalidCredentialsError, MemoryTokenCache, RedisTokenCache, ResolverAuth, ResponseGetData,
                         SaymonAuth, TokenState, auth_from_env, elevate_otp, generate_access_token, get_access_tokens,
                         get_full_auth, revoke_access_token, run_sync, who_am_i, DomoSignInAuth, SignIns, SignInError,
                         sign_in, Profiles, resolve_credentials, SessionExpiredError)


async def main() -> None:
    res: ResponseGetData = await get_full_auth('acme', 'ada@acme.test', 'a password')
    print(res.status, res.response['userId'])
    auth = DomoFullAuth('acme', 'ada@acme.test', 'a password', token_cache=FileTokenCache())
    token: str = await auth.get_auth_token()
    me = await auth.who_am_i()
    print(token[:4], me.response['displayName'], auth.state is TokenState.FRESH, auth.expires_at)
    made = await auth.generate_access_token('ci robot', duration_in_days=7)
    listed = await auth.get_access_tokens()
    await auth.revoke_access_token(made.response['id'])
    await auth.elevate_otp('123456')
    await elevate_otp(auth, '123456')
    await generate_access_token(auth, 'another')
    await get_access_tokens(auth)
    await revoke_access_token(auth, 2)
    await who_am_i(auth)
    print(listed.response)
    await auth.logout()
    try: await DomoFullAuth('acme', 'ada@acme.test', 'wrong').get_auth_token()
    except InvalidCredentialsError as e: print(e)
    token_auth = DomoTokenAuth('acme', 'an-access-token', token_cache=None)
    cookie = DomoCookieAuth('acme', 'a-dsid-cookie', token_cache=MemoryTokenCache())
    developer = DomoDeveloperAuth('client-id', 'client-secret', scope='data user',
                                  token_cache=RedisTokenCache('redis://cache.internal:6379/0'))
    for each in (token_auth, cookie, developer): print(each.auth_header)
    from_env: DomoAuth = auth_from_env()
    with httpx.Client(auth=from_env, base_url=f'https://{from_env.domo_instance}.domo.com') as client:
        print(client.get('/api/content/v3/users', params={'limit': 50}).json())
    async with httpx.AsyncClient(auth=DomoFullAuth.from_env()) as async_client:
        print((await async_client.get('https://acme.domo.com/api/content/v2/users/me')).json())
    async with ResolverAuth('https://acme.resolver.com', 'ada@acme.test', 'a password', 101) as resolver:
        print((await resolver.request('/object/1')).response)
    saymon = SaymonAuth('saymon.example.com', 'admin', 'a password', '64a1f0c2e4b0a1b2c3d4e5f7')
    print((await saymon.who_am_i()).response)
    print((await from_env.request('/api/content/v2/users/me')).status)
    try: signed: DomoSignInAuth = await sign_in('acme', open_browser=False)
    except SignInError as e: print(e.message)
    else: print(signed.kept_in, signed.user, (await signed.who_am_i()).response)
    kept = SignIns()
    print([(entry.instance, entry.user, entry.where) for entry in kept.entries()], kept.find('acme'))
    profiled: DomoAuth = auth_from_env(profile='prod')
    print(resolve_credentials(profile='prod').describe(), Profiles().default, [p.values for p in Profiles().profiles.values()])
    try: await profiled.get_auth_token()
    except SessionExpiredError as e: print(e.hint)
    refreshed = DomoSignInAuth('acme', 'a-refresh-token', token_cache=FileTokenCache())
    async with httpx.AsyncClient(auth=refreshed) as signed_client:
        print((await signed_client.get('https://acme.domo.com/api/content/v2/users/me')).json())


if __name__ == '__main__':
    print(run_sync(DomoTokenAuth('acme', 'an-access-token').who_am_i()).response)
    asyncio.run(main())
