"""Reads for the scheme, scoped to the user who asks, with their joins decided here.

Who sees which trainees:

* a **trainee** sees only their own record (`trainee_for_trainee`);
* a **programme manager** or **placement manager** sees the trainees whose records name them: as the
  trainee's programme manager, as a placement's manager, or as the programme or placement manager of
  the bid a placement draws on (`trainees_for_manager`);
* a **GMTS manager** sees every trainee, bid and placement of their region (`academy.permissions.
  staff_region`).

A record outside the user's scope answers 404 (`<thing>_for_<who>(user, pk)`), so ids are not probed.
Placement feedback is only ever read as a host's aggregate of at least `FEEDBACK_MINIMUM` responses
(`host_feedback`), never per trainee or per placement.

The Year in Review block at the end is what other apps (reporting) may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markupsafe import Markup

from academy.jinja2 import nhs_date
from academy.models import Person, Region, Role
from academy.permissions import has_role, person_of, staff_region
from academy.scope import Scope
from gmts.models import (
    CONFIRMED_STATES,
    UNDER_WAY,
    BidStatus,
    FeedbackStage,
    HostBid,
    Intake,
    Placement,
    PlacementFeedback,
    SchemeQuote,
    Specialism,
    Trainee,
    TraineeStatus,
)

FEEDBACK_MINIMUM = 3
AT_RISK_WEEKS = 12


def is_gmts_manager(user) -> bool:
    return has_role(user, Role.GMTS_MANAGER)


def is_trainee(user) -> bool:
    """Whether the user is on the scheme: the home page offers "My graduate scheme" only then."""
    return Trainee.objects.filter(person__user=user).exists()


def is_trainee_manager(user) -> bool:
    """Whether any trainee's record names the user as a programme or placement manager (directly or
    on a bid): the home page offers "GMTS trainees I manage" only then. Each is an indexed lookup."""
    return (
        Trainee.objects.filter(programme_manager__user=user).exists()
        or Placement.objects.filter(placement_manager__user=user).exists()
        or HostBid.objects.filter(Q(programme_manager__user=user) | Q(placement_manager__user=user)).exists()
    )


def manager_region(user) -> Region | None:
    """The region a GMTS manager looks after, or None (then they see no regional records)."""
    return staff_region(user) if is_gmts_manager(user) else None


def _trainee_rows() -> QuerySet[Trainee]:
    return Trainee.objects.select_related(
        "person__user", "person__organisation", "intake", "specialism", "programme_manager"
    )


def managed_q(person: Person) -> Q:
    """The trainees whose records name `person` as one of their managers: as their programme manager,
    as a placement's manager, or as a manager on the bid a placement draws on. Each branch is an
    indexed lookup (the placements' manager, the bids' managers), so no row of the trainee table is
    joined to its placements to decide it."""
    bids = HostBid.objects.filter(Q(programme_manager=person) | Q(placement_manager=person)).values("pk")
    named = Placement.objects.filter(Q(placement_manager=person) | Q(bid__in=bids)).values("trainee_id")
    return Q(programme_manager=person) | Q(pk__in=named)


# --- trainees --------------------------------------------------------------------------------------


def trainees_for_gmts(user) -> QuerySet[Trainee]:
    region = manager_region(user)
    if region is None:
        return Trainee.objects.none()
    return _trainee_rows().filter(intake__region=region)


def trainees_for_manager(user) -> QuerySet[Trainee]:
    """The trainees a programme or placement manager looks after, in name order."""
    return (
        _trainee_rows()
        .filter(managed_q(person_of(user)))
        .order_by("person__family_name", "person__given_name", "pk")
    )


def trainees_for(user) -> QuerySet[Trainee]:
    """Every trainee the user may see: their region's for a GMTS manager, else those they manage and
    their own record."""
    person = person_of(user)
    region = manager_region(user)
    scope = managed_q(person) | Q(person=person)
    if region is not None:
        scope |= Q(intake__region=region)
    return _trainee_rows().filter(scope)


def trainee_for(user, pk: int) -> Trainee:
    """The trainee, if the user may see them (as `trainees_for`), else 404. The record is read by its
    key and the scope checked on that one row: the region, the person and their programme manager
    from the row itself, and only then (one indexed query) the placements and bids naming the user."""
    trainee = _trainee_rows().filter(pk=pk).first()
    if trainee is None:
        raise Http404("No such trainee.")
    person = person_of(user)
    region = manager_region(user)
    if region is not None and trainee.intake.region_id == region.pk:
        return trainee
    if person is not None and person.pk in (trainee.person_id, trainee.programme_manager_id):
        return trainee
    if (
        person is not None
        and Placement.objects.filter(trainee=trainee)
        .filter(
            Q(placement_manager=person) | Q(bid__programme_manager=person) | Q(bid__placement_manager=person)
        )
        .exists()
    ):
        return trainee
    raise Http404("No such trainee.")


def own_trainee(user) -> Trainee | None:
    """The user's own record on the scheme, if they are a trainee."""
    return _trainee_rows().filter(person__user=user).first()


def trainee_csv_rows(rows: QuerySet[Trainee]):
    """The trainee list as CSV rows (the header is the view's), read in batches."""
    for trainee in rows.iterator(chunk_size=2000):
        yield [
            trainee.person.user.email,
            trainee.person.given_name,
            trainee.person.family_name,
            trainee.intake.label,
            trainee.specialism.name,
            trainee.get_status_display(),
            trainee.programme_manager.user.email if trainee.programme_manager else "",
            trainee.current_host_name or "",
        ]


def placement_for_trainee(user, pk: int) -> Placement:
    """One of the signed-in trainee's own placements."""
    placement = (
        Placement.objects.select_related("host", "trainee").filter(trainee__person__user=user, pk=pk).first()
    )
    if placement is None:
        raise Http404("No such placement.")
    return placement


def trainee_list(user, filters: dict, today: dt.date | None = None) -> QuerySet[Trainee]:
    """The GMTS manager's list: their region's trainees, filtered, in name order. Plain rows: a page
    of them gets its current host and next start from `with_outlook` (only "at risk" needs them for
    every row)."""
    today = today or timezone.localdate()
    rows = trainees_for_gmts(user)
    if filters.get("intake"):
        rows = rows.filter(intake=filters["intake"])
    if filters.get("specialism"):
        rows = rows.filter(specialism=filters["specialism"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("at_risk"):
        rows = rows.with_placement_outlook(today).filter(_at_risk_q(today))
    if filters.get("q"):
        for word in filters["q"].split():
            rows = rows.filter(
                Q(person__given_name__icontains=word)
                | Q(person__family_name__icontains=word)
                | Q(person__user__email__icontains=word)
            )
    return rows.order_by("person__family_name", "person__given_name", "pk")


def with_outlook(rows: QuerySet[Trainee], today: dt.date | None = None) -> QuerySet[Trainee]:
    """The rows with their current host's name, next start and whether it is confirmed."""
    today = today or timezone.localdate()
    current_host = Placement.objects.filter(
        trainee=OuterRef("pk"), status__in=CONFIRMED_STATES, starts_on__lte=today, ends_on__gte=today
    ).order_by("starts_on")
    if "next_start" not in rows.query.annotations:
        rows = rows.with_placement_outlook(today)
    return rows.select_related("programme_manager__user").annotate(
        current_host_name=Subquery(current_host.values("host__name")[:1])
    )


def trainee_page(rows: QuerySet[Trainee], number, per_page: int = 50):
    """A page of the list in two steps: the page's ids in list order (no per-row work on the rows
    not shown), then those rows with their outlook."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    by_pk = {
        t.pk: t
        for t in with_outlook(Trainee.objects.filter(pk__in=list(page.object_list))).select_related(
            "person__user", "intake", "specialism"
        )
    }
    page.object_list = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    return page


def _at_risk_q(today: dt.date) -> Q:
    return Q(
        status=TraineeStatus.ACTIVE,
        next_start__isnull=False,
        next_start_confirmed=False,
        next_start__lte=today + dt.timedelta(weeks=AT_RISK_WEEKS),
    )


def intakes_for_gmts(user) -> QuerySet[Intake]:
    region = manager_region(user)
    return Intake.objects.filter(region=region) if region else Intake.objects.none()


def specialisms() -> QuerySet[Specialism]:
    return Specialism.objects.all()


def specialism_for_gmts(user, pk: int) -> Specialism:
    if not is_gmts_manager(user):
        raise Http404
    specialism = Specialism.objects.filter(pk=pk).first()
    if specialism is None:
        raise Http404
    return specialism


# --- a trainee's record ---------------------------------------------------------------------------


def placements_of(trainee: Trainee) -> list[Placement]:
    return list(
        trainee.placements.select_related("host__system", "placement_manager__user", "bid").order_by(
            "starts_on"
        )
    )


@dataclass
class Progress:
    """A trainee's progress against their specialism's framework."""

    rows: list[dict] = field(default_factory=list)

    @property
    def signed_off(self) -> int:
        return sum(1 for r in self.rows if r["sign_off"] is not None)

    @property
    def total(self) -> int:
        return len(self.rows)


def progress_of(trainee: Trainee) -> Progress:
    """Each competency of the framework, with its sign-off (or None); sign-offs of competencies no
    longer in the framework are listed after them."""
    sign_offs = {s.competency: s for s in trainee.sign_offs.select_related("placement__host")}
    names = list(trainee.specialism.competencies)
    names += [name for name in sign_offs if name not in names]
    return Progress([{"competency": name, "sign_off": sign_offs.get(name)} for name in names])


def feedback_due(trainee: Trainee, placements: list[Placement]) -> list[dict]:
    """The feedback the trainee may give now: (placement, stage) pairs open and not yet given."""
    given = set(
        PlacementFeedback.objects.filter(placement__trainee=trainee).values_list("placement_id", "stage")
    )
    return [
        {"placement": p, "stage": stage}
        for p in placements
        if p.status in UNDER_WAY
        for stage in FeedbackStage
        if (p.pk, stage.value) not in given and p.feedback_open(stage)
    ]


# --- placements and bids ------------------------------------------------------------------------


def placement_for_manager(user, pk: int) -> Placement:
    """A placement the user may act on: one naming them (as its placement manager, the bid's
    managers, or the trainee's programme manager), or any of a GMTS manager's region."""
    person = person_of(user)
    scope = (
        Q(placement_manager=person)
        | Q(bid__programme_manager=person)
        | Q(bid__placement_manager=person)
        | Q(trainee__programme_manager=person)
    )
    region = manager_region(user)
    if region is not None:
        scope |= Q(trainee__intake__region=region)
    placement = (
        Placement.objects.select_related(
            "trainee__person", "trainee__specialism", "trainee__intake", "host", "bid"
        )
        .filter(scope, pk=pk)
        .first()
    )
    if placement is None:
        raise Http404("No such placement.")
    return placement


def placement_actions(user, placements: list[Placement]) -> dict[int, list[str]]:
    """What the user may do on each of a trainee's placements: "confirm" a proposed one (the host's
    managers or the GMTS manager), "sign_off" on one under way (its placement manager, or the GMTS
    manager)."""
    person = person_of(user)
    gmts = is_gmts_manager(user)
    actions: dict[int, list[str]] = {}
    for p in placements:
        host_side = gmts or person.pk in (
            p.placement_manager_id,
            p.bid.programme_manager_id if p.bid else None,
            p.bid.placement_manager_id if p.bid else None,
        )
        allowed = []
        if p.status == "proposed" and host_side:
            allowed.append("confirm")
        if p.status == "confirmed" and host_side:
            allowed.append("notify")
        if gmts and p.status not in ("completed", "withdrawn"):
            allowed.append("withdraw")
        if p.status in UNDER_WAY and (gmts or p.placement_manager_id == person.pk):
            allowed.append("sign_off")
        actions[p.pk] = allowed
    return actions


def competencies_to_sign(trainee: Trainee) -> list[str]:
    """The framework's competencies the trainee has not had signed off yet."""
    done = set(trainee.sign_offs.values_list("competency", flat=True))
    return [c for c in trainee.specialism.competencies if c not in done]


def placement_to_sign_off(user, pk: int) -> Placement:
    """A placement the user signs competencies off on: one they manage, or any of a GMTS manager's
    region; 404 otherwise (a trainee's other managers confirm, but do not sign off)."""
    scope = Q(placement_manager=person_of(user))
    region = manager_region(user)
    if region is not None:
        scope |= Q(trainee__intake__region=region)
    placement = (
        Placement.objects.select_related("trainee__person", "trainee__specialism", "trainee__intake", "host")
        .filter(scope, pk=pk)
        .first()
    )
    if placement is None:
        raise Http404("No such placement.")
    return placement


def bids_for_gmts(user) -> QuerySet[HostBid]:
    region = manager_region(user)
    if region is None:
        return HostBid.objects.none()
    return (
        HostBid.objects.filter(intake__region=region)
        .select_related("intake", "lead_organisation", "programme_manager", "placement_manager")
        .prefetch_related("partners")
        .order_by("-intake__starts_on", "lead_organisation__name", "pk")
    )


def bid_for_gmts(user, pk: int) -> HostBid:
    bid = bids_for_gmts(user).filter(pk=pk).first()
    if bid is None:
        raise Http404("No such bid.")
    return bid


def bids_awaiting_assurance(user) -> QuerySet[HostBid]:
    return bids_for_gmts(user).filter(status=BidStatus.SUBMITTED)


def open_bids_for(trainee: Trainee) -> QuerySet[HostBid]:
    """Approved bids of the trainee's intake with places left: where a GMTS manager may place them."""
    return (
        HostBid.objects.filter(intake=trainee.intake, status=BidStatus.APPROVED)
        .filter(places_taken__lt=F("places_approved"))
        .select_related("lead_organisation", "intake")
        .order_by("lead_organisation__name")
    )


def placements_to_confirm(user) -> QuerySet[Placement]:
    """Proposed placements whose bid names the user as its programme or placement manager."""
    person = person_of(user)
    return (
        Placement.objects.filter(status="proposed")
        .filter(
            Q(bid__programme_manager=person) | Q(bid__placement_manager=person) | Q(placement_manager=person)
        )
        .select_related("trainee__person", "trainee__specialism", "host")
        .order_by("starts_on", "pk")
    )


# --- quotes for the Year in Review ------------------------------------------------------------------


def quotes_for_gmts(user) -> QuerySet[SchemeQuote]:
    """What trainees and managers of the GMTS manager's region said with consent to be quoted: the
    candidates for the chapter, the newest first."""
    region = manager_region(user)
    if region is None:
        return SchemeQuote.objects.none()
    return SchemeQuote.objects.filter(region=region).order_by("-given_on", "role", "pk")


def quote_for_gmts(user, pk: int) -> SchemeQuote:
    quote = quotes_for_gmts(user).filter(pk=pk).first()
    if quote is None:
        raise Http404("No such quote.")
    return quote


def quote_rows(quotes: list[SchemeQuote]) -> list[dict]:
    """The quotes page's rows: who said it, when, whether it is in the chapter, and the button that
    changes that."""
    return [
        {
            "text": f"“{q.text}”",
            "voice": f"{q.name}, {q.attribution}" if q.attribution else str(q.name),
            "role": str(q.get_role_display()),
            "given": nhs_date(q.given_on),
            "in_review": "Chosen" if q.chosen_at else "Not chosen",
            "in_review_class": "nhsuk-tag--green" if q.chosen_at else "nhsuk-tag--grey",
            "url": row_url("gmts:quote_choose", q.pk),
            "choice": "no" if q.chosen_at else "yes",
            "action": "Take out of the review" if q.chosen_at else "Choose for the review",
        }
        for q in quotes
    ]


# --- the GMTS manager's dashboard ------------------------------------------------------------------


@dataclass(frozen=True)
class LackingTrainee:
    """A trainee starting without a confirmed placement, as the dashboard names them."""

    pk: int
    full_name: str


@dataclass
class StartRow:
    """One intake × specialism: how many start, how many have a confirmed placement, and who lacks one."""

    intake: Intake
    specialism: Specialism
    starting: int = 0
    confirmed: int = 0
    lacking: list[LackingTrainee] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.confirmed == self.starting

    def days_to_start(self, today: dt.date) -> int:
        return (self.intake.starts_on - today).days


def confirmed_placements(region: Region, intakes: list[Intake]) -> list[StartRow]:
    """For each of `intakes` and each specialism with trainees starting: the confirmed-placements
    status. Two queries: the specialisms, and the trainees (not withdrawn) as plain values with whether
    a confirmed placement runs on or after their intake's start (an intake of hundreds builds no model
    per trainee)."""
    confirmed = Placement.objects.filter(
        trainee=OuterRef("pk"), status__in=CONFIRMED_STATES, ends_on__gte=OuterRef("intake__starts_on")
    )
    trainees = (
        Trainee.objects.filter(intake__in=intakes, intake__region=region)
        .exclude(status=TraineeStatus.WITHDRAWN)
        .annotate(has_confirmed=Exists(confirmed))
        .order_by("intake__starts_on", "specialism__name", "person__family_name", "person__given_name")
        .values_list(
            "intake_id", "specialism_id", "pk", "person__given_name", "person__family_name", "has_confirmed"
        )
    )
    by_pk = {i.pk: i for i in intakes}
    specialisms = {s.pk: s for s in Specialism.objects.all()} if intakes else {}
    rows: dict[tuple[int, int], StartRow] = {}
    for intake_id, specialism_id, pk, given, family, has_confirmed in trainees:
        row = rows.get((intake_id, specialism_id))
        if row is None:
            row = rows[(intake_id, specialism_id)] = StartRow(by_pk[intake_id], specialisms[specialism_id])
        row.starting += 1
        if has_confirmed:
            row.confirmed += 1
        else:
            row.lacking.append(LackingTrainee(pk, f"{given} {family}".strip()))
    return list(rows.values())


def upcoming_intakes(region: Region, today: dt.date) -> list[Intake]:
    """The intakes still to start, and the one that started most recently (its figure is the one the
    Year in Review quotes)."""
    upcoming = list(Intake.objects.filter(region=region, starts_on__gt=today).order_by("starts_on"))
    latest = Intake.objects.filter(region=region, starts_on__lte=today).order_by("-starts_on").first()
    return ([latest] if latest else []) + upcoming


def at_risk(region: Region, today: dt.date) -> QuerySet[Trainee]:
    """Active trainees whose next start (the intake's, or the day after their current placement) is
    12 weeks away or less with no confirmed placement: flagged on the dashboard."""
    return (
        Trainee.objects.filter(intake__region=region)
        .with_placement_outlook(today)
        .filter(_at_risk_q(today))
        .select_related("person", "intake", "specialism", "programme_manager")
        .order_by("next_start", "person__family_name", "pk")
    )


@dataclass(frozen=True)
class HostFeedback:
    host: str
    responses: int
    midpoint: float | None
    end: float | None


def host_feedback(region: Region) -> tuple[list[HostFeedback], int]:
    """Each host's average ratings, only where it has at least three responses; and how many hosts
    are held back for having fewer. Nothing here names a trainee or a placement."""
    rows = (
        PlacementFeedback.objects.filter(placement__trainee__intake__region=region)
        .values("placement__host__name")
        .annotate(
            responses=Count("pk"),
            midpoint=Avg("rating", filter=Q(stage=FeedbackStage.MIDPOINT)),
            end=Avg("rating", filter=Q(stage=FeedbackStage.END)),
        )
        .order_by("placement__host__name")
    )
    shown, held_back = [], 0
    for row in rows:
        if row["responses"] < FEEDBACK_MINIMUM:
            held_back += 1
            continue
        shown.append(
            HostFeedback(row["placement__host__name"], row["responses"], row["midpoint"], row["end"])
        )
    return shown, held_back


# --- rows for the pages' tables -------------------------------------------------------------------
# Each page's table is stamped (academy/stamps.py): the NHS.UK macros run once per process, and the
# values of each row, worked out here, are filled in. Links are reversed once per pattern.

_PK_MARK = 987654321


@cache
def _pattern(name: str) -> str:
    return reverse(name, args=[_PK_MARK])


def row_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), from the pattern reversed once per process."""
    return _pattern(name).replace(str(_PK_MARK), str(pk), 1)


def _trainee_link(trainee: Trainee) -> Markup:
    return format_html('<a href="{}">{}</a>', row_url("gmts:trainee", trainee.pk), trainee.person.full_name)


def trainee_list_rows(trainees: list[Trainee]) -> list[dict]:
    """The trainee list's rows (a page of `trainee_page`, with their outlook): the flag names the
    next start that has no confirmed placement."""
    rows = []
    for t in trainees:
        flagged = t.status == TraineeStatus.ACTIVE and t.next_start and not t.next_start_confirmed
        rows.append(
            {
                "trainee": _trainee_link(t),
                "intake": t.intake.label,
                "specialism": t.specialism.name,
                "status": t.get_status_display(),
                "status_class": t.status_tag_class,
                "host": t.current_host_name or "–",
                "flag": f"No placement for {nhs_date(t.next_start)}" if flagged else "",
            }
        )
    return rows


def managed_rows(trainees: list[Trainee]) -> list[dict]:
    return [
        {
            "trainee": _trainee_link(t),
            "intake": t.intake.label,
            "specialism": t.specialism.name,
            "status": t.get_status_display(),
        }
        for t in trainees
    ]


def to_confirm_rows(placements: list[Placement]) -> list[dict]:
    return [
        {
            "trainee": p.trainee.person.full_name,
            "placement": f"{p.get_kind_display()} at {p.host.name}",
            "dates": f"{nhs_date(p.starts_on)} to {nhs_date(p.ends_on)}",
            "action": format_html(
                '<a href="{}">Confirm<span class="nhsuk-u-visually-hidden"> {}\'s placement</span></a>',
                row_url("gmts:placement_confirm", p.pk),
                p.trainee.person.full_name,
            ),
        }
        for p in placements
    ]


def bid_rows(bids: list[HostBid]) -> list[dict]:
    rows = []
    for bid in bids:
        name = bid.lead_organisation.name
        rows.append(
            {
                "host": format_html('<a href="{}">{}</a>', row_url("gmts:bid_assure", bid.pk), name)
                if bid.status == BidStatus.SUBMITTED
                else name,
                "partners": ", ".join(p.name for p in bid.partners.all()) or "–",
                "intake": bid.intake.label,
                "kind": bid.get_kind_display(),
                "status": bid.get_status_display(),
                "status_class": bid.status_tag_class,
                "places": f"{bid.places_taken} of {bid.places_approved}"
                if bid.status == BidStatus.APPROVED
                else "–",
            }
        )
    return rows


def start_rows(starts: list[StartRow], today: dt.date) -> list[dict]:
    """The confirmed-placements table: `lacking` is empty for a complete row (the page shows a tag),
    else the links to the trainees without a confirmed placement."""
    rows = []
    for row in starts:
        days = row.days_to_start(today)
        rows.append(
            {
                "intake": row.intake.label,
                "specialism": row.specialism.name,
                "start": f"in {days} days" if days > 0 else "started",
                "confirmed": f"{row.confirmed} of {row.starting}",
                "lacking": format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    ((row_url("gmts:trainee", t.pk), t.full_name) for t in row.lacking),
                ),
            }
        )
    return rows


def at_risk_rows(trainees: list[Trainee]) -> list[dict]:
    return [
        {
            "trainee": _trainee_link(t),
            "intake": f"{t.intake.label}, {t.specialism.name}",
            "next_start": nhs_date(t.next_start),
            "manager": t.programme_manager.full_name if t.programme_manager else "None named",
        }
        for t in trainees
    ]


def awaiting_rows(bids: list[HostBid]) -> list[dict]:
    return [
        {
            "host": format_html(
                '<a href="{}">{}</a>', row_url("gmts:bid_assure", bid.pk), bid.lead_organisation.name
            ),
            "intake": bid.intake.label,
            "kind": bid.get_kind_display(),
            "places": bid.places_requested,
        }
        for bid in bids
    ]


def feedback_rows(hosts: list[HostFeedback]) -> list[dict]:
    return [
        {
            "host": h.host,
            "responses": h.responses,
            "midpoint": f"{h.midpoint:.1f}" if h.midpoint is not None else "–",
            "end": f"{h.end:.1f}" if h.end is not None else "–",
        }
        for h in hosts
    ]


_ACTIONS = (
    ("confirm", "gmts:placement_confirm", "Confirm", " the placement at {}"),
    ("notify", "gmts:placement_notify", "Send to the trainee", ": the placement at {}"),
    ("withdraw", "gmts:placement_withdraw", "Withdraw", " the placement at {}"),
    ("sign_off", "gmts:sign_off", "Sign off a competency", " at {}"),
)


def placement_rows(placements: list[Placement], actions: dict[int, list[str]] | None = None) -> list[dict]:
    """A trainee's placements, with the links for the actions the viewer may take on each."""
    actions = actions or {}
    rows = []
    for p in placements:
        allowed = actions.get(p.pk, [])
        links = [
            format_html(
                '<a href="{}">{}<span class="nhsuk-u-visually-hidden">{}</span></a>',
                row_url(name, p.pk),
                text,
                hidden.format(p.host.name),
            )
            for key, name, text, hidden in _ACTIONS
            if key in allowed
        ]
        rows.append(
            {
                "kind": p.get_kind_display(),
                "host": p.host.name,
                "dates": f"{nhs_date(p.starts_on)} to {nhs_date(p.ends_on)}",
                "manager": p.placement_manager.full_name if p.placement_manager else "–",
                "status": p.get_status_display(),
                "status_class": p.status_tag_class,
                "actions": Markup("<br>").join(links),
            }
        )
    return rows


def progress_rows(progress: Progress) -> list[dict]:
    rows = []
    for row in progress.rows:
        s = row["sign_off"]
        rows.append(
            {
                "competency": row["competency"],
                "done": bool(s),
                "signed": f"{nhs_date(s.signed_off_at)} at {s.placement.host.name}" if s else "",
            }
        )
    return rows


# --- Year in Review ---------------------------------------------------------------------------------


def gmts_chapter(scope: Scope) -> dict:
    """The Graduate Management Training Scheme chapter's figures as published (gmts/figures.py)."""
    from gmts.figures import gmts_chapter as figures

    return figures(scope)
