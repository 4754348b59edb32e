"""The Data page's collaboration-metadata section in a real browser: upload an e-mail log, make ties, read the report."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.e2e.e2e_support import ROOT, open_page, screenshot, wait_idle


def demo_addresses(n: int) -> list[str]:
    with open(ROOT / "data" / "demo" / "stakeholders.csv", newline="") as fp:
        return [row["email"] for row in csv.DictReader(fp)][:n]


def test_an_email_log_becomes_ties_and_the_report_shows_its_figures(page, app_url, tmp_path: Path):
    a, b, c = demo_addresses(3)
    log = tmp_path / "mail.csv"
    log.write_text("Date,From,To,Subject\n"
                   f"2026-03-02 09:14,{a},{b};{c},never read\n"
                   f"2026-03-03 10:00,{b.upper()},{a};outsider@elsewhere.org,never read\n")
    open_page(page, f"{app_url}/data")
    page.get_by_text("Collaboration metadata: ties from an e-mail or meeting log").click()
    page.get_by_test_id("stFileUploader").filter(has_text="E-mail or meeting log").locator(
        "input[type=file]").set_input_files(str(log))
    wait_idle(page)
    page.get_by_role("button", name="Make ties", exact=True).click()
    success = page.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    wait_idle(page)
    text = success.inner_text()
    assert "ties made: 3 email" in text and "reciprocated pairs: 1" in text and "outsider@elsewhere.org" in text
    success.scroll_into_view_if_needed()
    screenshot(page, "data-interactions-import")
