"""The password policy: long enough, not common, not a repeat or a sequence, not the username.

The rules are those of NIST SP 800-63B, section 5.1.1.2 (memorized secrets): a minimum length,
and a check against "passwords obtained from previous breach corpuses, dictionary words,
repetitive or sequential characters, and context-specific words, such as the name of the
service, the username". No composition rules (a digit, a capital), which make passwords harder
to remember and not harder to guess.

The lists and patterns are those of zxcvbn (Wheeler, USENIX Security 2016; ``zxcvbn`` on PyPI),
shipped inside the package, nothing is downloaded: the 30,000 most common passwords of the Xato
corpus of 10 million leaked passwords, 30,000 English words, 19,000 words of film and television,
14,700 first names and surnames; keyboard rows (qwerty, dvorak, keypad), sequences (``abcd``,
``9753``) and repeats (``aaaa``, ``abcabc``), with l33t spellings (``p@ssw0rd``) and reversed
words. Persian and Arabic digits are read as the ASCII digits they stand for. The lists are
English-centred: Persian words are checked for length, repeats and the username only.
"""
from __future__ import annotations

import string

from flask_babel import lazy_gettext as _l

from ..display_names import with_numbers
from ..formatting import ascii_digits

MIN_LENGTH = 10
# zxcvbn's matching grows with the square of the length and refuses more than 72 characters; a
# longer password is judged by its first 72, which are never more guessable than the whole.
CHECKED_PREFIX = 72
# What people put around a common password to pass a rule: "password123!", "!!Football2025".
DECORATION = string.digits + string.punctuation + string.whitespace
PATTERNS = ("repeat", "sequence", "spatial")  # zxcvbn's names: aaaa/abcabc, abcd/1357, qwerty


def problem_messages() -> dict[str, str]:
    return {
        "too_short": with_numbers(_l("Use at least %(n)s characters."), n=MIN_LENGTH),
        "contains_username": _l("The password must not contain your username. Choose another."),
        "common": _l("This password is one of the most common ones, or a common word with digits or signs "
                     "around it. Choose another, for example a few words of your own."),
        "repetitive": _l("This password repeats or follows a sequence (such as aaaa, abcabc, 1234 or a row "
                         "of the keyboard). Choose another."),
    }


def password_problem(password: str, username: str = "") -> str | None:
    """The first rule ``password`` breaks (a key of :func:`problem_messages`), or None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if _contains_username(password, username):
        return "contains_username"
    from zxcvbn import zxcvbn

    # Persian and Arabic digits are the same guesses as ASCII ones: ۱۲۳۴۵۶۷۸۹۰ is 1234567890.
    checked = ascii_digits(password)[:CHECKED_PREFIX]
    sequence = zxcvbn(checked)["sequence"]
    core = checked.strip(DECORATION)
    if all(m["pattern"] in PATTERNS for m in sequence) or len(set(checked.casefold())) <= 3:
        return "repetitive"
    if _single_word(sequence) or (core and core != checked and _single_word(zxcvbn(core)["sequence"])):
        return "common"
    if all(_common_password(m) or m["pattern"] in PATTERNS for m in sequence):
        return "common"  # pieces that are each a common password, or a pattern: "qwerty123123"
    return None


def _contains_username(password: str, username: str) -> bool:
    name = username.strip().casefold()
    # A one- or two-letter name is inside too many good passwords to be a rule.
    return bool(name) and (password.casefold() == name or (len(name) >= 3 and name in password.casefold()))


def _single_word(sequence: list[dict]) -> bool:
    """Whether the guesser's cheapest cover is one dictionary entry (a password, a word, a name)."""
    return len(sequence) == 1 and sequence[0]["pattern"] == "dictionary"


def _common_password(match: dict) -> bool:
    return match["pattern"] == "dictionary" and match.get("dictionary_name") == "passwords"
