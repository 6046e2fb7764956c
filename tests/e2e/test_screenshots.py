"""The README's screenshots can be regenerated: the script writes every picture it promises."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .screenshots import SHOTS, VIEWPORT, ZENSICAL_SHOTS, take

pytestmark = pytest.mark.e2e


def test_screenshot_script_writes_each_picture_light_and_dark(
    browser: Browser, tmp_path: Path
) -> None:
    written = take(tmp_path, browser)
    expected = {f"{stem}-{scheme}.png" for stem, _, _ in SHOTS for scheme in ("light", "dark")}
    expected |= {f"{stem}-light.png" for stem, _ in ZENSICAL_SHOTS}
    assert {path.name for path in written} == expected
    for path in written:
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", path.name
        width, height = struct.unpack(">II", header[16:24])
        assert 0 < width <= VIEWPORT["width"] and 0 < height <= VIEWPORT["height"], path.name
