"""The MkDocs adapter: the `techplan` plugin's events (`events.py`), which call the build core,
and one module per neighbour it works beside: mkdocs-static-i18n (`i18n.py`), git-history
plugins (`git_history.py`), mkdocs-monorepo-plugin (`monorepo.py`), the plugin order
(`plugin_order.py`) and `mkdocs serve --dirty` rebuilds (`serve.py`)."""

from mkdocs_techplan.plugin.events import TechPlanPlugin

__all__ = ["TechPlanPlugin"]
