"""Enrolled biometrics: one row per photograph or finger, every byte of it sealed.

The template (what matching reads) and the captured image (what an officer compares by
eye at a hit review) are stored only sealed (:mod:`nseers.biometrics.sealing`), bound
to the row's random ``ref`` so a blob moved onto another row does not open. Rows are kept
until ``retain_until`` (``biometrics.retention_years`` after capture).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import UtcDateTime


class BiometricRecord(Base):
    """One enrolled photograph (``face``) or finger (``finger``, ANSI/NIST position 1-10)."""

    __tablename__ = "biometric_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    modality: Mapped[str] = mapped_column(String(10))
    finger_position: Mapped[int | None] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(40))
    quality: Mapped[float | None]
    template_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    image_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(20))  # upload, api, ansi_nist
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime)
    officer: Mapped[str] = mapped_column(String(120))
    retain_until: Mapped[date] = mapped_column(Date)
