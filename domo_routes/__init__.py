__version__ = "0.1.0"

# The public API, importable from the top-level package. The imports below are kept by hand (nbdev writes only the
# version line above and the package docstring); each name is defined in the notebook its module is exported from.
from .errors import DomoError, InvalidInstanceError, BlockedByAllowListError, DomoNetworkError, mask, redact, register_secret
from .fake import FakeDomo, FakeServer, reroute
from .client import ResponseGetData, get_data, normalize_instance, RetryPolicy, aclose_pool
from .routes import (AuthError, InvalidCredentialsError, AccountLockedError, InvalidAuthTypeError, NoAccessTokenReturned,
                     TwoFactorRequiredError, get_full_auth, get_developer_auth, who_am_i, session_token_expiry)
from .credentials import (ManagedTokenAuth, TokenState, DomoFullAuth, DomoTokenAuth, DomoDeveloperAuth,
                          MissingConfigurationError, auth_from_env, run_sync, elevate_otp, generate_access_token,
                          get_access_tokens, revoke_access_token)
