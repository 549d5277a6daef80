"""What the browser tests do again and again: sign in, check accessibility, take pictures,
and look in the registry for what a page recorded."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import axe_playwright_python
import httpx
import matplotlib.cbook
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from nseers.biometrics.synthetic import fingerprint_png
from nseers.cli.web import DEMO_PASSWORD
from nseers.core.actors import Actor, Role
from nseers.db.audit import AuditEntry
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, SwornAnswers, inspect_arrival

#: axe-core, as the axe-playwright-python package ships it (a test dependency, not vendored).
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
#: Set to 1 to write the screenshots of the main screens to docs/screenshots.
SCREENSHOTS_ENV = "NSEERS_SCREENSHOTS"
SERIOUS = ("serious", "critical")
#: Officers the tests' own records are made by (the pages act as the demo accounts).
SECONDARY = Actor("s.officer", Role.SECONDARY_OFFICER)
PRIMARY = Actor("p.officer", Role.PRIMARY_OFFICER)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form and land on the start page."""
    page.goto("/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def choose(page: Page, label: str) -> None:
    """Tick a USWDS radio button or checkbox the way a person does: on its label (the
    input itself is drawn off-screen, under the styled label)."""
    field = page.get_by_label(label, exact=True)
    page.locator(f'label[for="{field.get_attribute("id")}"]').click()
    expect(field).to_be_checked()


def check_accessibility(page: Page, *, exclude: Iterable[str] = ()) -> None:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result: dict[str, Any] = page.evaluate(
        """async (exclude) => await axe.run({exclude: exclude.map((s) => [s])},
               {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations']})""", list(exclude))
    serious = [v for v in result["violations"] if v.get("impact") in SERIOUS]
    assert not serious, "accessibility violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at "
        f"{[n['target'] for n in v['nodes'][:5]]}" for v in serious)


def screenshot(page: Page, name: str) -> None:
    """Write docs/screenshots/<name>.png when NSEERS_SCREENSHOTS=1 (never in CI)."""
    if os.environ.get(SCREENSHOTS_ENV) != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # From the top, so that the sticky panels sit where a reader first sees them.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def audit_actions(registry: Registry, actor: str | None = None) -> list[str]:
    """The audit trail's actions, in order (optionally of one user)."""
    query = select(AuditEntry.action).order_by(AuditEntry.seq)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    with registry.sessions() as session:
        return list(session.execute(query).scalars())


def audit_details(registry: Registry, action: str) -> list[dict[str, Any]]:
    """The details of every audit entry of ``action``, in order."""
    with registry.sessions() as session:
        return list(session.execute(select(AuditEntry.detail).where(
            AuditEntry.action == action).order_by(AuditEntry.seq)).scalars())


def count(registry: Registry, model: Any, *conditions: Any) -> int:
    """How many rows of ``model`` match."""
    with registry.sessions() as session:
        return int(session.execute(select(func.count()).select_from(model)
                                   .where(*conditions)).scalar_one())


def png(colour: tuple[int, int, int] = (40, 90, 160), size: tuple[int, int] = (24, 32)) -> bytes:
    """A small PNG image (a stand-in photograph or fingerprint card)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def face_png() -> bytes:
    """A real portrait: matplotlib's ``grace_hopper.jpg`` (US Navy, public domain, shipped
    in matplotlib), as PNG."""
    image = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def finger_png(finger: int = 3) -> bytes:
    """A generated fingerprint image (:func:`nseers.biometrics.synthetic.fingerprint_png`)."""
    return fingerprint_png(finger)


@contextmanager
def http_session(url: str, username: str) -> Iterator[httpx.Client]:
    """A signed-in HTTP client (no browser), for the role battery."""
    with httpx.Client(base_url=url, follow_redirects=False) as client:
        token = csrf_of(client.get("/signin").text)
        answer = client.post("/signin", data={"csrf_token": token, "username": username,
                                              "password": DEMO_PASSWORD})
        assert answer.status_code == 303, answer.text
        yield client


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "the page has no form with a CSRF token"
    return match.group(1)


def register_iranian(registry: Registry, number: str, *, day: str = "2003-06-15",
                     port: str = "JFK", surname: str = "AHMADI") -> tuple[str, int]:
    """A man of a designated country admitted and registered at a port: (FIN, person)."""
    answer = inspect_arrival(registry, SECONDARY, ArrivalInspection(
        port_code=port, occurred_at=datetime.fromisoformat(f"{day}T10:00:00+00:00"),
        person=PersonFacts(surname=surname, given_names="REZA", date_of_birth=date(1970, 5, 1),
                           sex="M", citizenships=("IRN",), surname_original="احمدی",
                           given_names_original="رضا", script="Arab"),
        documents=(DocumentFacts("passport", number, "IRN"),
                   DocumentFacts("visa", None, "USA", "B2")),
        admission_class="B2",
        admit_until=date.fromisoformat(day) + timedelta(days=180),
        answers=SwornAnswers("1 Main St, New York, NY", "tourism"),
        photograph_ref=f"biometrics:test:photograph:{number}",
        fingerprints_ref=f"biometrics:test:fingerprints:{number}"))
    assert answer["fin"]
    return answer["fin"], answer["person_id"]


def admit_visitor(registry: Registry, number: str, *, surname: str, given_names: str,
                  born: date, day: str, admit_until: date | None) -> int:
    """A French visitor admitted with an I-94: the person's id."""
    answer = inspect_arrival(registry, PRIMARY, ArrivalInspection(
        port_code="IAD", occurred_at=datetime.fromisoformat(f"{day}T10:00:00+00:00"),
        person=PersonFacts(surname=surname, given_names=given_names, date_of_birth=born,
                           sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", number, "FRA"),
                   DocumentFacts("visa", None, "USA", "B2")),
        admission_class="B2", admit_until=admit_until,
        duration_of_status=admit_until is None))
    return int(answer["person_id"])
