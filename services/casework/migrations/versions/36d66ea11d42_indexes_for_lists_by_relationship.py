"""indexes for lists by relationship

ListOverdueActions (issue #16) finds the cases a person directs through the director columns
and pages a case's actions in (case_id, due_date, action_id) order: one indexed join instead
of a policy decision and a decrypt per case.

Revision ID: 36d66ea11d42
Revises: 33bb7f486c5e
Create Date: 2026-12-02 04:21:47.370951
"""

from alembic import op

revision = "36d66ea11d42"
down_revision = "33bb7f486c5e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_case_director", ["case_director_party", "case_director_person", "case_id"]
        )
        batch_op.create_index(
            "ix_cases_process_director",
            ["process_director_party", "process_director_person", "case_id"],
        )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index("ix_plan_actions_case_due", ["case_id", "due_date", "action_id"])


def downgrade() -> None:
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_actions_case_due")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_process_director")
        batch_op.drop_index("ix_cases_case_director")
