"""`aidf report --format html` in a real browser: headless Chromium (Debian's `chromium`) loads the
page, and the test reads the text it shows, its console, and the PDF it prints."""
from __future__ import annotations

import html.parser
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AIDF = pathlib.Path(sys.executable).parent / "aidf"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    return next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)


BROWSER = find_browser()
# `make test` installs Chromium and sets AIDF_REQUIRE_CHROMIUM=1: there a missing browser fails the
# run instead of skipping the test. A bare `pytest` on a machine without it skips, and says why.
if BROWSER is None and os.environ.get("AIDF_REQUIRE_CHROMIUM") == "1":
    raise RuntimeError("AIDF_REQUIRE_CHROMIUM=1 but no chromium, chromium-browser or google-chrome on PATH")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium found (looked for chromium, "
                                                        "chromium-browser, google-chrome); on Debian: "
                                                        "apt-get install chromium")


def chromium(tmp_path: pathlib.Path, page: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    """Chromium on a file, its console written to stderr. A profile of its own, so runs never share
    a lock."""
    command = [BROWSER, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args,
               page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


def console(result: subprocess.CompletedProcess) -> list[str]:
    """What the page wrote to the console: script errors, blocked loads (CSP), console.* calls.
    Chromium logs them as "...:CONSOLE:N] "message", source: ..." lines."""
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


class _Text(html.parser.HTMLParser):
    """The text a reader sees (no <style>, <title> of the page or SVG kept apart), and the tags."""

    def __init__(self):
        super().__init__()
        self.parts, self.tags, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._skip += tag in ("style", "head")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "head")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def shown(dom: str) -> _Text:
    parser = _Text()
    parser.feed(dom)
    return parser


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> pathlib.Path:
    """A report on an allowed LPP export whose request_id is a script tag, a UVEU placement over
    its 7% limit and a country allocation exceeded, written by the installed command."""
    folder = tmp_path_factory.mktemp("report")
    hostile = json.loads((EXAMPLES / "03-lpp-singapore-first-order.json").read_text())
    hostile["request_id"] = "<script>alert(1)</script>"
    (folder / "hostile.json").write_text(json.dumps(hostile))
    out = folder / "report.html"
    result = subprocess.run([str(AIDF), "report", str(folder / "hostile.json"),
                             str(EXAMPLES / "22-plan-uveu-7-percent-one-tpp-over.json"),
                             str(EXAMPLES / "41-allocation-malaysia-one-tpp-over.json"),
                             "--format", "html", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out


def test_the_console_check_sees_errors(tmp_path):
    """The check below would pass on any page if Chromium's console never reached stderr."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>"
                      "<script>console.error('seen-by-the-test'); notDefined();</script></body></html>")
    messages = console(chromium(tmp_path, broken, "--dump-dom"))
    assert any("seen-by-the-test" in m for m in messages), messages
    assert any("notDefined" in m for m in messages), messages


def test_the_page_shows_the_decisions_and_logs_nothing(tmp_path, page):
    result = chromium(tmp_path, page, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console(result) == []  # no script error, no blocked load, nothing at all
    dom = shown(result.stdout)
    text = dom.text
    assert "Request <script>alert(1)</script>" in text  # the hostile request_id, shown as text
    assert "script" not in dom.tags
    assert "Allowed Outcome: license exception Authorization: LPP" in text
    assert "Not allowed Outcome: not authorized" in text
    assert "Not allowed Outcome: beyond allocation" in text
    assert "15 CFR 740.29(f)" in text and "Due: before the shipment." in text
    assert "Malaysia (MY) (binding): over the limit" in text
    assert dom.tags.count("svg") == 5 and dom.tags.count("title") == 6  # five charts, each titled


def test_the_page_prints_one_request_per_page(tmp_path, page):
    pdf = tmp_path / "report.pdf"
    result = chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console(result) == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages >= 3, pages  # each of the three requests starts a page
