"""The server-drawn charts: bars scale to a round top, lines break where data is missing,
labels fit, and an empty period is said to be empty."""

from __future__ import annotations

from nseers.web.charts import HEIGHT, bar_chart, line_chart, nice_ceiling


def test_a_chart_with_no_data_is_marked_empty_and_drawn_without_error() -> None:
    assert bar_chart([], [("Arrivals", [])]).empty
    assert line_chart([], [("Rate", [])]).empty
    assert line_chart(["2002"], [("Rate", [None])]).empty


def test_bars_are_scaled_to_a_round_top_and_stand_on_the_baseline() -> None:
    chart = bar_chart(["JFK", "IAD"], [("Arrivals", [7, 3]), ("Departures", [2, 0])])
    assert nice_ceiling(7) == 10
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.value == 7
    assert round(tallest.y + tallest.height, 2) == chart.baseline
    assert [tick.label for tick in chart.y_ticks] == ["0", "2.5", "5", "7.5", "10"]
    assert chart.bars[1].series == 1


def test_a_line_breaks_where_a_year_has_no_rate() -> None:
    chart = line_chart(["2002", "2003", "2004", "2005"],
                       [("Compliance", [1.0, None, 0.5, 0.75])])
    (line,) = chart.lines
    assert len(line["paths"]) == 2
    assert all(0 <= y <= HEIGHT for _, y in line["dots"])


def test_long_labels_are_shortened_under_their_bars() -> None:
    labels = ["BUFFALO-NIAGARA FALLS", *(f"P{i}" for i in range(11))]
    chart = bar_chart(labels, [("Arrivals", [1] * 12)])
    assert chart.x_ticks[0].label.endswith("…")
    assert len(chart.x_ticks[0].label) < len(labels[0])
