//! Search on a common word: past `RANK_UP_TO` matches the documents are not ranked by bm25 but
//! listed title matches first, then newest first — the same documents, found as cheaply as a
//! rare word's, and the results say `ranked: false`.

use dangan::search::{self, HitKind, SearchHit};

use crate::util::{TempArchive, json};

fn report_ids(hits: &[SearchHit]) -> Vec<i64> {
    hits.iter()
        .filter(|h| h.kind == HitKind::ThoughtReport)
        .map(|h| h.id)
        .collect()
}

#[test]
fn a_word_with_too_many_matches_lists_title_matches_then_the_newest() {
    let temp = TempArchive::demo(60);
    let archive = temp.open();
    let actor = crate::util::admin(&archive);
    // 学习 is in almost every report of the demo, and in some titles.
    let word = "学习";
    let ranked = search::search_ranking_up_to(&archive, &actor, word, 200, usize::MAX).unwrap();
    let unranked = search::search_ranking_up_to(&archive, &actor, word, 200, 0).unwrap();
    assert!(ranked.ranked);
    assert!(!unranked.ranked);
    assert_eq!(ranked.total, unranked.total);
    let total_reports = search::report_ids(&archive, &actor, word).unwrap().len();
    assert!(total_reports > 20, "a common word: {total_reports}");

    // The same documents when all fit; in another order.
    let (mut a, mut b) = (report_ids(&ranked.hits), report_ids(&unranked.hits));
    if ranked.total <= 200 {
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }
    // Title matches first, then the rest; each part newest (highest id) first.
    let docs: Vec<&SearchHit> = unranked
        .hits
        .iter()
        .filter(|h| h.kind == HitKind::ThoughtReport)
        .collect();
    let in_title: Vec<bool> = docs.iter().map(|h| h.title.contains(word)).collect();
    let first_rest = in_title.iter().position(|t| !t).unwrap_or(in_title.len());
    assert!(in_title[..first_rest].iter().all(|t| *t));
    assert!(
        in_title[first_rest..].iter().all(|t| !t),
        "title matches come first: {in_title:?}"
    );
    for part in [&docs[..first_rest], &docs[first_rest..]] {
        let ids: Vec<i64> = part.iter().map(|h| h.id).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    }

    // A limit smaller than the matches: the first of the same order.
    let top = search::search_ranking_up_to(&archive, &actor, word, 10, 0).unwrap();
    assert_eq!(
        report_ids(&top.hits),
        report_ids(&unranked.hits)[..report_ids(&top.hits).len()]
    );
    assert_eq!(top.total, unranked.total);

    // The CLI keeps its keys and says whether the hits are ranked; a rare word is.
    let out = json(temp.dangan(&["search", word, "--limit", "5", "--json"]));
    assert_eq!(out["total"], unranked.total);
    assert!(out["ranked"].is_boolean(), "{out}");
    for hit in out["hits"].as_array().unwrap() {
        for key in ["kind", "id", "member_id", "title", "snippet"] {
            assert!(hit.get(key).is_some(), "{key} in {hit}");
        }
    }
    let name = json(temp.dangan(&["member", "list", "--json"]))[0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let rare = json(temp.dangan(&["search", &name, "--json"]));
    assert_eq!(rare["ranked"], true, "{rare}");
}
