"""English dates and times as written in Europe (day month year, 24-hour clock), not Django's
American defaults ("March 3, 2026, 2:30 p.m."). Dutch, French and German use Django's own formats.
Input formats are left alone: date fields take ISO dates (the browser's date picker sends them)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
