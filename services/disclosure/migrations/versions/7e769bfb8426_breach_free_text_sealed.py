"""breach free text sealed

The breach register's free texts (``consequences``, ``measures``) may describe persons and were
stored in plain text (issue #14). They become AES-GCM ciphertexts (``*_sealed``) under a data
key of each breach's own, stored wrapped by the service key ring (``wrapped_key``), each bound
to its breach and field (associated data ``<breach_id>:<field>``, as
``services/disclosure/adapters/subject_rights.py`` binds them). ``nature`` is a code and stays.

Existing rows are sealed here, so the plain columns can be dropped in the same step: a two-step
change (seal at start, drop later) would keep the plain text on disk until a second release.
Sealing needs the key ring, which Alembic is not given: the migration reads the service's
settings from the environment (``ZORGTAFEL_ENCRYPTION_KEYS_FILE``, else the dev default under
``ZORGTAFEL_DATA_DIR``), as ``zorgtafel migrate`` and ``zorgtafel serve`` see them.

- No breach recorded yet (a new deployment, or none ever reported): nothing to seal, no key is
  needed, the columns change.
- Breaches recorded and the key file present: each row gets a fresh data key and its texts are
  sealed, in the migration's transaction.
- Breaches recorded and no key file: the migration refuses, before changing anything, and says
  what to do. Dropping the texts unsealed would lose a GDPR art. 33(5) record; keeping them in
  plain text is the fault this step removes. (The Kubernetes ``migrate`` init container does
  not mount the encryption keys: a deployment that holds breaches runs this step once with
  them, e.g. ``zorgtafel migrate disclosure`` with the key file.)

The downgrade unseals the same way (and refuses likewise without the key file).

Revision ID: 7e769bfb8426
Revises: c087792df0f6
Create Date: 2026-12-02 08:06:51.810357
"""

import sqlalchemy as sa
from alembic import context, op

revision = "7e769bfb8426"
down_revision = "c087792df0f6"
branch_labels = None
depends_on = None

TEXTS = ("consequences", "measures")


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _associated(breach_id: str, field: str) -> bytes:
    return f"{breach_id}:{field}".encode()


def _keyring_for(conn, breaches: sa.Table, direction: str):
    """The service key ring, or None when no breach is stored (nothing to seal or open)."""
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.crypto import KeyRing

    stored = conn.execute(sa.select(sa.func.count()).select_from(breaches)).scalar_one()
    if not stored:
        return None
    keys_file = Settings.from_env("disclosure").effective_encryption_keys_file
    if not keys_file.exists():
        raise RuntimeError(
            f"{stored} breach(es) are stored and their free texts must be {direction}, but the "
            f"service's encryption keys file ({keys_file}) is not there: run this migration "
            "with ZORGTAFEL_ENCRYPTION_KEYS_FILE set to the disclosure service's key ring "
            "(nothing was changed)"
        )
    return KeyRing.from_file(keys_file)


def upgrade() -> None:
    from zorgtafel.kernel.crypto import new_data_key, seal

    schema = _schema()
    conn = op.get_bind()
    old = sa.Table("breaches", sa.MetaData(schema=schema), autoload_with=conn)
    ring = _keyring_for(conn, old, "sealed")  # before any change: a refusal leaves all as was

    with op.batch_alter_table("breaches", schema=schema) as batch_op:
        batch_op.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("consequences_sealed", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("measures_sealed", sa.LargeBinary(), nullable=True))

    if ring is not None:
        t = sa.Table("breaches", sa.MetaData(schema=schema), autoload_with=conn)
        rows = conn.execute(sa.select(t.c.breach_id, *(t.c[f] for f in TEXTS))).all()
        for row in rows:
            key = new_data_key()
            conn.execute(
                sa.update(t)
                .where(t.c.breach_id == row.breach_id)
                .values(
                    wrapped_key=ring.wrap(key),
                    **{
                        f"{f}_sealed": seal(
                            key, (getattr(row, f) or "").encode(), _associated(row.breach_id, f)
                        )
                        for f in TEXTS
                    },
                )
            )

    with op.batch_alter_table("breaches", schema=schema) as batch_op:
        for name in ("wrapped_key", "consequences_sealed", "measures_sealed"):
            batch_op.alter_column(name, existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("measures")
        batch_op.drop_column("consequences")


def downgrade() -> None:
    from zorgtafel.kernel.crypto import open_sealed

    schema = _schema()
    conn = op.get_bind()
    sealed = sa.Table("breaches", sa.MetaData(schema=schema), autoload_with=conn)
    ring = _keyring_for(conn, sealed, "unsealed")

    with op.batch_alter_table("breaches", schema=schema) as batch_op:
        batch_op.add_column(sa.Column("consequences", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("measures", sa.Text(), nullable=True))

    if ring is not None:
        t = sa.Table("breaches", sa.MetaData(schema=schema), autoload_with=conn)
        rows = conn.execute(
            sa.select(t.c.breach_id, t.c.wrapped_key, *(t.c[f"{f}_sealed"] for f in TEXTS))
        ).all()
        for row in rows:
            key = ring.unwrap(row.wrapped_key)
            conn.execute(
                sa.update(t)
                .where(t.c.breach_id == row.breach_id)
                .values(
                    **{
                        f: open_sealed(
                            key, getattr(row, f"{f}_sealed"), _associated(row.breach_id, f)
                        ).decode()
                        for f in TEXTS
                    }
                )
            )

    with op.batch_alter_table("breaches", schema=schema) as batch_op:
        for name in TEXTS:
            batch_op.alter_column(name, existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("measures_sealed")
        batch_op.drop_column("consequences_sealed")
        batch_op.drop_column("wrapped_key")
