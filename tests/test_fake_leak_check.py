"""LeakCheck: canaries looked for in every log record, printed line and added object (nbs/01_fake.ipynb)"""
import logging

import pytest

from domo_routes.fake import LeakCheck

CANARY = 'fake-canary-1234567'


def test_harmless_output_is_clean():
    with LeakCheck(CANARY) as check:
        print('harmless')
        logging.getLogger('somewhere').debug('also harmless')
    check.add(ValueError('clean'))
    check.assert_clean()


def test_a_canary_in_a_debug_record_is_found_and_not_repeated():
    with LeakCheck(CANARY) as check:
        logging.getLogger('somewhere').debug('oops: %s', CANARY)
    with pytest.raises(AssertionError) as caught:
        check.assert_clean()
    shown = str(caught.value)
    assert ['1 of' in shown, 'oops: <canary>' in shown, CANARY in shown] == [True, True, False]


def test_an_exception_is_searched_with_its_cause():
    try:
        try: raise KeyError(CANARY)
        except KeyError as inner: raise ValueError('outer') from inner
    except ValueError as e:
        assert len(LeakCheck(CANARY).add(e).leaks()) == 3  # traceback, str and repr of the cause
