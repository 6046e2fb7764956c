"""End-to-end tests: the example site built, served on 127.0.0.1 and read in headless Chromium."""
