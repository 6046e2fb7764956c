"""The package is layered in pipeline order, and imports go one way (format ← markdown ← site ←
render ← config ← build ← plugin / zensical / cli): a module never imports from a layer above
its own, and the three adapters never import from one another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mkdocs_techplan"
LAYERS = ["format", "markdown", "site", "render", "config", "build"]
ADAPTERS = ["plugin", "zensical", "cli"]
"""Above the core, side by side: each calls the core and none calls another."""
TOP = len(LAYERS)


def layer_of(module: str) -> int:
    """`mkdocs_techplan.site.references` → 2; the adapters are on top."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return TOP


def adapter_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ADAPTERS else None


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every `mkdocs_techplan` module a file imports, type-checking imports included."""
    return imported_modules_at(path, PACKAGE)


def imported_modules_at(path: Path, package: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    own = "mkdocs_techplan." + ".".join(path.relative_to(package).with_suffix("").parts)
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
        or (adapter_of(name) is not None and adapter_of(name) != adapter_of(own))
    ]
    assert backwards == []


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package must be placed in the pipeline, not float above it."""
    names = {path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()}
    names -= {"__init__", "__pycache__", "templates", "assets", "schema", "py"}
    assert sorted(name for name in names if name not in LAYERS + ADAPTERS) == []


def test_every_layer_says_what_it_owns() -> None:
    for layer in [*LAYERS, *ADAPTERS]:
        path = PACKAGE / layer / "__init__.py"
        if not path.exists():
            path = PACKAGE / f"{layer}.py"
        docstring = ast.get_docstring(ast.parse(path.read_text()))
        assert docstring and len(docstring.split()) > 10, layer


def test_the_check_sees_a_backwards_import(tmp_path: Path) -> None:
    assert layer_of("mkdocs_techplan.render.badges") > layer_of("mkdocs_techplan.site.placement")
    assert layer_of("mkdocs_techplan.build.core") > layer_of("mkdocs_techplan.config")
    assert layer_of("mkdocs_techplan.plugin.events") > layer_of("mkdocs_techplan.build.core")


def test_the_check_sees_a_command_importing_the_plugin(tmp_path: Path) -> None:
    """`cli/` importing the MkDocs plugin (as it once did to load a site) is refused."""
    fake = tmp_path / "mkdocs_techplan" / "cli"
    fake.mkdir(parents=True)
    module = fake / "loading.py"
    module.write_text("from mkdocs_techplan.plugin.events import TechPlanPlugin\n")
    imported = imported_modules_at(module, tmp_path / "mkdocs_techplan")
    own = "mkdocs_techplan.cli.loading"
    assert [name for _, name in imported] == ["mkdocs_techplan.plugin.events"]
    assert adapter_of(imported[0][1]) != adapter_of(own)
