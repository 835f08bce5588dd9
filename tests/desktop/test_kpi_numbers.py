"""Kinerja figures as the screen writes them: one decimal in the screen's language."""

from __future__ import annotations

import pytest

from desktop.performance_data import csv_number
from desktop.views.performance import days, percent, signed_percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.4, "0,4 hari kerja"),
        (1.0, "1,0 hari kerja"),
        (0.75, "0,8 hari kerja"),  # a tie rounds up, as people round
        (0.45, "0,5 hari kerja"),
        (0.44, "0,4 hari kerja"),
        (1234.56, "1.234,6 hari kerja"),
        (None, "–"),
    ],
)
def test_days_are_written_with_a_decimal_comma(value: float | None, text: str) -> None:
    assert days(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(400 / 6, "66,7 %"), (60.0, "60,0 %"), (100.0, "100,0 %"), (None, "–")],
)
def test_shares_are_written_with_a_decimal_comma(value: float | None, text: str) -> None:
    assert percent(value) == text


@pytest.mark.parametrize("value", [0.25, 0.75, 1.25, 0.45, 0.44, 12.35, 400 / 6, 1234.56, 0.0])
def test_the_export_rounds_as_the_screen_does(value: float) -> None:
    on_screen = days(value).removesuffix(" hari kerja").replace(".", "").replace(",", ".")
    assert csv_number(value) == on_screen


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.5, "+12,5 %"), (-12.5, "-12,5 %"), (-0.04, "0,0 %"), (0.04, "0,0 %"), (0.0, "0,0 %")],
)
def test_a_change_says_its_direction_and_none_is_not_negative(value: float, text: str) -> None:
    assert signed_percent(value) == text
