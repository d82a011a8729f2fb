"""Every write to the talent pool: keyword-only, atomic, validated and audited."""

from talent.services.boards import (
    board_seat_grant,
    critical_role_create,
    senior_workforce_record,
    slate_add,
    slate_remove,
)
from talent.services.centres import (
    booking_book,
    booking_nominate,
    centre_create,
    panel_outcome_record,
    rating_record,
)
from talent.services.imports import (
    movements_import,
    movements_import_commit,
    movements_import_write,
    pool_import,
    pool_import_commit,
    pool_import_write,
    workforce_import,
    workforce_import_commit,
    workforce_import_write,
)
from talent.services.offers import (
    conversation_record,
    interest_express,
    interest_move,
    opportunity_create,
)
from talent.services.pool import (
    member_add,
    member_exit,
    member_set_board_consent,
    movement_record,
    readiness_change,
    target_role_add,
)

__all__ = [
    "board_seat_grant",
    "booking_book",
    "booking_nominate",
    "centre_create",
    "conversation_record",
    "critical_role_create",
    "interest_express",
    "interest_move",
    "member_add",
    "member_exit",
    "member_set_board_consent",
    "movements_import",
    "movements_import_commit",
    "movements_import_write",
    "movement_record",
    "opportunity_create",
    "panel_outcome_record",
    "pool_import",
    "pool_import_commit",
    "pool_import_write",
    "rating_record",
    "readiness_change",
    "senior_workforce_record",
    "slate_add",
    "slate_remove",
    "target_role_add",
    "workforce_import",
    "workforce_import_commit",
    "workforce_import_write",
]
