//! Group commit for the protocol. Every lookup must wait until its protocol records are
//! durably committed, and a durable commit costs a disk flush. Instead of one flush per
//! lookup, one writer task takes every lookup that is waiting, writes all their records in
//! one transaction, and answers each lookup once that transaction has committed. A lookup
//! alone still gets its own commit at once; under load, many share one. If the commit
//! fails, every lookup in it fails, and none of them returns data.

use crate::store::{NewVerstrekking, Store, StoreError};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// At most this many records in one transaction, so one batch never holds the writer long.
const MAX_BATCH_RECORDS: usize = 2_000;
/// Lookups that may wait for the writer before callers are held back.
const QUEUE: usize = 4_096;

struct Job {
    records: Vec<NewVerstrekking>,
    reply: oneshot::Sender<Result<Vec<i64>, String>>,
}

pub(crate) struct ProtocolWriter {
    store: Arc<dyn Store>,
    /// Started on first use, inside the caller's runtime (a portal can be built outside one).
    sender: OnceLock<mpsc::Sender<Job>>,
}

impl ProtocolWriter {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            sender: OnceLock::new(),
        }
    }

    fn sender(&self) -> &mpsc::Sender<Job> {
        self.sender.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            tokio::spawn(run(self.store.clone(), rx));
            tx
        })
    }

    /// Writes the records of one lookup; returns their ids, in order, after the commit.
    pub(crate) async fn write(&self, records: Vec<NewVerstrekking>) -> Result<Vec<i64>, String> {
        let (reply, answer) = oneshot::channel();
        self.sender()
            .send(Job { records, reply })
            .await
            .map_err(|_| "protocol writer stopped".to_owned())?;
        answer
            .await
            .map_err(|_| "protocol writer stopped".to_owned())?
    }
}

async fn run(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut size = first.records.len();
        let mut jobs = vec![first];
        while size < MAX_BATCH_RECORDS {
            match rx.try_recv() {
                Ok(job) => {
                    size += job.records.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let all: Vec<NewVerstrekking> = jobs.iter().flat_map(|j| j.records.clone()).collect();
        match store.insert_verstrekkingen(&all).await {
            Ok(ids) => {
                let mut ids = ids.into_iter();
                for job in jobs {
                    let mine: Vec<i64> = ids.by_ref().take(job.records.len()).collect();
                    let _ = job.reply.send(Ok(mine));
                }
            }
            Err(e) => {
                let message = describe(&e);
                for job in jobs {
                    let _ = job.reply.send(Err(message.clone()));
                }
            }
        }
    }
}

fn describe(e: &StoreError) -> String {
    e.to_string()
}
