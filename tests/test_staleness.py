"""The optional staleness check, in a real temporary git repository."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import Any

import conftest
import pytest
from conftest import BuildResult, SiteBuilder

from mkdocs_techplan.site import staleness

CHECK = {"staleness_check": True}


@pytest.fixture(autouse=True)
def _isolated_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")  # as `mkdocs build` does; info lines count
    # Never let git find a repository above the test's folder, or the user's git config.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com")
    env.update(GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com")
    if date:
        env.update(GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00", GIT_AUTHOR_DATE=f"{date}T12:00:00")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _approved(site: SiteBuilder, name: str, date: str, specification: str) -> None:
    site.write(
        f"plans/{name}/plan.yaml",
        f"title: Plan {name}\nstatus: Approved\nauthor: Ada\ndate: {date}\n"
        f"specification: {specification}\nrevisions: [{{version: '1', changes: first}}]\n",
    )


def _repository(site: SiteBuilder) -> None:
    """Specs committed on 2026-01-10; the auth spec changed again on 2026-03-10."""
    site.write("specs/auth.md", "# Authentication\n")
    site.write("specs/billing.md", "# Billing\n")
    _git(site.root, "init", "-q")
    _git(site.root, "add", "docs")
    _git(site.root, "commit", "-q", "-m", "specs", date="2026-01-10")
    site.write("specs/auth.md", "# Authentication\n\nTokens now expire.\n")
    _git(site.root, "commit", "-q", "-am", "auth changed", date="2026-03-10")


def _infos(result: BuildResult) -> list[str]:
    prefix = "INFO mkdocs_techplan: "
    return [m.removeprefix(prefix) for m in result.messages if m.startswith(prefix)]


def _notice(result: BuildResult, name: str) -> Any:
    return result.content(f"plans/{name}/index.html").select_one(".techplan-notice--stale")


def test_spec_committed_after_the_plan_date_gets_a_notice_and_a_log_line(
    site: SiteBuilder,
) -> None:
    _repository(site)
    _approved(site, "stale", "2026-02-01", "../../specs/auth.md")
    _approved(site, "fresh", "2026-03-10", "../../specs/auth.md")  # same day: not stale
    _approved(site, "other", "2026-02-01", "../../specs/billing.md")
    result = site.build(plugin_options=CHECK)
    assert not result.failed, result.messages  # a notice, not a warning
    assert (
        "docs/plans/stale/plan.yaml: the specification changed after this plan was approved: "
        "specs/auth.md was last committed on 2026-03-10, the plan is dated 2026-02-01"
    ) in _infos(result)
    assert not [line for line in _infos(result) if "fresh" in line or "other" in line]

    notice = _notice(result, "stale")
    assert notice is not None
    assert notice.find("strong").get_text() == (
        "The specification changed after this plan was approved."
    )
    link = notice.find("a")
    assert (link.get_text(), link["href"]) == ("Authentication", "../../specs/auth/")
    assert "last changed on 2026-03-10; this plan is dated 2026-02-01" in notice.get_text()
    assert _notice(result, "fresh") is None
    assert _notice(result, "other") is None


def test_only_approved_plans_are_checked(site: SiteBuilder) -> None:
    _repository(site)
    site.write(
        "plans/review/plan.yaml",
        "title: R\nstatus: In Review\nauthor: Ada\ndate: 2026-02-01\n"
        "specification: ../../specs/auth.md\n",
    )
    result = site.build(plugin_options=CHECK)
    assert _notice(result, "review") is None


def test_check_is_off_by_default(site: SiteBuilder) -> None:
    _repository(site)
    _approved(site, "stale", "2026-02-01", "../../specs/auth.md")
    result = site.build()
    assert not result.failed, result.messages
    assert _notice(result, "stale") is None
    assert not [line for line in _infos(result) if "specification changed" in line]


def test_outside_a_git_checkout_the_check_is_silent(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication\n")
    _approved(site, "p", "2026-02-01", "../../specs/auth.md")
    result = site.build(plugin_options=CHECK)
    assert not result.failed, result.messages
    assert _notice(result, "p") is None
    assert not [line for line in _infos(result) if "specification" in line]


def test_without_a_git_program_the_check_is_silent(
    site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repository(site)
    _approved(site, "stale", "2026-02-01", "../../specs/auth.md")
    monkeypatch.setenv("PATH", str(site.root / "no-such-bin"))
    result = site.build(plugin_options=CHECK)
    assert not result.failed, result.messages
    assert _notice(result, "stale") is None


def test_git_log_runs_once_for_the_whole_site(
    site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repository(site)
    for name in ("a", "b", "c"):
        _approved(site, name, "2026-02-01", "../../specs/auth.md")
    _approved(site, "d", "2026-02-01", "[../../specs/billing.md, /specs/auth.md]")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: Any) -> Any:
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(staleness.subprocess, "run", counting_run)
    monkeypatch.setattr(conftest, "VERDICT_CHECK", False)  # counts this build's git runs only
    result = site.build(plugin_options=CHECK)
    assert not result.failed, result.messages
    # One `git log` for the whole site, not one per specification page: 800 specs in a
    # repository of 4,000 commits took 19 s that way.
    assert len([args for args in calls if "log" in args]) == 1
    assert [_notice(result, name) is not None for name in "abcd"] == [True] * 4
