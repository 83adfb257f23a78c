"""Pure Block Kit builders: plain data in, Slack message or view dicts out. No I/O here."""
