"""The Splink model trains under a share of the run's memory limit, not a second whole one."""

from __future__ import annotations

import pytest

from nseers.entry_exit.duckdb_engine import TRAINING_SHARE, connect, training_limit


@pytest.mark.parametrize(("limit", "expected"), [
    ("6GB", "1500000000B"), ("6GiB", "1610612736B"), ("120MB", "30000000B"),
    ("1.5 GB", "375000000B"), ("512kib", "131072B")])
def test_the_training_database_gets_a_quarter_of_the_limit(limit: str,
                                                           expected: str) -> None:
    assert TRAINING_SHARE == 4
    assert training_limit(limit) == expected


def test_a_limit_written_otherwise_is_left_as_it_is() -> None:
    assert training_limit("lots") == "lots"


def test_duckdb_reads_the_share_in_bytes_as_the_quarter_written_in_its_unit() -> None:
    def limit_of(memory_limit: str) -> str:
        con = connect(memory_limit)
        try:
            row = con.execute("SELECT current_setting('memory_limit')").fetchone()
        finally:
            con.close()
        return str(row[0] if row else "")

    assert limit_of(training_limit("6GB")) == limit_of("1.5GB") == "1.3 GiB"
