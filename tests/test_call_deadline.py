"""get_data's whole-call deadline (nbs/03_client.ipynb): a call past it is a DomoNetworkError naming the deadline; a
cancellation from outside stays a cancellation; a call that ends in time leaves the task's cancellation count alone."""
import asyncio

import httpx
import pytest

from domo_routes import DomoNetworkError, DomoTokenAuth, get_data
from domo_routes.fake import FAKE_ACCESS_TOKEN, FakeDomo

ME = 'https://acme.domo.com/api/content/v2/users/me'


async def test_a_call_past_its_deadline_is_a_network_error_naming_it():
    fake = FakeDomo()
    fake.delay_next(5)
    with pytest.raises(DomoNetworkError, match=r'within 0\.3 s'):
        await get_data(ME, auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), session=fake.client(), timeout=0.3)


async def test_a_cancellation_from_outside_is_not_turned_into_a_timeout():
    fake = FakeDomo()
    fake.delay_next(5)
    call = asyncio.create_task(get_data(ME, auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), session=fake.client(),
                                        timeout=30))
    await asyncio.sleep(0.1)
    call.cancel()
    with pytest.raises(asyncio.CancelledError): await call


async def test_calls_in_time_leave_the_tasks_cancellation_count_at_zero():
    fake = FakeDomo()
    for _ in range(20): await get_data(ME, auth=DomoTokenAuth('acme', FAKE_ACCESS_TOKEN), session=fake.client())
    task = asyncio.current_task()
    if hasattr(task, 'cancelling'): assert task.cancelling() == 0  # Python 3.11+ counts them
    await asyncio.sleep(0)  # no cancellation left pending either
