//! Pages of positioned items → PDF bytes, with each face subset to the characters used.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use super::fonts::{FontError, FontSet, Role};
use super::layout::{Item, MM, Page};

/// Renders `pages` (A4 unless given otherwise) into a PDF titled `title`.
pub fn render(
    fonts: &FontSet,
    title: &str,
    pages: &[Page],
    page_size: (f32, f32),
) -> Result<Vec<u8>, FontError> {
    let mut used: BTreeMap<Role, BTreeSet<char>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { role, text, .. } = item {
                used.entry(*role)
                    .or_default()
                    .extend(text.chars().filter(|c| !c.is_control()));
            }
        }
    }
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "Dangan".to_string();
    doc.metadata.info.producer = format!("Dangan {}", crate::VERSION);
    let mut ids: BTreeMap<Role, FontId> = BTreeMap::new();
    for (role, chars) in &used {
        let subset = fonts.face(*role).subset(chars)?;
        ids.insert(*role, doc.add_font(&subset));
    }
    let (width, height) = page_size;
    let pdf_pages: Vec<PdfPage> = pages
        .iter()
        .map(|page| PdfPage::new(Mm(width / MM), Mm(height / MM), ops(page, &ids, height)))
        .collect();
    let options = PdfSaveOptions {
        // Our faces are already subsets; printpdf's own subsetting needs its `text_layout`.
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    Ok(doc.with_pages(pdf_pages).save(&options, &mut warnings))
}

fn point(x: f32, y: f32, height: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(height - y),
    }
}

fn ops(page: &Page, ids: &BTreeMap<Role, FontId>, height: f32) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut dashed = false;
    // Shading first, so that text and rules draw over it.
    for item in &page.items {
        if let Item::Shade { x, y, w, h } = item {
            ops.push(Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.92, None)),
            });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(height - y - h),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
    }
    ops.push(Op::SetFillColor {
        col: Color::Greyscale(Greyscale::new(0.0, None)),
    });
    ops.push(Op::SetOutlineColor {
        col: Color::Greyscale(Greyscale::new(0.0, None)),
    });
    for item in &page.items {
        match item {
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                dashed: is_dashed,
            } => {
                if *is_dashed != dashed {
                    dashed = *is_dashed;
                    ops.push(Op::SetLineDashPattern {
                        dash: if dashed {
                            LineDashPattern::new(0.0, &[4.0, 3.0])
                        } else {
                            LineDashPattern::solid()
                        },
                    });
                }
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: point(*x1, *y1, height),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(*x2, *y2, height),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Text {
                x,
                y,
                role,
                size,
                text,
            } => {
                let Some(id) = ids.get(role) else { continue };
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(id.clone()),
                    size: Pt(*size),
                });
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(*x), Pt(height - y)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                ops.push(Op::EndTextSection);
            }
            Item::Shade { .. } => {}
        }
    }
    ops
}
