"""Roadmaps and their items: drafted from an assessment, accepted, tracked.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:25:55.229826

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roadmap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('edits', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('stages', sa.Integer(), nullable=False),
    sa.Column('stage_length', sa.Integer(), nullable=False),
    sa.Column('start_period', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status in ('draft', 'accepted', 'superseded')", name=op.f('ck_roadmap_status')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_roadmap_accepted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_roadmap_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_roadmap_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_roadmap_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap'))
    )
    with op.batch_alter_table('roadmap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadmap_team_id'), ['team_id'], unique=False)

    op.create_table('roadmap_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roadmap_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('tracking', sa.String(length=16), nullable=True),
    sa.Column('tracked_assessment_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status in ('planned', 'in_progress', 'done', 'dropped')", name=op.f('ck_roadmap_item_status')),
    sa.CheckConstraint("tracking is null or tracking in ('achieved', 'progressing', 'slipped')", name=op.f('ck_roadmap_item_tracking')),
    sa.ForeignKeyConstraint(['roadmap_id'], ['roadmap.id'], name=op.f('fk_roadmap_item_roadmap_id_roadmap'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tracked_assessment_id'], ['assessment.id'], name=op.f('fk_roadmap_item_tracked_assessment_id_assessment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_item')),
    sa.UniqueConstraint('roadmap_id', 'practice_id', name=op.f('uq_roadmap_item_roadmap_id_practice_id'))
    )
    with op.batch_alter_table('roadmap_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_item_roadmap_id'), ['roadmap_id'], unique=False)



def downgrade():
    with op.batch_alter_table('roadmap_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_item_roadmap_id'))

    op.drop_table('roadmap_item')
    with op.batch_alter_table('roadmap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_team_id'))
        batch_op.drop_index(batch_op.f('ix_roadmap_assessment_id'))

    op.drop_table('roadmap')
