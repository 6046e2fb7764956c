"""Other plugins whose place in `plugins` matters to techplan: a warning when it is wrong.

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


NOT_SUPPORTED: dict[str, str] = {
    # top-level module of the plugin's class → why the build stops
    "mkdocs_static_i18n": (
        "it rebuilds the site's file list for each language from the files in `docs_dir` and "
        "drops pages that plugins generate (it stops with a TypeError on them), so plan pages "
        "cannot be built beside it yet; build the plans in a site without `{name}`"
    ),
}
"""Plugins techplan cannot work beside: the build stops in `on_config` with this message
instead of failing later inside the other plugin."""


def unsupported_neighbours(plugins: Mapping[str, object]) -> list[str]:
    """One message per plugin in `plugins` that techplan cannot be built beside."""
    return [
        f"plugin `{name}` ({module.replace('_', '-')}) is not supported beside techplan: "
        + NOT_SUPPORTED[module].format(name=name)
        for name, plugin in plugins.items()
        if (module := type(plugin).__module__.split(".")[0]) in NOT_SUPPORTED
    ]


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
