"""Calendar invitations as interviews (SPEC §7): read, match, plan, then apply.

    plan = plan_invitations(data, applications, tz=tz, me=me)
    for line in plan.describe(): ...
    saving.save_plan(store, plan, at)      # one transaction, with the timeline notes

Reading, matching and planning are pure: no Textual, no database, no clock.
`saving` (imported by name, not from here) is the one part that writes.
"""

from followup_tui.interchange.invitations.matching import PUBLIC_PROVIDERS, match_application
from followup_tui.interchange.invitations.planning import (
    Change,
    ChangeKind,
    NoApplication,
    Plan,
    plan_invitations,
)
from followup_tui.interchange.invitations.reading import (
    Invitation,
    Reading,
    looks_like_calendar,
    read_invitations,
)

__all__ = [
    "PUBLIC_PROVIDERS",
    "Change",
    "ChangeKind",
    "Invitation",
    "NoApplication",
    "Plan",
    "Reading",
    "looks_like_calendar",
    "match_application",
    "plan_invitations",
    "read_invitations",
]
