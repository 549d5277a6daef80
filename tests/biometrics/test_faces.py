"""The face matcher on real photographs: the same person matches, others do not, and the
quality gate refuses photographs with no face or with two people."""

from __future__ import annotations

import pytest
from PIL import Image, ImageFile

from biometrics.helpers import encode
from nseers.biometrics import (
    CaptureRefusedError,
    DlibFaceMatcher,
    FaceQualityPolicy,
    FaceTemplate,
    compare_faces,
)
from nseers.rules.law import Law


def threshold(law: Law) -> float:
    return float(law.value("biometrics.face_match_max_distance"))


@pytest.mark.parametrize("transform", [
    lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    lambda im: im.rotate(6, resample=Image.Resampling.BILINEAR),
    lambda im: im.resize((im.width * 2 // 3, im.height * 2 // 3)),
], ids=["mirrored", "rotated", "smaller"])
def test_a_transformed_copy_of_a_portrait_matches_the_original(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy, law: Law,
        grace_hopper: Image.Image, transform: object) -> None:
    original = face_matcher.template(encode(grace_hopper), "original", face_quality)
    copy = face_matcher.template(encode(transform(grace_hopper)),  # type: ignore[operator]
                                 "copy", face_quality)
    result = compare_faces(face_matcher, original, copy, threshold(law))
    assert result.match
    assert result.distance < 0.4


def test_a_jpeg_recompressed_copy_matches_and_another_person_does_not(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy, law: Law,
        grace_hopper: Image.Image, astronaut: Image.Image) -> None:
    hopper = face_matcher.template(encode(grace_hopper), "hopper", face_quality)
    recompressed = face_matcher.template(encode(grace_hopper, "JPEG", quality=25), "jpeg",
                                         face_quality)
    collins = face_matcher.template(encode(astronaut), "astronaut", face_quality)
    assert compare_faces(face_matcher, hopper, recompressed, threshold(law)).match
    other = compare_faces(face_matcher, hopper, collins, threshold(law))
    assert not other.match
    assert other.to_dict() == {"match": False, "distance": round(other.distance, 6),
                               "threshold": threshold(law)}


def test_a_weak_background_detection_is_not_a_second_face(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy,
        astronaut: Image.Image) -> None:
    # The helmet in the astronaut portrait's corner is a weak HOG detection (score ~0.1).
    template = face_matcher.template(encode(astronaut), "astronaut", face_quality)
    assert template.box.score >= face_quality.min_detection_score
    assert len(template.vector) == 128


def test_a_photograph_with_no_face_is_refused_with_the_file_and_a_retake_path(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy, coffee: bytes) -> None:
    with pytest.raises(CaptureRefusedError) as refused:
        face_matcher.template(coffee, "coffee.png", face_quality)
    assert refused.value.reason == "no_face"
    assert refused.value.source == "coffee.png"
    assert "retake" in refused.value.retake
    assert str(refused.value).startswith("coffee.png: no face")


def test_a_photograph_of_two_people_is_refused(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy,
        two_people: bytes) -> None:
    with pytest.raises(CaptureRefusedError) as refused:
        face_matcher.template(two_people, "pair.png", face_quality)
    assert refused.value.reason == "several_faces"
    assert refused.value.values["faces"] == 2


def test_bytes_that_are_not_an_image_are_refused(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy) -> None:
    with pytest.raises(CaptureRefusedError) as refused:
        face_matcher.template(b"%PDF-1.4 not a photo", "photo", face_quality)
    assert refused.value.reason == "unreadable_image"


def test_a_face_narrower_than_the_policy_minimum_is_refused(
        face_matcher: DlibFaceMatcher, grace_hopper: Image.Image) -> None:
    strict = FaceQualityPolicy(min_detection_score=0.5, min_face_pixels=400)
    with pytest.raises(CaptureRefusedError) as refused:
        face_matcher.template(encode(grace_hopper), "hopper.jpg", strict)
    assert refused.value.reason == "face_too_small"


def test_templates_survive_storage_and_models_are_never_mixed(
        face_matcher: DlibFaceMatcher, face_quality: FaceQualityPolicy,
        grace_hopper: Image.Image) -> None:
    template = face_matcher.template(encode(grace_hopper), "hopper", face_quality)
    assert FaceTemplate.from_dict(template.to_dict()) == template
    other_model = FaceTemplate("another_model", template.vector, template.box)
    with pytest.raises(ValueError, match="cannot compare"):
        face_matcher.distance(template, other_model)


def test_loading_the_face_model_leaves_truncated_images_refused(
        face_matcher: DlibFaceMatcher) -> None:
    # face_recognition turns this on for the whole process when imported.
    assert face_matcher.model == "dlib_resnet_v1"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
