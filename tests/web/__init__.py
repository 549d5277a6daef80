"""Browser tests of the web pages (Chromium, driven by Playwright)."""
