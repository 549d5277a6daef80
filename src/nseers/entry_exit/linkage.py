"""The probabilistic tier: a Fellegi-Sunter model in Splink, over what the exact tiers left.

The m and u parameters are trained on the data (u by seeded random sampling, m by
expectation maximisation over two blocking rules), with term-frequency adjustment on the
exact name level so that two GARCIAs born the same day weigh less than two rare names. The
comparisons mirror the noise of real feeds: a name in another order (compared as sorted
tokens), a spelling variant (phonetic key), a typo (Jaro-Winkler), a birth date with day
and month swapped, a renewed passport (a different number weighs against, not fatally).
The settings are engine-neutral SQL so DuckDB and Spark score alike.
"""

from __future__ import annotations

import copy
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

LINK_COLUMNS = ("record_id", "name_key", "phon_key", "surname", "given", "dob_s", "dob_swap",
                "birth_year", "cit", "sex", "doc", "iss")

def _name_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            cll.ExactMatchLevel("phon_key"),
            cll.JaroWinklerLevel("name_key", 0.92),
            cll.JaroWinklerLevel("name_key", 0.80),
            cll.ElseLevel(),
        ],
    )

def _dob_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("dob_s"),
            cll.ExactMatchLevel("dob_s"),
            cll.CustomLevel("dob_swap_l = dob_s_r", "day and month swapped"),
            cll.DamerauLevenshteinLevel("dob_s", 1),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.ElseLevel(),
        ],
    )

def settings(probability_two_random_records_match: float) -> SettingsCreator:
    """The model before training: comparisons, blocking rules and the prior."""
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        probability_two_random_records_match=probability_two_random_records_match,
        comparisons=[
            _name_comparison(),
            _dob_comparison(),
            cl.ExactMatch("cit"),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("doc", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob_s", "cit"),
            block_on("phon_key", "birth_year"),
            block_on("doc"),
            block_on("name_key", "cit"),
        ],
        retain_intermediate_calculation_columns=False,
        # The comparison vector (gamma_*) comes out only with the matching columns: every
        # probabilistic link keeps the levels that fired, for the review queue (issue 12).
        retain_matching_columns=True,
        additional_columns_to_retain=[],
    )

EM_BLOCKING = ((block_on("dob_s", "cit"), False), (block_on("doc"), True))
"""The blocks m is trained in: name, sex and document among records born the same day in
the same country; name, birth date, citizenship and sex among records with the same
document number, which are nearly always one person (a phonetic name block is not: two
people with one common name outnumber a person's own records there, and expectation
maximisation then learns that one person's birth dates mostly disagree). In the document
block the share of matching pairs is held at the model's prior rather than estimated:
there it is nearly one, and Splink's weight for it, log2(p / (1 - p)), would not be finite."""

def fired_levels(model: dict[str, Any] | None, evidence: str) -> dict[str, str]:
    """The comparison levels a scored pair fell in, by comparison, in words.

    ``evidence`` is Splink's comparison vector as the engine keeps it
    (``name=4;date_of_birth=3;...``). Splink numbers a comparison's levels from the top
    (the first level after the null level) down to 0 (all other comparisons), and the null
    level -1; the trained model's ``label_for_charts`` gives each its words. A value the
    model does not explain is kept as its number.
    """
    labels: dict[str, dict[int, str]] = {}
    for comparison in (model or {}).get("comparisons", []):
        levels = comparison.get("comparison_levels", [])
        others = [lv for lv in levels if not lv.get("is_null_level")]
        named = {len(others) - 1 - i: str(lv.get("label_for_charts", ""))
                 for i, lv in enumerate(others)}
        for level in levels:
            if level.get("is_null_level"):
                named[-1] = str(level.get("label_for_charts", ""))
        labels[str(comparison.get("output_column_name"))] = named
    fired: dict[str, str] = {}
    for part in filter(None, evidence.split(";")):
        name, _, value = part.partition("=")
        try:
            fired[name] = labels.get(name, {}).get(int(value)) or value
        except ValueError:
            fired[name] = value
    return fired

def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A trained model (as Splink saves it, in the dialect it was trained in) whose SQL is
    written for ``dialect``: the same levels, m and u values and prior, with each level's
    condition and each blocking rule as :func:`settings` writes them for that engine.

    Splink keeps a saved model's SQL as it was written, and DuckDB's double-quoted names
    are string literals to Spark; the reproduce path also hands a recorded model to
    whichever engine the manifest names.
    """
    fresh = settings(float(model["probability_two_random_records_match"])
                     ).create_settings_dict(dialect)
    out = copy.deepcopy(model)
    for trained, written in zip(out["comparisons"], fresh["comparisons"], strict=True):
        for level, new in zip(trained["comparison_levels"], written["comparison_levels"],
                              strict=True):
            if level.get("label_for_charts") != new.get("label_for_charts"):
                msg = (f"the model's level {level.get('label_for_charts')!r} is not "
                       f"{new.get('label_for_charts')!r}: trained with other settings")
                raise ValueError(msg)
            level["sql_condition"] = new["sql_condition"]
    out["blocking_rules_to_generate_predictions"] = \
        fresh["blocking_rules_to_generate_predictions"]
    if "sql_dialect" in out:
        out["sql_dialect"] = dialect
    return out
