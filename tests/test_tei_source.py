"""Bad input to ingest: every refusal names the file and the problem, and damages nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reader.tei.source import MAX_SOURCE_BYTES, SourceError, read_source


@pytest.mark.parametrize(
    "content, message",
    [
        ("Caf\xe9 au lait, here in Latin-1.".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        ("Rīga, the capital of Latvia.".encode("utf-16"), "the file is UTF-16LE, not UTF-8"),
        ("Rīga, the capital of Latvia.".encode("utf-16-be"), "the file is UTF-16BE, not UTF-8"),
    ],
)
def test_bad_sources_are_refused_with_the_file_named(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError) as exc:
        read_source(path)
    assert message in str(exc.value)
    assert "bad.txt" in str(exc.value)


def test_missing_path_is_named(tmp_path):
    with pytest.raises(SourceError, match="nowhere.txt: no such file"):
        read_source(tmp_path / "nowhere.txt")


def test_too_large_source_states_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (MAX_SOURCE_BYTES // 5 + 1))
    with pytest.raises(SourceError, match=r"huge.txt: .* larger than the 5,242,880-byte limit"):
        read_source(path)


def test_utf8_with_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffA title line\n\nA sentence here.".encode("utf-8"))
    assert read_source(path).text.startswith("A title")


def test_command_reports_bad_file_ingests_the_good_and_keeps_existing_tei(tmp_path, seed_paths, capsys):
    out = tmp_path / "tei"
    call_command("ingest", str(seed_paths[0]), "--out", str(out), "--no-entities")
    existing = {p.name: p.read_bytes() for p in out.glob("*.xml")}
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Fran\xe7ais".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text("= A small test =\n\nIt has one paragraph.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 of 3 source"):
        call_command("ingest", str(seed_paths[0]), str(bad), str(good), "--out", str(out), "--no-entities")
    err = capsys.readouterr().err
    assert "latin1.txt: not UTF-8" in err
    assert (out / "a-small-test.xml").exists()
    for name, data in existing.items():
        assert (out / name).read_bytes() == data
    assert not list(out.glob(".*.tmp"))


def test_broken_existing_tei_stops_the_run_before_anything_is_written(tmp_path, seed_paths):
    out = tmp_path / "tei"
    out.mkdir()
    (out / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.xml: line \d+: not well-formed"):
        call_command("ingest", str(seed_paths[0]), "--out", str(out), "--no-entities")
    assert sorted(p.name for p in out.iterdir() if p.name != ".corpus.lock") == ["broken.xml"]  # the lock is no content
