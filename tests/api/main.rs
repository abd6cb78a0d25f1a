//! Integration tests: one binary, every test against a real server spawned on port 0
//! with a fresh database (SQLite by default, PostgreSQL when
//! `TRIBUNE_TEST_DATABASE_URL` names a server).

mod alerts;
mod articles;
mod autoregister;
mod blocklists;
mod bylines;
mod cli;
mod consent;
mod console;
mod conversations;
mod crash;
mod data_rights;
mod federated_blocklists;
mod federation;
mod fixtures;
mod helpers;
mod import_sources;
mod imports;
mod imports_end_to_end;
mod inbox;
mod interact;
mod keys_proofs;
mod mastodon_admin;
mod moderation;
mod newsroom;
mod outage;
mod pages;
mod production;
mod publishers;
mod quotes;
mod reports_out;
mod scale_out;
mod selection;
mod signatures;
mod trust_auth;
mod trust_fetch;
mod trust_inbox;
mod trust_network;
mod trust_operations;
mod trust_speaking;
mod trusted_authors;
mod wellknown;
