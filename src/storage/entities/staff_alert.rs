//! Stored row of the `staff_alerts` table: what one staff member gets for one event.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub staff_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event: String,
    /// `immediate`, `digest` or `off`.
    pub mode: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
