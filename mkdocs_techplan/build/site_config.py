"""A site's configuration, read the way each engine reads it, without loading any plugin.

`mkdocs.yml` (or `mkdocs.yaml`), `properdocs.yml` and `zensical.toml` give the same two things:
the site's settings that plans depend on (docs and site folders, URLs, Markdown extensions) and
the techplan options. Plugins are not loaded: a site may list plugins that Zensical provides
itself, or packages that are not installed, and neither says anything about its plans. The
theme is not loaded either (a Zensical site names `material` without Material installed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from mkdocs_techplan.config import TechPlanConfig

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml", "zensical.toml")
"""The files that configure a site, in the order they are looked for in one folder."""
PLUGIN_NAME = "techplan"
ZENSICAL_EXTENSION = "mkdocs_techplan.zensical"
"""Under Zensical the options are the configuration of this Markdown extension."""


class SiteError(Exception):
    """The site's configuration cannot be used: it does not load, or it has no techplan options."""


@dataclass(frozen=True)
class Site:
    """A site whose plans are built or checked: its configuration and the techplan options."""

    config: MkDocsConfig
    options: TechPlanConfig
    config_file: str

    @property
    def docs_dir(self) -> str:
        return str(self.config.docs_dir)

    @property
    def cache_folder(self) -> str | None:
        """Where parsed plans are kept for the next build (`plan_store.py`); None when the
        `cache` option is off."""
        if not self.options.cache:
            return None
        config_file = os.path.abspath(self.config_file)
        if self.options.cache_dir:
            return os.path.join(os.path.dirname(config_file), self.options.cache_dir)
        user_cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        if not os.path.isabs(user_cache):  # no home folder to expand `~` in: nothing kept
            return None
        site_key = hashlib.sha256(config_file.encode()).hexdigest()[:16]
        return os.path.join(user_cache, "mkdocs-techplan", site_key)

    def options_digest(self) -> str:
        """The techplan options as one value: plans parsed under other options are never
        reused for this site."""
        text = json.dumps(dict(self.options), sort_keys=True, default=_plain)
        return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: object) -> object:
    """An option's value as JSON can write it (nested configurations, sets, records)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return repr(value)


def find_config(path: str) -> str | None:
    """The nearest site configuration file in the folder of `path` or above it."""
    absolute = os.path.abspath(path)
    folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_site(config_file: str) -> Site:
    """Read `config_file` (`mkdocs.yml`, `properdocs.yml` or `zensical.toml`) as its engine
    would, without loading plugins or the theme."""
    if config_file.endswith(".toml"):
        data, options = _zensical_toml(config_file)
    else:
        data = _yaml_file(config_file)
        options = _techplan_options(data, config_file)
    data = {key: value for key, value in data.items() if key not in ("plugins", "theme")}
    config = MkDocsConfig(config_file_path=config_file)
    config.load_dict(data)
    errors, _ = config.validate()
    if errors:
        raise SiteError(_messages(config_file, errors))
    plugin = TechPlanConfig(config_file_path=config_file)
    plugin.load_dict(options)
    errors, _ = plugin.validate()
    if errors:
        raise SiteError(_messages(config_file, errors, prefix="techplan: "))
    return Site(config, plugin, config_file)


def _yaml_file(config_file: str) -> dict[str, Any]:
    try:
        with open(config_file, "rb") as stream:
            data = yaml_load(stream, _tolerant_loader())
    except OSError as error:
        raise SiteError(f"{config_file}: cannot be read: {error.strerror}") from None
    except ConfigurationError as error:
        raise SiteError(f"{config_file}: {error}") from None
    if not isinstance(data, dict):
        raise SiteError(f"{config_file}: the configuration is not a mapping of settings")
    return data


def _tolerant_loader() -> type[yaml.BaseLoader]:
    """MkDocs' loader (`!ENV`, `INHERIT`), where a `!!python/name:` tag naming a package that
    is not installed (a theme's emoji index, for an engine that has its own) reads as text."""
    loader: Any = get_yaml_loader()

    def python_tag(loader_self: Any, suffix: str, node: yaml.Node) -> Any:
        try:
            return getattr(yaml.Loader, "construct_python_name")(loader_self, suffix, node)  # noqa: B009  # untyped in the stubs
        except yaml.YAMLError:
            return f"{node.tag}"

    loader.add_multi_constructor("tag:yaml.org,2002:python/name:", python_tag)
    return loader  # type: ignore[no-any-return]


def _techplan_options(data: dict[str, Any], config_file: str) -> dict[str, Any]:
    """The techplan entry of `plugins` (list or mapping form), or of `markdown_extensions` for
    a Zensical site that lists only the extension."""
    for name, options in _entries(data.get("plugins")):
        if name == PLUGIN_NAME:
            return options
    for name, options in _entries(data.get("markdown_extensions")):
        if name == ZENSICAL_EXTENSION:
            return {key: value for key, value in options.items() if key != "config_file"}
    raise SiteError(
        f"{config_file} does not enable the `techplan` plugin; add `- techplan` under `plugins:`"
    )


def _entries(value: object) -> list[tuple[str, dict[str, Any]]]:
    """`[a, {b: {…}}]` or `{a: {…}}` as (name, options) pairs."""
    items: list[Any] = list(value.items()) if isinstance(value, dict) else []
    if isinstance(value, list):
        items = value
    found: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        if isinstance(item, str):
            found.append((item, {}))
        elif isinstance(item, tuple):
            found.append((str(item[0]), item[1] if isinstance(item[1], dict) else {}))
        elif isinstance(item, dict) and len(item) == 1:
            ((name, options),) = item.items()
            found.append((str(name), options if isinstance(options, dict) else {}))
    return found


def _zensical_toml(config_file: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """`[project]` as MkDocs settings, and the options under
    `[project.markdown_extensions."mkdocs_techplan.zensical"]`."""
    # Imported here: only a Zensical site reads TOML, and a MkDocs build need not load it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(config_file, "rb") as stream:
            document = tomllib.load(stream)
    except OSError as error:
        raise SiteError(f"{config_file}: cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise SiteError(f"{config_file}: {error}") from None
    project = document.get("project")
    if not isinstance(project, dict):
        raise SiteError(f"{config_file}: no [project] table")
    extensions = project.get("markdown_extensions") or {}
    if not isinstance(extensions, dict) or ZENSICAL_EXTENSION not in extensions:
        raise SiteError(
            f"{config_file} does not list the techplan extension; add a table "
            f'[project.markdown_extensions."{ZENSICAL_EXTENSION}"]'
        )
    options = extensions[ZENSICAL_EXTENSION]
    options = {k: v for k, v in options.items() if k != "config_file"} if options else {}
    settings = {key: project[key] for key in _TOML_SETTINGS if key in project}
    settings.setdefault("site_name", "Documentation")
    settings["use_directory_urls"] = project.get("use_directory_urls", True)
    settings["markdown_extensions"] = [
        {name: value} if value else name for name, value in extensions.items()
    ]
    return settings, options


_TOML_SETTINGS = (
    "site_name", "site_url", "site_author", "docs_dir", "site_dir", "extra_css",
    "extra_javascript", "exclude_docs", "draft_docs", "not_in_nav", "repo_url", "edit_uri",
)  # fmt: skip
"""The `[project]` settings of a zensical.toml that mean what they mean in mkdocs.yml."""


def _messages(config_file: str, errors: list[tuple[str, Exception]], prefix: str = "") -> str:
    return "; ".join(f"{config_file}: {prefix}{key}: {error}" for key, error in errors)
