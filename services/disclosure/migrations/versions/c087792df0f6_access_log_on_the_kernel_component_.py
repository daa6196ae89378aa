"""access log on the kernel component: Merkle tree, signed checkpoints

The hash-chained records become the leaves of the kernel's Merkle tree (issue #15). The old
chain is verified first: a log already broken is not laundered into a new, intact-looking
tree (the migration stops and says where). The service signs the first checkpoint over the
taken-over records at start (the migration holds no key).

Revision ID: c087792df0f6
Revises: 114226e7f72b
Create Date: 2026-12-02 04:35:33.432001
"""

import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op

revision = "c087792df0f6"
down_revision = "114226e7f72b"
branch_labels = None
depends_on = None

# The retired chain's hashed fields, as services/disclosure/domain/chain.py had them.
OLD_HASHED_FIELDS = (
    "seq", "decision_id", "recorded_at", "party", "person", "role", "action", "purpose",
    "resource", "recipient", "subject_pseudonym", "case_id", "provider", "result", "reasons",
    "policy_revision", "trace_id", "span_id", "processing_activity", "emergency", "prev_hash",
)  # fmt: skip


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _old_rfc3339(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def old_record_hash(row) -> str:
    """The retired chain's hash of a stored row (its fields and the previous hash)."""
    body = {}
    for name in OLD_HASHED_FIELDS:
        value = row[name]
        if name == "reasons":
            value = json.loads(value) if isinstance(value, str) else list(value or [])
        elif isinstance(value, datetime):
            value = _old_rfc3339(value)
        elif name == "emergency":
            value = bool(value)
        body[name] = value
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def _check_old_chain(conn, log: sa.Table, head: sa.Table) -> None:
    prev, expected = "0" * 64, 1
    for row in conn.execute(sa.select(log).order_by(log.c.seq)).mappings():
        if (
            row["seq"] != expected
            or row["prev_hash"] != prev
            or row["hash"] != old_record_hash(row)
        ):
            raise RuntimeError(
                f"the access log's hash chain is broken at record {expected}: "
                "investigate before migrating (zorgtafel verify-log on the old version)"
            )
        prev, expected = row["hash"], expected + 1
    top = conn.execute(sa.select(head.c.seq, head.c.hash)).first()
    if top is not None and (top.seq != expected - 1 or (top.seq and top.hash != prev)):
        raise RuntimeError("the access log's chain head does not match its last record")


def upgrade() -> None:
    from zorgtafel.kernel.accesslog import merkle
    from zorgtafel.kernel.accesslog.records import FIELDS
    from zorgtafel.kernel.accesslog.verify import leaves_of

    schema = _schema()
    conn = op.get_bind()
    meta = sa.MetaData(schema=schema)
    old_log = sa.Table("access_log", meta, autoload_with=conn)
    old_head = sa.Table("access_log_head", meta, autoload_with=conn)
    _check_old_chain(conn, old_log, old_head)

    op.create_table(
        "access_log_checkpoints",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("batch", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("size"),
        schema=schema,
    )
    with op.batch_alter_table("access_log", schema=schema) as batch_op:
        batch_op.add_column(
            sa.Column("rpc", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("input_digest", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.alter_column(
            "resource",
            existing_type=sa.VARCHAR(length=64),
            type_=sa.String(length=256),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "provider",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
        batch_op.create_index("ix_access_log_decision", ["decision_id"], unique=False)
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    with op.batch_alter_table("access_log", schema=schema) as batch_op:
        batch_op.alter_column("rpc", server_default=None, existing_type=sa.String(length=64))
        batch_op.alter_column(
            "input_digest", server_default=None, existing_type=sa.String(length=64)
        )

    op.drop_table("access_log_head", schema=schema)
    head = op.create_table(
        "access_log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("frontier", sa.Text(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema,
    )
    # The records so far become the tree's first leaves.
    log = sa.Table("access_log", sa.MetaData(schema=schema), autoload_with=conn)
    acc = merkle.CompactRange()
    rows = conn.execute(sa.select(*[log.c[n] for n in FIELDS]).order_by(log.c.seq))
    for _, h in leaves_of(rows):
        acc.append(h)
    conn.execute(
        sa.insert(head).values(
            id=1,
            size=acc.size,
            frontier=",".join(h.hex() for h in acc.hashes),
            root=acc.root().hex(),
        )
    )


def downgrade() -> None:
    raise NotImplementedError("the hash chain cannot be rebuilt from a Merkle tree's records")
