"""Helpers for the browser sign-in tests: a clock the polls run on, kept sign-ins in a folder of the test's own, Domo's
CLI's stored logins, and every secret the fake issued (the canaries no output may hold)."""
import json, os
from pathlib import Path

from domo_routes import SecretStore, SignIns
from domo_routes.browser_sign_in import ryuu_dir


class PollClock:
    """A monotonic clock and a `sleep` that moves it, recording each wait and when each poll went out; `at(t, action)`
    runs `action` once the clock reaches `t` (as a user approving in the browser 12 s after the start)"""
    def __init__(self):
        self.now, self.waits, self.actions = 0.0, [], []

    def __call__(self) -> float: return self.now

    def at(self, t: float, action) -> 'PollClock':
        self.actions.append((t, action))
        return self

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        for t, action in [a for a in self.actions if a[0] <= self.now]:
            self.actions.remove((t, action))
            action()

    @property
    def poll_times(self) -> list:
        "When each poll went out: after each wait"
        times, t = [], 0.0
        for w in self.waits:
            t += w
            times.append(t)
        return times


def file_sign_ins(folder) -> SignIns:
    "Kept sign-ins in `folder`, secrets in files there (never this machine's keyring)"
    return SignIns(SecretStore(Path(folder) / 'secrets', use_keyring=False), folder)


def issued_secrets(fake) -> list:
    "Every refresh token, access token and device code the fake's sign-in issued: none may appear in any output"
    s = fake.sign_in
    return [*s.refresh_tokens, *s.access, *s.devices, *getattr(s, 'retired', ())]


def write_ryuu_login(config_home, host: str, token: str, dev_token: bool = False) -> Path:
    "A login as Domo's CLI (`domo login -i host`) keeps it, under `config_home` (XDG_CONFIG_HOME)"
    folder = Path(config_home) / 'configstore' / 'ryuu'
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f'{host}.json'
    path.write_text(json.dumps({'instance': host, 'refreshToken': token, 'devToken': dev_token}))
    return path


def new_refresh_token(fake, user=None) -> str:
    "A refresh token the fake honours, as if its owner had signed in in the browser"
    import uuid
    token = 'fake-refresh-' + uuid.uuid4().hex
    fake.sign_in.refresh_tokens[token] = (fake.users[user.lower()] if user else fake.user).id
    return token
