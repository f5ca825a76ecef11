"""`domo-routes whoami`: who the credentials belong to (display name, id, email, instance, method, token expiry),
or with `--json` the raw document."""
import json, os

from domo_routes.fake import FAKE_ACCESS_TOKEN
from support_cli import served  # noqa: F401 (a fixture)

NO_ENV_FILE = ['--env-file', os.devnull]


def test_whoami_prints_the_display_name_then_method_and_instance(served):
    code, text, err = served.sh('whoami', *NO_ENV_FILE, env=served.full_env)
    assert (code, text.splitlines()[0]) == (0, 'Ada Lovelace'), err
    assert 'method:        full (username and password)' in text and 'instance:      acme.domo.com' in text, text


def test_whoami_json_prints_the_raw_document_with_an_access_token_flag(served):
    code, text, err = served.sh('whoami', '--json', '--method', 'token', '--access-token', FAKE_ACCESS_TOKEN, *NO_ENV_FILE,
                                env={**served.server.env(), 'DOMO_INSTANCE': 'acme'})
    assert (code, json.loads(text)['emailAddress']) == (0, 'ada@acme.test'), err
