"""Workshop join codes and open dimension, a consultant's own branding, re-planned roadmaps and tracked values.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:59:46.346662

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_code', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('join_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('open_dimension', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_assessment_join_code'), ['join_code'])
        batch_op.add_column(sa.Column('overall_score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('summary', sa.JSON(), nullable=True))
        batch_op.create_index('ix_assessment_team_scores', ['team_id', 'status', 'period', 'overall_score'], unique=False)
    _fill_summaries()

    with op.batch_alter_table('roadmap', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replanned_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_roadmap_replanned_from_id_roadmap'), 'roadmap', ['replanned_from_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('roadmap_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracked_value', sa.String(length=8), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brand_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('brand_color', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('brand_logo', sa.LargeBinary(), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('brand_logo')
        batch_op.drop_column('brand_color')
        batch_op.drop_column('brand_name')

    with op.batch_alter_table('roadmap_item', schema=None) as batch_op:
        batch_op.drop_column('tracked_value')

    with op.batch_alter_table('roadmap', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_roadmap_replanned_from_id_roadmap'), type_='foreignkey')
        batch_op.drop_column('replanned_from_id')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_team_scores')
        batch_op.drop_column('summary')
        batch_op.drop_column('overall_score')
        batch_op.drop_constraint(batch_op.f('uq_assessment_join_code'), type_='unique')
        batch_op.drop_column('open_dimension')
        batch_op.drop_column('join_expires_at')
        batch_op.drop_column('join_code')


# The organisation page reads these two columns; upgraded databases get them filled from the stored
# snapshots so their history shows. A frozen copy of engine.serialize.summary_of as of this revision
# (a migration must not change when the app's code does).
_BELOW_3 = ("unknown", "unanswered")


def _summary(result):
    return {
        "level": result["overall"]["level"],
        "dimensions": {d["id"]: d["score"] if d["status"] == "scored" else d["status"] for d in result["dimensions"]},
        "below": [
            p["id"]
            for d in result["dimensions"]
            for p in d["practices"]
            if p["value"] in _BELOW_3 or (isinstance(p["value"], (int, float)) and p["value"] < 3)
        ],
    }


def _fill_summaries():
    assessment = sa.table(
        'assessment', sa.column('id', sa.Integer), sa.column('status', sa.String), sa.column('result', sa.JSON),
        sa.column('overall_score', sa.Float), sa.column('summary', sa.JSON),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(assessment.c.id, assessment.c.result).where(assessment.c.status == 'finalized'))
    for row_id, result in rows.all():
        if not result:  # a JSON null
            continue
        connection.execute(
            assessment.update().where(assessment.c.id == row_id).values(
                overall_score=result["overall"]["score"], summary=_summary(result)
            )
        )
