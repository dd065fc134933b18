"""Headless Chromium for the HTML report's tests and benchmark, driven by selenium and Debian's chromedriver.

`chromium_or_skip()` gives the reason the browser cannot run here, or None. Locally a missing
browser skips its tests; with RECONCILE_REQUIRE_BROWSER=1 (.ci/run sets it) it fails them instead,
so that CI cannot pass without having run them.
"""
from __future__ import annotations

import os
import shutil
import tempfile

CHROMIUM = os.environ.get("RECONCILE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RECONCILE_CHROMEDRIVER", "/usr/bin/chromedriver")
# Known to work as root in a container: no sandbox, no GPU, and nothing that phones home.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install '.[test]')"
    return None


def required() -> bool:
    return os.environ.get("RECONCILE_REQUIRE_BROWSER") == "1"


class Browser:
    """One Chromium with its own fresh profile folder, removed on quit."""

    def __init__(self, width: int = 1280, height: int = 800):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="reconcile-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        # The performance log carries the DevTools network events: every request the page makes.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.resize(width, height)

    def resize(self, width: int, height: int) -> None:
        """The viewport itself (a headless window is never narrower than 500 px): a phone is 390 wide."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def open(self, path, wait: float = 10.0) -> None:
        """Load a file and wait until the report's script has built the page."""
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver.get(f"file://{os.path.abspath(path)}")
        WebDriverWait(self.driver, wait).until(
            lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def requests(self) -> list[str]:
        """URLs the page asked for since the last call (DevTools Network.requestWillBeSent)."""
        import json

        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def console(self) -> list[str]:
        """Console messages since the last call: errors, and the CSP's refusals."""
        return [entry["message"] for entry in self.driver.get_log("browser")]

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
