"""The `mkdocs-techplan` command: validate, new, schema, list, render, import, pages.

An adapter over the build core, beside `plugin/` and `zensical.py`: it may import every layer
below, no layer imports it, and it imports neither of the other adapters.
"""

from mkdocs_techplan.cli.main import main, run

__all__ = ["main", "run"]
