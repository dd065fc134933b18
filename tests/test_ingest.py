import pytest

from reconcile.errors import InputError
from reconcile.ingest import SourceWarning, decode, expand, front_matter, load_sources


def test_directory_expands_to_supported_files_in_name_order(tmp_path):
    for name in ("b.txt", "a.md", "c.pdf", "notes.yaml"):
        (tmp_path / name).write_text("Text.", encoding="utf-8")
    assert [p.rsplit("/", 1)[1] for p in expand([str(tmp_path)])] == ["a.md", "b.txt"]


def test_empty_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no supported files"):
        expand([str(tmp_path)])


def test_missing_path_names_the_path(tmp_path):
    with pytest.raises(InputError) as info:
        expand([str(tmp_path / "nope.txt")])
    assert "nope.txt" in str(info.value) and "no such file" in str(info.value)


@pytest.mark.parametrize("data,expected", [
    ("Caf\u00e9 \u00a3".encode("utf-8"), "Caf\u00e9 \u00a3"),
    ("\ufeffCaf\u00e9".encode("utf-8"), "Caf\u00e9"),
    ("Caf\u00e9 \u00a3 \u20ac".encode("cp1252"), "Caf\u00e9 \u00a3 \u20ac"),
    ("\ufeffKyiv \u2014 drones".encode("utf-16-le"), "Kyiv \u2014 drones"),
])
def test_decode(data, expected):
    assert decode(data if not data.startswith(b"K\x00") else b"\xff\xfe" + data, "f") == expected


@pytest.mark.parametrize("data,problem", [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (b"%PDF-1.7\n\x00\x01", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    (b"abc\x00def", "binary"),
])
def test_decode_refuses(data, problem):
    with pytest.raises(InputError, match=problem):
        decode(data, "f.txt")


def test_front_matter_names_and_dates_the_source_and_keeps_offsets():
    text = "---\noutlet: Daily Planet\ndate: 2022-10-17\n---\nHeadline\nBody text.\n"
    body, meta = front_matter(text, "f.md")
    assert meta == {"outlet": "Daily Planet", "date": __import__("datetime").date(2022, 10, 17)}
    assert len(body) == len(text) and body.index("Headline") == text.index("Headline")
    assert "Daily Planet" not in body


def test_ids_are_stems_made_unique_whatever_the_order(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    a, b = tmp_path / "x" / "wire.txt", tmp_path / "y" / "wire.txt"
    a.write_text("One.", encoding="utf-8")
    b.write_text("Two.", encoding="utf-8")
    first = load_sources([str(a), str(b)])
    second = load_sources([str(b), str(a)])
    assert [s.id for s in first] == [s.id for s in second] == ["x-wire", "y-wire"]


def test_same_file_twice_is_loaded_once(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("One.", encoding="utf-8")
    with pytest.warns(SourceWarning, match="given 2 times"):
        assert len(load_sources([str(a), str(a)])) == 1


def test_stdin_source_has_no_path():
    (source,) = load_sources(["-"], stdin=b"Some text.")
    assert source.id == "stdin" and source.path is None
