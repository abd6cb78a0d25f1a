//! The domain's text enums as sea-orm active enums: stored as the very text they show
//! (`CommentStatus::Held` is `held`), in the plain TEXT/VARCHAR columns the migrations
//! made, on SQLite and PostgreSQL alike — no database enum type, no migration. Entities
//! declare their fields with these types, so rows come back typed and a filter takes
//! the enum (`Column::Status.eq(CommentStatus::Held)`).
//!
//! The enums live in `domain` (which knows nothing of sea-orm); this is what
//! `#[derive(DeriveActiveEnum)] #[sea_orm(rs_type = "String", db_type = "Text")]` would
//! generate for them, written here once for all of them.

use crate::domain::{
    Action, ActorPolicyAction, CommentStatus, ConsentKind, ConsentState, CrawlStatus,
    DeliveryStatus, FollowState, FollowerState, InboxStatus, ListChange, Mode, ReportStatus,
    Retraction, Role, RuleKind, Severity, SourceKind,
};

macro_rules! text_columns {
    ($($ty:ident => $enum_name:literal,)+) => {$(
        impl sea_orm::Iterable for $ty {
            type Iterator = std::iter::Copied<std::slice::Iter<'static, Self>>;

            fn iter() -> Self::Iterator {
                Self::ALL.iter().copied()
            }
        }

        impl sea_orm::ActiveEnum for $ty {
            type Value = String;
            type ValueVec = Vec<String>;

            fn name() -> sea_orm::sea_query::DynIden {
                $enum_name.into()
            }

            fn to_value(&self) -> String {
                self.as_str().to_owned()
            }

            fn try_from_value(v: &String) -> Result<Self, sea_orm::DbErr> {
                Self::parse(v).ok_or_else(|| {
                    sea_orm::DbErr::Type(format!(
                        "unexpected value for {} enum: {v}",
                        stringify!($ty)
                    ))
                })
            }

            fn db_type() -> sea_orm::ColumnDef {
                sea_orm::prelude::ColumnTypeTrait::def(sea_orm::ColumnType::Text)
            }
        }

        impl From<$ty> for sea_orm::Value {
            fn from(v: $ty) -> Self {
                sea_orm::Value::String(Some(v.as_str().to_owned()))
            }
        }

        impl sea_orm::TryGetable for $ty {
            fn try_get_by<I: sea_orm::ColIdx>(
                res: &sea_orm::QueryResult,
                idx: I,
            ) -> Result<Self, sea_orm::TryGetError> {
                let text = <String as sea_orm::TryGetable>::try_get_by(res, idx)?;
                <Self as sea_orm::ActiveEnum>::try_from_value(&text)
                    .map_err(sea_orm::TryGetError::DbErr)
            }
        }

        impl sea_orm::sea_query::ValueType for $ty {
            fn try_from(
                v: sea_orm::Value,
            ) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let text = <String as sea_orm::sea_query::ValueType>::try_from(v)?;
                Self::parse(&text).ok_or(sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::Text
            }
        }

        impl sea_orm::sea_query::Nullable for $ty {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$ty> for $ty {
            fn into_active_value(self) -> sea_orm::ActiveValue<$ty> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    )+};
}

text_columns! {
    Action => "action",
    ActorPolicyAction => "actor_policy_action",
    CommentStatus => "comment_status",
    ConsentKind => "consent_kind",
    ConsentState => "consent_state",
    CrawlStatus => "crawl_status",
    DeliveryStatus => "delivery_status",
    FollowState => "follow_state",
    FollowerState => "follower_state",
    InboxStatus => "inbox_status",
    ListChange => "list_change",
    Mode => "moderation_mode",
    ReportStatus => "report_status",
    Retraction => "retraction",
    Role => "role",
    RuleKind => "rule_kind",
    Severity => "severity",
    SourceKind => "source_kind",
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{sea_query::ValueType, ActiveEnum};

    #[test]
    fn an_enum_is_stored_as_its_text() {
        assert_eq!(
            sea_orm::Value::from(CommentStatus::Held),
            sea_orm::Value::String(Some("held".into()))
        );
        assert_eq!(
            CommentStatus::values(),
            vec!["published", "held", "hidden", "rejected"]
        );
        assert_eq!(
            <Severity as ValueType>::try_from("silence".into()).ok(),
            Some(Severity::Silence)
        );
        assert!(DeliveryStatus::try_from_value(&"Dead".to_string()).is_err());
        assert_eq!(
            <Role as ValueType>::column_type(),
            sea_orm::sea_query::ColumnType::Text
        );
    }
}
