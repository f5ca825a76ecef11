"""Where `domo-routes api` may send a request: a path goes to the credentials' own host; a full URL only when it is
https:// on that same host. Any other URL (another host, http://, a look-alike, user info, another port) is refused
before any request, with exit code 2, and without showing what it held: the token never leaves its origin."""
import pytest

from conftest import one_error_line
from domo_routes import DomoTokenAuth, DomoDeveloperAuth, InvalidInputError
from domo_routes.cli import endpoint_host, endpoint_url, exit_code_for
from domo_routes.fake import FAKE_ACCESS_TOKEN, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_PASSWORD
from support_cli import served  # noqa: F401 (a fixture)


@pytest.fixture
def auth():
    return DomoTokenAuth('acme', FAKE_ACCESS_TOKEN)


@pytest.fixture
def developer():
    return DomoDeveloperAuth(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, token_cache=None)


# endpoint_url and endpoint_host, in-process

def test_a_path_or_a_url_on_the_instance_is_sent_there_others_refused_saying_why(auth):
    assert endpoint_url('/api/content/v2/users/me', auth) == 'https://acme.domo.com/api/content/v2/users/me'
    assert endpoint_url('api/content/v2/users?limit=2', auth) == 'https://acme.domo.com/api/content/v2/users?limit=2'
    assert endpoint_url('https://acme.domo.com/api/content/v2/users/me', auth) == 'https://acme.domo.com/api/content/v2/users/me'
    for endpoint, message in [
            ('http://acme.domo.com/api/content/v2/users/me', "refusing 'http://acme.domo.com/…': https:// only: credentials never travel in clear"),
            ('https://acme.domo.com.evil.example/api', "refusing 'https://acme.domo.com.evil.example/…': not a Domo host "
                                                       "({instance}.domo.com or api.domo.com): the token never leaves its origin"),
            ('https://other.domo.com/api', "refusing 'https://other.domo.com/…': the credentials are for acme.domo.com: "
                                           "the token never leaves its origin")]:
        with pytest.raises(InvalidInputError) as e: endpoint_url(endpoint, auth)
        assert e.value.message == message


def test_with_client_credentials_a_path_or_url_goes_to_api_domo_com(developer):
    assert endpoint_url('/v1/users', developer) == 'https://api.domo.com/v1/users'
    assert endpoint_url('https://API.domo.com:443/v1/users', developer) == 'https://api.domo.com/v1/users'


def test_a_path_that_looks_like_a_host_stays_a_path_on_the_instance(auth):
    assert endpoint_url('//evil.example/x', auth) == 'https://acme.domo.com//evil.example/x'
    assert endpoint_url('@evil.example/x', auth) == 'https://acme.domo.com/@evil.example/x'


def test_an_at_sign_after_the_host_is_data(auth):
    assert endpoint_url('https://acme.domo.com/api/x?email=ada@acme.test', auth) == 'https://acme.domo.com/api/x?email=ada@acme.test'


def test_endpoint_host_names_the_domo_host_of_a_url_and_none_for_a_path():
    assert [endpoint_host(e) for e in ('/x', 'x', 'https://acme.domo.com/x', 'https://api.domo.com/v1')] == \
        [None, None, 'acme.domo.com', 'api.domo.com']


REFUSED = ['http://acme.domo.com/x', 'https://acme.domo.com:8443/x', 'https://acme.domo.com./x', 'https://acme.domo.com.evil.example/x',
           'https://acme-domo.com/x', 'https://evil.example/acme.domo.com/', 'https://acme.domo.com@evil.example/x',
           'https://user:pw-canary-5678@acme.domo.com/x', 'https://evil.example\\@acme.domo.com/', 'https://acme.dоmo.com/x',
           'https://sub.acme.domo.com/x', 'https://xn--80ak6aa92e.domo.com/x', 'https://ac--me.domo.com/x', 'ftp://acme.domo.com/x',
           'javascript:alert(1)', 'https://acme.domo.com\n.evil.example/', 'http://127.0.0.1:8765/api/content/v2/users/me']


@pytest.mark.parametrize('endpoint', REFUSED)
def test_a_url_off_the_instance_is_refused_unshown_with_exit_code_2(auth, endpoint):
    with pytest.raises(InvalidInputError) as e: endpoint_url(endpoint, auth)
    assert e.value.message.startswith('refusing ') and 'pw-canary' not in str(e.value) and '\n' not in str(e.value), (endpoint, str(e.value))
    assert exit_code_for(e.value)[0] == 2


@pytest.mark.parametrize('endpoint, why', [
    ('http://acme.domo.com/x', 'https:// only'), ('https://acme.domo.com:8443/x', 'default https port'),
    ('https://acme.domo.com.evil.example/x', 'not a Domo host'), ('https://acme.domo.com./x', 'not a Domo host'),
    ('https://evil.example/x', 'not a Domo host'), ('https://sub.acme.domo.com/x', 'not a Domo host'),
    ('https://a@acme.domo.com/x', 'user info'), ('mailto:user:pw-canary@acme.domo.com', 'https:// only')])
def test_a_url_is_refused_on_its_own_before_credentials_saying_why(endpoint, why):
    with pytest.raises(InvalidInputError) as e: endpoint_host(endpoint)
    assert why in e.value.message and 'pw-canary' not in e.value.message, (endpoint, e.value.message)


@pytest.mark.parametrize('endpoint, who', [('https://other.domo.com/x', 'auth'), ('https://api.domo.com/v1/users', 'auth'),
                                           ('https://acme.domo.com/x', 'developer')])
def test_a_url_on_another_host_than_the_credentials_is_refused(endpoint, who, request):
    with pytest.raises(InvalidInputError) as e: endpoint_url(endpoint, request.getfixturevalue(who))
    assert 'the token never leaves its origin' in e.value.message, e.value.message


@pytest.mark.parametrize('empty', ['', '  ', None])
def test_an_empty_endpoint_is_refused(empty):
    with pytest.raises(InvalidInputError): endpoint_host(empty)


# the command: refused URLs exit 2 with one line, and nothing reaches the fake (which answers whatever host it is sent)

@pytest.mark.parametrize('endpoint, why', [('https://evil.example/api/content/v2/users/me', 'not a Domo host'),
                                           ('http://acme.domo.com/api/content/v2/users/me', 'https:// only'),
                                           ('https://acme.domo.com.evil.example/api/content/v2/users/me', 'not a Domo host')])
def test_api_refuses_a_foreign_url_before_reading_credentials(served, endpoint, why):
    sent = len(served.fake.log)
    code, text, err = served.sh('api', endpoint)
    assert (code, text) == (2, '')
    assert 'refusing' in one_error_line(err) and why in err, err
    code, text, err = served.here('api', endpoint, env=served.server.env())  # refused before credentials are even looked for
    assert code == 2
    assert why in one_error_line(err), err
    assert len(served.fake.log) == sent


LOOKALIKES = ['https://acme-domo.com/api', 'https://acmedomo.com/api', 'https://acme.domo.com@evil.example/api',
              'https://other.domo.com/api/content/v2/users/me', 'https://acme.domo.com:8443/api', 'https://ACME.domo.com.evil.example/api',
              '{server}/api/content/v2/users/me', 'https://acme.domo.com./api']


@pytest.mark.parametrize('endpoint', LOOKALIKES)
def test_api_refuses_a_lookalike_url_whatever_the_credentials_unsent_and_unshown(served, endpoint):
    endpoint = endpoint.format(server=served.server.url)
    sent = len(served.fake.log)
    for env in (served.token_env, served.full_env, {**served.full_env, **served.developer_env}):
        code, text, err = served.here('api', endpoint, env=env)
        assert (code, text) == (2, '')
        assert 'refusing' in one_error_line(err) and FAKE_ACCESS_TOKEN not in err and FAKE_PASSWORD not in err, err
    assert len(served.fake.log) == sent


def test_api_an_instance_method_is_refused_for_api_domo_com(served):
    sent = len(served.fake.log)
    code, text, err = served.here('api', 'https://api.domo.com/v1/users', '--method', 'token')
    assert code == 2
    assert 'api.domo.com takes client credentials' in one_error_line(err)
    assert len(served.fake.log) == sent


def test_api_client_credentials_alone_cannot_reach_an_instance(served):
    sent = len(served.fake.log)
    code, text, err = served.here('api', 'https://acme.domo.com/api/content/v2/users/me', env=served.developer_env)
    assert code == 2
    assert 'DOMO_INSTANCE' in one_error_line(err)
    assert len(served.fake.log) == sent


def test_api_the_developer_method_is_refused_for_an_instance(served):
    sent = len(served.fake.log)
    code, text, err = served.here('api', 'https://acme.domo.com/api/content/v2/users/me', '--method', 'developer',
                                  env={**served.developer_env, **served.token_env})
    assert code == 2
    assert 'client credentials (--method developer) are for api.domo.com only' in one_error_line(err)
    assert len(served.fake.log) == sent
