"""Date formats for English as Casebridge's users write it, in Europe: "9 Mar 2026", a 24-hour clock,
day before month, weeks from Monday. Django's own `en` formats are American ("Mar. 9, 2026, 4 p.m.").
Forms keep Django's input formats; their date fields take ISO dates from the browser's date picker."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
