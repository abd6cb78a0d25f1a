//! The lease-based claim shared by every durable queue (inbox, deliveries, crawl):
//! a worker takes due rows by one update that only one worker can win for each row
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and holds them until its lease runs out, so several processes can share a queue and a
//! crashed worker's rows come back by themselves.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable, ModelTrait,
    QueryFilter, Statement,
};

/// The columns a queue table has for leasing.
pub struct Lease<E: EntityTrait> {
    pub id: E::Column,
    pub status: E::Column,
    /// The stored text of the queue's waiting status (the only rows claimed).
    pub pending: &'static str,
    pub next_attempt_at: E::Column,
    pub locked_until: E::Column,
    pub attempts: E::Column,
}

impl<E: EntityTrait> Lease<E> {
    /// `(next_attempt_at, id)` of a row, to keep claims oldest due first.
    fn order_key(&self, row: &E::Model) -> (i64, i64) {
        let int = |v: sea_orm::Value| match v {
            sea_orm::Value::BigInt(Some(n)) => n,
            sea_orm::Value::Int(Some(n)) => i64::from(n),
            _ => 0,
        };
        (int(row.get(self.next_attempt_at)), int(row.get(self.id)))
    }

    /// Claims up to `limit` due rows for `lease_ms`, oldest due first, in one statement:
    /// `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`. On PostgreSQL the
    /// selection is `FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows
    /// instead of waiting on each other; SQLite runs one writer at a time, so the
    /// statement is atomic there as it is. The rows come back as before their `attempts`
    /// was counted up.
    pub async fn claim<C: ConnectionTrait>(
        &self,
        db: &C,
        now: i64,
        lease_ms: i64,
        limit: u64,
    ) -> Result<Vec<E::Model>, DbErr> {
        let backend = db.get_database_backend();
        let table = E::default().table_name().to_string();
        let (id, status, pending, next, locked, attempts) = (
            self.id.as_str(),
            self.status.as_str(),
            self.pending,
            self.next_attempt_at.as_str(),
            self.locked_until.as_str(),
            self.attempts.as_str(),
        );
        let returning: Vec<String> = E::Column::iter()
            .map(|c| {
                if c.as_str() == attempts {
                    format!("{attempts} - 1 AS {attempts}")
                } else {
                    c.as_str().to_string()
                }
            })
            .collect();
        let skip_locked = if backend == DbBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let (p1, p2, p3) = match backend {
            DbBackend::Postgres => ("$1", "$2", "$3"),
            _ => ("?", "?", "?"),
        };
        let sql = format!(
            "UPDATE {table} SET {locked} = {p1}, {attempts} = {attempts} + 1 \
             WHERE {id} IN (SELECT {id} FROM {table} WHERE {status} = '{pending}' \
             AND {next} <= {p2} AND ({locked} IS NULL OR {locked} < {p2}) \
             ORDER BY {next}, {id} LIMIT {p3}{skip_locked}) RETURNING {}",
            returning.join(", ")
        );
        let values: Vec<sea_orm::Value> = match backend {
            DbBackend::Postgres => vec![(now + lease_ms).into(), now.into(), (limit as i64).into()],
            _ => vec![
                (now + lease_ms).into(),
                now.into(),
                now.into(),
                (limit as i64).into(),
            ],
        };
        let mut rows = E::find()
            .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
            .all(db)
            .await?;
        // RETURNING has no order: oldest due first, as selected.
        rows.sort_by_key(|r| self.order_key(r));
        Ok(rows)
    }

    /// Extends the lease on rows this worker still works on (its heartbeat), so that a
    /// lease can be short — a crashed worker's rows are due again within seconds — while
    /// a long delivery is not taken over as long as its worker lives. Rows finished or
    /// released meanwhile (`locked_until` cleared, or no longer pending) are left alone.
    pub async fn renew<C: ConnectionTrait>(
        &self,
        db: &C,
        ids: &[i64],
        until: i64,
    ) -> Result<u64, DbErr> {
        if ids.is_empty() {
            return Ok(0);
        }
        let renewed = E::update_many()
            .col_expr(self.locked_until, until.into())
            .filter(self.id.is_in(ids.iter().copied()))
            .filter(self.status.eq(self.pending))
            .filter(self.locked_until.is_not_null())
            .exec(db)
            .await?;
        Ok(renewed.rows_affected)
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
