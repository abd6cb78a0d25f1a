//! The lease-based claim shared by every durable queue (inbox, deliveries, crawl):
//! a worker takes due rows by a conditional update that only one worker can win, and
//! holds them until its lease runs out, so several processes can share a queue and a
//! crashed worker's rows come back by themselves.

use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// The columns a queue table has for leasing.
pub struct Lease<E: EntityTrait> {
    pub id: E::Column,
    pub status: E::Column,
    pub next_attempt_at: E::Column,
    pub locked_until: E::Column,
    pub attempts: E::Column,
}

impl<E: EntityTrait> Lease<E> {
    fn claimable(&self, now: i64) -> Condition {
        Condition::all()
            .add(self.status.eq("pending"))
            .add(self.next_attempt_at.lte(now))
            .add(
                Condition::any()
                    .add(self.locked_until.is_null())
                    .add(self.locked_until.lt(now)),
            )
    }

    /// Claims up to `limit` due rows for `lease_ms`, oldest due first. The rows come
    /// back as read, before their `attempts` was counted up.
    pub async fn claim<C: ConnectionTrait>(
        &self,
        db: &C,
        now: i64,
        lease_ms: i64,
        limit: u64,
        id_of: impl Fn(&E::Model) -> i64,
    ) -> Result<Vec<E::Model>, DbErr> {
        let candidates = E::find()
            .filter(self.claimable(now))
            .order_by_asc(self.next_attempt_at)
            .order_by_asc(self.id)
            .limit(limit)
            .all(db)
            .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for row in candidates {
            let result = E::update_many()
                .col_expr(self.locked_until, (now + lease_ms).into())
                .col_expr(self.attempts, Expr::col(self.attempts).add(1))
                .filter(self.id.eq(id_of(&row)))
                .filter(self.claimable(now))
                .exec(db)
                .await?;
            if result.rows_affected == 1 {
                claimed.push(row);
            }
        }
        Ok(claimed)
    }

    /// Releases a row for another attempt at `next_attempt_at`, noting the error.
    pub async fn retry_later<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
        last_error: E::Column,
        error: String,
        next_attempt_at: i64,
    ) -> Result<(), DbErr> {
        E::update_many()
            .col_expr(last_error, Some(error).into())
            .col_expr(self.next_attempt_at, next_attempt_at.into())
            .col_expr(self.locked_until, Option::<i64>::None.into())
            .filter(self.id.eq(id))
            .exec(db)
            .await?;
        Ok(())
    }
}
