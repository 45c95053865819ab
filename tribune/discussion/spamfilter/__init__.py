"""The learning spam filter: pure features and model (no ORM) in this package."""
