"""stacked_tables: the column label and roles each table cell gets so tables can stack on a phone.
(The built site and the browser are checked in tests/browser/test_phone.py.)"""
from __future__ import annotations

from stacked_tables import label_tables

TABLE = """<p>Before</p>
<table>
<thead>
<tr>
<th style="text-align: left;">Study</th>
<th>β (95% <abbr title="Range &quot;likely&quot;">CI</abbr>) &amp; p</th>
</tr>
</thead>
<tbody>
<tr>
<td style="text-align: left;"><strong>A</strong> <sup id="x"><a href="#fn:a">1</a></sup></td>
<td>0.5 (0.1 to 0.9)</td>
</tr>
<tr>
<th>Row head</th>
<td></td>
</tr>
</tbody>
</table>
<p>After</p>"""


def test_each_body_cell_gets_its_columns_heading_as_plain_text_and_every_part_its_role():
    out = label_tables(TABLE)
    assert '<table role="table" data-stack="">' in out
    assert out.count('role="rowgroup"') == 2 and out.count('<tr role="row">') == 3
    assert '<th style="text-align: left;" role="columnheader">Study</th>' in out
    assert '<td style="text-align: left;" role="cell" data-label="Study"><strong>A</strong>' in out
    assert '<td role="cell" data-label="β (95% CI) &amp; p">0.5 (0.1 to 0.9)</td>' in out
    assert '<th role="rowheader" data-label="Study">Row head</th>' in out
    assert out.startswith("<p>Before</p>") and out.endswith("<p>After</p>")


def test_an_authors_own_role_stays_and_a_page_without_tables_is_untouched():
    own = TABLE.replace("<table>", '<table role="presentation">')
    assert '<table role="presentation" data-stack="">' in label_tables(own)
    assert label_tables("<p>No tables</p>") == "<p>No tables</p>"


def test_a_row_longer_than_the_header_gets_empty_labels_for_the_extra_cells():
    table = "<table><thead><tr><th>One</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
    assert '<td role="cell" data-label="One">a</td><td role="cell" data-label="">b</td>' in label_tables(table)
