//! The SQL implementation of [`CitizenStore`] for both backends, written once and expanded
//! per backend like the other stores.

use super::citizens::{
    Beperking, CitizenRequestFilter, CitizenStore, LoginState, NewAttachment, NewCitizenLetter,
    NewCitizenRequest, NewRequestEvent, PersonChange, RequestChange, StoredAttachment,
};
use super::sql::{corrupt, PgStore, SqliteStore};
use super::{NewOutboxMessage, PersonRecord, StoreError, UniqueKey};
use async_trait::async_trait;
use brp_domain::citizen::attachment::AttachmentType;
use brp_domain::citizen::correction::{CorrectableField, CorrectionRecord};
use brp_domain::citizen::{
    Assurance, AttachmentInfo, CitizenLetter, CitizenLetterKind, CitizenRequest, CorrectionAsk,
    EventKind, LetterRef, Outcome, RequestEvent, RequestKind, RequestStatus, SubmissionChannel,
};
use brp_domain::person::Bsn;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

const REQUEST_COLUMNS: &str = "r.id, r.reference, r.bsn, r.kind, r.channel, r.identity_note, \
     r.assurance, r.email, r.received_at, r.received_on, r.status, r.assigned_to, r.field_path, \
     r.current_value, r.proposed_value, r.explanation, r.outcome, r.motivation, r.decided_by, \
     r.decided_at, r.inform_recipients, r.registered_by";

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    reference: String,
    bsn: String,
    kind: String,
    channel: String,
    identity_note: String,
    assurance: Option<String>,
    email: Option<String>,
    received_at: DateTime<Utc>,
    received_on: NaiveDate,
    status: String,
    assigned_to: Option<String>,
    field_path: Option<String>,
    current_value: Option<String>,
    proposed_value: Option<String>,
    explanation: String,
    outcome: Option<String>,
    motivation: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    inform_recipients: bool,
    registered_by: Option<String>,
}

impl TryFrom<RequestRow> for CitizenRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<Self, StoreError> {
        let correction = match r.field_path.as_deref() {
            Some(path) => Some(CorrectionAsk {
                field: CorrectableField::from_path(path)
                    .ok_or_else(|| corrupt("correction field", path))?,
                current_value: r.current_value.unwrap_or_default(),
                proposed_value: r.proposed_value.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(CitizenRequest {
            bsn: Bsn::parse(&r.bsn).map_err(|e| corrupt("request bsn", e))?,
            kind: RequestKind::from_code(&r.kind)
                .ok_or_else(|| corrupt("request kind", &r.kind))?,
            channel: SubmissionChannel::from_code(&r.channel)
                .ok_or_else(|| corrupt("request channel", &r.channel))?,
            assurance: r
                .assurance
                .as_deref()
                .map(|a| Assurance::from_code(a).ok_or_else(|| corrupt("assurance", a)))
                .transpose()?,
            status: RequestStatus::from_code(&r.status)
                .ok_or_else(|| corrupt("request status", &r.status))?,
            outcome: r
                .outcome
                .as_deref()
                .map(|o| Outcome::from_code(o).ok_or_else(|| corrupt("outcome", o)))
                .transpose()?,
            id: r.id,
            reference: r.reference,
            identity_note: r.identity_note,
            registered_by: r.registered_by,
            email: r.email,
            received_at: r.received_at,
            received_on: r.received_on,
            assigned_to: r.assigned_to,
            correction,
            explanation: r.explanation,
            motivation: r.motivation,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            inform_recipients: r.inform_recipients,
            events: Vec::new(),
            attachments: Vec::new(),
            letters: Vec::new(),
        })
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    request_id: String,
    at: DateTime<Utc>,
    kind: String,
    actor: String,
    by_citizen: bool,
    text: String,
    staff_only: bool,
    due_on: Option<NaiveDate>,
}

impl EventRow {
    fn into_event(self) -> Result<(String, RequestEvent), StoreError> {
        Ok((
            self.request_id,
            RequestEvent {
                id: self.id,
                at: self.at,
                kind: EventKind::from_code(&self.kind)
                    .ok_or_else(|| corrupt("event kind", &self.kind))?,
                actor: self.actor,
                by_citizen: self.by_citizen,
                text: self.text,
                staff_only: self.staff_only,
                due_on: self.due_on,
            },
        ))
    }
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: String,
    request_id: String,
    file_name: String,
    content_type: String,
    size: i64,
    uploaded_at: DateTime<Utc>,
    by_citizen: bool,
}

impl AttachmentRow {
    fn into_info(self) -> Result<(String, AttachmentInfo), StoreError> {
        Ok((
            self.request_id,
            AttachmentInfo {
                kind: AttachmentType::from_mime(&self.content_type)
                    .ok_or_else(|| corrupt("attachment type", &self.content_type))?,
                id: self.id,
                file_name: self.file_name,
                size: u64::try_from(self.size).unwrap_or_default(),
                uploaded_at: self.uploaded_at,
                by_citizen: self.by_citizen,
            },
        ))
    }
}

#[derive(sqlx::FromRow)]
struct LetterRow {
    id: String,
    request_id: String,
    reference: String,
    kind: String,
    subject: String,
    body_html: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<LetterRow> for CitizenLetter {
    type Error = StoreError;
    fn try_from(r: LetterRow) -> Result<Self, StoreError> {
        Ok(CitizenLetter {
            kind: CitizenLetterKind::from_code(&r.kind)
                .ok_or_else(|| corrupt("letter kind", &r.kind))?,
            id: r.id,
            request_id: r.request_id,
            reference: r.reference,
            subject: r.subject,
            body_html: r.body_html,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CorrectionRow {
    id: i64,
    request_id: String,
    field_path: String,
    field_label: String,
    old_value: String,
    new_value: String,
    corrected_by: String,
    corrected_at: DateTime<Utc>,
    reason: String,
}

impl From<CorrectionRow> for CorrectionRecord {
    fn from(r: CorrectionRow) -> Self {
        CorrectionRecord {
            id: r.id,
            request_id: r.request_id,
            field_path: r.field_path,
            field_label: r.field_label,
            old_value: r.old_value,
            new_value: r.new_value,
            corrected_by: r.corrected_by,
            corrected_at: r.corrected_at,
            reason: r.reason,
        }
    }
}

#[derive(sqlx::FromRow)]
struct LoginStateRow {
    state: String,
    nonce: String,
    pkce_verifier: String,
    binding_hash: String,
    created_at: DateTime<Utc>,
}

fn conflict() -> StoreError {
    StoreError::Conflict(
        "Dit verzoek is intussen door iemand anders veranderd. Laad de pagina opnieuw en \
         bekijk de huidige stand."
            .into(),
    )
}

fn person_conflict() -> StoreError {
    StoreError::Conflict(
        "De gegevens van deze persoon zijn intussen veranderd. Laad de pagina opnieuw.".into(),
    )
}

/// Attaches events, attachments and letters to their requests.
fn assemble(
    requests: Vec<RequestRow>,
    events: Vec<EventRow>,
    attachments: Vec<AttachmentRow>,
    letters: Vec<LetterRow>,
) -> Result<Vec<CitizenRequest>, StoreError> {
    let mut out: Vec<CitizenRequest> = requests
        .into_iter()
        .map(CitizenRequest::try_from)
        .collect::<Result<_, _>>()?;
    let index: HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    for e in events {
        let (rid, event) = e.into_event()?;
        if let Some(&i) = index.get(&rid) {
            out[i].events.push(event);
        }
    }
    for a in attachments {
        let (rid, info) = a.into_info()?;
        if let Some(&i) = index.get(&rid) {
            out[i].attachments.push(info);
        }
    }
    for l in letters {
        let letter = CitizenLetter::try_from(l)?;
        if let Some(&i) = index.get(&letter.request_id) {
            out[i].letters.push(LetterRef {
                id: letter.id,
                kind: letter.kind,
                subject: letter.subject,
                created_at: letter.created_at,
            });
        }
    }
    Ok(out)
}

macro_rules! sql_citizen_store {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn insert_event(
                tx: &mut sqlx::Transaction<'_, $db>,
                request_id: &str,
                e: &NewRequestEvent,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO citizen_request_events (request_id, at, kind, actor, \
                     by_citizen, text, staff_only, due_on) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(request_id)
                .bind(e.at)
                .bind(e.kind.code())
                .bind(&e.actor)
                .bind(e.by_citizen)
                .bind(&e.text)
                .bind(e.staff_only)
                .bind(e.due_on)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn insert_attachment(
                tx: &mut sqlx::Transaction<'_, $db>,
                request_id: &str,
                a: &NewAttachment,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO citizen_attachments (id, request_id, file_name, content_type, \
                     size, sha256, data, uploaded_at, by_citizen) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&a.id)
                .bind(request_id)
                .bind(&a.file_name)
                .bind(a.kind.mime())
                .bind(i64::try_from(a.data.len()).unwrap_or(i64::MAX))
                .bind(&a.sha256)
                .bind(&a.data)
                .bind(a.uploaded_at)
                .bind(a.by_citizen)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn insert_letter(
                tx: &mut sqlx::Transaction<'_, $db>,
                request_id: &str,
                l: &NewCitizenLetter,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO citizen_letters (id, request_id, kind, subject, body_html, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&l.id)
                .bind(request_id)
                .bind(l.kind.code())
                .bind(&l.subject)
                .bind(&l.body_html)
                .bind(l.created_at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }


            /// Replaces a person's row, but only while it still holds `old_data`.
            async fn replace_person(
                tx: &mut sqlx::Transaction<'_, $db>,
                p: &PersonRecord,
                old_data: &str,
            ) -> Result<(), StoreError> {
                let k = &p.keys;
                let changed = sqlx::query(
                    "UPDATE persons SET a_nummer = $1, geslachtsnaam = $2, voornamen = $3, \
                     voorvoegsel = $4, geslacht = $5, geboortedatum = $6, gemeente_code = $7, \
                     postcode = $8, huisnummer = $9, huisletter = $10, \
                     huisnummertoevoeging = $11, straat = $12, overleden = $13, data = $14, \
                     nummeraanduiding = $15, adresseerbaar_object = $16 \
                     WHERE bsn = $17 AND data = $18",
                )
                .bind(p.a_nummer.clone())
                .bind(&k.geslachtsnaam)
                .bind(&k.voornamen)
                .bind(&k.voorvoegsel)
                .bind(&k.geslacht)
                .bind(k.geboortedatum.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(&k.gemeente_code)
                .bind(&k.postcode)
                .bind(k.huisnummer.map(i64::from))
                .bind(&k.huisletter)
                .bind(&k.huisnummertoevoeging)
                .bind(&k.straat)
                .bind(k.overleden)
                .bind(&p.data)
                .bind(super::sql_persons::bag_column(&k.nummeraanduiding))
                .bind(super::sql_persons::bag_column(&k.adresseerbaar_object))
                .bind(p.bsn.to_string())
                .bind(old_data)
                .execute(&mut **tx)
                .await?
                .rows_affected();
                if changed == 1 {
                    Ok(())
                } else {
                    Err(person_conflict())
                }
            }

            async fn apply_person_change(
                tx: &mut sqlx::Transaction<'_, $db>,
                request_id: &str,
                change: &PersonChange,
            ) -> Result<Option<i64>, StoreError> {
                match change {
                    PersonChange::Correction {
                        record,
                        old_data,
                        correction: c,
                    } => {
                        Self::replace_person(tx, record, old_data).await?;
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO person_corrections (bsn, request_id, field_path, \
                             field_label, old_value, new_value, old_data, corrected_by, \
                             corrected_at, reason) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                        )
                        .bind(record.bsn.to_string())
                        .bind(request_id)
                        .bind(&c.field_path)
                        .bind(&c.field_label)
                        .bind(&c.old_value)
                        .bind(&c.new_value)
                        .bind(old_data)
                        .bind(&c.corrected_by)
                        .bind(c.corrected_at)
                        .bind(&c.reason)
                        .fetch_one(&mut **tx)
                        .await?;
                        Ok(Some(id))
                    }
                    PersonChange::StartBeperking {
                        record,
                        old_data,
                        started_on,
                    } => {
                        Self::replace_person(tx, record, old_data).await?;
                        sqlx::query(
                            "INSERT INTO verstrekkingsbeperkingen (bsn, request_id, started_on) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(record.bsn.to_string())
                        .bind(request_id)
                        .bind(*started_on)
                        .execute(&mut **tx)
                        .await?;
                        Ok(None)
                    }
                    PersonChange::EndBeperking {
                        record,
                        old_data,
                        ended_on,
                    } => {
                        Self::replace_person(tx, record, old_data).await?;
                        sqlx::query(
                            "UPDATE verstrekkingsbeperkingen SET ended_on = $1, \
                             ended_request_id = $2 WHERE bsn = $3 AND ended_on IS NULL",
                        )
                        .bind(*ended_on)
                        .bind(request_id)
                        .bind(record.bsn.to_string())
                        .execute(&mut **tx)
                        .await?;
                        Ok(None)
                    }
                }
            }

            fn push_filter(qb: &mut sqlx::QueryBuilder<'_, $db>, f: &CitizenRequestFilter) {
                qb.push(" WHERE 1 = 1");
                if let Some(bsn) = &f.bsn {
                    qb.push(" AND r.bsn = ");
                    qb.push_bind(bsn.to_string());
                }
                if f.open_only {
                    qb.push(" AND r.status <> 'afgehandeld'");
                }
            }
        }

        #[async_trait]
        impl CitizenStore for $store {
            async fn insert_citizen_request(
                &self,
                r: &NewCitizenRequest,
                event: &NewRequestEvent,
                attachments: &[NewAttachment],
                letter: &NewCitizenLetter,
                mail: Option<&NewOutboxMessage>,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO citizen_requests (id, reference, bsn, kind, channel, \
                     identity_note, assurance, email, received_at, received_on, registered_by, \
                     status, field_path, current_value, proposed_value, explanation, \
                     inform_recipients) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'ontvangen', $12, \
                     $13, $14, $15, $16)",
                )
                .bind(&r.id)
                .bind(&r.reference)
                .bind(r.bsn.to_string())
                .bind(r.kind.code())
                .bind(r.channel.code())
                .bind(&r.identity_note)
                .bind(r.assurance.map(Assurance::code))
                .bind(&r.email)
                .bind(r.received_at)
                .bind(r.received_on)
                .bind(&r.registered_by)
                .bind(&r.field_path)
                .bind(&r.current_value)
                .bind(&r.proposed_value)
                .bind(&r.explanation)
                .bind(r.inform_recipients)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    super::sql::unique_violation(e, UniqueKey::CitizenRequest)
                })?;
                Self::insert_event(&mut tx, &r.id, event).await?;
                for a in attachments {
                    Self::insert_attachment(&mut tx, &r.id, a).await?;
                }
                Self::insert_letter(&mut tx, &r.id, letter).await?;
                if let Some(m) = mail {
                    Self::insert_outbox(&mut tx, m).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn change_citizen_request(&self, c: &RequestChange) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "UPDATE citizen_requests SET status = COALESCE(",
                );
                qb.push_bind(c.status.map(RequestStatus::code));
                qb.push(", status)");
                if let Some((user_id, name)) = &c.assign {
                    qb.push(", assigned_to_user_id = ");
                    qb.push_bind(*user_id);
                    qb.push(", assigned_to = ");
                    qb.push_bind(name.clone());
                }
                if let Some(d) = &c.decision {
                    qb.push(", outcome = ");
                    qb.push_bind(d.outcome.code());
                    qb.push(", motivation = ");
                    qb.push_bind(d.motivation.clone());
                    qb.push(", decided_by = ");
                    qb.push_bind(d.decided_by.clone());
                    qb.push(", decided_at = ");
                    qb.push_bind(d.decided_at);
                }
                if let Some(inform) = c.inform_recipients {
                    qb.push(", inform_recipients = ");
                    qb.push_bind(inform);
                }
                qb.push(" WHERE id = ");
                qb.push_bind(c.request_id.clone());
                qb.push(" AND status IN (");
                let mut list = qb.separated(", ");
                for s in &c.expect {
                    list.push_bind(s.code());
                }
                qb.push(")");
                let changed = qb.build().execute(&mut *tx).await?.rows_affected();
                if changed != 1 {
                    return Err(conflict());
                }
                Self::insert_event(&mut tx, &c.request_id, &c.event).await?;
                for a in &c.attachments {
                    Self::insert_attachment(&mut tx, &c.request_id, a).await?;
                }
                if let Some(l) = &c.letter {
                    Self::insert_letter(&mut tx, &c.request_id, l).await?;
                }
                for m in &c.mails {
                    Self::insert_outbox(&mut tx, m).await?;
                }
                if let Some(p) = &c.person {
                    Self::apply_person_change(&mut tx, &c.request_id, p).await?;
                }
                for n in &c.staff_notices {
                    Self::notify(&mut tx, n).await?;
                }
                for n in &c.notifications {
                    sqlx::query(
                        "INSERT INTO correction_notifications (correction_id, afnemer_id, \
                         afnemer_name, notified_at, notified_by) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(n.correction_id)
                    .bind(n.afnemer_id)
                    .bind(&n.afnemer_name)
                    .bind(n.notified_at)
                    .bind(&n.notified_by)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        super::sql::unique_violation(e, UniqueKey::CorrectionNotification)
                    })?;
                }
                for a in &c.audit {
                    Self::insert_audit(&mut tx, a).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn citizen_request(&self, id: &str) -> Result<Option<CitizenRequest>, StoreError> {
                // Ids are UUIDs: anything else (a NUL byte, which PostgreSQL cannot even
                // compare) is no id of ours, found without asking the database.
                let Some(id) = brp_domain::citizen::canonical_request_id(id) else {
                    return Ok(None);
                };
                let id = id.as_str();
                let row: Option<RequestRow> = sqlx::query_as(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM citizen_requests r WHERE r.id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let events: Vec<EventRow> = sqlx::query_as(
                    "SELECT id, request_id, at, kind, actor, by_citizen, text, staff_only, due_on \
                     FROM citizen_request_events WHERE request_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let attachments: Vec<AttachmentRow> = sqlx::query_as(
                    "SELECT id, request_id, file_name, content_type, size, uploaded_at, \
                     by_citizen FROM citizen_attachments WHERE request_id = $1 \
                     ORDER BY uploaded_at, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let letters: Vec<LetterRow> = sqlx::query_as(
                    "SELECT l.id, l.request_id, r.reference, l.kind, l.subject, l.body_html, \
                     l.created_at FROM citizen_letters l \
                     JOIN citizen_requests r ON r.id = l.request_id \
                     WHERE l.request_id = $1 ORDER BY l.created_at, l.id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(assemble(vec![row], events, attachments, letters)?.pop())
            }

            async fn list_citizen_requests(
                &self,
                f: &CitizenRequestFilter,
            ) -> Result<Vec<CitizenRequest>, StoreError> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {REQUEST_COLUMNS} FROM citizen_requests r"
                ));
                Self::push_filter(&mut qb, f);
                // Open requests oldest first: with a limit, the most urgent stay in.
                qb.push(if f.open_only {
                    " ORDER BY r.received_on, r.received_at, r.id"
                } else {
                    " ORDER BY r.received_at DESC, r.id"
                });
                if f.limit > 0 {
                    qb.push(" LIMIT ");
                    qb.push_bind(f.limit);
                }
                let requests: Vec<RequestRow> =
                    qb.build_query_as().fetch_all(&self.pool).await?;
                let mut events: Vec<EventRow> = Vec::new();
                for chunk in requests.chunks(500) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, request_id, at, kind, actor, by_citizen, text, staff_only, due_on \
                         FROM citizen_request_events WHERE request_id IN (",
                    );
                    let mut ids = qb.separated(", ");
                    for r in chunk {
                        ids.push_bind(r.id.clone());
                    }
                    qb.push(") ORDER BY id");
                    events.extend(qb.build_query_as::<EventRow>().fetch_all(&self.pool).await?);
                }
                events.sort_by_key(|e| e.id);
                assemble(requests, events, Vec::new(), Vec::new())
            }

            async fn citizen_attachment(
                &self,
                id: &str,
            ) -> Result<Option<StoredAttachment>, StoreError> {
                // Ids are UUIDs: anything else (a NUL byte, which PostgreSQL cannot even
                // compare) is no id of ours, found without asking the database.
                let Some(id) = brp_domain::citizen::canonical_request_id(id) else {
                    return Ok(None);
                };
                let id = id.as_str();
                #[derive(sqlx::FromRow)]
                struct Row {
                    id: String,
                    request_id: String,
                    file_name: String,
                    content_type: String,
                    size: i64,
                    uploaded_at: DateTime<Utc>,
                    by_citizen: bool,
                    data: Vec<u8>,
                }
                let row: Option<Row> = sqlx::query_as(
                    "SELECT id, request_id, file_name, content_type, size, uploaded_at, \
                     by_citizen, data FROM citizen_attachments WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else {
                    return Ok(None);
                };
                let (request_id, info) = AttachmentRow {
                    id: r.id,
                    request_id: r.request_id,
                    file_name: r.file_name,
                    content_type: r.content_type,
                    size: r.size,
                    uploaded_at: r.uploaded_at,
                    by_citizen: r.by_citizen,
                }
                .into_info()?;
                Ok(Some(StoredAttachment {
                    request_id,
                    info,
                    data: r.data,
                }))
            }

            async fn citizen_letter(&self, id: &str) -> Result<Option<CitizenLetter>, StoreError> {
                // Ids are UUIDs: anything else (a NUL byte, which PostgreSQL cannot even
                // compare) is no id of ours, found without asking the database.
                let Some(id) = brp_domain::citizen::canonical_request_id(id) else {
                    return Ok(None);
                };
                let id = id.as_str();
                let row: Option<LetterRow> = sqlx::query_as(
                    "SELECT l.id, l.request_id, r.reference, l.kind, l.subject, l.body_html, \
                     l.created_at FROM citizen_letters l \
                     JOIN citizen_requests r ON r.id = l.request_id WHERE l.id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(CitizenLetter::try_from).transpose()
            }

            async fn corrections_of_request(
                &self,
                request_id: &str,
            ) -> Result<Vec<CorrectionRecord>, StoreError> {
                let rows: Vec<CorrectionRow> = sqlx::query_as(
                    "SELECT id, request_id, field_path, field_label, old_value, new_value, \
                     corrected_by, corrected_at, reason FROM person_corrections \
                     WHERE request_id = $1 ORDER BY id",
                )
                .bind(request_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(CorrectionRecord::from).collect())
            }

            async fn correction_notifications(
                &self,
                correction_id: i64,
            ) -> Result<Vec<(i64, DateTime<Utc>, String)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT afnemer_id, notified_at, notified_by FROM correction_notifications \
                     WHERE correction_id = $1 ORDER BY id",
                )
                .bind(correction_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn restricted_bsns(&self, bsns: &[Bsn]) -> Result<HashSet<Bsn>, StoreError> {
                if bsns.is_empty() {
                    return Ok(HashSet::new());
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "SELECT bsn FROM verstrekkingsbeperkingen WHERE ended_on IS NULL AND bsn IN (",
                );
                let mut list = qb.separated(", ");
                for bsn in bsns {
                    list.push_bind(bsn.to_string());
                }
                qb.push(")");
                let rows: Vec<String> = qb.build_query_scalar().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|b| Bsn::parse(b).map_err(|e| corrupt("verstrekkingsbeperkingen.bsn", e)))
                    .collect()
            }

            async fn beperkingen(&self, bsn: &Bsn) -> Result<Vec<Beperking>, StoreError> {
                let rows: Vec<(String, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
                    "SELECT request_id, started_on, ended_on FROM verstrekkingsbeperkingen \
                     WHERE bsn = $1 ORDER BY id DESC",
                )
                .bind(bsn.to_string())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(request_id, started_on, ended_on)| Beperking {
                        request_id,
                        started_on,
                        ended_on,
                    })
                    .collect())
            }

            async fn person_data(&self, bsn: &Bsn) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar("SELECT data FROM persons WHERE bsn = $1")
                    .bind(bsn.to_string())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn insert_login_state(&self, s: &LoginState) -> Result<(), StoreError> {
                // Logins that never came back are dropped here too, so that a stream of
                // started logins cannot fill the table.
                sqlx::query("DELETE FROM citizen_login_states WHERE created_at < $1")
                    .bind(s.created_at - chrono::Duration::hours(1))
                    .execute(&self.pool)
                    .await?;
                sqlx::query(
                    "INSERT INTO citizen_login_states (state, nonce, pkce_verifier, \
                     binding_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&s.state)
                .bind(&s.nonce)
                .bind(&s.pkce_verifier)
                .bind(&s.binding_hash)
                .bind(s.created_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn take_login_state(
                &self,
                state: &str,
                expired_before: DateTime<Utc>,
            ) -> Result<Option<LoginState>, StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM citizen_login_states WHERE created_at < $1")
                    .bind(expired_before)
                    .execute(&mut *tx)
                    .await?;
                let row: Option<LoginStateRow> = sqlx::query_as(
                    "DELETE FROM citizen_login_states WHERE state = $1 \
                     RETURNING state, nonce, pkce_verifier, binding_hash, created_at",
                )
                .bind(state)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(row.map(|r| LoginState {
                    state: r.state,
                    nonce: r.nonce,
                    pkce_verifier: r.pkce_verifier,
                    binding_hash: r.binding_hash,
                    created_at: r.created_at,
                }))
            }
        }
    };
}

sql_citizen_store!(SqliteStore, sqlx::Sqlite);
sql_citizen_store!(PgStore, sqlx::Postgres);
