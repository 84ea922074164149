//! Limits on what a zip container (.xlsx, .ods, .docx) may expand to, checked before a reader that
//! would hold an entry in memory opens it: a "zip bomb" (a few megabytes that inflate to
//! gigabytes) is refused instead of exhausting memory.
//!
//! Every entry is decompressed into nothing and counted (the sizes a zip declares can lie), so the
//! check costs one extra pass of decompression and no memory.

use std::io::{Read, Seek};

/// How far a container may expand.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Bytes one entry may expand to.
    pub entry: u64,
    /// Bytes all entries together may expand to.
    pub total: u64,
    /// An entry larger than `ratio_from` bytes may be at most `ratio` times its compressed size:
    /// spreadsheet and document XML compresses about 5–50 times, a bomb a thousand times.
    pub ratio: u64,
    pub ratio_from: u64,
}

const MIB: u64 = 1024 * 1024;

/// Roster workbooks: a 20,000-row sheet is about 60 MB of XML.
pub(crate) const WORKBOOK: Limits = Limits {
    entry: 512 * MIB,
    total: 1024 * MIB,
    ratio: 200,
    ratio_from: 32 * MIB,
};

/// Thought reports (.docx): a few pages of text.
pub(crate) const DOCUMENT: Limits = Limits {
    entry: 64 * MIB,
    total: 128 * MIB,
    ratio: 200,
    ratio_from: 8 * MIB,
};

/// Why the container was refused, in words for the message (which names the file).
pub(crate) fn check<R: Read + Seek>(reader: R, limits: Limits) -> Result<(), String> {
    let mut zip =
        zip::ZipArchive::new(reader).map_err(|err| format!("不是完整的 zip 容器：{err}"))?;
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|err| format!("zip 条目 {index} 无法读取：{err}"))?;
        let name = entry
            .name()
            .map(|name| name.to_string())
            .unwrap_or_else(|_| format!("#{index}"));
        let compressed = entry.compressed_size().max(1);
        let bomb = |expanded: u64| {
            format!(
                "zip 条目 {name} 的压缩比超过 {}:1（{compressed} 字节已解压出 {expanded} 字节，\
                 疑似“压缩炸弹”），拒绝读取",
                limits.ratio
            )
        };
        // Inflated in chunks into a reused buffer, so a bomb is stopped as soon as it shows.
        let mut buffer = vec![0u8; 64 * 1024];
        let mut expanded = 0u64;
        loop {
            let n = entry
                .read(&mut buffer)
                .map_err(|err| format!("zip 条目 {name} 已损坏：{err}"))?;
            if n == 0 {
                break;
            }
            expanded += n as u64;
            if expanded > limits.entry {
                return Err(format!(
                    "zip 条目 {name} 解压后超过 {} MB（疑似“压缩炸弹”），拒绝读取",
                    limits.entry / MIB
                ));
            }
            if expanded > limits.ratio_from && expanded / compressed > limits.ratio {
                return Err(bomb(expanded));
            }
        }
        total += expanded;
        if total > limits.total {
            return Err(format!(
                "解压后总计超过 {} MB（疑似“压缩炸弹”），拒绝读取",
                limits.total / MIB
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn zip_of(entries: &[(&str, &[u8], usize)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, chunk, times) in entries {
            writer.start_file(*name, options).unwrap();
            for _ in 0..*times {
                writer.write_all(chunk).unwrap();
            }
        }
        writer.finish().unwrap().into_inner()
    }

    const SMALL: Limits = Limits {
        entry: 4 * MIB,
        total: 6 * MIB,
        ratio: 200,
        ratio_from: MIB,
    };

    #[test]
    fn an_ordinary_container_passes() {
        let text: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let bytes = zip_of(&[("a.xml", b"<a>text</a>", 10), ("b.bin", &text, 1)]);
        assert_eq!(check(Cursor::new(bytes), SMALL), Ok(()));
    }

    #[test]
    fn an_entry_expanding_past_the_limit_is_refused_whatever_it_declares() {
        let bytes = zip_of(&[("word/document.xml", &[b' '; 65536], 80)]);
        let err = check(Cursor::new(bytes), SMALL).unwrap_err();
        assert!(err.contains("word/document.xml"), "{err}");
    }

    #[test]
    fn the_total_and_the_ratio_are_limited() {
        let noise: Vec<u8> = (0..3 * MIB as usize)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3])
            .collect();
        let bytes = zip_of(&[("a", &noise, 1), ("b", &noise, 1), ("c", &noise, 1)]);
        let err = check(Cursor::new(bytes), SMALL).unwrap_err();
        assert!(err.contains("总计"), "{err}");
        let bytes = zip_of(&[("zeros", &[0u8; 65536], 40)]);
        let err = check(Cursor::new(bytes), SMALL).unwrap_err();
        assert!(err.contains("压缩比"), "{err}");
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(check(Cursor::new(b"PK\x03\x04garbage".to_vec()), SMALL).is_err());
    }
}
