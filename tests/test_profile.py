"""Site profiles: TOML data laid over the default profile."""

from __future__ import annotations

import dataclasses

import pytest

from pipelines.profile import SiteProfile, load_profile


def test_materna_profile() -> None:
    profile = load_profile("materna")
    assert profile.base_url == "https://blog.materna.de/"
    assert profile.timezone == "Europe/Berlin"
    assert profile.language == "de"
    assert "Der Materna Blog – wissen was los ist" in profile.label("site_name")
    assert "Schreibe einen Kommentar" in profile.label("comment_form")
    # inherited from default.toml
    assert "Schlagwörter:" in profile.label("tags")
    assert "Autoreninfo" in profile.label("author_box")


def test_unknown_name_gets_default_profile() -> None:
    profile = load_profile("some-other-blog")
    assert profile.name == "some-other-blog"
    assert profile.timezone == "Europe/Berlin"
    assert profile.label("site_name") == []
    assert "Über den Autor" in profile.label("author_box")


def test_profile_is_frozen() -> None:
    profile = load_profile("materna")
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "x"  # type: ignore[misc]


def test_with_overrides_merges_per_key() -> None:
    profile = load_profile("materna").with_overrides(selectors={"title": ["h1.headline"]})
    assert isinstance(profile, SiteProfile)
    assert profile.selector("title") == ["h1.headline"]
    assert profile.selector("body") == []
    assert load_profile("materna").selector("title") == []
