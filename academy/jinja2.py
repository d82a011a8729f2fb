"""The Jinja2 environment the portal's pages render in, with the NHS.UK frontend's own component macros
(`nhsuk-frontend-jinja`) on the loader path, and the one bridge from Django form fields to those macros.

Pages import macros themselves (`{% from "includes/components.html" import table %}`); the
globals here are what every page needs: `url()`, `static()`, `field()`, `form_fields()`,
`error_summary()`, `querystring()`. See docs/adr/0002-jinja2-and-nhsuk-frontend-jinja.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from django import forms
from django.apps import apps
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from markupsafe import Markup, escape

from academy.forms import TIME_HINT
from academy.links import row_url, static_url, url
from academy.once import once_input
from academy.stamps import DrawnCache, Stamp, TableStamp, slot
from academy.suppression import percent
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, Template

LONDON = ZoneInfo("Europe/London")


# --- filters ----------------------------------------------------------------------------------------


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value.astimezone(LONDON)
    return value


# Dates and times are worded once per process: a page's rows repeat the same few hundred, and the
# wording of an instant never changes.
@lru_cache(maxsize=8192)
def nhs_date(value, with_weekday: bool = False) -> str:
    """'7 October 2026' (or 'Wednesday 7 October 2026'), in UK time."""
    if not value:
        return ""
    value = _local(value)
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if with_weekday else text


@lru_cache(maxsize=8192)
def nhs_time(value) -> str:
    """'2:30pm', '9am', 'midday', 'midnight': the NHS style for times, in UK time."""
    if not value:
        return ""
    value = _local(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def nhs_datetime(value) -> str:
    """'7 October 2026 at 2:30pm', in UK time."""
    if not value:
        return ""
    return f"{nhs_date(value)} at {nhs_time(value)}"


def pluralize(count, singular: str = "", plural: str = "s") -> str:
    """`{{ n }} place{{ n|pluralize }}`, or `{{ n|pluralize("person", "people") }}`."""
    try:
        many = int(count) != 1
    except (TypeError, ValueError):
        many = len(count) != 1
    return plural if many else singular


def pct(value: float | None) -> str:
    """A share as a whole percentage: 0.7012 → "70%"; None (no data, or hidden) → "–". The Year in
    Review's PDF (Django engine) uses the same function through `{% load reporting %}`."""
    return percent(value)


# --- globals ----------------------------------------------------------------------------------------


def querystring(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key): pagination links."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}"


# --- the form bridge: a bound field renders its own NHS.UK component ---------------------------------

_env: Environment | None = None


@cache
def _macro(component: str, name: str):
    return getattr(_env.get_template(f"nhsuk/components/{component}/macro.jinja").module, name)


# Fields drawn by the bridge: a form shown again with the same label, hint, value, errors and choices
# (the offer's filters on every visit) is the same markup, so the macro runs once for it.
_drawn = DrawnCache(2048)


def _draw(component: str, name: str, params: dict) -> Markup:
    return _drawn.get((component, name, params), lambda: _macro(component, name)(params))


_LEGEND = "nhsuk-fieldset__legend--s"
_INPUT_TYPES = {"text", "email", "password", "number", "url", "tel", "search", "input"}
# What the macro sets itself: the rest of the widget's attributes (maxlength, autocomplete, min,
# aria-invalid, ...) pass through untouched.
_OWN_ATTRS = {"id", "name", "type", "value", "class", "placeholder", "aria-describedby", "checked"}


def _label(bound: forms.BoundField) -> str:
    return f"{bound.label} (optional)" if not bound.field.required else str(bound.label)


def _hint(bound: forms.BoundField):
    if not bound.help_text:
        return None
    # Help text marked safe (Django's password rules, allauth's "Forgotten your password?" link, made
    # lazily) is markup: `__html__` says so for a SafeString and for a lazy one alike.
    kind = "html" if hasattr(bound.help_text, "__html__") else "text"
    return {kind: str(bound.help_text), "id": f"{bound.auto_id}_helptext"}


def _error(bound: forms.BoundField):
    if not bound.errors:
        return None
    return {"html": Markup("<br>").join(escape(e) for e in bound.errors), "id": f"{bound.auto_id}_error"}


def _attrs(bound: forms.BoundField) -> dict:
    attrs = bound.build_widget_attrs(dict(bound.field.widget.attrs))
    # A boolean attribute (required, disabled) renders as its name alone, as Django's widgets do.
    return {
        k: {"value": True, "optional": True} if v is True else v
        for k, v in attrs.items()
        if k not in _OWN_ATTRS and v is not False and v is not None
    }


def _choices(bound: forms.BoundField) -> list[dict]:
    widget = bound.field.widget
    if isinstance(widget, forms.Select):
        options = _select_options(widget, widget.choices, bound.value())
        if options is not None:
            return options
    return [
        {
            "value": str(sub.data["value"]),
            "text": str(sub.data["label"]),
            "id": sub.data["attrs"].get("id"),
            "checked": sub.data["selected"],
            "selected": sub.data["selected"],
        }
        for sub in bound.subwidgets
    ]


def _select_options(widget: forms.Select, choices, value) -> list[dict] | None:
    """A select's options from its list of choices, marked selected as Django's `Select` marks them
    (the first matching option, or every one for a multiple select), without building a subwidget and
    its attributes per option as `BoundField.subwidgets` does: the offer's filters draw four selects on
    every visit. Grouped choices go through the subwidgets."""
    wanted = set(widget.format_value(value))
    items, has_selected = [], False
    for option_value, label in choices:
        if isinstance(label, list | tuple):
            return None
        option = "" if option_value is None else str(option_value)
        selected = (not has_selected or widget.allow_multiple_selected) and option in wanted
        has_selected |= selected
        items.append(
            {"value": option, "text": str(label), "id": None, "checked": selected, "selected": selected}
        )
    return items


def _date_input(bound: forms.BoundField) -> Markup:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({"id": bound.auto_id})
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    items = [
        {
            "id": part["attrs"]["id"],
            "name": part["name"],
            "label": part["label"],
            "value": part["value"] or "",
            "width": 4 if part["part"] == "year" else 2,
            "classes": "nhsuk-input--error" if part["has_error"] else "",
            # Said either way: unsaid, the macro marks every date box when only the time is wrong.
            "error": part["has_error"],
            "spellcheck": False,
            "attributes": {"aria-invalid": "true"} if part["has_error"] else {},
        }
        for part in context["date_parts"]
    ]
    after = None
    time = context["time_part"]
    if time:
        after = {
            "html": _macro("input", "input")(
                {
                    "id": time["attrs"]["id"],
                    "name": time["name"],
                    "label": "Time",
                    "hint": {"text": TIME_HINT, "id": f"{time['attrs']['id']}-hint"},
                    "value": time["value"] or "",
                    "width": 5,
                    "inputmode": "numeric",
                    "spellcheck": False,
                    "errorMessage": bool(time["has_error"]),
                    "formGroup": {"classes": "nhsuk-u-margin-top-4"},
                    "attributes": {"aria-invalid": "true"} if time["has_error"] else {},
                }
            )
        }
    return _draw(
        "date-input",
        "dateInput",
        {
            "id": bound.auto_id,
            "fieldset": {"legend": {"text": _label(bound), "classes": _LEGEND}},
            "hint": _hint(bound),
            "errorMessage": _error(bound),
            "items": items,
            "formGroup": {"afterInputs": after} if after else {},
        },
    )


def field(bound: forms.BoundField, **params) -> Markup:
    """`{{ field(form.x) }}`: the NHS.UK component for a bound field, from its label, hint (help_text),
    errors, value and choices. Keyword arguments go to the macro as they are (`classes="nhsuk-u-width-
    one-half"`, `label={"text": ..., "isPageHeading": true}`) and win over what the field gives."""
    kind = bound.widget_type
    if bound.is_hidden:
        return Markup(str(bound))
    if kind in ("nhsdate", "nhsdatetime"):
        return _date_input(bound)
    common = {
        "id": bound.auto_id,
        "name": bound.html_name,
        "label": {"text": _label(bound)},
        "hint": _hint(bound),
        "errorMessage": _error(bound),
        "attributes": _attrs(bound),
    }
    if kind in ("radioselect", "checkboxselectmultiple"):
        component, macro = ("radios", "radios") if kind == "radioselect" else ("checkboxes", "checkboxes")
        common.pop("label")
        common["idPrefix"] = common.pop("id")
        common["attributes"] = {}
        common["fieldset"] = {"legend": {"text": _label(bound), "classes": _LEGEND}}
        common["items"] = _choices(bound)
    elif kind == "checkbox":
        component, macro = "checkboxes", "checkboxes"
        item = {
            "value": "on",
            "text": str(bound.label),
            "id": bound.auto_id,
            "checked": bool(bound.value()),
            "hint": _hint(bound),
            "attributes": common["attributes"],
        }
        common.update(idPrefix=common.pop("id"), items=[item], attributes={}, hint=None)
        common.pop("label")
    elif kind in ("select", "selectmultiple"):
        component, macro = "select", "select"
        common["items"] = _choices(bound)
    elif kind == "textarea":
        component, macro = "textarea", "textarea"
        common["value"] = bound.field.widget.format_value(bound.value()) or ""
        common["rows"] = bound.field.widget.attrs.get("rows", 5)
        common["attributes"].pop("rows", None)
        common["attributes"].pop("cols", None)
    elif kind in ("file", "clearablefile"):
        component, macro = "file-upload", "fileUpload"
    else:
        component, macro = "input", "input"
        widget_type = getattr(bound.field.widget, "input_type", "text")
        common["type"] = widget_type if widget_type in _INPUT_TYPES else "text"
        if widget_type != "password":
            common["value"] = bound.field.widget.format_value(bound.value())
        if widget_type == "email":
            common["spellcheck"] = False
    common.update(params)
    return _draw(component, macro, common)


def form_fields(form: forms.BaseForm) -> Markup:
    """`{{ form_fields(form) }}`: the form's own errors, its hidden fields and every visible field."""
    parts = []
    # The form's own errors, and those of hidden fields (a one-time token), which have no box of their own.
    own = [*form.non_field_errors(), *(e for bound in form.hidden_fields() for e in bound.errors)]
    if own:
        parts.append(
            _macro("error-message", "errorMessage")(
                {
                    "html": Markup("<br>").join(escape(e) for e in own),
                    "id": f"{form.prefix or 'form'}-errors",
                }
            )
        )
    parts += [Markup(str(bound)) for bound in form.hidden_fields()]
    parts += [field(bound) for bound in form.visible_fields()]
    return Markup("\n").join(parts)


def _error_links(form: forms.BaseForm, default_prefix: str) -> list[dict]:
    links = []
    if getattr(form, "summary_errors", None):
        links += [{"text": message, "href": f"#{anchor}"} for anchor, message in form.summary_errors]
    else:
        anchor = f"#{form.prefix or default_prefix}-errors"
        links += [{"text": str(error), "href": anchor} for error in form.non_field_errors()]
        # A hidden field (a form's one-time token) has no box to link to: its error goes to the form's.
        links += [
            {"text": str(error), "href": anchor} for bound in form.hidden_fields() for error in bound.errors
        ]
    for bound in form.visible_fields():
        kind = bound.widget_type
        for error in bound.errors:
            if kind in ("nhsdate", "nhsdatetime"):
                named = str(bound.label).lower() in str(error).lower()
                text = str(error) if named else f"{bound.label}: {error}"
                links.append({"text": text, "href": f"#{bound.id_for_label}"})
            else:
                multiple = kind in ("radioselect", "checkboxselectmultiple")
                links.append(
                    {"text": f"{bound.label}: {error}", "href": f"#{bound.auto_id}{'_0' if multiple else ''}"}
                )
    return links


def error_summary(*forms_: forms.BaseForm | None) -> Markup:
    """`{{ error_summary(form) }}` (or several forms): 'There is a problem' with a link to each field
    in error. A field's message is prefixed with its label, a date's links to its first box in error."""
    links = []
    for number, form in enumerate(f for f in forms_ if f is not None):
        links += _error_links(form, "form" if number == 0 else f"form{number + 1}")
    if not links:
        return Markup("")
    return _macro("error-summary", "errorSummary")({"titleText": "There is a problem", "errorList": links})


# --- stamps: a repeated component drawn once through its macro, filled per row (academy/stamps.py) ------

_stamps = DrawnCache()

# Where each component's macro lives when its name is not the folder's in camel case.
_MACRO_NAMES = {"tables": "table"}


def _macro_for(component: str):
    name = _MACRO_NAMES.get(component) or "".join(
        part.capitalize() if i else part for i, part in enumerate(component.split("-"))
    )
    return _macro(component, name)


class Remembered:
    """A component's macro whose markup is kept by its exact params (in `_drawn`): the back link, the
    buttons, the pagination and the callouts a page shows on every visit are drawn once per process, not
    once per request. A call with a `{% call %}` block, or with params that cannot be told apart safely
    (a lazy translation, an undefined value), is drawn every time."""

    def __init__(self, component: str):
        self.component = component

    def __call__(self, params=None, caller=None) -> Markup:
        if caller is not None:
            return _macro_for(self.component)(params, caller=caller)
        return _drawn.get(("component", self.component, params), lambda: _macro_for(self.component)(params))


_blocks = DrawnCache(4096)


def drawn_for(name: str, *values, caller) -> Markup:
    """`{% call drawn_for("programme-card", cohort.pk, choice.places_text, ...) %}...{% endcall %}`: the
    block's markup kept by the values it shows, which the call names, and drawn again only for others.
    A list whose rows repeat from one request to the next (a programme's cohort cards, the same for
    every visitor in the same position) draws each row once per process. Everything the block prints
    must follow from the values named; what differs on every request (a form's CSRF field) goes in
    after, through a placeholder the block prints instead."""
    return _blocks.get(("block", name, values), lambda: Markup(caller()))


def component_stamp(component: str, params: dict) -> Stamp:
    """`{% set mark = component_stamp("radios", {... "name": slot("name") ...}) %}`, then
    `{{ mark.fill(name=...) }}` per row: the component's macro runs once per process (and once for each
    combination of empty or boolean values), not once per row."""
    return _stamps.get(("component", component, params), lambda: Stamp(_macro_for(component), params))


def macro_stamp(macro, params: dict) -> Stamp:
    """A page's own macro for a repeated piece built from NHS.UK components (a form holding a button),
    stamped like a component: `{% set give = macro_stamp(give_place, {"url": slot("url"), ...}) %}`.
    The macro must draw only from its params (no page variables), as it is drawn once per process."""
    return _stamps.get(("macro", macro._func.__code__, params), lambda: Stamp(macro, params))


def table_stamp(params: dict, cells: list) -> TableStamp:
    """`{{ table_stamp({"head": ..., "caption": ...}, [{"text": slot("name")}, ...]).render(rows) }}`:
    the NHS.UK table with one row stamped per item of `rows` (mappings, or objects whose attributes are
    the slots' names)."""
    params, cells = numbers_as_text(params), numbers_as_text(cells)
    return _stamps.get(("table", params, cells), lambda: TableStamp(_macro("tables", "table"), params, cells))


def numbers_as_text(params):
    """The NHS.UK macros show a cell's `text` or `html` only when it is truthy, so a count of 0 given as
    a number would be a blank cell: every number given as either (in rows, head, cells) becomes its
    digits (as `TableStamp` does with the values it fills in)."""
    if isinstance(params, Mapping):
        return {
            key: str(value)
            if key in ("text", "html") and value.__class__ in (int, float)
            else numbers_as_text(value)
            for key, value in params.items()
        }
    if isinstance(params, list | tuple):
        return [numbers_as_text(item) for item in params]
    return params


def indent(text, width: int | str = 4, first: bool = False, blank: bool = False):
    """Jinja's `indent` filter, worked on plain strings. The NHS.UK macros indent every nested
    component's markup; Jinja's own filter escapes and re-wraps each line as Markup at every level,
    which made a 500-row table take seconds. Same output, character for character."""
    indention = width if isinstance(width, str) else " " * width
    markup = isinstance(text, Markup)
    lines = (str(text) + "\n").splitlines()
    if blank:
        result = ("\n" + indention).join(lines)
    else:
        result = lines.pop(0)
        if lines:
            result += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        result = indention + result
    return Markup(result) if markup else result


# --- the environment: Jinja2's own, minus two costs the NHS.UK macros multiply -------------------------

_DICT_NAMES = frozenset(dir(dict))
_MISSING = object()


class PortalTemplate(Template):
    """Every NHS.UK macro call renders the component's template, which imports its helper macros again
    (`{% from "nhsuk/macros/attributes.jinja" import nhsukAttributes %}`). For each import Jinja2 works
    out which of the caller's globals the imported template lacks by testing each name against a ChainMap
    (about 15 look-ups through two dicts, hundreds of times a page). The names the template has are
    fixed once the environment is built, so they are kept as a frozenset; the answer is the same."""

    _global_names: tuple[int, frozenset] | None = None

    def _get_default_module(self, ctx=None):
        if ctx is not None and ctx.globals_keys:
            size = len(self.environment.globals)
            if self._global_names is None or self._global_names[0] != size:
                self._global_names = (size, frozenset(self.globals))
            keys = ctx.globals_keys - self._global_names[1]
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module


class PortalEnvironment(Environment):
    """`params.caption` on a dict first tries `getattr(dict, "caption")`, raising and catching an
    AttributeError, before the key: tens of thousands of times a page in the macros. A plain dict only
    has the attributes `dir(dict)` names, so any other name goes straight to the key, with the same
    result (a dict's own methods, `params.items`, still win as before)."""

    template_class = PortalTemplate

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_NAMES:
            value = obj.get(attribute, _MISSING)
            return self.undefined(obj=obj, name=attribute) if value is _MISSING else value
        return super().getattr(obj, attribute)


def environment(**options) -> Environment:
    global _env
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["autoescape"] = True
    options.setdefault("extensions", []).append("jinja2.ext.do")
    options["undefined"] = ChainableUndefined  # the macros read params.a.b where a may be missing
    options["cache_size"] = -1
    env = PortalEnvironment(**options)
    env.globals.update(
        once_input=once_input,
        url=url,
        row_url=row_url,  # url() for a row of a list: the pattern reversed once per process
        static=static_url,
        field=field,
        form_fields=form_fields,
        error_summary=error_summary,
        querystring=querystring,
        slot=slot,
        component_stamp=component_stamp,
        remembered=Remembered,
        drawn_for=drawn_for,
        macro_stamp=macro_stamp,
        table_stamp=table_stamp,
        numbers_as_text=numbers_as_text,
    )
    env.filters.update(
        indent=indent,
        nhs_date=nhs_date,
        nhs_time=nhs_time,
        nhs_datetime=nhs_datetime,
        intcomma=intcomma,
        pluralize=pluralize,
        pct=pct,
    )
    # An app adds its own filters with a `jinja2_filters` dict on its AppConfig (e.g. coaching's
    # `hours`): academy imports no domain app itself.
    for config in apps.get_app_configs():
        env.filters.update(getattr(config, "jinja2_filters", {}))
    _env = env
    _macro.cache_clear()
    _stamps.clear()
    _drawn.clear()
    _blocks.clear()
    return env
