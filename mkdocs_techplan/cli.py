"""The `mkdocs-techplan` command (its subcommands are added as they are built)."""

from __future__ import annotations

import click

from mkdocs_techplan import __version__


@click.group()
@click.version_option(__version__, prog_name="mkdocs-techplan")
def main() -> None:
    """Work with technical plans written as plan.yaml files."""
