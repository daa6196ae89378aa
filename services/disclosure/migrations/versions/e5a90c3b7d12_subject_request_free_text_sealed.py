"""subject request free text sealed

A subject request's free texts (the subject's ``document_ref`` and the privacy officer's
``reason``) are about the subject and were stored in plain text (issue #14: every free text
encrypted). They become AES-GCM ciphertexts (``*_sealed``) under a data key of each request's
own, stored wrapped by the service key ring (``wrapped_key``), each bound to its request and
field (associated data ``<subject_request_id>:<field>``, as
``services/disclosure/adapters/subject_rights.py`` binds them; why not the case key is said
there). An empty ``document_ref`` (a request unlinked at its case's purge) and an absent
``reason`` (not decided, or unlinked) become NULL, as the repository stores them.

As the breach texts were sealed (7e769bfb8426), existing rows are sealed here and the plain
columns dropped in the same step, so no plain text stays on disk until a later release. Sealing
needs the key ring, which Alembic is not given: the migration reads the service's settings
from the environment (``ZORGTAFEL_ENCRYPTION_KEYS_FILE``, else the dev default under
``ZORGTAFEL_DATA_DIR``), as ``zorgtafel migrate`` and ``zorgtafel serve`` see them.

- No subject request stored: nothing to seal, no key is needed, the columns change.
- Requests stored and the key file present: each row gets a fresh data key and its texts are
  sealed, in the migration's transaction.
- Requests stored and no key file: the migration refuses, before changing anything, and says
  what to do (run ``zorgtafel migrate disclosure`` once with the key file). Dropping the texts
  unsealed would lose the controller's account of a request (GDPR art. 5(2)); keeping them in
  plain text is the fault this step removes.

The kernel's stored answers to DecideSubjectRequest (``command_results``) held a copy of each
decided request's texts; that copy is removed here (the servicer no longer stores it).

The downgrade unseals the same way (and refuses likewise without the key file).

Revision ID: e5a90c3b7d12
Revises: d4b2f86a0e31
Create Date: 2026-12-02 10:45:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "e5a90c3b7d12"
down_revision = "d4b2f86a0e31"
branch_labels = None
depends_on = None

TABLE = "subject_requests"
TEXTS = ("document_ref", "reason")
# The kernel's name of the RPC whose stored answers carried the texts (frozen: the method as
# stored when this revision was written).
DECIDE = "/zorgtafel.disclosure.v1.DisclosureService/DecideSubjectRequest"


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _associated(subject_request_id: str, field: str) -> bytes:
    return f"{subject_request_id}:{field}".encode()


def _keyring_for(conn, requests: sa.Table, direction: str):
    """The service key ring, or None when no request is stored (nothing to seal or open)."""
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.crypto import KeyRing

    stored = conn.execute(sa.select(sa.func.count()).select_from(requests)).scalar_one()
    if not stored:
        return None
    keys_file = Settings.from_env("disclosure").effective_encryption_keys_file
    if not keys_file.exists():
        raise RuntimeError(
            f"{stored} subject request(s) are stored and their free texts must be {direction}, "
            f"but the service's encryption keys file ({keys_file}) is not there: run this "
            "migration with ZORGTAFEL_ENCRYPTION_KEYS_FILE set to the disclosure service's key "
            "ring (nothing was changed)"
        )
    return KeyRing.from_file(keys_file)


def upgrade() -> None:
    from zorgtafel.kernel.crypto import new_data_key, seal

    schema = _schema()
    conn = op.get_bind()
    old = sa.Table(TABLE, sa.MetaData(schema=schema), autoload_with=conn)
    ring = _keyring_for(conn, old, "sealed")  # before any change: a refusal leaves all as was

    with op.batch_alter_table(TABLE, schema=schema) as batch_op:
        batch_op.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("document_ref_sealed", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("reason_sealed", sa.LargeBinary(), nullable=True))

    if ring is not None:
        t = sa.Table(TABLE, sa.MetaData(schema=schema), autoload_with=conn)
        rows = conn.execute(sa.select(t.c.subject_request_id, *(t.c[f] for f in TEXTS))).all()
        for row in rows:
            key = new_data_key()
            ref = row.subject_request_id
            conn.execute(
                sa.update(t)
                .where(t.c.subject_request_id == ref)
                .values(
                    wrapped_key=ring.wrap(key),
                    # As the repository stores them: an empty reference is one unlinked at a
                    # purge (NULL), an empty reason is a grant's answer without one (sealed).
                    document_ref_sealed=(
                        seal(key, row.document_ref.encode(), _associated(ref, "document_ref"))
                        if row.document_ref
                        else None
                    ),
                    reason_sealed=(
                        seal(key, row.reason.encode(), _associated(ref, "reason"))
                        if row.reason is not None
                        else None
                    ),
                )
            )

    with op.batch_alter_table(TABLE, schema=schema) as batch_op:
        batch_op.alter_column("wrapped_key", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("reason")
        batch_op.drop_column("document_ref")

    _strip_stored_answers(conn, schema)


def _strip_stored_answers(conn, schema: str | None) -> None:
    """The kernel's stored answers to DecideSubjectRequest (``command_results``, kept for a
    repeat of the same request id) held the request with its texts in plain text: they go from
    there (the servicer now stores the answer without them and reads them back sealed). Not
    restored by the downgrade: a repeat of such a decision then answers without its texts."""
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

    t = sa.Table("command_results", sa.MetaData(schema=schema), autoload_with=conn)
    rows = conn.execute(
        sa.select(t.c.party_id, t.c.request_id, t.c.response).where(t.c.method == DECIDE)
    ).all()
    for row in rows:
        answer = pb.DecideSubjectRequestResponse.FromString(bytes(row.response))
        answer.request.document_ref = ""
        answer.request.reason = ""
        conn.execute(
            sa.update(t)
            .where(t.c.party_id == row.party_id, t.c.request_id == row.request_id)
            .values(response=answer.SerializeToString(deterministic=True))
        )


def downgrade() -> None:
    from zorgtafel.kernel.crypto import open_sealed

    schema = _schema()
    conn = op.get_bind()
    sealed = sa.Table(TABLE, sa.MetaData(schema=schema), autoload_with=conn)
    ring = _keyring_for(conn, sealed, "unsealed")

    with op.batch_alter_table(TABLE, schema=schema) as batch_op:
        batch_op.add_column(sa.Column("document_ref", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))

    if ring is not None:
        t = sa.Table(TABLE, sa.MetaData(schema=schema), autoload_with=conn)
        rows = conn.execute(
            sa.select(t.c.subject_request_id, t.c.wrapped_key, *(t.c[f"{f}_sealed"] for f in TEXTS))
        ).all()
        for row in rows:
            key = ring.unwrap(row.wrapped_key)
            ref = row.subject_request_id
            texts = {
                f: (
                    open_sealed(key, bytes(value), _associated(ref, f)).decode()
                    if (value := getattr(row, f"{f}_sealed")) is not None
                    else None
                )
                for f in TEXTS
            }
            conn.execute(
                sa.update(t)
                .where(t.c.subject_request_id == ref)
                .values(document_ref=texts["document_ref"] or "", reason=texts["reason"])
            )

    with op.batch_alter_table(TABLE, schema=schema) as batch_op:
        batch_op.alter_column("document_ref", existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column("reason_sealed")
        batch_op.drop_column("document_ref_sealed")
        batch_op.drop_column("wrapped_key")
