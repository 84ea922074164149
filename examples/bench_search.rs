//! Search benchmark (issue 5): on an archive of demo thought reports, the latency of 2-, 3- and
//! 4-character Chinese queries and of member names through the bigram index, side by side with a
//! plain `LIKE '%…%'` scan of the same reports in the same run; recall against LIKE; the time to
//! build the index; the database's size with and without it.
//!
//! Run by `scripts/bench-search.sh`, which generates the archive first:
//! `cargo run --release --example bench_search -- ARCHIVE_DIR [QUERIES_PER_KIND]`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use dangan::search;
use dangan::{Actor, Archive};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, OpenFlags};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: bench_search ARCHIVE_DIR [QUERIES_PER_KIND]")?;
    let per_kind: usize = args.next().map_or(Ok(30), |n| n.parse())?;
    let db_path = std::path::Path::new(&dir).join("archive.db");
    let raw = Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let reports: i64 = raw.query_row("SELECT count(*) FROM thought_report", [], |r| r.get(0))?;
    let text_bytes: i64 = raw.query_row(
        "SELECT sum(length(CAST(body AS BLOB))) FROM thought_report",
        [],
        |r| r.get(0),
    )?;

    // Query words: pieces of real report texts, and member names.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let mut bodies = Vec::new();
    {
        let mut stmt =
            raw.prepare("SELECT body FROM thought_report WHERE id % 97 = 0 LIMIT 2000")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for body in rows {
            bodies.push(body?);
        }
    }
    let piece = |rng: &mut rand_chacha::ChaCha8Rng, len: usize| -> String {
        loop {
            let Some(body) = bodies.choose(rng) else {
                return String::new();
            };
            let chars: Vec<char> = body.chars().collect();
            if chars.len() <= len {
                continue;
            }
            let at = rng.random_range(0..chars.len() - len);
            let candidate = &chars[at..at + len];
            if candidate.iter().all(|c| dangan::search::tokens::is_cjk(*c)) {
                return candidate.iter().collect();
            }
        }
    };
    let mut names = Vec::new();
    {
        let mut stmt = raw.prepare("SELECT name FROM member WHERE id % 13 = 0 LIMIT 500")?;
        for name in stmt.query_map([], |r| r.get::<_, String>(0))? {
            names.push(name?);
        }
    }
    let kinds: Vec<(&str, Vec<String>)> = vec![
        (
            "2 characters",
            (0..per_kind).map(|_| piece(&mut rng, 2)).collect(),
        ),
        (
            "3 characters",
            (0..per_kind).map(|_| piece(&mut rng, 3)).collect(),
        ),
        (
            "4 characters",
            (0..per_kind).map(|_| piece(&mut rng, 4)).collect(),
        ),
        (
            "a member's name",
            (0..per_kind)
                .filter_map(|_| names.choose(&mut rng).cloned())
                .collect(),
        ),
    ];

    let mut archive = Archive::open_existing(&dir)?;
    // The demo admin (DANGAN_USER / DANGAN_PASSWORD override it for another archive).
    let user = std::env::var(dangan::auth::USER_ENV).unwrap_or_else(|_| "admin".to_string());
    let password =
        std::env::var(dangan::auth::PASSWORD_ENV).unwrap_or_else(|_| "demo-admin".to_string());
    let actor: Actor = dangan::auth::login(&archive, &user, &password)?;
    println!(
        "{reports} thought reports, {:.0} MB of text\n",
        text_bytes as f64 / 1e6
    );
    println!("| query | index p50 ms | index p95 ms | LIKE p50 ms | LIKE p95 ms | recall |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (kind, words) in &kinds {
        let mut indexed = Vec::new();
        let mut like = Vec::new();
        let (mut found, mut expected) = (0usize, 0usize);
        for word in words {
            let started = Instant::now();
            let results = search::search(&archive, &actor, word, 20)?;
            indexed.push(started.elapsed());
            let started = Instant::now();
            let scanned = search::reports_containing(&archive, &actor, word)?;
            like.push(started.elapsed());
            // Recall: every report LIKE finds, the index finds too.
            let ids: BTreeSet<i64> = search::report_ids(&archive, &actor, word)?
                .into_iter()
                .collect();
            expected += scanned.len();
            found += scanned.iter().filter(|id| ids.contains(id)).count();
            std::hint::black_box(results.total);
        }
        indexed.sort();
        like.sort();
        let recall = if expected == 0 {
            100.0
        } else {
            found as f64 * 100.0 / expected as f64
        };
        println!(
            "| {kind} | {} | {} | {} | {} | {recall:.1}% |",
            ms(percentile(&indexed, 0.5)),
            ms(percentile(&indexed, 0.95)),
            ms(percentile(&like, 0.5)),
            ms(percentile(&like, 0.95)),
        );
    }

    // Ranking: every match scored by bm25 (as before RANK_UP_TO) against the cheaper order past
    // it, on the same words, grouped by how many documents match.
    let mut groups: [(Vec<Duration>, Vec<Duration>, usize); 2] = Default::default();
    for (_, words) in &kinds {
        for word in words {
            let started = Instant::now();
            let before = search::search_ranking_up_to(&archive, &actor, word, 20, usize::MAX)?;
            let before_time = started.elapsed();
            let started = Instant::now();
            let after = search::search(&archive, &actor, word, 20)?;
            let after_time = started.elapsed();
            assert_eq!(before.total, after.total, "{word}");
            let common = usize::from(before.total > search::RANK_UP_TO);
            groups[common].0.push(before_time);
            groups[common].1.push(after_time);
            groups[common].2 += 1;
        }
    }
    println!(
        "\nranking (top 20; common: more than {} matches)\n",
        search::RANK_UP_TO
    );
    println!("| words | queries | bm25 p50 ms | bm25 p95 ms | now p50 ms | now p95 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, (mut before, mut after, n)) in ["rare", "common"].into_iter().zip(groups) {
        before.sort();
        after.sort();
        println!(
            "| {label} | {n} | {} | {} | {} | {} |",
            ms(percentile(&before, 0.5)),
            ms(percentile(&before, 0.95)),
            ms(percentile(&after, 0.5)),
            ms(percentile(&after, 0.95)),
        );
    }

    let size = |conn: &Connection| -> rusqlite::Result<(i64, i64)> {
        conn.query_row(
            "SELECT (SELECT page_count FROM pragma_page_count()) *
                    (SELECT page_size FROM pragma_page_size()),
                    (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%')",
            [],
            |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
        )
    };
    let (total, index) = size(&raw)?;
    drop(raw);
    let started = Instant::now();
    let documents = search::rebuild_index(&mut archive, &actor)?;
    let rebuild = started.elapsed();
    println!(
        "\nindex build: {documents} documents in {:.1} s",
        rebuild.as_secs_f64()
    );
    println!(
        "database: {:.0} MB with the index, of which the index {:.0} MB; {:.0} MB without it",
        total as f64 / 1e6,
        index as f64 / 1e6,
        (total - index) as f64 / 1e6
    );
    Ok(())
}
