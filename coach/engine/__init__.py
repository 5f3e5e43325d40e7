"""The dialogue engine: loading, validating and building dialogues. No UI here."""
