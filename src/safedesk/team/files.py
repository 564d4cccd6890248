"""A shared document's original file, stored on the team server under its SHA-256.

Content-addressed, so sharing the same file twice stores it once, sending it again after a
dropped connection changes nothing, and what arrives is checked against the hash it was asked for
(the server checks the same on the way in). A file is never named after anything a teammate
typed: a client stores it under its hash.
"""

from __future__ import annotations

import hashlib

import psycopg

from safedesk.team.connect import Connection, server_of, translate
from safedesk.team.errors import TeamError
from safedesk.team.records import MAX_FILE_BYTES


def put_file(conn: Connection, content: bytes) -> str:
    """Store `content` on the server (if it is not there yet); returns its SHA-256 (hex)."""
    if not 1 <= len(content) <= MAX_FILE_BYTES:
        raise TeamError(
            f"a shared file has 1 byte to {MAX_FILE_BYTES // 1048576} MiB; this one has "
            f"{len(content)} bytes"
        )
    digest = hashlib.sha256(content).hexdigest()
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO safedesk.document_file (sha256, content) VALUES (%s, %s) "
                "ON CONFLICT (sha256) DO NOTHING",
                (digest, content),
            )
    except psycopg.Error as exc:
        raise translate(exc, "sending a document's file", server_of(conn)) from None
    return digest


def fetch_file(conn: Connection, sha256: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file with this SHA-256, checked (size first, then the hash) before it is returned."""
    server = server_of(conn)
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT octet_length(content) FROM safedesk.document_file WHERE sha256 = %s",
                (sha256,),
            ).fetchone()
            if row is None:
                raise TeamError(f"the team server has no file {sha256[:12]}…")
            if row[0] > max_bytes:
                raise TeamError(
                    f"a shared file is {row[0] / 1048576:.1f} MiB; shared files are limited to "
                    f"{max_bytes // 1048576} MiB"
                )
            found = conn.execute(
                "SELECT content FROM safedesk.document_file WHERE sha256 = %s", (sha256,)
            ).fetchone()
    except psycopg.Error as exc:
        raise translate(exc, "fetching a document's file", server) from None
    assert found is not None
    content = bytes(found[0])
    if hashlib.sha256(content).hexdigest() != sha256:
        raise TeamError(f"the file {sha256[:12]}… arrived damaged (its hash differs); not used")
    return content
