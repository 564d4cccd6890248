"""SQLite storage: tables (SQLModel), opening and migrating, importing, reading."""
