"""The working-day calendar loads Indonesia's holidays alone, not the package's 250 countries."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from sync.calendar import cuti_bersama_known, national_days_off
days = national_days_off(2026)
assert cuti_bersama_known(2026)
countries = [name for name in sys.modules if name.startswith("holidays.countries")]
import holidays.countries.indonesia as package  # still importable, and the same days
same = days == frozenset(package.Indonesia(years=2026, categories=("public", "government")))
print(len(days), len(countries), same)
"""


def test_holidays_come_from_indonesia_alone_and_match_the_package() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True, timeout=120)
    days, countries_loaded, same = done.stdout.split()
    assert int(days) > 15  # 2026's hari libur nasional and cuti bersama
    assert countries_loaded == "0"
    assert same == "True"
