"`domo_routes.testing` under its older name: `from domo_routes.fake import FakeDomo` keeps working."
# Kept by hand (no notebook exports it): an alias, nothing more.
from .testing import *  # noqa: F401,F403
from .testing import __all__  # noqa: F401
