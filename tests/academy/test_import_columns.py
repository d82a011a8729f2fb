"""The import parsers at their edges, each built inside its test: the longest text and email allowed
and one more, the smallest and largest number and year, blanks, NUL bytes, the words quoted back in a
refusal, and choices and look-ups by any spelling."""

from __future__ import annotations

import datetime as dt

import pytest

from academy.imports import columns, people
from academy.models import EthnicCategory, PayBand


def refusal(parse, value) -> str:
    with pytest.raises(columns.CellError) as refused:
        parse(value)
    return str(refused.value)


def test_text_up_to_its_limit_is_kept_and_one_more_character_is_refused():
    parse = columns.text(20)
    assert parse("x" * 20) == "x" * 20
    assert refusal(parse, "x" * 21) == "is 21 characters long; at most 20 are allowed"
    assert refusal(columns.text(), "x" * 1001) == "is 1,001 characters long; at most 1,000 are allowed"
    assert columns.text()("x" * 1000) == "x" * 1000


def test_required_text_refuses_a_blank_and_optional_text_keeps_it():
    assert refusal(columns.text(required=True), "") == "is missing"
    assert columns.text(required=True)("a") == "a"
    assert columns.text()("") == ""


def _address(length: int) -> str:
    domain = "b" * 63 + "." + "c" * 63 + "." + "d" * 50 + ".nhs.uk"
    return "a" * (length - len(domain) - 1) + "@" + domain


def test_an_email_up_to_254_characters_is_read_in_lower_case_and_one_more_is_refused():
    parse = columns.email()
    assert parse("Ada.Obi@NHS.net") == "ada.obi@nhs.net"
    assert parse(_address(254)) == _address(254)
    assert refusal(parse, _address(255)) == "is 255 characters long; an email address has at most 254"
    assert refusal(parse, "") == "is missing"
    assert refusal(parse, "ada at nhs") == "“ada at nhs” is not an email address"


def test_whole_numbers_as_people_write_them():
    parse = columns.whole_number()
    assert [parse(v) for v in ("6,962", "6 962", "6962.0", "+12", "0")] == [6962, 6962, 6962, 12, 0]
    assert refusal(parse, "6962.5") == "must be a whole number (got “6962.5”)"
    assert refusal(parse, "12.0.0") == "must be a whole number (got “12.0.0”)"
    long = "1" * 31
    assert refusal(parse, long) == f"must be a whole number (got “{long}”)"
    assert parse("1" * 9) == 111111111
    words = "lots and lots and lots and lots and lots of them"
    assert refusal(parse, words) == f"must be a whole number (got “{words[:40]}”)"


def test_whole_numbers_at_their_bounds():
    parse = columns.whole_number(minimum=1, maximum=10)
    assert (parse("1"), parse("10")) == (1, 10)
    assert refusal(parse, "0") == "must be 1 or more (got 0)"
    assert refusal(parse, "11") == "must be at most 10 (got 11)"
    assert columns.whole_number()(str(columns.INTEGER_MAX)) == columns.INTEGER_MAX
    assert (
        refusal(columns.whole_number(), str(columns.INTEGER_MAX + 1))
        == f"must be at most {columns.INTEGER_MAX:,} (got {columns.INTEGER_MAX + 1:,})"
    )
    assert refusal(columns.whole_number(), "-1") == "must be 0 or more (got -1)"


def test_years_at_their_bounds():
    parse = columns.year()
    assert [parse(v) for v in ("2000", "2100", "2020.0")] == [2000, 2100, 2020]
    for value in ("1999", "2101", "20201", "twenty twenty"):
        assert refusal(parse, value) == f"must be a year such as 2020 (got “{value}”)"
    words = "the year after the one before the one after next"
    assert refusal(parse, words) == f"must be a year such as 2020 (got “{words[:40]}”)"


def test_uk_dates_never_month_first():
    parse = columns.uk_date()
    march = dt.date(2021, 3, 31)
    for value in (
        "31/03/2021",
        "2021-03-31",
        "31/03/21",
        "31-03-2021",
        "31.03.2021",
        "31 March 2021",
        "31 Mar 2021",
    ):
        assert parse(value) == march
    assert parse("31/03/2021 00:00:00") == march
    assert refusal(parse, "03/31/2021") == "must be a date such as 31/03/2021 (got “03/31/2021”)"
    words = "the last day of March in the year twenty twenty one"
    assert refusal(parse, words) == f"must be a date such as 31/03/2021 (got “{words[:40]}”)"


def test_a_column_gives_its_blank_without_asking_the_parser_unless_told_to():
    def never(value):
        raise AssertionError("the parser was called")

    assert columns.Column("n", never, blank=0).read("   ") == 0
    assert columns.Column("d", never, blank=None).read("") is None
    assert columns.Column("e", columns.email(), blank_ok=False).keys == frozenset({"e"})
    with pytest.raises(columns.CellError, match="is missing"):
        columns.Column("e", columns.email(), blank_ok=False).read("  ")
    assert columns.Column("n", columns.whole_number()).read(" 12 ") == 12
    with pytest.raises(columns.CellError, match="NUL"):
        columns.Column("n", columns.text()).read("a\x00b")


def test_a_columns_keys_are_its_name_and_aliases_as_compared():
    column = columns.Column("start_date", columns.uk_date(), aliases=("Start", "Date of start."))
    assert column.keys == frozenset({"startdate", "start", "dateofstart"})
    assert columns.header_key("\ufeff  Work-Email_Address ") == "workemailaddress"


def test_a_choice_by_value_label_or_alias_in_any_case_and_spacing():
    parse = columns.choice(PayBand.choices, noun="a pay band", aliases={"AfC Band 4": PayBand.BAND_4})
    assert [parse(v) for v in ("Band 4", "band4", "4", "AFC band 4", "BAND 4")] == [PayBand.BAND_4] * 5
    assert parse("vsm") == PayBand.VSM
    assert refusal(parse, "Band 99") == "“Band 99” is not a pay band"
    assert refusal(parse, "y" * 70) == f"“{'y' * 60}” is not a pay band"
    assert parse("Band 4") == PayBand.BAND_4  # the second time, from what it has seen
    assert columns.choice_key("Nursing & Midwifery") == "nursingandmidwifery"


def test_a_lookup_finds_a_name_in_any_case_and_quotes_what_it_could_not():
    parse = columns.lookup(
        {columns.choice_key("Wye Valley NHS Trust"): "wye"}, noun="an organisation in the Midlands"
    )
    assert parse("wye valley nhs trust") == "wye"
    assert parse("WYE VALLEY NHS TRUST") == "wye"
    long = "x" * 100
    assert refusal(parse, long) == f"“{'x' * 80}” is not an organisation in the Midlands"


# --- the columns every import about people shares ----------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "spellings", "unknown", "noun"),
    [
        pytest.param(
            people.pay_band,
            {
                "AfC Band 5": PayBand.BAND_5,
                "Agenda for Change Band 8a": PayBand.BAND_8A,
                "Very senior manager": PayBand.VSM,
                "Medical and dental": PayBand.MEDICAL,
            },
            "AfC Very senior manager (VSM)",
            "a pay band (Band 2 to Band 9, VSM, Medical or Other)",
            id="pay band: the AfC and Agenda for Change names",
        ),
        pytest.param(
            people.ethnicity,
            {
                "Indian": EthnicCategory.H,
                "caribbean": EthnicCategory.M,
                "White and Black Caribbean": EthnicCategory.D,
                "Any other ethnic group": EthnicCategory.S,
                "Not stated": EthnicCategory.Z,
                "Prefer not to say": EthnicCategory.Z,
            },
            "Asian or Asian British",
            "an NHS ethnic category (a letter A to Z or its name)",
            id="ethnic category: the name after its group",
        ),
    ],
)
def test_a_people_column_reads_the_names_people_write(parse, spellings, unknown, noun):
    assert {written: parse(written) for written in spellings} == spellings
    assert refusal(parse, unknown) == f"“{unknown}” is not {noun}"


@pytest.mark.django_db
def test_organisations_and_systems_are_read_within_the_region():
    from tests.factories import OrganisationFactory, RegionFactory, SystemFactory

    midlands = RegionFactory()
    derby = SystemFactory(sub_region__region=midlands, name="Derby and Derbyshire", slug="derby")
    trust = OrganisationFactory(system=derby, name="University Hospitals of Derby and Burton")
    elsewhere = OrganisationFactory(
        system=SystemFactory(
            sub_region__region=RegionFactory(name="North West", slug="north-west"), slug="nw"
        )
    )
    organisation = people.organisation_parser(midlands)
    assert organisation("university hospitals of derby & burton") == trust
    assert refusal(organisation, elsewhere.name) == f"“{elsewhere.name}” is not an organisation in {midlands}"
    system = people.system_parser(midlands)
    assert (system("Derby and Derbyshire"), system("DERBY")) == (derby, derby)
    assert refusal(system, "nw") == f"“nw” is not a system in {midlands}"
    with pytest.raises(columns.CellError, match="cannot be read here"):
        people.unbound("Derby")


@pytest.mark.django_db
def test_a_systems_short_name_never_hides_another_systems_name():
    from tests.factories import RegionFactory, SystemFactory

    midlands = RegionFactory()
    named = SystemFactory(sub_region__region=midlands, name="Derby", slug="dd")
    SystemFactory(sub_region__region=midlands, name="Derby and Derbyshire", slug="derby")
    assert people.system_parser(midlands)("derby") == named


@pytest.mark.django_db
def test_an_organisation_must_be_in_the_rows_system():
    from academy.imports.spec import ImportRow
    from tests.factories import OrganisationFactory

    trust = OrganisationFactory()
    other = OrganisationFactory()

    def problems(**values):
        row = ImportRow(line=2, values=values)
        people.check_organisation_in_system(row)
        return row.problems

    assert problems(organisation=trust, system=trust.system) == []
    assert problems(organisation=trust, system=None) == []
    assert problems(organisation=None, system=other.system) == []
    assert problems(organisation=trust, system=other.system) == [f"{trust} is not in {other.system}"]
