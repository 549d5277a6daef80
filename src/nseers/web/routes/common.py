"""Helpers the screens share: the posted form as a dependency, keys, clients, choices."""

from __future__ import annotations

import uuid
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request

from nseers.services.law import ports
from nseers.web.forms import Form
from nseers.web.site import Site, WebRoute, site_of
from nseers.web.uploads import BIOMETRICS, UploadRefusedError

SEXES: Final = (("M", "Male"), ("F", "Female"), ("X", "Unspecified (X)"))


def web_router() -> APIRouter:
    """A router for web pages: every route checks CSRF and renders errors as pages, and
    none appears in the API's OpenAPI description."""
    return APIRouter(route_class=WebRoute, include_in_schema=False)


async def _posted(request: Request) -> Form:
    site = site_of(request)
    data = await request.form(max_part_size=site.options.max_upload_bytes)
    return Form.posted(data)


#: The posted form, read before a synchronous handler runs in the thread pool.
Posted = Annotated[Form, Depends(_posted)]


def new_key() -> str:
    """An idempotency key for one rendering of a form: a double submit records once, by
    the services' one mechanism (:mod:`nseers.services.idempotency`)."""
    return uuid.uuid4().hex


def client_of(request: Request) -> str:
    """The client's address, as the audit trail and the rate limits name it."""
    return request.client.host if request.client else "unknown"


def port_choices(request: Request) -> list[tuple[str, str]]:
    """The ports of the reference data, by name."""
    return sorted(((p.code, f"{p.name} ({p.code}, {p.state})")
                   for p in ports(site_of(request).registry)),
                  key=lambda choice: choice[1])


def read_uploads(form: Form, name: str) -> list[bytes]:
    """The bytes of each file uploaded under ``name`` (called from the synchronous
    handlers, which run in the thread pool)."""
    contents = []
    for upload in form.files.get(name, []):
        upload.file.seek(0)
        contents.append(upload.file.read())
    return contents


def read_upload(form: Form, name: str) -> bytes | None:
    """The bytes of the file uploaded under ``name``, or ``None`` when none was chosen."""
    contents = read_uploads(form, name)
    return contents[0] if contents else None


def kept_biometric(site: Site, form: Form, name: str) -> str | None:
    """The reference of a newly uploaded photograph or fingerprint image (``name``), else
    of the one kept from an earlier submission of the form; a refused upload is a problem
    on the field. The inspection and the call-in registration forms take captures alike."""
    data = read_upload(form, name)
    if data is not None:
        try:
            stored = site.uploads.keep(BIOMETRICS, data)
        except UploadRefusedError as error:
            form.add(name, str(error))
            return None
        form.values[f"{name}_ref"] = stored.reference
        return stored.reference
    kept = form.text(f"{name}_ref")
    if kept and site.uploads.is_reference(kept, BIOMETRICS) and site.uploads.locate(kept):
        return kept
    return None
