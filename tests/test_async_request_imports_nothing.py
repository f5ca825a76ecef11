"""An async request looks up no module (pyproject's reason for `sniffio`): httpcore asks `import sniffio` for every
lock it makes; with sniffio missing, every ask is a failed import that searches sys.path (encode/httpcore#1103)."""
import asyncio, sys

import httpx

from domo_routes import DomoTokenAuth
from domo_routes.fake import FAKE_ACCESS_TOKEN, FakeDomo


class Lookups:
    "A finder first on sys.meta_path that only writes down the names imports look for"
    def __init__(self): self.names = []
    def find_spec(self, name, path=None, target=None):
        self.names.append(name)
        return None


def test_async_requests_through_the_auth_object_look_up_no_module():
    fake = FakeDomo()

    async def requests(n):
        async with httpx.AsyncClient(auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), transport=server.transport()) as c:
            for _ in range(n): assert (await c.get('https://acme.domo.com/api/content/v2/users/me')).status_code == 200

    with fake.serve() as server:
        asyncio.run(requests(2))  # warm: whatever is imported once is imported now
        lookups = Lookups()
        sys.meta_path.insert(0, lookups)
        try: asyncio.run(requests(5))
        finally: sys.meta_path.remove(lookups)
    assert 'sniffio' not in lookups.names, lookups.names.count('sniffio')
