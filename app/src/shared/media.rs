//! Uploaded files (lesson images), kept through the `object_store` crate:
//! a folder on this machine by default (`MEDIA_STORE=data/media`), or any
//! S3-compatible store when several app servers must share the files
//! (`MEDIA_STORE=s3://bucket/prefix`, credentials and endpoint from the
//! usual `AWS_*` variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_REGION`, `AWS_ENDPOINT` for MinIO, Ceph or other S3-compatible
//! services, `AWS_ALLOW_HTTP=true` for a plain-http endpoint). `.ci/test`
//! runs two app servers sharing images through moto's S3 server. Keys are content hashes, so a file never changes under its
//! name and may be cached for a year.

use std::sync::Arc;

use object_store::path::Path;
use object_store::ObjectStore;

pub type Store = Arc<dyn ObjectStore>;

/// Opens the store `spec` names: `s3://bucket[/prefix]`, or a folder
/// (`file:///abs/path` or a plain path, created if missing).
pub fn open(spec: &str) -> anyhow::Result<Store> {
    if let Some(rest) = spec.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        anyhow::ensure!(!bucket.is_empty(), "MEDIA_STORE: s3://BUCKET[/PREFIX]");
        let s3 = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| anyhow::anyhow!("MEDIA_STORE {spec}: {e}"))?;
        let prefix = prefix.trim_matches('/');
        return Ok(if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        });
    }
    let dir = spec.strip_prefix("file://").unwrap_or(spec);
    anyhow::ensure!(
        !dir.contains("://"),
        "MEDIA_STORE: a folder or s3://bucket/prefix, not {spec}"
    );
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("MEDIA_STORE {dir}: {e}"))?;
    let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
        .map_err(|e| anyhow::anyhow!("MEDIA_STORE {dir}: {e}"))?;
    Ok(Arc::new(fs))
}

/// Stores `bytes` under `key`.
pub async fn put(store: &Store, key: &str, bytes: Vec<u8>) -> Result<(), crate::error::AppError> {
    store
        .put(&Path::from(key), bytes.into())
        .await
        .map(|_| ())
        .map_err(|e| {
            tracing::error!(error = %e, key, "could not store an upload");
            crate::error::AppError::Unavailable
        })
}

/// The file under `key`, if there is one.
pub async fn get(store: &Store, key: &str) -> Result<Option<Vec<u8>>, crate::error::AppError> {
    match store.get(&Path::from(key)).await {
        Ok(found) => found.bytes().await.map(|b| Some(b.to_vec())).map_err(|e| {
            tracing::error!(error = %e, key, "could not read an upload");
            crate::error::AppError::Unavailable
        }),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => {
            tracing::error!(error = %e, key, "could not read an upload");
            Err(crate::error::AppError::Unavailable)
        }
    }
}
