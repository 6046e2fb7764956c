"""mkdocs-techplan: publish technical plans written as plan.yaml files with MkDocs."""

__version__ = "0.1.0"
