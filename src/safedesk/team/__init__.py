"""The team library: a PostgreSQL database a team shares, with the local library as working copy.

Qt-free, and imported only when a `team` command runs (it brings in the PostgreSQL driver).
The server side lives here: `connect` (libpq URLs, passwords, one-line errors), `schema` (the
team schema version an app can read), `setup` (create and upgrade a team library), `members`
(roles and the editor right), `records` (what arrives from the server, validated as untrusted),
`push` and `pull` (the sync primitives), `files` (document files by content hash). The design of
the client half is in docs/team-sync-design.md.
"""
