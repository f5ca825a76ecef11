"""The flags of `domo-routes api`, read one at a time as `gh api` does: `-f key=value` a string field, `-F key=value`
a typed one (`true`, `false`, `null`, integers, `@file`), `-H 'Name: value'` a header; a malformed one is refused
without being shown (it may be a mistyped secret)."""
import pytest

from domo_routes import InvalidInputError
from domo_routes.cli import exit_code_for, parse_field, parse_header


def test_fields_and_headers_as_documented():
    assert (parse_field('name=ci'), parse_field('ownerId=1893952720', typed=True), parse_field('active=true', typed=True),
            parse_field('manager=null', typed=True), parse_field('zip=02134'), parse_header('Accept:  text/csv ')) == \
        (('name', 'ci'), ('ownerId', 1893952720), ('active', True), ('manager', None), ('zip', '02134'), ('accept', 'text/csv'))


def test_typed_fields_turn_integers_booleans_and_null_into_json_values_and_leave_the_rest_as_text():
    assert [parse_field(f, typed=True) for f in ('a=-12', 'b=1.5', 'c=false', 'd=', 'e=x=y', 'f=True')] == \
        [('a', -12), ('b', '1.5'), ('c', False), ('d', ''), ('e', 'x=y'), ('f', 'True')]


def test_string_fields_are_taken_as_written():
    assert parse_field('n=12') == ('n', '12')
    assert parse_field('body=@x', read=lambda *a: 1 / 0) == ('body', '@x')  # -f: no file is read


def test_a_typed_field_at_file_is_read_by_the_reader_given_the_flag():
    assert parse_field('body=@notes.txt', typed=True, read=lambda name, flag: f'{flag} read {name}'.encode()) == ('body', '-F body read notes.txt')


def test_a_typed_field_at_file_is_the_files_text(tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_text('line one\nline two\n')
    assert parse_field(f'notes=@{path}', typed=True) == ('notes', 'line one\nline two\n')


def test_a_typed_field_at_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_bytes(b'\xff\xfe')
    with pytest.raises(Exception, match='is not UTF-8 text'): parse_field(f'notes=@{path}', typed=True)


def test_a_typed_field_at_a_missing_file_is_an_error_naming_the_flag(tmp_path):
    with pytest.raises(Exception, match='-F notes: cannot read'): parse_field(f'notes=@{tmp_path}/missing.txt', typed=True)


@pytest.mark.parametrize('bad', ['novalue', '=v', 'pw-canary-9999'])
def test_a_field_without_key_or_value_is_a_usage_error_unshown(bad):
    with pytest.raises(InvalidInputError) as e: parse_field(bad)
    assert 'pw-canary' not in str(e.value) and exit_code_for(e.value)[0] == 2


def test_a_header_value_may_hold_colons():
    assert parse_header('X-Tag:a:b') == ('x-tag', 'a:b')


@pytest.mark.parametrize('bad', ['no colon', 'Bad Name: x', ': x', 'Host: evil.example', 'content-length: 9', 'x-domo-developer-token pw-canary-4321'])
def test_a_malformed_or_forbidden_header_is_refused_unshown(bad):
    with pytest.raises(InvalidInputError) as e: parse_header(bad)
    assert 'pw-canary' not in str(e.value), str(e.value)
