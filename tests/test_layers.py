"""The package is layered in pipeline order, and imports go one way (format ← markdown ← site ←
render ← plugin / config / cli): a module never imports from a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mkdocs_techplan"
LAYERS = ["format", "markdown", "site", "render"]
TOP = len(LAYERS)  # plugin.py, config.py, cli/ and the other adapters


def layer_of(module: str) -> int:
    """`mkdocs_techplan.site.references` → 2; modules outside the four layers are on top."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return TOP


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every `mkdocs_techplan` module a file imports, type-checking imports included."""
    tree = ast.parse(path.read_text(), str(path))
    own = "mkdocs_techplan." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = own.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.split(".")[0] == "mkdocs_techplan"]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_from_its_layer_or_below(path: Path) -> None:
    own = "mkdocs_techplan." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    backwards = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for line, name in imported_modules(path)
        if layer_of(name) > layer_of(own)
    ]
    assert backwards == []


def test_every_layer_says_what_it_owns() -> None:
    for layer in [*LAYERS, "cli"]:
        docstring = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text()))
        assert docstring and len(docstring.split()) > 10, layer


def test_the_check_sees_a_backwards_import(tmp_path: Path) -> None:
    assert layer_of("mkdocs_techplan.render.badges") > layer_of("mkdocs_techplan.site.placement")
    assert layer_of("mkdocs_techplan.config") > layer_of("mkdocs_techplan.render.outputs")
