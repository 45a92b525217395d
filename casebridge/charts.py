"""Charts drawn on the server as SVG (pygal), in the house style.

A chart is served as its own `image/svg+xml` response and shown with `<img>`: it is read without
JavaScript, prints with the page, and its own styles stay inside the image, so the site's
Content-Security-Policy (no inline script or style) holds. The data behind every chart is also on
the page as a table, for screen readers and for anyone who would rather read numbers.
"""

from datetime import date

import pygal
from django.http import HttpResponse
from django.utils.translation import gettext as _
from pygal.style import Style

# The accent, green, orange, red and purple of casebridge.css, distinguishable in greyscale too.
COLOURS = ("#1f5fa8", "#1d7a46", "#b35c00", "#a8261f", "#6b3fa0", "#2f3b4a")
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1d2733",
              foreground_strong="#1d2733", foreground_subtle="#d5dbe3", colors=COLOURS,
              font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
              label_font_size=13, major_label_font_size=13, legend_font_size=13, title_font_size=15,
              value_font_size=12)


def _chart(kind, *, title: str, y_labels: list[tuple[float, str]], range_: tuple[float, float], empty: bool,
           **options):
    chart = kind(style=STYLE, js=[], disable_xml_declaration=True, width=760, height=340, title=title,
                 legend_at_bottom=True, legend_at_bottom_columns=2, truncate_label=-1, show_minor_x_labels=True,
                 dots_size=5,
                 range=range_, include_x_axis=False, print_values=False, truncate_legend=-1,
                 no_data_text=_("Nothing to draw"), **options)
    if not empty:  # pygal cannot place labels on an axis without data: an empty chart says so instead
        chart.y_labels = [{"value": value, "label": label} for value, label in y_labels]
    return chart


def dated_lines(*, title: str, series: dict[str, list[tuple[date, float]]], y_labels: list[tuple[float, str]],
                range_: tuple[float, float]) -> str:
    """Lines over dates, one per series (e.g. one per instrument and agency)."""
    chart = _chart(pygal.DateLine, title=title, y_labels=y_labels, range_=range_, empty=not any(series.values()),
                   x_value_formatter=lambda day: day.strftime("%d.%m.%y"), x_label_rotation=0)
    for name, points in series.items():
        chart.add(name, sorted(points))
    return chart.render(is_unicode=True)


def numbered_lines(*, title: str, x_labels: list[str], series: dict[str, list[float | None]],
                   y_labels: list[tuple[float, str]], range_: tuple[float, float]) -> str:
    """Lines over numbered steps (e.g. sessions), one per series."""
    chart = _chart(pygal.Line, title=title, y_labels=y_labels, range_=range_, empty=not x_labels)
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, values)
    return chart.render(is_unicode=True)


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-store, private"  # case content: never kept by a browser or a proxy
    return response
