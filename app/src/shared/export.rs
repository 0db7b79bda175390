//! A JSON object written as it is produced, in chunks through a channel,
//! so a download of any size is streamed with flat memory: the "Download
//! my data" file, and later feature exports.

use futures::{Stream, TryStreamExt};
use serde::Serialize;

use crate::error::AppError;

/// A chunk of the file, or the error that aborts it (the HTTP body then
/// ends without its terminator, so the client sees a failed download
/// rather than a silently truncated file).
pub type Chunk = Result<Vec<u8>, std::io::Error>;

const FLUSH_AT: usize = 16 * 1024;

/// Writes one JSON object, field by field, rows of an array one at a time.
pub struct JsonSink {
    tx: tokio::sync::mpsc::Sender<Chunk>,
    buf: Vec<u8>,
    fields: usize,
}

fn encode_error(err: serde_json::Error) -> AppError {
    tracing::error!(error = %err, "could not encode an export row");
    AppError::Internal
}

impl JsonSink {
    pub fn new(tx: tokio::sync::mpsc::Sender<Chunk>) -> Self {
        Self {
            tx,
            buf: b"{".to_vec(),
            fields: 0,
        }
    }

    fn key(&mut self, name: &str) -> Result<(), AppError> {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.buf.push(b'\n');
        serde_json::to_writer(&mut self.buf, name).map_err(encode_error)?;
        self.buf.push(b':');
        self.fields += 1;
        Ok(())
    }

    /// One field with its value.
    pub async fn field<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), AppError> {
        self.key(name)?;
        serde_json::to_writer(&mut self.buf, value).map_err(encode_error)?;
        self.maybe_flush().await
    }

    /// One field whose value is an array of the rows of `rows`, written as
    /// they arrive. Returns how many there were.
    pub async fn array<T, S>(&mut self, name: &str, mut rows: S) -> Result<u64, AppError>
    where
        T: Serialize,
        S: Stream<Item = Result<T, sqlx::Error>> + Unpin,
    {
        self.key(name)?;
        self.buf.push(b'[');
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            if n > 0 {
                self.buf.push(b',');
            }
            self.buf.push(b'\n');
            serde_json::to_writer(&mut self.buf, &row).map_err(encode_error)?;
            n += 1;
            self.maybe_flush().await?;
        }
        self.buf.push(b']');
        Ok(n)
    }

    async fn maybe_flush(&mut self) -> Result<(), AppError> {
        if self.buf.len() >= FLUSH_AT {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), AppError> {
        let chunk = std::mem::take(&mut self.buf);
        // The client went away: stop producing.
        self.tx
            .send(Ok(chunk))
            .await
            .map_err(|_| AppError::BadRequest)
    }

    /// Closes the object and sends the rest.
    pub async fn finish(mut self) -> Result<(), AppError> {
        self.buf.extend_from_slice(b"\n}\n");
        self.flush().await
    }

    /// Aborts the file: the download fails visibly.
    pub async fn abort(self) {
        let _ = self
            .tx
            .send(Err(std::io::Error::other("export failed")))
            .await;
    }
}
