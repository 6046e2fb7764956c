"""Where techplan must stand among the other plugins, and how to find a neighbour.

Tested against each neighbour in both orders (tests/test_neighbours.py). Only mkdocs-macros
breaks: it renders Jinja in `on_page_markdown` at the same priority as techplan, which fills
backlinks and index markers there, so whichever is listed first runs first. Plan pages
themselves are safe in any order (their front matter says `render_macros: false`), and so are
Material's search, tags and blog plugins, awesome-pages and literate-nav: they read files,
metadata or finished pages, which techplan has made by then whatever the order.
"""

from __future__ import annotations

from collections.abc import Mapping

MUST_COME_BEFORE: dict[str, str] = {
    # top-level module of the plugin's class → why techplan must come after it
    "mkdocs_macros": (
        "it renders as Jinja the plan titles and summaries that techplan writes into other "
        "pages (backlinks on spec pages, `<!-- techplan:index -->` listings), so a plan text "
        "containing `{{` or `{%` changes or breaks those pages"
    ),
}


def order_problems(plugins: Mapping[str, object], own: object) -> list[str]:
    """One message per plugin listed after `own` (this plugin) that must come before it."""
    names = list(plugins)
    own_name = next((name for name in names if plugins[name] is own), None)
    if own_name is None:
        return []
    problems = []
    for name in names[names.index(own_name) + 1 :]:
        module = type(plugins[name]).__module__.split(".")[0]
        reason = MUST_COME_BEFORE.get(module)
        if reason:
            problems.append(
                f"plugin order: `{name}` is listed after `{own_name}` in `plugins`, and {reason}; "
                f"list `{name}` before `{own_name}` in mkdocs.yml"
            )
    return problems


def plugin_module(plugin: object) -> str:
    return type(plugin).__module__.split(".")[0]


def find_plugin(plugins: Mapping[str, object], module: str) -> object | None:
    """The plugin of `plugins` whose class comes from the package `module`, if any."""
    return next((plugin for plugin in plugins.values() if plugin_module(plugin) == module), None)
