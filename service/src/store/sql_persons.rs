//! The SQL implementation of [`PersonStore`] for both backends, written once and expanded
//! per backend like the other stores.

use super::sql::{collect, corrupt, PgStore, SqliteStore};
use super::{
    NewAuditEvent, NewSecurityEvent, NewTerugmelding, NewVerstrekking, PersonRecord, PersonStore,
    StoreError, StoredPerson,
};
use async_trait::async_trait;
use brp_domain::authorisation::SearchType;
use brp_domain::person::{Bsn, PersonQuery, TextMatch};
use brp_domain::protocol::{
    Channel, ProtocolFilter, SecurityEvent, Terugmelding, TerugmeldingStatus, Verstrekking,
};
use brp_domain::AfnemerRef;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// Field lists already stored, by text. Field sets are never deleted, so an id once seen
/// stays valid; the cache saves a round trip on every protocolled request.
#[derive(Debug, Clone, Default)]
pub struct FieldsetCache(Arc<Mutex<HashMap<String, i64>>>);

impl FieldsetCache {
    fn get(&self, fields: &str) -> Option<i64> {
        self.0.lock().ok().and_then(|m| m.get(fields).copied())
    }

    fn put(&self, fields: &str, id: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(fields.to_owned(), id);
        }
    }
}

/// Rows of persons written per INSERT statement when loading many.
const PERSON_BATCH: usize = 500;

/// A BAG identificatie as stored: NULL when the person has none, so the column's index
/// holds only real ids and an empty value can never match.
pub(super) fn bag_column(id: &str) -> Option<String> {
    (!id.is_empty()).then(|| id.to_owned())
}

/// The upper bound of a prefix range: every string that starts with `prefix` sorts below it
/// in byte order (SQLite's BINARY, PostgreSQL's "C" collation).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    bsn: String,
    data: String,
}

#[derive(sqlx::FromRow)]
struct VerstrekkingRow {
    id: i64,
    request_id: String,
    bsn: String,
    at: DateTime<Utc>,
    user_id: i64,
    username: String,
    grant_id: i64,
    profile_id: i64,
    profile_version: i32,
    afnemer_id: i64,
    afnemer_name: String,
    doel_id: i64,
    doel_name: String,
    zaak: String,
    search_type: String,
    channel: String,
    fields: String,
    hidden_from_citizen: bool,
    gebruiker: Option<String>,
    verwerking: Option<String>,
}

impl TryFrom<VerstrekkingRow> for Verstrekking {
    type Error = StoreError;
    fn try_from(r: VerstrekkingRow) -> Result<Self, StoreError> {
        Ok(Verstrekking {
            id: r.id,
            request_id: r.request_id,
            bsn: Bsn::parse(&r.bsn).map_err(|e| corrupt("protocol bsn", e))?,
            at: r.at,
            user_id: r.user_id,
            username: r.username,
            grant_id: r.grant_id,
            profile_id: r.profile_id,
            profile_version: r.profile_version,
            afnemer: AfnemerRef {
                id: r.afnemer_id,
                name: r.afnemer_name,
            },
            doel_id: r.doel_id,
            doel_name: r.doel_name,
            zaak: r.zaak,
            search_type: SearchType::from_str(&r.search_type)
                .map_err(|_| corrupt("protocol search type", &r.search_type))?,
            channel: Channel::from_code(&r.channel)
                .ok_or_else(|| corrupt("protocol channel", &r.channel))?,
            fields: r.fields.split_whitespace().map(str::to_owned).collect(),
            hidden_from_citizen: r.hidden_from_citizen,
            gebruiker: r.gebruiker,
            verwerking: r.verwerking,
        })
    }
}

const VERSTREKKING_SELECT: &str = "SELECT v.id, v.request_id, v.bsn, v.at, v.user_id, \
     v.username, v.grant_id, v.profile_id, v.profile_version, v.afnemer_id, v.afnemer_name, \
     v.doel_id, v.doel_name, v.zaak, v.search_type, v.channel, f.fields, \
     v.hidden_from_citizen, v.gebruiker, v.verwerking \
     FROM verstrekkingen v JOIN protocol_fieldsets f ON f.id = v.fieldset_id";

#[derive(sqlx::FromRow)]
struct SecurityEventRow {
    id: i64,
    at: DateTime<Utc>,
    user_id: Option<i64>,
    username: String,
    grant_id: Option<i64>,
    action: String,
    reason: String,
    detail: String,
}

impl From<SecurityEventRow> for SecurityEvent {
    fn from(r: SecurityEventRow) -> Self {
        SecurityEvent {
            id: r.id,
            at: r.at,
            user_id: r.user_id,
            username: r.username,
            grant_id: r.grant_id,
            action: r.action,
            reason: r.reason,
            detail: r.detail,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TerugmeldingRow {
    id: i64,
    bsn: String,
    field_path: String,
    field_label: String,
    reason: String,
    reported_by: i64,
    reporter_name: String,
    afnemer_name: String,
    reported_at: DateTime<Utc>,
    status: String,
    outcome: String,
    handled_by: Option<String>,
    handled_at: Option<DateTime<Utc>>,
}

impl TryFrom<TerugmeldingRow> for Terugmelding {
    type Error = StoreError;
    fn try_from(r: TerugmeldingRow) -> Result<Self, StoreError> {
        Ok(Terugmelding {
            id: r.id,
            bsn: Bsn::parse(&r.bsn).map_err(|e| corrupt("terugmelding bsn", e))?,
            field_path: r.field_path,
            field_label: r.field_label,
            reason: r.reason,
            reporter_id: r.reported_by,
            reporter_name: r.reporter_name,
            afnemer_name: r.afnemer_name,
            reported_at: r.reported_at,
            status: TerugmeldingStatus::from_code(&r.status)
                .ok_or_else(|| corrupt("terugmelding status", &r.status))?,
            outcome: r.outcome,
            handled_by: r.handled_by,
            handled_at: r.handled_at,
        })
    }
}

const TERUGMELDING_COLUMNS: &str = "id, bsn, field_path, field_label, reason, reported_by, \
     reporter_name, afnemer_name, reported_at, status, outcome, handled_by, handled_at";

macro_rules! sql_person_store {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Appends `AND <column matches text>` for a folded text match.
            fn push_text(
                qb: &mut sqlx::QueryBuilder<'_, $db>,
                column: &'static str,
                text: &TextMatch,
            ) {
                match text {
                    TextMatch::Exact(t) => {
                        qb.push(format!(" AND {column} = "));
                        qb.push_bind(t.clone());
                    }
                    TextMatch::StartsWith(t) => {
                        qb.push(format!(" AND {column} >= "));
                        qb.push_bind(t.clone());
                        qb.push(format!(" AND {column} < "));
                        qb.push_bind(prefix_end(t));
                    }
                    TextMatch::EndsWith(t) => {
                        // The parser allows no % or _ in a search text, so no escaping.
                        qb.push(format!(" AND {column} LIKE "));
                        qb.push_bind(format!("%{t}"));
                    }
                }
            }

            fn push_house(
                qb: &mut sqlx::QueryBuilder<'_, $db>,
                h: &brp_domain::person::search::Huisnummer,
            ) {
                qb.push(" AND huisnummer = ");
                qb.push_bind(i64::from(h.nummer));
                if let Some(l) = &h.huisletter {
                    qb.push(" AND huisletter = ");
                    qb.push_bind(l.clone());
                }
                if let Some(t) = &h.toevoeging {
                    qb.push(" AND huisnummertoevoeging = ");
                    qb.push_bind(t.clone());
                }
            }

            async fn fieldset_id(&self, fields: &str) -> Result<i64, StoreError> {
                if let Some(id) = self.fieldsets.get(fields) {
                    return Ok(id);
                }
                // Outside the protocol transaction on purpose: a field set that outlives a
                // rolled-back request is harmless, and the cache never holds an id that
                // was not committed.
                sqlx::query(
                    "INSERT INTO protocol_fieldsets (fields) VALUES ($1) \
                     ON CONFLICT (fields) DO NOTHING",
                )
                .bind(fields)
                .execute(&self.pool)
                .await?;
                let id: i64 = sqlx::query_scalar("SELECT id FROM protocol_fieldsets WHERE fields = $1")
                    .bind(fields)
                    .fetch_one(&self.pool)
                    .await?;
                self.fieldsets.put(fields, id);
                Ok(id)
            }

            async fn insert_verstrekking<'e, E>(
                executor: E,
                r: &NewVerstrekking,
                fieldset_id: i64,
            ) -> Result<i64, StoreError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                Ok(sqlx::query_scalar(
                    "INSERT INTO verstrekkingen (request_id, bsn, at, user_id, username, \
                     grant_id, profile_id, profile_version, afnemer_id, afnemer_name, \
                     doel_id, doel_name, zaak, search_type, channel, fieldset_id, \
                     hidden_from_citizen, gebruiker, verwerking) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                     $15, $16, $17, $18, $19) RETURNING id",
                )
                .bind(&r.request_id)
                .bind(r.bsn.to_string())
                .bind(r.at)
                .bind(r.user_id)
                .bind(&r.username)
                .bind(r.grant_id)
                .bind(r.profile_id)
                .bind(r.profile_version)
                .bind(r.afnemer_id)
                .bind(&r.afnemer_name)
                .bind(r.doel_id)
                .bind(&r.doel_name)
                .bind(&r.zaak)
                .bind(r.search_type.code())
                .bind(r.channel.code())
                .bind(fieldset_id)
                .bind(r.hidden_from_citizen)
                .bind(&r.gebruiker)
                .bind(&r.verwerking)
                .fetch_one(executor)
                .await?)
            }
        }

        #[async_trait]
        impl PersonStore for $store {
            async fn upsert_persons(&self, persons: &[PersonRecord]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                for chunk in persons.chunks(PERSON_BATCH) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO persons (bsn, a_nummer, geslachtsnaam, voornamen, \
                         voorvoegsel, geslacht, geboortedatum, gemeente_code, postcode, \
                         huisnummer, huisletter, huisnummertoevoeging, straat, \
                         nummeraanduiding, adresseerbaar_object, overleden, data) ",
                    );
                    qb.push_values(chunk, |mut row, p| {
                        let k = &p.keys;
                        row.push_bind(p.bsn.to_string())
                            .push_bind(p.a_nummer.clone())
                            .push_bind(k.geslachtsnaam.clone())
                            .push_bind(k.voornamen.clone())
                            .push_bind(k.voorvoegsel.clone())
                            .push_bind(k.geslacht.clone())
                            .push_bind(k.geboortedatum.map(|d| d.format("%Y-%m-%d").to_string()))
                            .push_bind(k.gemeente_code.clone())
                            .push_bind(k.postcode.clone())
                            .push_bind(k.huisnummer.map(i64::from))
                            .push_bind(k.huisletter.clone())
                            .push_bind(k.huisnummertoevoeging.clone())
                            .push_bind(k.straat.clone())
                            .push_bind(bag_column(&k.nummeraanduiding))
                            .push_bind(bag_column(&k.adresseerbaar_object))
                            .push_bind(k.overleden)
                            .push_bind(p.data.clone());
                    });
                    qb.push(
                        " ON CONFLICT (bsn) DO UPDATE SET a_nummer = excluded.a_nummer, \
                         geslachtsnaam = excluded.geslachtsnaam, voornamen = excluded.voornamen, \
                         voorvoegsel = excluded.voorvoegsel, geslacht = excluded.geslacht, \
                         geboortedatum = excluded.geboortedatum, \
                         gemeente_code = excluded.gemeente_code, postcode = excluded.postcode, \
                         huisnummer = excluded.huisnummer, huisletter = excluded.huisletter, \
                         huisnummertoevoeging = excluded.huisnummertoevoeging, \
                         straat = excluded.straat, \
                         nummeraanduiding = excluded.nummeraanduiding, \
                         adresseerbaar_object = excluded.adresseerbaar_object, \
                         overleden = excluded.overleden, \
                         data = excluded.data",
                    );
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn count_persons(&self) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM persons")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn find_persons(
                &self,
                query: &PersonQuery,
                gemeente: Option<&str>,
                limit: i64,
            ) -> Result<Vec<StoredPerson>, StoreError> {
                let mut qb =
                    sqlx::QueryBuilder::<$db>::new("SELECT bsn, data FROM persons WHERE 1 = 1");
                match query {
                    PersonQuery::Bsn(bsns) => {
                        qb.push(" AND bsn IN (");
                        let mut list = qb.separated(", ");
                        for b in bsns {
                            list.push_bind(b.to_string());
                        }
                        qb.push(")");
                    }
                    PersonQuery::GeslachtsnaamEnGeboortedatum {
                        geslachtsnaam,
                        geboortedatum,
                        geslacht,
                        voorvoegsel,
                        voornamen,
                        ..
                    } => {
                        Self::push_text(&mut qb, "geslachtsnaam", geslachtsnaam);
                        qb.push(" AND geboortedatum = ");
                        qb.push_bind(geboortedatum.format("%Y-%m-%d").to_string());
                        if let Some(g) = geslacht {
                            qb.push(" AND geslacht = ");
                            qb.push_bind(g.clone());
                        }
                        if let Some(v) = voorvoegsel {
                            qb.push(" AND voorvoegsel = ");
                            qb.push_bind(v.clone());
                        }
                        if let Some(v) = voornamen {
                            Self::push_text(&mut qb, "voornamen", v);
                        }
                    }
                    PersonQuery::NaamEnGemeente {
                        geslachtsnaam,
                        voornamen,
                        gemeente: code,
                        geslacht,
                        voorvoegsel,
                        ..
                    } => {
                        qb.push(" AND gemeente_code = ");
                        qb.push_bind(code.as_str().to_owned());
                        Self::push_text(&mut qb, "geslachtsnaam", geslachtsnaam);
                        Self::push_text(&mut qb, "voornamen", voornamen);
                        if let Some(g) = geslacht {
                            qb.push(" AND geslacht = ");
                            qb.push_bind(g.clone());
                        }
                        if let Some(v) = voorvoegsel {
                            qb.push(" AND voorvoegsel = ");
                            qb.push_bind(v.clone());
                        }
                    }
                    PersonQuery::PostcodeEnHuisnummer {
                        postcode,
                        huisnummer,
                        geslachtsnaam,
                        geboortedatum,
                        ..
                    } => {
                        qb.push(" AND postcode = ");
                        qb.push_bind(postcode.as_str().to_owned());
                        Self::push_house(&mut qb, huisnummer);
                        if let Some(g) = geslachtsnaam {
                            Self::push_text(&mut qb, "geslachtsnaam", g);
                        }
                        if let Some(d) = geboortedatum {
                            qb.push(" AND geboortedatum = ");
                            qb.push_bind(d.format("%Y-%m-%d").to_string());
                        }
                    }
                    PersonQuery::StraatHuisnummerEnGemeente {
                        straat,
                        huisnummer,
                        gemeente: code,
                        ..
                    } => {
                        qb.push(" AND gemeente_code = ");
                        qb.push_bind(code.as_str().to_owned());
                        Self::push_house(&mut qb, huisnummer);
                        Self::push_text(&mut qb, "straat", straat);
                    }
                    PersonQuery::Nummeraanduiding { id, gemeente: code, .. } => {
                        qb.push(" AND nummeraanduiding = ");
                        qb.push_bind(id.as_str().to_owned());
                        if let Some(code) = code {
                            qb.push(" AND gemeente_code = ");
                            qb.push_bind(code.as_str().to_owned());
                        }
                    }
                    PersonQuery::AdresseerbaarObject { id, gemeente: code, .. } => {
                        qb.push(" AND adresseerbaar_object = ");
                        qb.push_bind(id.as_str().to_owned());
                        if let Some(code) = code {
                            qb.push(" AND gemeente_code = ");
                            qb.push_bind(code.as_str().to_owned());
                        }
                    }
                }
                if !query.includes_deceased() {
                    qb.push(" AND overleden = ");
                    qb.push_bind(false);
                }
                if let Some(code) = gemeente {
                    qb.push(" AND gemeente_code = ");
                    qb.push_bind(code.to_owned());
                }
                qb.push(" ORDER BY bsn LIMIT ");
                qb.push_bind(limit);
                let rows: Vec<PersonRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|r| StoredPerson {
                        bsn: r.bsn,
                        data: r.data,
                    })
                    .collect())
            }

            async fn insert_verstrekkingen(
                &self,
                records: &[NewVerstrekking],
            ) -> Result<Vec<i64>, StoreError> {
                let mut fieldset_ids = Vec::with_capacity(records.len());
                for r in records {
                    fieldset_ids.push(self.fieldset_id(&r.fields).await?);
                }
                // One record commits by itself (one statement, one flush); several go in one
                // transaction, all or none.
                if let ([r], [fieldset_id]) = (records, fieldset_ids.as_slice()) {
                    return Ok(vec![Self::insert_verstrekking(&self.pool, r, *fieldset_id).await?]);
                }
                let mut tx = self.pool.begin().await?;
                let mut ids = Vec::with_capacity(records.len());
                for (r, fieldset_id) in records.iter().zip(fieldset_ids) {
                    ids.push(Self::insert_verstrekking(&mut *tx, r, fieldset_id).await?);
                }
                tx.commit().await?;
                Ok(ids)
            }

            async fn verstrekking(&self, id: i64) -> Result<Option<Verstrekking>, StoreError> {
                let row: Option<VerstrekkingRow> =
                    sqlx::query_as(&format!("{VERSTREKKING_SELECT} WHERE v.id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(Verstrekking::try_from).transpose()
            }

            async fn first_verstrekking_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
                let row: Option<(DateTime<Utc>,)> =
                    sqlx::query_as("SELECT at FROM verstrekkingen ORDER BY at LIMIT 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(at,)| at))
            }

            async fn list_verstrekkingen(
                &self,
                filter: &ProtocolFilter,
                limit: i64,
            ) -> Result<Vec<Verstrekking>, StoreError> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(VERSTREKKING_SELECT);
                qb.push(" WHERE 1 = 1");
                if let Some(bsn) = &filter.bsn {
                    qb.push(" AND v.bsn = ");
                    qb.push_bind(bsn.to_string());
                }
                if let Some(user) = filter.user_id {
                    qb.push(" AND v.user_id = ");
                    qb.push_bind(user);
                }
                if let Some(afnemer) = filter.afnemer_id {
                    qb.push(" AND v.afnemer_id = ");
                    qb.push_bind(afnemer);
                }
                if let Some(channel) = filter.channel {
                    qb.push(" AND v.channel = ");
                    qb.push_bind(channel.code());
                }
                // Days are Dutch calendar days; the stored instants are UTC. A day runs from
                // 00:00 Dutch time, which is at most two hours earlier in UTC: compare on the
                // UTC instants of the day's start computed by the caller's conversion.
                if let Some(from) = filter.from {
                    qb.push(" AND v.at >= ");
                    qb.push_bind(brp_domain::time::dutch_day_start(from));
                }
                if let Some(to) = filter.to {
                    qb.push(" AND v.at < ");
                    qb.push_bind(brp_domain::time::dutch_day_start(to + Duration::days(1)));
                }
                qb.push(" ORDER BY v.at DESC, v.id DESC LIMIT ");
                qb.push_bind(limit);
                let rows: Vec<VerstrekkingRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                collect(rows)
            }

            async fn insert_security_event(
                &self,
                e: &NewSecurityEvent,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO security_events (at, user_id, username, grant_id, action, \
                     reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(e.at)
                .bind(e.user_id)
                .bind(&e.username)
                .bind(e.grant_id)
                .bind(&e.action)
                .bind(&e.reason)
                .bind(&e.detail)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn list_security_events(
                &self,
                limit: i64,
            ) -> Result<Vec<SecurityEvent>, StoreError> {
                let rows: Vec<SecurityEventRow> = sqlx::query_as(
                    "SELECT id, at, user_id, username, grant_id, action, reason, detail \
                     FROM security_events ORDER BY at DESC, id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(SecurityEvent::from).collect())
            }

            async fn insert_terugmelding(&self, t: &NewTerugmelding) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO terugmeldingen (bsn, field_path, field_label, reason, \
                     reported_by, reporter_name, afnemer_id, afnemer_name, reported_at, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ontvangen') RETURNING id",
                )
                .bind(t.bsn.to_string())
                .bind(&t.field_path)
                .bind(&t.field_label)
                .bind(&t.reason)
                .bind(t.reported_by)
                .bind(&t.reporter_name)
                .bind(t.afnemer_id)
                .bind(&t.afnemer_name)
                .bind(t.reported_at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn terugmelding(&self, id: i64) -> Result<Option<Terugmelding>, StoreError> {
                let row: Option<TerugmeldingRow> = sqlx::query_as(&format!(
                    "SELECT {TERUGMELDING_COLUMNS} FROM terugmeldingen WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(Terugmelding::try_from).transpose()
            }

            async fn list_terugmeldingen(
                &self,
                reporter: Option<i64>,
            ) -> Result<Vec<Terugmelding>, StoreError> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {TERUGMELDING_COLUMNS} FROM terugmeldingen WHERE 1 = 1"
                ));
                if let Some(r) = reporter {
                    qb.push(" AND reported_by = ");
                    qb.push_bind(r);
                }
                qb.push(
                    " ORDER BY CASE status WHEN 'afgehandeld' THEN 1 ELSE 0 END, \
                     reported_at, id",
                );
                let rows: Vec<TerugmeldingRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                collect(rows)
            }

            async fn update_terugmelding(
                &self,
                id: i64,
                status: TerugmeldingStatus,
                outcome: &str,
                handled_by: &str,
                at: DateTime<Utc>,
                audit: &NewAuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let changed = sqlx::query(
                    "UPDATE terugmeldingen SET status = $1, outcome = $2, handled_by = $3, \
                     handled_at = $4 WHERE id = $5 AND status <> 'afgehandeld'",
                )
                .bind(status.code())
                .bind(outcome)
                .bind(handled_by)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::Conflict(
                        "Deze terugmelding is al afgehandeld.".into(),
                    ));
                }
                Self::insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

sql_person_store!(SqliteStore, sqlx::Sqlite);
sql_person_store!(PgStore, sqlx::Postgres);
