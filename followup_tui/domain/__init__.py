"""The domain: pure Python, no Textual, no SQLite, no clock. `now` is always a parameter."""
