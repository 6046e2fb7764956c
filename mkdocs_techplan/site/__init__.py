"""Plans as pages of one site: discovery and the catalog, placement and collisions, page
titles and spec ids, references, supersedes, status rules, staleness.

Imports `format` and `markdown`; knows nothing of templates or outputs.
"""
