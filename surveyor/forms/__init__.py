"""WTForms forms: staff forms by area here; forms built from instrument definitions come later."""
