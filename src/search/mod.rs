//! The one search box: members by name, student number or ID number (full or its last digits),
//! and thought reports (and, once they exist, meeting minutes) by any word, Chinese included,
//! with a highlighted snippet.
//!
//! Documents are found through an FTS5 index of Chinese bigrams (`tokens`); a term the index
//! decides exactly (two or more Chinese characters) is counted by SQLite alone, any other is
//! confirmed against the text, so what is found is exactly what contains every term.

pub mod tokens;

use serde::Serialize;
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::error::ErrorCode;
use crate::people::id_number;

/// The most hits one search returns.
pub const MAX_LIMIT: usize = 200;
/// Above this many matching documents, hits are not ranked by bm25 (which scores every match:
/// hundreds of milliseconds for a word in a hundred thousand reports) but listed title matches
/// first, then newest first; `SearchResults::ranked` says so.
pub const RANK_UP_TO: usize = 2_000;
/// Characters of context shown before the first match in a snippet, and in all.
const SNIPPET_BEFORE: usize = 24;
const SNIPPET_LENGTH: usize = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Member,
    ThoughtReport,
    Meeting,
}

/// One thing found.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The member's, report's or meeting's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The member the hit belongs to (the member itself, a report's author).
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub title: String,
    /// Whose and when: 「姓名 · 2026Q3 · 2026-09-20」 for a report, 「支部 · 日期」 for a meeting,
    /// the branch for a member.
    pub subtitle: Option<String>,
    /// Plain text around the first match.
    pub snippet: String,
    /// The matches in `snippet`, as [start, end) character offsets, for highlighting.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How many things match in all (members and documents), of which `hits` are the first.
    #[ts(type = "number")]
    pub total: usize,
    /// Whether the documents are ranked by relevance (bm25). False when more than `RANK_UP_TO`
    /// match: then title matches come first, then the newest.
    pub ranked: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for SearchError {
    fn code(&self) -> &'static str {
        match self {
            SearchError::Forbidden(_) => "forbidden",
            SearchError::Db(_) => "database",
        }
    }
}

/// Searches members and documents for `query` (whitespace separates terms that must all occur).
pub fn search(
    archive: &Archive,
    actor: &Actor,
    query: &str,
    limit: usize,
) -> Result<SearchResults, SearchError> {
    search_ranking_up_to(archive, actor, query, limit, RANK_UP_TO)
}

/// `search`, ranking the documents by bm25 only when at most `rank_up_to` match (`usize::MAX`
/// always ranks; the benchmark compares the two).
pub fn search_ranking_up_to(
    archive: &Archive,
    actor: &Actor,
    query: &str,
    limit: usize,
    rank_up_to: usize,
) -> Result<SearchResults, SearchError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let limit = limit.clamp(1, MAX_LIMIT);
    let terms = terms_of(query);
    if terms.is_empty() {
        return Ok(SearchResults {
            hits: Vec::new(),
            total: 0,
            ranked: true,
        });
    }
    let conn = archive.conn();
    let mut hits = Vec::new();
    let mut total = 0;
    let visible = Visible::of(archive, actor)?;

    if let [term] = terms.as_slice() {
        let mut members = db::search::members(conn, term)?;
        members.retain(|m| visible.member(Some(m.id)));
        total += members.len();
        for member in members.into_iter().take(limit) {
            let mut facts = Vec::new();
            if let Some(no) = &member.student_no {
                facts.push(format!("学号 {no}"));
            }
            if let Some(id) = &member.id_number {
                facts.push(format!("身份证号 {}", id_number::mask(id)));
            }
            if let Some(branch) = &member.branch {
                facts.push(branch.clone());
            }
            let snippet = facts.join(" · ");
            let highlights = highlight(&snippet, &terms);
            hits.push(SearchHit {
                kind: HitKind::Member,
                id: member.id,
                member_id: Some(member.id),
                title: member.name,
                subtitle: member.branch.clone(),
                snippet,
                highlights,
            });
        }
    }

    let room = limit.saturating_sub(hits.len());
    let ranked = if visible.all() {
        let (documents, found, ranked) = find_documents(conn, &terms, Some(room), rank_up_to)?;
        hits.extend(documents);
        total += found;
        ranked
    } else {
        // Every hit is read and those outside the scope dropped before counting.
        let (mut documents, _, ranked) = find_documents(conn, &terms, None, rank_up_to)?;
        documents.retain(|h| visible.member(h.member_id));
        total += documents.len();
        hits.extend(documents.into_iter().take(room));
        ranked
    };
    Ok(SearchResults {
        hits,
        total,
        ranked,
    })
}

/// Which members' hits the actor may see.
struct Visible<'a> {
    actor: &'a Actor,
    /// Each member's branch, loaded only for actors with a scope.
    branches: Option<std::collections::HashMap<i64, Option<i64>>>,
}

impl<'a> Visible<'a> {
    fn of(archive: &Archive, actor: &'a Actor) -> Result<Visible<'a>, SearchError> {
        let branches = if actor.sees_all() {
            None
        } else {
            Some(db::members::branch_ids(archive.conn())?)
        };
        Ok(Visible { actor, branches })
    }

    fn all(&self) -> bool {
        self.branches.is_none()
    }

    fn member(&self, member_id: Option<i64>) -> bool {
        match &self.branches {
            None => true,
            Some(branches) => member_id
                .is_some_and(|id| self.actor.sees_unit(branches.get(&id).copied().flatten())),
        }
    }
}

/// Keeps the thought reports whose member the actor sees.
fn retain_visible_reports(
    archive: &Archive,
    actor: &Actor,
    ids: &mut Vec<i64>,
) -> Result<(), SearchError> {
    if actor.sees_all() {
        return Ok(());
    }
    let visible = Visible::of(archive, actor)?;
    let mut kept = Vec::with_capacity(ids.len());
    for id in ids.iter() {
        if visible.member(db::auth::report_member(archive.conn(), *id)?) {
            kept.push(*id);
        }
    }
    *ids = kept;
    Ok(())
}

/// The query's terms: whitespace-separated, full-width folded, only those with something to
/// search for.
fn terms_of(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|t| t.chars().map(tokens::fold_width).collect::<String>())
        .filter(|t| tokens::term_query(t).is_some())
        .collect()
}

/// The FTS5 expression for all the terms: each term's query, ANDed.
fn expression_of(terms: &[String]) -> String {
    terms
        .iter()
        .filter_map(|t| tokens::term_query(t))
        .map(|q| format!("({q})"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The documents containing every term, best first: up to `limit` hits, how many there are, and
/// whether they are ranked (see `RANK_UP_TO`).
fn find_documents(
    conn: &rusqlite::Connection,
    terms: &[String],
    limit: Option<usize>,
    rank_up_to: usize,
) -> Result<(Vec<SearchHit>, usize, bool), SearchError> {
    let expression = expression_of(terms);
    let mut hits = Vec::new();
    if terms.iter().all(|t| tokens::term_is_exact(t)) {
        // The index decides exactly: SQLite counts, and only the hits shown are read.
        let total = usize::try_from(db::search::count(conn, &expression)?).unwrap_or(0);
        let ranked = total <= rank_up_to;
        let docs = match limit {
            Some(limit) if !ranked => {
                // Too many to rank cheaply: title matches first, then the rest, newest first.
                let mut docs =
                    db::search::documents_newest(conn, &format!("title : ({expression})"), limit)?;
                if docs.len() < limit {
                    let seen: std::collections::HashSet<(String, i64)> =
                        docs.iter().map(|d| (d.kind.clone(), d.ref_id)).collect();
                    docs.extend(
                        db::search::documents_newest(conn, &expression, limit + docs.len())?
                            .into_iter()
                            .filter(|d| !seen.contains(&(d.kind.clone(), d.ref_id)))
                            .take(limit - docs.len()),
                    );
                }
                docs
            }
            _ => db::search::documents(conn, &expression, limit)?,
        };
        for doc in docs {
            if let Some(hit) = document_hit(conn, &doc, terms)? {
                hits.push(hit);
            }
        }
        return Ok((hits, total, ranked || limit.is_none()));
    }
    // The index gives candidates; the text decides.
    let mut total = 0;
    for doc in db::search::documents(conn, &expression, None)? {
        let Some(hit) = document_hit(conn, &doc, terms)? else {
            continue;
        };
        total += 1;
        if limit.is_none_or(|l| hits.len() < l) {
            hits.push(hit);
        }
    }
    Ok((hits, total, true))
}

/// The ids of every thought report `query` finds through the index (no limit), in id order:
/// what `reports_containing` is compared with.
pub fn report_ids(archive: &Archive, actor: &Actor, query: &str) -> Result<Vec<i64>, SearchError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let terms = terms_of(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let conn = archive.conn();
    let mut ids: Vec<i64> = if terms.iter().all(|t| tokens::term_is_exact(t)) {
        // The index decides alone: no text is read.
        db::search::documents(conn, &expression_of(&terms), None)?
            .into_iter()
            .filter(|d| d.kind == "thought_report")
            .map(|d| d.ref_id)
            .collect()
    } else {
        find_documents(conn, &terms, None, usize::MAX)?
            .0
            .into_iter()
            .filter(|h| h.kind == HitKind::ThoughtReport)
            .map(|h| h.id)
            .collect()
    };
    ids.sort_unstable();
    retain_visible_reports(archive, actor, &mut ids)?;
    Ok(ids)
}

/// Rebuilds the search index from the reports and meetings (after a restore, or to measure how
/// long indexing takes), in one transaction; returns how many documents it indexed.
pub fn rebuild_index(archive: &mut Archive, actor: &Actor) -> Result<usize, SearchError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Admin)?;
    Ok(db::with_tx(archive.conn_mut(), |tx| {
        db::search::rebuild(tx)
    })?)
}

/// The ids of the thought reports whose title or text contains `text`, by a plain `LIKE` scan
/// of every report: the reference the index is measured against (tests, benchmarks).
pub fn reports_containing(
    archive: &Archive,
    actor: &Actor,
    text: &str,
) -> Result<Vec<i64>, SearchError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let mut ids = db::search::reports_containing(archive.conn(), text)?;
    retain_visible_reports(archive, actor, &mut ids)?;
    Ok(ids)
}

/// The hit for an indexed document, if its text contains every term.
fn document_hit(
    conn: &rusqlite::Connection,
    doc: &db::search::DocHit,
    terms: &[String],
) -> Result<Option<SearchHit>, SearchError> {
    let (kind, texts) = match doc.kind.as_str() {
        "thought_report" => (
            HitKind::ThoughtReport,
            db::reports::texts(conn, doc.ref_id)?.map(|(m, t, b, w)| (Some(m), t, b, w)),
        ),
        "meeting" => (
            HitKind::Meeting,
            db::meetings::texts(conn, doc.ref_id)?.map(|(t, b, w)| (None, t, b, w)),
        ),
        _ => return Ok(None),
    };
    let Some((member_id, title, body, subtitle)) = texts else {
        return Ok(None);
    };
    let title_folded = fold(&title);
    let body_folded = fold(&body);
    if !terms.iter().all(|t| {
        let t = fold(t);
        title_folded.contains(&t) || body_folded.contains(&t)
    }) {
        return Ok(None);
    }
    let snippet = snippet(&body, terms);
    let highlights = highlight(&snippet, terms);
    Ok(Some(SearchHit {
        kind,
        id: doc.ref_id,
        member_id: doc.member_id.or(member_id),
        title,
        subtitle: Some(subtitle),
        snippet,
        highlights,
    }))
}

/// Lower-cased, full-width folded: how text and terms are compared.
fn fold(text: &str) -> String {
    text.chars()
        .map(tokens::fold_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// About `SNIPPET_LENGTH` characters of `text` (whitespace collapsed) around the first match.
fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let folded: Vec<char> = chars
        .iter()
        .map(|c| fold(&c.to_string()).chars().next().unwrap_or(*c))
        .collect();
    let first = terms
        .iter()
        .filter_map(|t| find(&folded, &fold(t).chars().collect::<Vec<_>>(), 0))
        .min()
        .unwrap_or(0);
    let start = first.saturating_sub(SNIPPET_BEFORE);
    let end = (start + SNIPPET_LENGTH).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Every occurrence of every term in `text`, as character ranges, in order, not overlapping.
fn highlight(text: &str, terms: &[String]) -> Vec<[usize; 2]> {
    let folded: Vec<char> = text
        .chars()
        .map(|c| fold(&c.to_string()).chars().next().unwrap_or(c))
        .collect();
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    for term in terms {
        let needle: Vec<char> = fold(term).chars().collect();
        let mut from = 0;
        while let Some(at) = find(&folded, &needle, from) {
            ranges.push([at, at + needle.len()]);
            from = at + needle.len().max(1);
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<[usize; 2]> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range[0] <= last[1] => last[1] = last[1].max(range[1]),
            _ => merged.push(range),
        }
    }
    merged
}

fn find(haystack: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| haystack[i..i + needle.len()] == *needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_start_a_little_before_the_match_and_mark_every_term() {
        let text = format!(
            "{}我认真学习了党的二十大精神，深刻领会。",
            "开头".repeat(30)
        );
        let terms = vec!["二十大".to_string(), "学习".to_string()];
        let snippet = snippet(&text, &terms);
        assert!(snippet.starts_with('…'), "{snippet}");
        let marks = highlight(&snippet, &terms);
        let marked: Vec<String> = marks
            .iter()
            .map(|[a, b]| snippet.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(marked, ["学习", "二十大"]);
        assert_eq!(
            highlight("Q3 汇报 q3", &["q3".to_string()]),
            [[0, 2], [6, 8]]
        );
    }
}
