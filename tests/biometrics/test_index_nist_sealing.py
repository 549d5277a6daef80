"""The faiss face index (exact and IVF), ANSI/NIST-ITL transactions and sealing at rest."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from nseers.biometrics.errors import CaptureRefusedError
from nseers.biometrics.index import FaceIndex
from nseers.biometrics.nist import FingerImage, NistEnrolment, read_transaction, write_transaction
from nseers.biometrics.sealing import Sealer, SealError, format_key, new_key, parse_key


def clustered(count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 0.04, (20, 128))
    return (centres[rng.integers(0, 20, count)] + rng.normal(0, 0.045, (count, 128))).astype(
        np.float32)


def test_a_small_gallery_is_searched_exactly_and_finds_the_mate() -> None:
    vectors = clustered(2000, 1)
    index = FaceIndex(128)
    index.build(vectors, np.arange(100, 2100, dtype=np.int64))
    assert index.kind == "flat"
    hits = index.search(vectors[7:8] + 0.01, 3)[0]
    assert hits[0].id == 107
    assert hits[0].distance < hits[1].distance
    assert index.remove(np.array([107], dtype=np.int64)) == 1
    assert index.search(vectors[7:8], 1)[0][0].id != 107


def test_a_large_gallery_uses_ivf_and_agrees_with_exact_search() -> None:
    vectors = clustered(20000, 2)
    ids = np.arange(20000, dtype=np.int64)
    exact = FaceIndex(128)
    exact.build(vectors, ids)
    ivf = FaceIndex(128, exact_limit=5000, nprobe=16)
    ivf.build(vectors, ids)
    assert ivf.kind.startswith("ivf")
    probes = vectors[::200] + np.random.default_rng(3).normal(0, 0.03, (100, 128)).astype(
        np.float32)
    truth = [h[0].id for h in exact.search(probes, 1)]
    found = [h[0].id for h in ivf.search(probes, 1)]
    assert np.mean(np.array(truth) == np.array(found)) >= 0.95
    assert ivf.memory_bytes() < exact.memory_bytes()


def test_an_empty_index_answers_no_hits() -> None:
    assert FaceIndex(128).search(np.zeros((2, 128), np.float32)) == [[], []]


def test_an_enrolment_round_trips_through_an_ansi_nist_file() -> None:
    enrolment = NistEnrolment(
        control_number="JFK-2003-000123", agency="JFK", captured_on=date(2003, 1, 15),
        name="AHMADI,REZA", date_of_birth=date(1975, 3, 2), sex="M", citizenship="IRN",
        document_number="K1234567", face=b"\xff\xd8\xff face bytes \x1c\x1d",
        fingers=(FingerImage(2, b"\x89PNG right index"), FingerImage(7, b"\x89PNG left")))
    data = write_transaction(enrolment)
    assert data.startswith(b"1.001:")
    assert b"10.003:FACE" in data
    assert b"14.013:2" in data
    assert read_transaction(data, "station.eft") == enrolment


def test_a_truncated_ansi_nist_file_is_refused_naming_it() -> None:
    data = write_transaction(NistEnrolment("1", "JFK", date(2003, 1, 15), face=b"\xff\xd8"))
    with pytest.raises(CaptureRefusedError) as refused:
        read_transaction(data[:-4], "station.eft")
    assert refused.value.source == "station.eft"
    assert refused.value.reason == "unreadable_transaction"


def test_a_finger_position_outside_the_standard_is_an_error() -> None:
    with pytest.raises(ValueError, match="finger position 11"):
        write_transaction(NistEnrolment("1", "JFK", date(2003, 1, 15),
                                        fingers=(FingerImage(11, b"x"),)))


def test_sealed_biometrics_open_only_with_the_key_for_their_record() -> None:
    key = new_key()
    sealer = Sealer(parse_key(format_key(key)))
    sealed = sealer.seal(b"template bytes", "enrolment:1:face")
    assert b"template bytes" not in sealed
    assert sealer.open(sealed, "enrolment:1:face") == b"template bytes"
    with pytest.raises(SealError, match="moved or altered"):
        sealer.open(sealed, "enrolment:2:face")
    with pytest.raises(SealError):
        Sealer(new_key()).open(sealed, "enrolment:1:face")
    with pytest.raises(SealError, match="32 bytes"):
        parse_key(format_key(b"short"))
