"""Document templates (Jinja2) and their wording; a package so the files ship with it."""
