//! Chinese-aware tokens for SQLite FTS5.
//!
//! FTS5's `unicode61` tokenizer keeps a run of Chinese characters as one token, and `trigram`
//! finds nothing for a two-character word. So the text is tokenized here, in Rust, and stored
//! space-separated in a `unicode61` column (the approach Zotero uses for CJK):
//!
//! - a run of letters, digits and Chinese characters `c1 c2 … cn` (lower-cased, full-width forms
//!   folded) becomes the overlapping bigrams `c1c2 c2c3 … c(n-1)cn` followed by the unigram `cn`,
//!   so that every character starts exactly one token;
//! - everything else (punctuation, spaces) separates runs.
//!
//! A query term that is one run of two or more characters is then the phrase of its bigrams:
//! consecutive tokens of one run, which matches exactly the texts containing the term (the
//! unigram closing each run keeps a phrase from spanning two runs), whether it is Chinese, a
//! piece of a number (`24年` in `2024年`) or of a word. A single character is a prefix query.
//! Terms with punctuation inside are several runs, ANDed, and confirmed against the text.

/// Whether `c` is written as a Chinese (CJK) character: ideographs of every plane, and the
/// compatibility blocks.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3400..=0x4DBF      // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x2FA1F  // Extensions B–F and supplement (𠈌 and other rare name characters)
        | 0x30000..=0x323AF) // Extensions G–H
}

/// Splits text into runs of letters, digits and Chinese characters, lower-cased, full-width
/// forms folded to ASCII (so `２０２６` and `2026` are the same).
pub(crate) fn runs(text: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut current: Vec<char> = Vec::new();
    for c in text.chars().map(fold_width) {
        if is_cjk(c) || c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Full-width ASCII forms (Ａ-Ｚ, ０-９…) to their ASCII letters.
pub(crate) fn fold_width(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The space-separated tokens stored in the FTS5 column for `text`.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for chars in runs(text) {
        for window in chars.windows(2) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(window[0]);
            out.push(window[1]);
        }
        if let Some(last) = chars.last() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(*last);
        }
    }
    out
}

/// The FTS5 MATCH expression for one query term (a whitespace-free piece of what the user
/// typed): its runs, each as a phrase (or a prefix, for one character), ANDed. `None` if the
/// term has nothing searchable.
pub(crate) fn term_query(term: &str) -> Option<String> {
    let parts: Vec<String> = runs(term)
        .into_iter()
        .map(|chars| match chars.as_slice() {
            [one] => format!("\"{one}\"*"),
            _ => {
                let bigrams: Vec<String> = chars
                    .windows(2)
                    .map(|w| [w[0], w[1]].iter().collect())
                    .collect();
                format!("\"{}\"", bigrams.join(" "))
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Whether FTS5 alone decides `term` exactly (one run of two or more characters), so that no
/// check of the text itself is needed.
pub(crate) fn term_is_exact(term: &str) -> bool {
    matches!(runs(term).as_slice(), [chars] if chars.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_overlapping_bigrams_closed_by_a_unigram() {
        assert_eq!(index_text("思想汇报"), "思想 想汇 汇报 报");
        assert_eq!(index_text("党"), "党");
        assert_eq!(
            index_text("2026年Q3，我的思想汇报。"),
            "20 02 26 6年 年q q3 3 我的 的思 思想 想汇 汇报 报"
        );
        assert_eq!(index_text("ＡＢ１　上官𠈌"), "ab b1 1 上官 官𠈌 𠈌");
    }

    #[test]
    fn query_terms_are_phrases_of_bigrams() {
        assert_eq!(term_query("汇报").as_deref(), Some("\"汇报\""));
        assert_eq!(
            term_query("思想汇报").as_deref(),
            Some("\"思想 想汇 汇报\"")
        );
        assert_eq!(term_query("党").as_deref(), Some("\"党\"*"));
        assert_eq!(term_query("24年").as_deref(), Some("\"24 4年\""));
        assert_eq!(
            term_query("Q3，汇报").as_deref(),
            Some("\"q3\" AND \"汇报\"")
        );
        assert_eq!(term_query("，。"), None);
        assert!(term_is_exact("思想汇报"));
        assert!(term_is_exact("24年"));
        assert!(!term_is_exact("党"));
        assert!(!term_is_exact("Q3，汇报"));
    }
}
