"""Reading a travel document through the API: MRZ text or a photo in, the reading and the
facts to prefill an inspection out (issue 6's inspection API)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.conftest import bearer
from nseers.core.actors import Role
from nseers.documents import render_td3
from nseers.documents.specimen import draw_data_page, to_bytes
from nseers.services.context import Registry

MRZ = render_td3(issuing_state="FRA", surname="MULLER", given_names="ANNE",
                 document_number="P7654321", nationality="FRA", date_of_birth="1980-02-02",
                 sex="F", date_of_expiry="2030-01-01")


@pytest.fixture
def inspector(registry: Registry) -> dict[str, str]:
    return bearer(registry, Role.PRIMARY_OFFICER, username="p.officer")


def test_mrz_text_is_read_validated_and_turned_into_inspection_facts(
        client: TestClient, inspector: dict[str, str]) -> None:
    response = client.post("/api/v1/documents/mrz", json={"text": MRZ}, headers=inspector)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["format"], answer["valid"]) == ("TD3", True)
    assert answer["fields"]["document_number"] == "P7654321"
    assert answer["prefill"]["traveler"]["citizenships"] == ["FRA"]
    assert answer["prefill"]["traveler"]["date_of_birth"] == "1980-02-02"


def test_a_wrong_check_digit_is_named_with_its_field_and_position(
        client: TestClient, inspector: dict[str, str]) -> None:
    broken = MRZ[:-1] + ("0" if MRZ[-1] != "0" else "1")
    answer = client.post("/api/v1/documents/mrz", json={"text": broken},
                         headers=inspector).json()
    assert answer["valid"] is False
    assert answer["problems"][0]["field"]
    assert answer["problems"][0]["position"].startswith("line 2")


@pytest.mark.ocr
def test_a_photo_of_the_data_page_is_read(client: TestClient,
                                          inspector: dict[str, str]) -> None:
    photo = to_bytes(draw_data_page(MRZ))
    response = client.post("/api/v1/documents/mrz/image", headers=inspector,
                           files={"image": ("page.png", photo, "image/png")})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["valid"] is True
    assert answer["fields"]["surname"] == "MULLER"
    assert 0 < answer["confidence"] <= 1


def test_a_file_that_is_not_an_image_is_refused_by_field(
        client: TestClient, inspector: dict[str, str]) -> None:
    response = client.post("/api/v1/documents/mrz/image", headers=inspector,
                           files={"image": ("page.txt", b"hello", "text/plain")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "image"


def test_reading_documents_needs_an_inspecting_officer(client: TestClient,
                                                       registry: Registry) -> None:
    assert client.post("/api/v1/documents/mrz", json={"text": MRZ}).status_code == 401
    analyst = bearer(registry, Role.ANALYST, username="analyst")
    assert client.post("/api/v1/documents/mrz", json={"text": MRZ},
                       headers=analyst).status_code == 403
