"""Fingerprints through NBIS on generated fingers: quality gate, Bozorth3, ISO templates,
and the candidate stage that keeps Bozorth3 off most of the gallery."""

from __future__ import annotations

import numpy as np
import pytest

from nseers.biometrics import (
    CaptureRefusedError,
    NbisPrintMatcher,
    PrintQualityPolicy,
    PrintTemplate,
    compare_prints,
)
from nseers.biometrics.candidates import DESCRIPTOR_SIZE, pair_descriptor
from nseers.biometrics.index import CandidateIndex
from nseers.biometrics.synthetic import fingerprint_png, minutiae_points
from nseers.rules.law import Law


@pytest.fixture(scope="module")
def presses(print_matcher: NbisPrintMatcher,
            print_quality: PrintQualityPolicy) -> dict[tuple[int, int], PrintTemplate]:
    return {(finger, press): print_matcher.template(fingerprint_png(finger, press),
                                                    f"{finger}/{press}", print_quality)
            for finger in (21, 22) for press in (0, 1)}


def test_two_presses_of_one_finger_match_and_of_two_fingers_do_not(
        print_matcher: NbisPrintMatcher, presses: dict[tuple[int, int], PrintTemplate],
        law: Law) -> None:
    threshold = int(law.value("biometrics.fingerprint_match_min_score"))
    same = compare_prints(print_matcher, presses[(21, 0)], presses[(21, 1)], threshold)
    other = compare_prints(print_matcher, presses[(21, 0)], presses[(22, 1)], threshold)
    assert same.match
    assert not other.match
    assert same.score > other.score
    assert same.to_dict() == {"match": True, "score": same.score, "threshold": threshold}


def test_an_iso_19794_2_template_round_trips_to_the_same_score(
        print_matcher: NbisPrintMatcher, presses: dict[tuple[int, int], PrintTemplate]) -> None:
    template = presses[(22, 0)]
    assert template.iso_19794_2.startswith(b"FMR\x00")
    fresh = NbisPrintMatcher().load(template.iso_19794_2, "station.iso")
    assert len(fresh.minutiae) == len(template.minutiae)
    assert print_matcher.score(fresh, presses[(22, 1)]) == \
        print_matcher.score(template, presses[(22, 1)])


def test_a_smudged_capture_is_refused_on_nfiq2_with_the_scores(
        print_matcher: NbisPrintMatcher, print_quality: PrintQualityPolicy) -> None:
    with pytest.raises(CaptureRefusedError) as refused:
        print_matcher.template(fingerprint_png(21, 1, smudge=0.95), "right-index.png",
                               print_quality)
    assert refused.value.reason == "low_fingerprint_quality"
    nfiq2 = refused.value.values["nfiq2"]
    assert isinstance(nfiq2, int)
    assert nfiq2 < print_quality.min_nfiq2


def test_an_image_with_no_ridges_and_a_bad_template_are_refused(
        print_matcher: NbisPrintMatcher, print_quality: PrintQualityPolicy) -> None:
    from PIL import Image  # noqa: PLC0415

    from biometrics.helpers import encode  # noqa: PLC0415

    blank = encode(Image.new("L", (300, 300), 255))
    with pytest.raises(CaptureRefusedError) as refused:
        print_matcher.template(blank, "blank.png", print_quality)
    assert refused.value.reason == "no_fingerprint"
    with pytest.raises(CaptureRefusedError) as bad:
        print_matcher.load(b"not a template", "t.iso")
    assert bad.value.reason == "unreadable_template"


def test_the_pair_descriptor_ignores_where_the_finger_lay_on_the_platen() -> None:
    points = minutiae_points(5)
    turn = np.deg2rad(20.0)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    moved = points.copy()
    moved[:, :2] = points[:, :2] @ rotation.T + np.array([35.0, -12.0])
    moved[:, 2] = np.mod(points[:, 2] + 20.0, 360)
    assert float(pair_descriptor(points) @ pair_descriptor(moved)) > 0.95


def test_the_candidate_stage_puts_the_mate_in_a_short_list() -> None:
    gallery = 1500
    index = CandidateIndex(DESCRIPTOR_SIZE)
    index.add(np.stack([pair_descriptor(minutiae_points(f)) for f in range(gallery)]),
              np.arange(gallery, dtype=np.int64))
    found = 0
    for finger in range(0, gallery, 75):
        hits = index.shortlist(pair_descriptor(minutiae_points(finger, 1))[None, :], 20)[0]
        assert len(hits) == 20
        found += finger in [h.id for h in hits]
    assert found >= 19  # of 20 probes
    assert index.remove(np.array([0, 1], dtype=np.int64)) == 2
    assert len(index) == gallery - 2
