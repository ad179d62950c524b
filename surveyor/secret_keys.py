"""How guessable a secret key is, and a good one to use.

The estimator is zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX
Security 2016; the Python port ``zxcvbn`` on PyPI). It splits the key into the pieces a guesser
would try first and counts the guesses each needs: words of English, names and surnames, the
30,000 most common passwords of a breach corpus, years and dates, keyboard rows, sequences such as
``abcd`` or ``1234``, and repeats such as ``xxxx`` or ``abcabc``; whatever matches none of them
counts as random at 10 guesses a character. The key's estimate is the number of guesses of the
cheapest way to cover it, in bits (log2).

10 guesses a character is about 3.3 bits, where a random URL-safe character holds 6: the
estimate undercounts a truly random key, so a key passes only when it is long as well as
random (about 40 characters). ``my-surveyor-production-secret-key-2026`` scores about 94 bits,
a repeated phrase under 20; a key from :func:`new_secret_key` about 210.
"""
from __future__ import annotations

import math
import secrets

MIN_SECRET_BITS = 128
# zxcvbn refuses longer input (its matching grows with the square of the length); the estimate of
# a longer key is that of its first characters, which is never more than the whole key's.
ESTIMATED_PREFIX = 72
NEW_KEY_BYTES = 48  # 64 URL-safe characters, 384 random bits


def estimated_bits(key: str) -> float:
    """log2 of the number of guesses zxcvbn needs to find ``key`` (its first 72 characters)."""
    from zxcvbn import zxcvbn

    if not key:
        return 0.0
    return math.log2(zxcvbn(key[:ESTIMATED_PREFIX])["guesses"])


def new_secret_key() -> str:
    """A key for SURVEYOR_SECRET_KEY from the operating system's random source."""
    return secrets.token_urlsafe(NEW_KEY_BYTES)
