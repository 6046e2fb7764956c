"""Plans in a multilingual site built with mkdocs-static-i18n.

i18n builds the site once per language. In each build its `on_files` (priority -100) replaces
the file list with that language's files: a translated file (`auth.fr.md`, `fr/auth.md`) where
there is one, else the default language's file, published below the language's folder
(`fr/…`; the default language at the root). techplan then works on that list, after i18n:

- each chosen file is known by its language-neutral path (`specs/auth.md`), so references,
  backlinks and listings work as in a one-language site and land on the same language's page;
- `plan.<lang>.yaml` (which i18n understands) and `<slug>.<lang>.plan.yaml` (which it does not:
  techplan picks it) are one plan's translations, falling back to the default language's file;
- every page and file techplan generates goes below the language's folder, so no language's
  build writes over another's, and carries what i18n's language switcher and sitemap read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mkdocs_techplan.plugin.plugin_order import find_plugin

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files

I18N_MODULE = "mkdocs_static_i18n"


@dataclass(frozen=True)
class LanguageBuild:
    """The language of the build i18n is running."""

    plugin: Any
    language: str
    default: str
    languages: tuple[str, ...]

    @property
    def prefix(self) -> str:
        """The folder this language's site is published in: `fr/`, or the root."""
        return self.prefix_of(self.language)

    def prefix_of(self, language: str) -> str:
        return "" if language == self.default else f"{language}/"


def i18n_plugin(plugins: Mapping[str, object]) -> object | None:
    return find_plugin(plugins, I18N_MODULE)


def language_build(plugin: Any) -> LanguageBuild:
    """The build i18n is running now (known once its `on_config` ran)."""
    return LanguageBuild(
        plugin=plugin,
        language=plugin.current_language or plugin.default_language,
        default=plugin.default_language,
        languages=tuple(plugin.all_languages),
    )


_TRANSLATED_PLAN = re.compile(r"(?P<slug>[^/]+)\.(?P<language>[^./]+)\.plan\.ya?ml")


def language_files(files: Files, build: LanguageBuild) -> list[str]:
    """Give the files i18n chose for this language their language-neutral paths, and keep
    one `<slug>.<lang>.plan.yaml` per plan: this language's, else the default's. Returns what
    to warn about: two files translating one plan into this language."""
    translated: dict[str, File] = {}
    problems: list[str] = []
    for file in sorted(files, key=lambda found: found.src_uri):
        match = _TRANSLATED_PLAN.fullmatch(posixpath.basename(file.src_uri))
        if match is None or match["language"] not in build.languages:
            continue
        files.remove(file)
        if match["language"] == build.language:
            neutral = posixpath.join(posixpath.dirname(file.src_uri), f"{match['slug']}.plan.yaml")
            kept = translated.setdefault(neutral, file)
            if kept is not file:  # `x.fr.plan.yaml` and `x.fr.plan.yml`: one is used, said
                problems.append(
                    f"{file.src_uri}: `{kept.src_uri}` translates the same plan into "
                    f"`{build.language}` and is the one used; remove one of the two files"
                )
    for neutral, file in translated.items():
        for written in (neutral, neutral[: -len(".yaml")] + ".yml"):
            default = files.get_file_from_path(written)
            if default is not None and default.src_uri == written:
                files.remove(default)
        _rename(files, file, neutral)
    for file in list(files):
        chosen = getattr(file, "norm_src_uri", None)  # set by i18n on the files it chose
        if isinstance(chosen, str) and chosen != file.src_uri:
            files.remove(file)
            _rename(files, file, chosen)
    return problems


def _rename(files: Files, file: File, src_uri: str) -> None:
    # Read from src_uri until now; kept as they are: the file on disk, its edit link.
    file.abs_src_path = file.abs_src_path
    file.edit_uri = file.edit_uri
    file.src_uri = src_uri
    if hasattr(file, "norm_src_uri"):
        file.norm_src_uri = src_uri
    files.append(file)


def mark_language(files: Files, build: LanguageBuild, generated: list[File]) -> None:
    """Give techplan's pages what i18n reads from its own: their language, the same page in
    each other language (for the language switcher), and a place in its sitemap."""
    pages = [file for file in generated if file.is_documentation_page()]
    for file in pages:
        neutral_url = file.url.removeprefix(build.prefix)
        file.locale = build.language  # type: ignore[attr-defined]
        file.locale_alternate_of = build.language  # type: ignore[attr-defined]
        file.localization = None  # type: ignore[attr-defined]
        file.alternates = {  # type: ignore[attr-defined]
            language: _Alternate(build.prefix_of(language) + neutral_url)
            for language in build.plugin.build_languages
        }
    by_language = getattr(build.plugin, "i18n_files_per_language", None)
    if isinstance(by_language, dict) and isinstance(by_language.get(build.language), list):
        by_language[build.language].extend(pages)


@dataclass(frozen=True)
class _Alternate:
    """The same page in another language, as i18n's language switcher and sitemap read it
    (that language's build makes the page; its sitemap entry is then `site_url` + `url`)."""

    url: str
    page: _AlternatePage = field(default_factory=lambda: _AlternatePage())


@dataclass(frozen=True)
class _AlternatePage:
    canonical_url: str | None = None
    abs_url: str | None = None
