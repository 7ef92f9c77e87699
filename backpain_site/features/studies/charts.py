"""Charts drawn from data/studies.yml at build time, as inline SVG (no plotting library).

Two kinds:
  * "ranges": one horizontal bar per row from low to high (a dot for a single value), on a scale
    from 0, e.g. how many people have back pain in runners' studies and in US adults;
  * "differences": one dot per row with its 95% confidence interval, on a scale around zero,
    e.g. the ASTEROID trial's between-group differences; a dashed line marks the minimal
    clinically important difference only when the data file gives one.

Each SVG is role="img" with <title> and <desc> (the desc says every number, so a screen reader
gets the whole chart); the same numbers are in a table beside it. Text uses currentColor and the
bars the theme's link colour (CSS), so the chart follows light and dark mode. The viewBox is 380
wide and text 14 units high: on a 390 px phone (about 358 px of content) text is still above 12 px.
"""

from __future__ import annotations

import html
import math

from .data import Chart, ChartRow
from .render import ci_text, cite, md_text, number_text, number_value, p_text, signed, span, with_unit

WIDTH = 380
LEFT, RIGHT = 20, 16  # room for the first and last tick labels
TOP = 8
ROW = 50  # one row: a label line, then the bar
LABEL_TO_BAR = 17
FONT = 14
AXIS = 58  # the axis, its tick labels and its title


def nice_step(extent: float, most: int = 6) -> float:
    """The smallest 1-2-5 step that cuts `extent` into at most `most` parts."""
    if extent <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(extent / most))
    for factor in (1, 2, 2.5, 5, 10):
        if extent / (factor * magnitude) <= most:
            return factor * magnitude
    return 10 * magnitude


def domain(chart: Chart) -> tuple[float, float, float]:
    """(low, high, step) of the scale: round numbers around every value (and zero, and the MCID)."""
    values = [0.0]
    for row in chart.rows:
        n = row.number
        values += [float(v) for v in (n.range or ()) + (n.ci or ())]
        if n.value is not None:
            values.append(float(number_value(n)))
    if chart.mcid is not None:
        values.append(float(chart.mcid))
    low, high = min(values), max(values)
    if chart.unit.startswith("%") and low >= 0 and high <= 100:
        low, high = 0.0, 100.0  # a share of people: the whole scale, so bars are not magnified
    step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if chart.kind == "differences":  # zero never sits on the frame's edge
        low, high = (low - step if low == 0 else low), (high + step if high == 0 else high)
    return low, high, step


def tick_text(value: float) -> str:
    text = f"{value:g}"
    return signed(text)


def row_figure(row: ChartRow, chart: Chart) -> str:
    """The short figure written beside a row's label: '0.7–20.2%', '−15.30 (−25.33 to −5.27)'."""
    n = row.number
    if n.range:
        return with_unit(span(*n.range), chart.unit if chart.unit.startswith("%") else "")
    text = signed(number_value(n)) + ("%" if chart.unit.startswith("%") else "")
    return f"{text} ({ci_text(n)})" if n.ci else text


def description(chart: Chart) -> str:
    parts = []
    for row in chart.rows:
        n = row.number
        if chart.kind == "differences":
            parts.append(f"{row.label}: {with_unit(signed(number_value(n)), chart.unit)} (95% CI {ci_text(n)}).")
        else:
            figure = (
                with_unit(span(*n.range), chart.unit) if n.range else with_unit(signed(number_value(n)), chart.unit)
            )
            parts.append(f"{row.label}: {figure}.")
    if chart.kind == "differences":
        if chart.mcid is None:
            parts.append(chart.mcid_note or "")
        else:
            parts.append(f"A dashed line marks the smallest worthwhile difference, {signed(chart.mcid)}.")
    return " ".join(p for p in parts if p)


def svg(chart: Chart) -> str:
    low, high, step = domain(chart)
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(chart.rows) + AXIS
    axis_y = TOP + ROW * len(chart.rows) + 4

    def x(value: float) -> float:
        return round(LEFT + (value - low) / (high - low) * plot_w, 2)

    cid = html.escape(f"chart-{chart.id}")
    out = [
        f'<svg class="evidence-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" focusable="false" font-size="{FONT}" fill="currentColor">',
        f'<title id="{cid}-title">{html.escape(chart.title)}</title>',
        f'<desc id="{cid}-desc">{html.escape(description(chart))}</desc>',
    ]
    ticks = []
    value = low
    while value <= high + step / 1000:
        ticks.append(round(value, 10))
        value += step
    grid = [
        f'<line class="evidence-chart__grid" x1="{x(t)}" y1="{TOP}" x2="{x(t)}" y2="{axis_y}" '
        f'stroke="currentColor" stroke-opacity="0.2"/>'
        for t in ticks
    ]
    out.append("<g>" + "".join(grid) + "</g>")
    if chart.kind == "differences":
        out.append(
            f'<line class="evidence-chart__zero" x1="{x(0)}" y1="{TOP}" x2="{x(0)}" y2="{axis_y}" '
            f'stroke="currentColor" stroke-width="1.5"/>'
        )
        if chart.mcid is not None:
            out.append(
                f'<line class="evidence-chart__mcid" x1="{x(float(chart.mcid))}" y1="{TOP}" '
                f'x2="{x(float(chart.mcid))}" y2="{axis_y}" stroke="currentColor" stroke-width="1.5" '
                f'stroke-dasharray="5 4"/>'
            )
    for index, row in enumerate(chart.rows):
        top = TOP + ROW * index
        bar_y = top + LABEL_TO_BAR + 14
        label = f"{row.label}: {row_figure(row, chart)}"
        out.append(
            f'<text class="evidence-chart__label" x="{LEFT}" y="{top + LABEL_TO_BAR}">{html.escape(label)}</text>'
        )
        n = row.number
        if chart.kind == "ranges" and n.range:
            start, end = x(float(n.range[0])), x(float(n.range[1]))
            out.append(
                f'<rect class="evidence-chart__bar" x="{start}" y="{bar_y - 8}" '
                f'width="{max(end - start, 3):.2f}" height="16" rx="3"/>'
            )
        elif chart.kind == "differences" and n.ci:  # data.py: every difference has its interval
            start, end, mid = x(float(n.ci[0])), x(float(n.ci[1])), x(float(number_value(n)))
            out.append(
                f'<g class="evidence-chart__interval" stroke="currentColor" stroke-width="2.5">'
                f'<line x1="{start}" y1="{bar_y}" x2="{end}" y2="{bar_y}"/>'
                f'<line x1="{start}" y1="{bar_y - 7}" x2="{start}" y2="{bar_y + 7}"/>'
                f'<line x1="{end}" y1="{bar_y - 7}" x2="{end}" y2="{bar_y + 7}"/></g>'
            )
            out.append(f'<circle class="evidence-chart__dot" cx="{mid}" cy="{bar_y}" r="6"/>')
        else:
            out.append(f'<circle class="evidence-chart__dot" cx="{x(float(number_value(n)))}" cy="{bar_y}" r="6"/>')
    out.append(f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" stroke="currentColor"/>')
    for t in ticks:
        out.append(f'<text x="{x(t)}" y="{axis_y + 20}" text-anchor="middle">{tick_text(t)}</text>')
    out.append(f'<text x="{WIDTH / 2:g}" y="{axis_y + 44}" text-anchor="middle">{html.escape(chart.axis_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def sources(chart: Chart) -> list[str]:
    """The works a chart draws on, in row order, each once."""
    return list(dict.fromkeys(row.key for row in chart.rows))


def placeholder(chart_id: str) -> str:
    return f'<div class="evidence-chart__plot" data-chart="{html.escape(chart_id)}"></div>'


def figure(chart: Chart, names: dict[str, str]) -> str:
    """The chart's figure for a Markdown page: the SVG's place, a caption citing its sources, and
    the same numbers as a table. (md_in_html turns the caption and table Markdown into HTML; the
    SVG goes in after Markdown, at placeholder(), so Markdown never sees it.)"""
    keys = sources(chart)
    who = [md_text(names.get(k, k)) for k in keys]
    listed = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]
    caption = md_text(chart.caption)
    if chart.kind == "differences" and chart.mcid is None:
        caption += " " + md_text(chart.mcid_note or "")
        if chart.mcid_cite:
            caption = caption.rstrip(".") + " " + cite(chart.mcid_cite) + "."
    caption += f" Source{'s' if len(keys) > 1 else ''}: {listed} {cite(keys)}."
    if chart.kind == "differences":
        rows = ["| Outcome | Difference | 95% CI | p | Source |", "|---|---|---|---|---|"]
        for row in chart.rows:
            n = row.number
            rows.append(
                f"| {md_text(row.label)} | {md_text(with_unit(signed(number_value(n)), n.unit))} | "
                f"{md_text(ci_text(n))} | {md_text(p_text(n))} | {md_text(names.get(row.key, row.key))} {cite([row.key])} |"
            )
    else:
        rows = ["| Group | Figure | Measure | Source |", "|---|---|---|---|"]
        for row in chart.rows:
            rows.append(
                f"| {md_text(row.label)} | {md_text(number_text(row.number))} | "
                f"{md_text(row.number.label)} | {md_text(names.get(row.key, row.key))} {cite([row.key])} |"
            )
    cid = html.escape(chart.id)
    return (
        f'<figure class="evidence-chart" id="chart-{cid}" markdown>\n'
        f"{placeholder(chart.id)}\n"
        f'<figcaption markdown="span">{caption}</figcaption>\n'
        f"</figure>\n\n"
        f'<details class="chart-data" markdown>\n<summary>The numbers in this chart</summary>\n\n'
        + "\n".join(rows)
        + "\n\n</details>\n"
    )
