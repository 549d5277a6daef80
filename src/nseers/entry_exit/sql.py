"""The pipeline's SQL, written once from the definitions, for every engine that runs it.

Each statement reads and writes named tables; the engine module only executes them in
order. Dates are compared as dates; day arithmetic goes through ``add_days`` so an engine
with another spelling of it can supply its own.
"""

from __future__ import annotations

from datetime import date

from nseers.entry_exit.definitions import Definitions

_DATE = "CAST(TRY_STRPTIME(NULLIF(TRIM({c}), ''), '%Y-%m-%d') AS DATE)"


def _d(column: str) -> str:
    return _DATE.format(c=column)


def _lit(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _people(kind: str, event: str, extra: str) -> str:
    """Normalised identity columns of a feed (``arr`` or ``dep``)."""
    name = ("trim(coalesce(sn.{p}, '') || ' ' || coalesce(gn.{p}, ''))")
    key = "array_to_string(list_sort(string_split({n}, ' ')), ' ')"
    return f"""
        SELECT TRIM(f.record_id) AS record_id,
               coalesce(sn.norm, '') AS surname, coalesce(gn.norm, '') AS given,
               NULLIF({key.format(n=name.format(p='norm'))}, '') AS name_key,
               NULLIF({key.format(n=name.format(p='phon'))}, '') AS phon_key,
               {_d('f.date_of_birth')} AS dob,
               NULLIF(TRIM(f.date_of_birth), '') AS dob_s,
               CASE WHEN day({_d('f.date_of_birth')}) <= 12
                    THEN strftime({_d('f.date_of_birth')}, '%Y-%d-%m') END AS dob_swap,
               year({_d('f.date_of_birth')}) AS birth_year,
               UPPER(TRIM(f.citizenship)) AS cit,
               NULLIF(UPPER(TRIM(f.sex)), '') AS sex,
               NULLIF(UPPER(regexp_replace(coalesce(f.document_number, ''),
                                           '[^A-Za-z0-9]', '', 'g')), '') AS doc,
               NULLIF(UPPER(TRIM(f.document_issuer)), '') AS iss,
               {_d('f.' + event)} AS {event},
               LOWER(TRIM(f.mode)) AS mode, UPPER(TRIM(f.port)) AS port{extra}
        FROM {kind}_ok f
        LEFT JOIN name_map sn ON sn.raw = f.surname
        LEFT JOIN name_map gn ON gn.raw = f.given_names"""


def people_tables(defs: Definitions) -> list[str]:
    """``arr`` and ``dep``: the feeds with normalised identities; departures after the
    as-of date are ignored."""
    arr_extra = (", regexp_replace(UPPER(f.admission_class), '[^A-Z0-9]', '', 'g') AS cls, "
                 f"{_d('f.admit_until')} AS admit_until, "
                 f"{_d('f.program_end_date')} AS program_end_date")
    return [
        f"CREATE OR REPLACE TABLE arr AS {_people('arrivals', 'arrival_date', arr_extra)}",
        (f"CREATE OR REPLACE TABLE dep AS SELECT * FROM "
        f"({_people('departures', 'departure_date', ', f.source AS source')}) "
        f"WHERE departure_date <= {_lit(defs.as_of)}"),
    ]


IDENTITY_LINKS = """
CREATE OR REPLACE TABLE id_links AS
SELECT d.record_id AS dep_id, a.record_id AS arr_id, 1 AS method_rank, 0 AS sex_differs,
       a.arrival_date, d.departure_date
FROM dep d JOIN arr a ON d.doc = a.doc AND d.iss = a.iss
UNION ALL
SELECT d.record_id, a.record_id, 2, CASE WHEN a.sex <> d.sex THEN 1 ELSE 0 END,
       a.arrival_date, d.departure_date
FROM dep d JOIN arr a ON d.name_key = a.name_key AND d.dob = a.dob AND d.cit = a.cit
WHERE NOT coalesce(d.doc = a.doc AND d.iss = a.iss, false)
"""
"""Tier 1 (same document number and issuer) and tier 2 (same normalised name, in any
token order, same birth date and citizenship). Identity, not timing: an identity link
stands whatever the dates; the assignment applies the dates. Each link carries what
:data:`_PREFERENCE` orders by (both dates, and whether a tier 2 pair's sexes differ), so
that choosing among a departure's links joins nothing (about two links a departure: a
hundred million rows at 50M, each joined to both feeds again before). A pair tier 1
linked is not linked again by tier 2: most travellers' records agree on both, and the
pair's tier 1 link outranks its tier 2 link whatever else the departure links to.
The evidence of an exact link is what was equal (:data:`_EXACT_EVIDENCE`), written by the
assignment for the links it keeps only."""

_EXACT_EVIDENCE = ("CASE WHEN i.method_rank = 1 THEN 'doc=' || d.doc || ';issuer=' || d.iss "
                   "ELSE 'name_key=' || d.name_key || ';dob=' || d.dob_s "
                   "|| ';citizenship=' || d.cit END")
"""An exact link's evidence, read from the departure (what was equal is the same on both
sides): tier 1's document and issuer where the document matched, else tier 2's name key,
birth date and citizenship. Where both tiers linked the pair the document is named: it
is the stronger evidence, and the least of the two strings ('doc=' sorts first), as the
evidence was once chosen."""

_PREFERENCE = "method_rank, sex_differs, arrival_date DESC, arr_id"
"""Which of a departure's linked arrivals it belongs to: the strongest evidence first (a
document outranks a name and birth date, which outrank a probabilistic score), then the
latest arrival on or before the departure. Evidence first: a departure whose document
matches one arrival and whose name and birth date match a namesake's later arrival is
the document holder's. Among name-and-birth-date links, an arrival of the departure's
sex comes before one of the other: two people with one name, birth date and citizenship
are told apart by it when they differ. (The probabilistic score weighs sex already; a
missing sex decides nothing.) Every exact link's probability is 1; among probabilistic
links (:data:`ASSIGNMENT`) the higher probability comes before the arrival's id."""

RESIDUALS = [
    f"""CREATE OR REPLACE TABLE id_assigned AS
    SELECT dep_id, arr_id, method_rank, arrival_date, departure_date FROM (
        SELECT dep_id, arr_id, method_rank, arrival_date, departure_date,
               row_number() OVER (PARTITION BY dep_id ORDER BY {_PREFERENCE}) AS n
        FROM id_links WHERE arrival_date <= departure_date)
    WHERE n = 1""",
    ("CREATE OR REPLACE TABLE res_dep AS SELECT * FROM dep ANTI JOIN "
    "(SELECT dep_id AS record_id FROM id_assigned) USING (record_id)"),
    ("CREATE OR REPLACE TABLE res_arr AS SELECT * FROM arr ANTI JOIN "
    "(SELECT arr_id AS record_id FROM id_assigned EXCEPT SELECT a.arr_id FROM id_assigned a "
    "JOIN (SELECT dep_id FROM id_links GROUP BY dep_id HAVING count(DISTINCT arr_id) > 1) r "
    "ON r.dep_id = a.dep_id) USING (record_id)"),
]
"""What the exact tiers left: departures they could not place (no identity link, or links
only to arrivals after the departure), and arrivals they gave no departure. An arrival an
exact tier merely linked is not taken: a traveller's first trip shares its document with
the second, and the second trip's departure, with a mistyped name and a renewed passport,
must still find the second arrival. Nor is an arrival given a departure that also links
to another of the identity's arrivals: a repeat traveller's first departure, recorded after
the second arrival, takes that arrival, and the second trip's departure still belongs to
it (the latest arrival on or before). Only these go to the probabilistic tier. A departure
the exact tiers placed (``id_assigned``) is placed for good: only the others are scored,
and an exact link outranks any score (:data:`_PREFERENCE`)."""

ASSIGNMENT = f"""
CREATE OR REPLACE TABLE assigned AS
WITH scored AS (
    SELECT dep_id, arr_id, max(probability) AS probability, min(evidence) AS evidence
    FROM prob_links GROUP BY dep_id, arr_id),
dated AS (
    SELECT s.dep_id, s.arr_id, s.probability, s.evidence, a.arrival_date, d.departure_date,
           row_number() OVER (PARTITION BY s.dep_id
                              ORDER BY a.arrival_date DESC, s.probability DESC, s.arr_id)
           AS n
    FROM scored s JOIN arr a ON a.record_id = s.arr_id JOIN dep d ON d.record_id = s.dep_id
    WHERE a.arrival_date <= d.departure_date)
SELECT i.arr_id, i.dep_id, CASE i.method_rank WHEN 1 THEN 'document' ELSE 'deterministic'
                           END AS method,
       CAST(1 AS DOUBLE) AS probability, {_EXACT_EVIDENCE} AS evidence, i.arrival_date,
       i.departure_date
FROM id_assigned i JOIN dep d ON d.record_id = i.dep_id
UNION ALL
SELECT arr_id, dep_id, 'probabilistic', probability, evidence, arrival_date, departure_date
FROM dated WHERE n = 1
"""
"""A departure belongs to its identity's latest arrival on or before the departure date,
its identity read from its strongest evidence (:data:`_PREFERENCE`). The exact tiers'
choice (``id_assigned``) stands as it was made; the probabilistic links (all rank 3, of
departures the exact tiers did not place) choose by the rest of the same order."""


def expected_departures(defs: Definitions) -> list[str]:
    """``adm``: every admission's EDD after status changes, its departure, and its class."""
    grace = " UNION ALL ".join(f"SELECT '{cls}' AS cls, {days} AS days"
                               for cls, days in sorted(defs.grace_days.items()))
    return [
        f"CREATE OR REPLACE TABLE grace AS {grace}",
        """CREATE OR REPLACE TABLE edd0 AS
            SELECT a.record_id, CASE WHEN g.days IS NOT NULL AND a.program_end_date IS NOT NULL
                THEN CAST(a.program_end_date + g.days AS DATE) ELSE a.admit_until END AS edd
            FROM arr a LEFT JOIN grace g ON g.cls = a.cls""",
        f"""CREATE OR REPLACE TABLE changes AS
            SELECT TRIM(arrival_record_id) AS arr_id, {_d('filed_date')} AS filed,
                   LOWER(TRIM(kind)) AS kind, {_d('new_admit_until')} AS new_admit_until,
                   row_number() OVER (PARTITION BY TRIM(arrival_record_id)
                                      ORDER BY {_d('filed_date')}, TRIM(record_id)) AS n
            FROM status_changes_ok""",
        ("CREATE OR REPLACE TABLE edd_state AS SELECT record_id, edd, false AS left_scope "
        "FROM edd0 WHERE record_id IN (SELECT arr_id FROM changes)"),
    ]


STATUS_CHANGE_STEP = """
CREATE OR REPLACE TABLE edd_state AS
SELECT s.record_id,
       CASE WHEN c.arr_id IS NOT NULL AND NOT s.left_scope AND s.edd IS NOT NULL
                 AND c.filed <= s.edd AND c.kind = 'extension'
            THEN c.new_admit_until ELSE s.edd END AS edd,
       s.left_scope OR (c.arr_id IS NOT NULL AND s.edd IS NOT NULL AND c.filed <= s.edd
                        AND c.kind <> 'extension') AS left_scope
FROM edd_state s LEFT JOIN changes c ON c.arr_id = s.record_id AND c.n = {step}
"""
"""One status change per admission, in filing order: filed on or before the EDD then in
force, an extension moves it and any other kind takes the admission out of scope. Only the
admissions with a status change are stepped (``edd_state``); the others keep ``edd0``."""


def admissions(defs: Definitions) -> str:
    """``adm``: the admissions whose EDD falls in the fiscal year, classed."""
    bp = ", ".join(f"'{c}'" for c in defs.business_pleasure_classes) or "''"
    st = ", ".join(f"'{c}'" for c in defs.student_classes) or "''"
    modes = ", ".join(f"'{m}'" for m in defs.in_scope_modes)
    return f"""
CREATE OR REPLACE TABLE adm AS
WITH edd_now AS (
    SELECT e.record_id, CASE WHEN s.record_id IS NULL THEN e.edd ELSE s.edd END AS edd,
           coalesce(s.left_scope, false) AS left_scope
    FROM edd0 e LEFT JOIN edd_state s ON s.record_id = e.record_id),
first_dep AS (
    SELECT arr_id, min(departure_date) AS departure_date FROM assigned GROUP BY arr_id)
SELECT a.record_id, a.cit, a.cls, s.edd, f.departure_date,
       CASE WHEN a.mode IN ({modes}) THEN 'in_scope' ELSE 'land' END AS scope,
       CASE WHEN a.cls IN ({bp}) THEN 'business_pleasure'
            WHEN a.cls IN ({st}) THEN 'student' ELSE 'other' END AS class_group,
       f.departure_date IS NOT NULL AND f.departure_date > s.edd AS out_of_country,
       f.departure_date IS NULL AND {_lit(defs.as_of)} > s.edd AS in_country
FROM arr a JOIN edd_now s ON s.record_id = a.record_id
LEFT JOIN first_dep f ON f.arr_id = a.record_id
WHERE NOT s.left_scope AND s.edd BETWEEN {_lit(defs.fy_start)} AND {_lit(defs.fy_end)}
"""


COUNTS = """
SELECT scope, cit, class_group, count(*) AS expected,
       count(*) FILTER (WHERE out_of_country) AS out_of_country,
       count(*) FILTER (WHERE in_country) AS in_country
FROM adm GROUP BY scope, cit, class_group ORDER BY scope, cit, class_group
"""
