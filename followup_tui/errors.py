"""The one kind of error a person is shown: bad input, an unusable file, a wrong setting.

Commands turn a `UserError` into a message on stderr and exit code 2; anything
else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """Something the user can fix; the message says what and where."""
