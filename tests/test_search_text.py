"""Text folded for searching (surveyor/search_text.py): what a phone keyboard or a hurried typist
writes finds what an inspector stored. The SQL side is tested through the corrective actions
list (tests/inspect/test_action_list.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from surveyor.search_text import search_key


@pytest.mark.parametrize("typed,stored", [
    ("تميزكاري", "تمیزکاری"),             # Arabic yeh and kaf for the Persian letters
    ("سطلهای", "سطل‌های"),                 # the zero-width non-joiner left out
    ("مدرســه", "مدرسه"),                   # a tatweel
    ("شماره ۱۲", "شماره 12"),              # Persian digits
    ("شماره ١٢", "شماره ۱۲"),              # Arabic-Indic digits typed, Persian stored
    ("  Mellat   PARK ", "mellat park"),     # case and white space
])
def test_what_is_typed_and_what_is_stored_fold_alike(typed, stored):
    assert search_key(typed) == search_key(stored)


def test_different_words_stay_different():
    assert search_key("کتاب") != search_key("کباب")
    assert search_key("12") != search_key("13")
