"""How long a field may be, in one place: the interchange schema states these bounds, and
import, the forms and the invitation reader all refuse or cut what exceeds them.

A test (tests/domain/test_limits.py) reads the packaged JSON Schema and checks each
number here against it, so the two cannot drift apart.
"""

from __future__ import annotations

#: An id of an application or an interview (schema `$defs.id.maxLength`).
ID_MAX = 200
#: A short text: company, role, link, a contact's fields, a round, a topic (`shortText`).
SHORT_MAX = 500
#: A long text: notes, an event's text (`text`).
TEXT_MAX = 20_000
#: An interview's `duration_minutes`: at least a minute, at most a day.
DURATION_MIN, DURATION_MAX = 1, 1440
#: An invitation's SEQUENCE (a signed 32-bit integer in iCalendar).
SEQUENCE_MAX = 2_147_483_647
