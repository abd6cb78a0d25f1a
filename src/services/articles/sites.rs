//! Sites from the configuration: mirrored into the database, each with its key pair
//! (generated on first start, then kept), plus the instance actor's key.

use crate::{
    config::Settings,
    federation::signatures::Signer,
    state::{Site, Urls},
    storage::{self, entities::keypair},
};
use sea_orm::{DatabaseConnection, DbErr};
use std::{collections::HashMap, sync::Arc};

/// Generates an RSA-2048 key pair (PEM public, PKCS#8 PEM private) off the async
/// threads: it takes a noticeable moment.
async fn generate() -> Result<(String, String), DbErr> {
    let pair = tokio::task::spawn_blocking(
        activitypub_federation::http_signatures::generate_actor_keypair,
    )
    .await
    .map_err(|e| DbErr::Custom(format!("key generation: {e}")))?
    .map_err(|e| DbErr::Custom(format!("key generation: {e}")))?;
    Ok((pair.public_key, pair.private_key))
}

/// The key pair of `owner`, created on first use.
pub async fn keypair(db: &DatabaseConnection, owner: &str) -> Result<keypair::Model, DbErr> {
    if let Some(found) = storage::keys::find(db, owner).await? {
        return Ok(found);
    }
    let generated = generate().await?;
    storage::keys::get_or_create(db, owner, || Ok(generated)).await
}

/// Loads (or creates) every configured site and its signer.
pub async fn bootstrap(
    db: &DatabaseConnection,
    settings: &Settings,
    urls: &Urls,
) -> Result<HashMap<String, Site>, DbErr> {
    let mut sites = HashMap::new();
    for config in &settings.sites {
        let row =
            storage::sites::upsert(db, &config.slug, &config.name, config.origin.as_str()).await?;
        let keys = keypair(db, &format!("site:{}", config.slug)).await?;
        let signer = Signer::from_pkcs8_pem(urls.site_key_id(&config.slug), &keys.private_key_pem)
            .map_err(|e| DbErr::Custom(format!("site {} key: {e}", config.slug)))?;
        sites.insert(
            config.slug.clone(),
            Site {
                id: row.id,
                slug: config.slug.clone(),
                name: config.name.clone(),
                summary: config.summary.clone(),
                origin: config.origin.clone(),
                charter_url: config.charter_url.clone(),
                charter_text: config.charter_text.clone(),
                language: config.language.clone(),
                feed_url: config.feed_url.clone(),
                join_url: config.join_url(),
                public_key_pem: keys.public_key_pem,
                signer: Arc::new(signer),
                created_at: row.created_at,
            },
        );
    }
    Ok(sites)
}
