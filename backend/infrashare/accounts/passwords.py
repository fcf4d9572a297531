"""What a new password must be: at least 12 characters and not guessable, judged by zxcvbn
(whose shipped lists hold 30,000 common and breached passwords, names and words, and which sees
through keyboard walks, repeats, dates and l33t). Reasons go out as codes; the web UI words them."""

from __future__ import annotations

from zxcvbn import zxcvbn

from infrashare.core.errors import FieldError, InvalidInput

MIN_LENGTH = 12
# zxcvbn's score: 0 too guessable … 4 very unguessable; 3 resists an offline attack on a slow hash.
MIN_SCORE = 3


def password_problems(password: str, personal: list[str]) -> list[str]:
    """The codes of what is wrong with ``password`` (none: it will do); ``personal``: the
    person's e-mail and name, which must not make up the password either."""
    if len(password) < MIN_LENGTH:
        return ["password-too-short"]
    if zxcvbn(password[:100], user_inputs=personal)["score"] < MIN_SCORE:
        return ["password-too-common"]
    return []


def require_strong_password(password: str, personal: list[str], field: str = "password") -> None:
    problems = password_problems(password, personal)
    if problems:
        raise InvalidInput(
            "Choose a longer or less common password.",
            errors=[
                FieldError(field, _MESSAGES[code], code=code, params={"min_length": MIN_LENGTH})
                for code in problems
            ],
        )


_MESSAGES = {
    "password-too-short": f"use at least {MIN_LENGTH} characters",
    "password-too-common": "too common or easy to guess (a known, leaked or patterned password)",
}
