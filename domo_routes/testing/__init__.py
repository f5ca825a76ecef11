"""Offline stand-ins for Domo, Resolver Core and SAYMON, for tests: imported by tests, the demo and
`domo-routes fake-server`, never by the library itself. `domo_routes.fake` is the same module under its older name."""
# Kept by hand: nbdev writes the modules of this folder, not this file.
from .service import SeenRequest, FakeService
from .domo import (FAKE_PASSWORD, FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_OTP, FAKE_DSID,
                   USER_LISTINGS, FakeUser, default_users, make_session_token, FakeDomo)
from .server import FakeServer, ToServerTransport
from .leaks import LeakCheck
from .resolver import FAKE_RESOLVER_ORG, ResolverUser, default_resolver_users, FakeResolver
from .saymon import (FAKE_SAYMON_ADMIN_ID, FAKE_SAYMON_USER_ID, SaymonUser, default_saymon_users, FakeSaymon)
__all__ = ['SeenRequest', 'FakeService', 'FAKE_PASSWORD', 'FAKE_ACCESS_TOKEN', 'FAKE_CLIENT_ID', 'FAKE_CLIENT_SECRET',
           'FAKE_OTP', 'FAKE_DSID', 'USER_LISTINGS', 'FakeUser', 'default_users', 'make_session_token', 'FakeDomo',
           'FakeServer', 'ToServerTransport', 'LeakCheck', 'FAKE_RESOLVER_ORG', 'ResolverUser',
           'default_resolver_users', 'FakeResolver', 'FAKE_SAYMON_ADMIN_ID', 'FAKE_SAYMON_USER_ID', 'SaymonUser',
           'default_saymon_users', 'FakeSaymon']
