"""Stamps (academy/stamps.py): a component drawn once through its NHS.UK macro with placeholders and
filled per row gives the macro's own markup for every kind of value, character for character but for
the length of its runs of whitespace (the stamp draws a run of line breaks and indentation as one line
break, which HTML shows the same)."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from markupsafe import Markup, escape

from academy import jinja2 as bridge
from academy.stamps import Stamp, slot


@pytest.fixture(autouse=True)
def environment():
    engines["jinja2"]  # the portal's Jinja2 environment, which the stamps and macros are drawn in


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def as_shown(markup) -> str:
    """Markup with each run of whitespace made one space: what HTML shows outside `<pre>`."""
    return re.sub(r"\s+", " ", str(markup))


AWKWARD = [
    "Ada Lovelace",
    'O\'Brien & <Sons> "Ltd"',
    "",
    None,
    0,
    42,
    "  padded both sides  ",
    "two\nlines\n\n  with a blank one",
    "windows\r\nline end",
    "tab\there",
    Markup("<strong>bold</strong> & <em>safe</em>"),
    Markup("<p>one</p>\n<p>two</p>\n"),
    "&amp; already",
    "\xa0non-breaking space at the edges\xa0",
    "line\u2028separator",
    " leading space only",
]

TABLE_VARIANTS = [
    {
        "caption": "Register",
        "captionClasses": "nhsuk-u-visually-hidden",
        "head": [{"text": "Name"}, {"text": "Notes"}, {"text": "Marks", "format": "numeric"}],
    },
    {
        "id": "reg",
        "scroll": True,
        "caption": {"text": "Waiting", "id": "reg-caption", "classes": "nhsuk-u-visually-hidden"},
        "head": [{"text": "Name"}, {"text": "Notes"}, {"text": "Marks"}],
    },
    {
        "responsive": True,
        "classes": "extra",
        "caption": "Responsive",
        "head": [{"text": "Name"}, {"text": "Notes"}, {"text": "Marks"}],
    },
    {"head": [{"text": "Name"}, {"text": "Notes"}, {"text": "Marks"}], "firstCellIsHeader": True},
]
CELLS = [{"text": slot("name")}, {"html": slot("notes")}, {"text": slot("marks"), "format": "numeric"}]


def lines(value):
    """A value with its line breaks made "\n", as a stamp places it."""
    if isinstance(value, str):
        return type(value)(re.sub("\r\n|[\r\u2028]", "\n", value))
    return value


def macro_rows(values):
    """The rows as a page hands them to the macro: text as it is, `html` escaped unless it is markup."""
    return [
        [
            {"text": lines(v["name"])},
            {"html": escape(lines(v["notes"])) if v["notes"] else v["notes"]},
            {"text": lines(v["marks"]), "format": "numeric"},
        ]
        for v in values
    ]


@pytest.mark.parametrize("params", TABLE_VARIANTS)
def test_table_rows_stamped_equal_the_table_macro(params):
    rows = [
        {"name": a, "notes": b, "marks": c}
        for a, b, c in zip(AWKWARD, reversed(AWKWARD), AWKWARD[3:] + AWKWARD[:3], strict=True)
    ]
    # The portal's table: the macro's, with numbers given as their digits (so a count of 0 shows).
    expected = bridge._macro("tables", "table")(bridge.numbers_as_text({**params, "rows": macro_rows(rows)}))
    stamped = bridge.table_stamp(params, CELLS).render(rows)
    assert isinstance(stamped, Markup)
    assert as_shown(stamped) == as_shown(expected)
    assert "O&#39;Brien &amp; &lt;Sons&gt; &#34;Ltd&#34;" in stamped
    assert "<strong>bold</strong> & <em>safe</em>" in stamped  # markup in an html cell stays markup
    assert "<Sons>" not in stamped  # and text in an html cell is escaped


def test_table_with_no_rows_is_the_macros_empty_table():
    params = TABLE_VARIANTS[1]
    assert as_shown(bridge.table_stamp(params, CELLS).render([])) == as_shown(
        bridge._macro("tables", "table")({**params, "rows": []})
    )


def test_rows_may_be_objects_with_the_slots_as_attributes():
    class Row:
        def __init__(self, name):
            self.name, self.notes, self.marks = name, Markup("<br>"), 3

    stamped = bridge.table_stamp(TABLE_VARIANTS[0], CELLS).render([Row("A <b>"), Row("B")])
    expected = bridge._macro("tables", "table")(
        {
            **TABLE_VARIANTS[0],
            "rows": macro_rows([{"name": n, "notes": Markup("<br>"), "marks": 3} for n in ("A <b>", "B")]),
        }
    )
    assert as_shown(stamped) == as_shown(expected)


RADIOS = {
    "idPrefix": slot("prefix"),
    "name": slot("name"),
    "classes": "nhsuk-radios--inline nhsuk-radios--small",
    "fieldset": {
        "legend": {"text": "Attendance for " + slot("person"), "classes": "nhsuk-u-visually-hidden"}
    },
    "errorMessage": {"text": slot("error"), "id": slot("prefix") + "_error"},
    "formGroup": {"classes": "nhsuk-u-margin-bottom-0"},
    "items": [
        {"value": "attended", "text": "Attended", "id": slot("prefix") + "_0", "checked": slot("attended")},
        {"value": "absent", "text": "Absent", "id": slot("prefix") + "_1", "checked": slot("absent")},
    ],
}


@pytest.mark.parametrize("checked", [None, "attended", "absent"])
@pytest.mark.parametrize("error", ["", "Choose whether O'Brien & co attended", None])
@pytest.mark.parametrize("person", ["Ada", 'O\'Brien <"&">'])
def test_radios_stamped_equal_the_radios_macro(checked, error, person):
    values = {
        "prefix": "id_e-12",
        "name": "e-12",
        "person": person,
        "error": error,
        "attended": checked == "attended",
        "absent": checked == "absent",
    }
    expected = bridge._macro("radios", "radios")(
        {
            **RADIOS,
            "idPrefix": "id_e-12",
            "name": "e-12",
            "fieldset": {
                "legend": {"text": "Attendance for " + person, "classes": "nhsuk-u-visually-hidden"}
            },
            "errorMessage": {"text": error, "id": "id_e-12_error"},
            "items": [
                {
                    "value": "attended",
                    "text": "Attended",
                    "id": "id_e-12_0",
                    "checked": checked == "attended",
                },
                {"value": "absent", "text": "Absent", "id": "id_e-12_1", "checked": checked == "absent"},
            ],
        }
    )
    stamp = bridge.component_stamp("radios", RADIOS)
    assert as_shown(stamp.fill(values)) == as_shown(expected)
    assert as_shown(stamp.fill(**values)) == as_shown(expected)
    assert (" checked" in expected) == (checked is not None)
    assert ("nhsuk-form-group--error" in expected) == bool(error)


def test_stamped_radios_in_stamped_table_rows_equal_the_macros_nested():
    stamp = bridge.component_stamp("radios", RADIOS)
    people = ["Ada", "Grace & <Hopper>", "Mary"]
    made = []
    for number, person in enumerate(people):
        values = {
            "prefix": f"id_e-{number}",
            "name": f"e-{number}",
            "person": person,
            "error": "Choose one" if number == 1 else "",
            "attended": number == 2,
            "absent": False,
        }
        made.append({"name": person, "notes": stamp.fill(values), "marks": number or ""})
    params = TABLE_VARIANTS[2]
    expected = bridge._macro("tables", "table")({**params, "rows": macro_rows(made)})
    assert as_shown(bridge.table_stamp(params, CELLS).render(made)) == as_shown(expected)


def test_radios_nested_in_a_table_stamp_equal_the_macros_nested():
    radios = bridge.component_stamp("radios", RADIOS)
    cells = [{"text": slot("person")}, {"html": radios}]
    people = ["Ada", "Grace & <Hopper>", "Mary", ""]
    rows = [
        {
            "prefix": f"id_e-{n}",
            "name": f"e-{n}",
            "person": person,
            "error": "Choose one" if n == 1 else "",
            "attended": n == 2,
            "absent": n == 3,
        }
        for n, person in enumerate(people)
    ]
    params = TABLE_VARIANTS[2]
    expected = bridge._macro("tables", "table")(
        {**params, "rows": [[{"text": r["person"]}, {"html": radios.fill(r)}] for r in rows]}
    )
    assert as_shown(bridge.table_stamp(params, cells).render(rows)) == as_shown(expected)


def test_stamps_are_drawn_once_per_process():
    first = bridge.table_stamp(TABLE_VARIANTS[0], CELLS)
    assert bridge.table_stamp(dict(TABLE_VARIANTS[0]), list(CELLS)) is first
    assert bridge.component_stamp("radios", RADIOS) is bridge.component_stamp("radios", dict(RADIOS))


def test_a_slot_where_the_macro_alters_the_value_is_refused():
    # The table macro builds a caption id from the lowercased caption text: no slot may stand there.
    with pytest.raises(ValueError):
        Stamp(lambda params: str(params["text"]).lower(), {"text": slot("Name")}).fill(Name="x")
    with pytest.raises(ValueError):
        bridge.table_stamp({"caption": slot("caption")}, CELLS)


def test_pages_use_the_stamp_through_jinja():
    html = render(
        '{{ table_stamp({"head": [{"text": "Name"}]}, [{"text": slot("name")}]).render(rows) }}',
        rows=[{"name": "<A>"}, {"name": "B"}],
    )
    assert as_shown(html) == as_shown(
        bridge._macro("tables", "table")(
            {"head": [{"text": "Name"}], "rows": [[{"text": "<A>"}], [{"text": "B"}]]}
        )
    )


def test_the_macro_runs_once_per_variant_not_once_per_row():
    from academy.stamps import TableStamp

    calls = []

    def table(params):
        calls.append(len(params["rows"]))
        return bridge._macro("tables", "table")(params)

    stamp = TableStamp(table, TABLE_VARIANTS[1], CELLS)
    rows = [{"name": f"Person {n} <{n}>", "notes": Markup(f"<b>{n}</b>"), "marks": n + 1} for n in range(200)]
    stamp.render(rows)
    assert calls == [1, 2]  # one row and two rows: the row and what sits between rows
    rows[5]["notes"] = ""  # an empty cell is drawn differently: one more variant, then reused
    rows[9]["notes"] = ""
    html = stamp.render(rows)
    assert calls == [1, 2, 1, 2]
    assert as_shown(html) == as_shown(
        bridge._macro("tables", "table")({**TABLE_VARIANTS[1], "rows": macro_rows(rows)})
    )


def test_dict_lookups_in_templates_keep_jinjas_meaning():
    params = {"caption": "<Cap>", "items": ["a", "b"], "none": None}
    html = render(
        "{{ p.caption }}|{{ p.get('items') | join(',') }}|{{ p.items() | list | length }}|"
        "{{ p.missing is undefined }}|{{ p.missing.deeper is undefined }}|{{ p.none is none }}|{{ p['items'] | length }}",
        p=params,
    )
    assert html == "&lt;Cap&gt;|a,b|3|True|True|True|2"


def test_a_pages_own_macro_is_stamped_like_a_component():
    source = (
        '{% from "nhsuk/components/button/macro.jinja" import button %}'
        '{% macro give(row) %}<form action="{{ row.url }}">{{ row.csrf }}{{ button({"html": ("Give a place<span> to " | safe) ~ row.name ~ ("</span>" | safe)}) }}</form>{% endmacro %}'
        '{% set stamp = macro_stamp(give, {"url": slot("url"), "csrf": slot("csrf"), "name": slot("name")}) %}'
        "{% for r in rows %}{{ stamp.fill(url=r.url, csrf=csrf, name=r.name) }}@@{{ give({'url': r.url, 'csrf': csrf, 'name': r.name}) }}##{% endfor %}"
    )
    rows = [{"url": "/give/1/?a=1&b=2", "name": "O'Brien <Ada>"}, {"url": "/give/2/", "name": "Bo"}]
    html = render(source, rows=rows, csrf=Markup('<input type="hidden" value="t&k">'))
    pairs = [chunk.split("@@") for chunk in html.split("##") if chunk]
    assert len(pairs) == 2 and all(as_shown(stamped) == as_shown(drawn) for stamped, drawn in pairs)
    assert (
        "Give a place<span> to O&#39;Brien &lt;Ada&gt;</span>" in pairs[0][0]
        and "?a=1&amp;b=2" in pairs[0][0]
    )
    assert '<input type="hidden" value="t&k">' in pairs[0][0]


def test_fields_drawn_again_with_the_same_params_come_from_the_cache_and_differ_when_anything_does(
    monkeypatch,
):
    from django import forms

    class Filters(forms.Form):
        q = forms.CharField(label="Search", required=False, help_text="Words <in> the title.")
        theme = forms.ChoiceField(label="Theme", choices=[("", "Any"), ("a", "Belonging")], required=False)
        agree = forms.BooleanField(label="Only with places")

    bridge._drawn.clear()
    calls = []
    real = bridge._macro

    def counting(component, name):
        macro = real(component, name)
        return lambda params: calls.append(component) or macro(params)

    monkeypatch.setattr(bridge, "_macro", counting)
    first = render("{{ form_fields(form) }}", form=Filters({"q": "lead & <b>", "theme": "a", "agree": "on"}))
    assert len(calls) == 3
    again = render("{{ form_fields(form) }}", form=Filters({"q": "lead & <b>", "theme": "a", "agree": "on"}))
    assert again == first and len(calls) == 3  # nothing drawn again
    other = Filters({"q": "other", "theme": "a"})  # the checkbox left empty is in error; the search changed
    changed = render("{{ form_fields(form) }}", form=other)
    assert len(calls) == 5 and 'value="other"' in changed and "nhsuk-form-group--error" in changed
    assert "lead &amp; &lt;b&gt;" in first and "nhsuk-form-group--error" not in first


def test_cache_keys_tell_apart_what_renders_differently():
    from academy.stamps import freeze

    assert freeze({"checked": True}) != freeze({"checked": 1})
    assert freeze({"html": Markup("<b>")}) != freeze({"html": "<b>"})
    assert freeze({"a": "1"}) != freeze({"a": 1})
    with pytest.raises(TypeError):
        freeze({"value": object()})


def test_rows_may_be_lists_of_the_slots_values_in_order():
    cells = [{"text": slot("c0")}, {"html": slot("c1")}]
    rows = [["Total", Markup("<strong>5</strong>")], ["A & B", "3"]]
    expected = bridge._macro("tables", "table")(
        {
            "firstCellIsHeader": True,
            "rows": [
                [{"text": "Total"}, {"html": Markup("<strong>5</strong>")}],
                [{"text": "A & B"}, {"html": escape("3")}],
            ],
        }
    )
    assert as_shown(bridge.table_stamp({"firstCellIsHeader": True}, cells).render(rows)) == as_shown(expected)
    with pytest.raises(ValueError):
        bridge.table_stamp({"firstCellIsHeader": True}, cells).render([["only one"]])


def test_a_count_of_zero_is_shown_in_a_table_not_left_blank():
    """The frontend's macro shows a cell's text only when it is truthy: the portal's table and table stamp
    give it numbers as text, so 0 reads as 0 (and True stays a value the macro may test)."""
    drawn = render(
        '{% from "includes/components.html" import table %}'
        '{{ table({"head": [{"text": "Systems"}, {"text": 0}], "rows": [[{"text": "Derby"}, {"text": 0, "format": "numeric"}]]}) }}'
    )
    cells = re.findall(r"<t[dh][^>]*>\s*(?:<span[^>]*>[^<]*</span>)?\s*([^<]*?)\s*</t[dh]>", drawn)
    assert cells[-1] == "0" and "0" in cells[:2], drawn
    stamped = render(
        '{{ table_stamp({"head": [{"text": "People"}]}, [{"text": slot("n"), "format": "numeric"}]).render(rows) }}'
        '{{ table_stamp({"head": [{"text": "Fixed"}]}, [{"text": 0}]).render(rows) }}',
        rows=[{"n": 0}],
    )
    assert len(re.findall(r">\s*0\s*</td>", stamped)) == 2, stamped


def test_remembered_components_are_drawn_once_per_params_and_equal_the_macro(monkeypatch):
    calls = []
    macro = bridge._macro_for("back-link")

    def counted(params, **kwargs):
        calls.append(params)
        return macro(params, **kwargs)

    monkeypatch.setattr(bridge, "_macro_for", lambda component: counted)
    bridge._drawn.clear()
    back = bridge.Remembered("back-link")
    first = back({"href": "/a/", "text": "Back"})
    assert back({"href": "/a/", "text": "Back"}) == first == macro({"href": "/a/", "text": "Back"})
    assert len(calls) == 1
    other = back({"href": "/b/", "text": "Back"})
    assert len(calls) == 2 and 'href="/b/"' in other


def test_remembered_components_draw_call_blocks_every_time():
    html = render(
        '{% from "includes/components.html" import card %}'
        '{% for n in [1, 2] %}{% call card({"heading": "Card"}) %}<p>body {{ n }}</p>{% endcall %}{% endfor %}'
    )
    assert "body 1" in html and "body 2" in html
