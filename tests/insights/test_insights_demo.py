"""The demo data gives every insight (SPEC §9) something to show, whatever the day."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup_tui.domain.insights import activity, stats, weekly_activity
from followup_tui.domain.model import Rules, Status
from followup_tui.interchange.demo import sample_applications

TZ = ZoneInfo("Australia/Sydney")
RULES = Rules(TZ)


@pytest.mark.parametrize("days", range(7))  # every weekday
def test_every_figure_is_non_trivial(days: int) -> None:
    now = datetime(2026, 11, 25, 9, 0, tzinfo=TZ) + timedelta(days=days)
    apps = sample_applications(now, TZ)
    result = stats(apps, now, RULES)
    assert all(result.by_status[status] > 0 for status in Status)
    assert all(stage > 0 for stage in result.funnel)
    assert result.funnel.applied > result.funnel.interviewed > result.funnel.second_interview
    assert result.response_rate is not None and 0 < result.response_rate < 1
    assert result.median_days_to_response is not None
    assert len(result.median_days_to_response_by_company) > 1
    assert result.thank_you_on_time is not None and 0 < result.thank_you_on_time < 1
    assert [g.application for g in result.ghosted] == ["sable-designer"]
    actions = {row.action for row in activity(apps, now.date() - timedelta(days=60),
                                              now.date(), RULES, now=now)}
    assert actions == {"applied", "interview", "thank_you_sent", "call_made", "reply_received",
                       "offer", "rejected", "withdrawn", "accepted"}
    weeks = weekly_activity(apps, now, RULES, weeks=8)
    assert sum(w.actions > 0 for w in weeks) >= 5
