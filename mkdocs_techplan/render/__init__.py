"""Everything the site shows: the Jinja renderer and templates, badges, banners, visuals,
listings and the index, backlinks, and the generated outputs (plans.json, feed, status.svg).

Imports `format`, `markdown` and `site`.
"""
