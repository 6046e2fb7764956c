"""Markdown as MkDocs sites render it, for tests that check what plan text becomes in HTML.

`DEFAULT` is what MkDocs uses when `mkdocs.yml` names no extensions; `MATERIAL` is what
Material sites commonly enable, block extensions included. `unsafe_markup` lists what must
never come out of plan text: elements and attributes that run script or load content, and
links whose scheme is not http(s), mailto or relative.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from bs4 import BeautifulSoup, Tag
from pymdownx.superfences import fence_code_format

DEFAULT: dict[str, Any] = {"extensions": ["toc", "tables", "fenced_code"], "configs": {}}
MATERIAL: dict[str, Any] = {
    "extensions": [
        "toc",
        "tables",
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "footnotes",
        "md_in_html",
        "pymdownx.betterem",
        "pymdownx.caret",
        "pymdownx.critic",
        "pymdownx.details",
        "pymdownx.emoji",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.keys",
        "pymdownx.magiclink",
        "pymdownx.mark",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "pymdownx.tilde",
        "pymdownx.blocks.admonition",
        "pymdownx.blocks.details",
        "pymdownx.blocks.html",
    ],
    "configs": {
        "toc": {"permalink": True},
        "pymdownx.superfences": {
            "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
        },
        "pymdownx.tasklist": {"custom_checkbox": True},
    },
}
SETS = {"default": DEFAULT, "material": MATERIAL}

_FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "audio",
    "video",
    "source",
    "template",
    "dialog",
    "portal",
}
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_TABLE_ALIGNMENT = re.compile(r"text-align: (left|right|center);")


def render(source: str, extensions: dict[str, Any]) -> BeautifulSoup:
    """Markdown to parsed HTML with one of the extension sets."""
    converter = markdown.Markdown(
        extensions=extensions["extensions"], extension_configs=extensions["configs"]
    )
    return BeautifulSoup(converter.convert(source), "html.parser")


def unsafe_markup(root: BeautifulSoup | Tag) -> list[str]:
    """Every element, attribute or link in `root` that plan text must never produce."""
    found = []
    for element in root.find_all(True):
        if element.name in _FORBIDDEN_ELEMENTS or "xss" in element.name:
            found.append(f"element <{element.name}>")
        for name, value in element.attrs.items():
            if name == "style" and _TABLE_ALIGNMENT.fullmatch(str(value)):
                continue  # what Markdown tables write for `:---:`
            if name.startswith("on") or name in ("style", "srcdoc", "formaction") or "xss" in name:
                found.append(f"attribute {name} on <{element.name}>")
            if name in ("href", "src", "action", "data", "poster", "xlink:href"):
                url = "".join(ch for ch in html.unescape(str(value)) if ch not in "\t\n\r")
                scheme = _SCHEME.match(url.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"))
                if scheme and scheme[1].lower() not in _SAFE_SCHEMES:
                    found.append(f"{name}={value!r} on <{element.name}>")
    return found


def words(text: str) -> str:
    """Text with runs of whitespace as single spaces, as a reader sees it."""
    return " ".join(text.split())
