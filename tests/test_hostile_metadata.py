"""The witness metadata CSV: every error names the row (and the line where a quoted cell spans
lines); a date in other digits and a control character are refused in their row, naming the column."""

from __future__ import annotations

import pytest

from reader.tei.metadata import MetadataError, is_iso_date, read_metadata
from test_tei_metadata import HEADER, partisans, write_csv  # noqa: F401 (partisans is a fixture)

FILE = "000_ff49942521f25971.txt"


@pytest.mark.parametrize(
    "row, expected",
    [
        (f"{FILE},T,,١٨٥٩,,,,", f"row 2 ({FILE}): date '١٨٥٩' is not an ISO 8601 date"),
        (f"{FILE},T,,۱۸۵۹-۱۱,,,,", f"row 2 ({FILE}): date '۱۸۵۹-۱۱' is not an ISO 8601 date"),
        (f"{FILE},The\x07Title,,,,,,", f"row 2 ({FILE}): title contains the control character U+0007 at character 4"),
        (f"{FILE},T,A\x00B,,,,,", f"row 2 ({FILE}): author contains the control character U+0000"),
    ],
)
def test_bad_values_are_named_by_row_and_column(partisans, row, expected):  # noqa: F811
    csv = write_csv(partisans[0].parent, HEADER + row + "\n")
    with pytest.raises(MetadataError) as caught:
        read_metadata(csv, partisans)
    assert expected in str(caught.value)


def test_iso_dates_are_ascii_digits_only():
    assert is_iso_date("1859-11-24") and not is_iso_date("١٨٥٩-١١-٢٤")


def test_an_unreadable_csv_row_is_named_with_its_line(partisans):  # noqa: F811
    text = HEADER + f'{FILE},"A title\nover two lines",,,,,,\n001_2bb68b4e13b3831c.txt,"bad"quote,,,,,,\n'
    csv = write_csv(partisans[0].parent, text)
    with pytest.raises(MetadataError, match=r"witnesses.csv: row 3 \(line 4\): not readable as CSV"):
        read_metadata(csv, partisans)


def test_a_file_not_in_utf8_names_the_line(partisans):  # noqa: F811
    path = partisans[0].parent / "witnesses.csv"
    path.write_bytes(HEADER.encode() + f"{FILE},Caf\xe9,,,,,,\n".encode("latin-1"))
    with pytest.raises(MetadataError, match=r"witnesses.csv: line 2: not UTF-8"):
        read_metadata(path, partisans)
