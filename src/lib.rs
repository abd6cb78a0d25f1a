//! Tribune: a self-hosted, federated comment server. Articles become ActivityPub
//! objects, replies from the fediverse land in their threads.

pub mod blocklists;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod federation;
pub mod http;
pub mod i18n;
pub mod memory;
pub mod metrics;
pub mod moderation;
pub mod runtime;
pub mod sanitize;
pub mod services;
pub mod startup;
pub mod state;
pub mod storage;
