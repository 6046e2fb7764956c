"""The `mkdocs-techplan` command: validate, new, schema, list, render, import.

Sits on top, beside `plugin.py`: it may import every layer, and no layer imports it.
"""

from mkdocs_techplan.cli.main import main

__all__ = ["main"]
