"""A real headless Chromium for page tests (Debian's chromium and chromium-driver, installed by
.ci/run), and where their screenshots are kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def headless_chromium(window_size: str = "1280,1400"):
    """A selenium driver for headless Chromium; the test is skipped where there is none."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (*CHROMIUM_ARGS, f"--window-size={window_size}"):
        options.add_argument(argument)
    try:
        browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver))
    except WebDriverException as error:
        pytest.skip(f"chromium cannot start here: {error.msg}")
    # Headless Chromium widens a --window-size under 500 px to 500; resizing afterwards gives a
    # phone's 390 px viewport.
    width, height = (int(n) for n in window_size.split(","))
    browser.set_window_size(width, height)
    return browser


def save_screenshot(browser, name: str, tmp_path: Path) -> Path:
    """Save a screenshot in ``tmp_path`` and, when TSUM_TEST_ARTIFACTS is set, there too."""
    path = tmp_path / name
    browser.save_screenshot(str(path))
    folder = os.environ.get("TSUM_TEST_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / name)
    return path
