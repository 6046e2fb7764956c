"""Compiled plan templates are kept between processes (a one-off `mkdocs build` compiled them
afresh each time), and a cache that is damaged or cannot be written is no cache, never an
error."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from mkdocs_techplan.render.renderer import _CompiledTemplates

TEMPLATE = "{% for item in items %}- {{ item }}\n{% endfor %}"


def _environment(cache: _CompiledTemplates) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader({"plan.md.j2": TEMPLATE}), bytecode_cache=cache
    )


def test_a_new_process_loads_the_templates_another_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _environment(_CompiledTemplates(str(tmp_path)))
    rendered = first.get_template("plan.md.j2")
    assert [p.name for p in tmp_path.iterdir()] and all(
        p.name.startswith("mkdocs-techplan-") for p in tmp_path.iterdir()
    )

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    second = _environment(_CompiledTemplates(str(tmp_path)))  # as in a new process
    monkeypatch.setattr(second, "compile", no_compiling)
    loaded = second.get_template("plan.md.j2")
    assert loaded.render(items=[1, 2]) == rendered.render(items=[1, 2]) == "- 1\n- 2\n"


def test_a_damaged_or_unwritable_cache_compiles(tmp_path: Path) -> None:
    _environment(_CompiledTemplates(str(tmp_path))).get_template("plan.md.j2")
    for entry in tmp_path.iterdir():
        entry.write_bytes(entry.read_bytes()[:40])  # cut short
    template = _environment(_CompiledTemplates(str(tmp_path))).get_template("plan.md.j2")
    assert template.render(items=[3]) == "- 3\n"

    missing = _CompiledTemplates(str(tmp_path / "not" / "there"))
    template = _environment(missing).get_template("plan.md.j2")
    assert template.render(items=[4]) == "- 4\n"
