"""`python -m mkdocs_techplan.cli`: the `mkdocs-techplan` command."""

from mkdocs_techplan.cli.main import run

run()
