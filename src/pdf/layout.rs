//! Our own small typesetter: line breaking (UAX #14 plus Chinese kinsoku), paragraphs, tables
//! that wrap and repeat their header rows, headings kept with what follows, and pages with
//! headers and footers.
//!
//! Everything here is pure: it measures text through `Measure` (glyph advances from the font's
//! metrics) and produces pages of positioned items (`Page`, `Item`), in points, with the origin
//! at the top-left corner. `render` turns pages into a PDF.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::fonts::{FontSet, Role};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
/// A4 in points.
pub const A4_WIDTH: f32 = 210.0 * MM;
pub const A4_HEIGHT: f32 = 297.0 * MM;

/// Characters that must not begin a line (行首禁则).
pub const NO_LINE_START: &str = "，。、；：？！）」』》〉】〕”’…—·%,.;:?!)]}";
/// Characters that must not end a line (行尾禁则).
pub const NO_LINE_END: &str = "（「『《〈【〔“‘([{";

/// Text advances, at 1 pt.
pub trait Measure {
    fn advance(&self, role: Role, c: char) -> f32;
    /// Height above the baseline, at 1 pt.
    fn ascent(&self, role: Role) -> f32;

    fn width(&self, role: Role, size: f32, text: &str) -> f32 {
        text.chars().map(|c| self.advance(role, c)).sum::<f32>() * size
    }
}

impl Measure for FontSet {
    fn advance(&self, role: Role, c: char) -> f32 {
        // A character the face lacks is refused when the document is rendered; measure it as
        // one em meanwhile.
        self.face(role).advance(c).unwrap_or(1.0)
    }

    fn ascent(&self, role: Role) -> f32 {
        self.face(role).ascent()
    }
}

/// Breaks `text` into lines no wider than `width` (the first line `first_width`), at UAX #14
/// opportunities that do not break the kinsoku rules. A mandatory break (a newline) ends a line.
/// A unit wider than a line is split between characters, keeping a closing mark with the
/// character before it (it may then hang slightly into the margin). Spaces at the end of a line
/// are dropped.
pub fn break_lines(
    text: &str,
    first_width: f32,
    width: f32,
    advance: impl Fn(char) -> f32,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0f32;
    let mut start = 0usize;
    let limit = |lines: &Vec<String>| if lines.is_empty() { first_width } else { width };
    for (end, opportunity) in allowed_breaks(text) {
        let segment = &text[start..end];
        start = end;
        let mandatory = opportunity == BreakOpportunity::Mandatory;
        let body = segment.trim_end_matches(['\n', '\r', '\u{2028}', '\u{2029}']);
        let visible = body.trim_end_matches(' ');
        let visible_width: f32 = visible.chars().map(&advance).sum();
        let full_width: f32 = body.chars().map(&advance).sum();
        if !line.is_empty() && line_width + visible_width > limit(&lines) + 0.01 {
            lines.push(std::mem::take(&mut line).trim_end_matches(' ').to_string());
            line_width = 0.0;
        }
        if visible_width > limit(&lines) + 0.01 {
            // Too wide for any line: split by characters.
            for c in body.chars() {
                let w = advance(c);
                let hangs = NO_LINE_START.contains(c);
                if !line.is_empty() && line_width + w > limit(&lines) + 0.01 && !hangs {
                    let mut carried = String::new();
                    // Do not leave an opening mark at the end of the line.
                    while line.chars().last().is_some_and(|l| NO_LINE_END.contains(l)) {
                        if let Some(l) = line.pop() {
                            carried.insert(0, l);
                        }
                    }
                    if line.is_empty() {
                        line = carried;
                    } else {
                        lines.push(std::mem::take(&mut line));
                        line = carried;
                    }
                    line_width = line.chars().map(&advance).sum();
                }
                line.push(c);
                line_width += w;
            }
        } else {
            line.push_str(body);
            line_width += full_width;
        }
        if mandatory && end < text.len() {
            lines.push(std::mem::take(&mut line).trim_end_matches(' ').to_string());
            line_width = 0.0;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.trim_end_matches(' ').to_string());
    }
    lines
}

/// UAX #14 break opportunities, less those that would start a line with a closing mark or end
/// one with an opening mark. Each is (byte offset where the next line would start, kind).
fn allowed_breaks(text: &str) -> Vec<(usize, BreakOpportunity)> {
    linebreaks(text)
        .filter(|(at, opportunity)| {
            if *opportunity == BreakOpportunity::Mandatory || *at >= text.len() {
                return true;
            }
            let next = text[*at..].chars().next();
            let prev = text[..*at].trim_end_matches(' ').chars().last();
            !(next.is_some_and(|c| NO_LINE_START.contains(c))
                || prev.is_some_and(|c| NO_LINE_END.contains(c)))
        })
        .collect()
}

/// Something drawn on a page. Coordinates in pt from the top-left corner; `y` of text is its
/// baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        role: Role,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        dashed: bool,
    },
    /// A filled light-grey rectangle (table header shading).
    Shade { x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, role: Role, size: f32, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.items.push(Item::Text {
                x,
                y,
                role,
                size,
                text,
            });
        }
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            dashed: false,
        });
    }

    pub fn dashed(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width: 0.6,
            dashed: true,
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.line(x, y, x + w, y, width);
        self.line(x + w, y, x + w, y + h, width);
        self.line(x + w, y + h, x, y + h, width);
        self.line(x, y + h, x, y, width);
    }

    /// Text centred on `cx`.
    pub fn centred(&mut self, m: &dyn Measure, cx: f32, y: f32, role: Role, size: f32, text: &str) {
        let w = m.width(role, size, text);
        self.text(cx - w / 2.0, y, role, size, text);
    }

    /// Text ending at `right`.
    pub fn right(
        &mut self,
        m: &dyn Measure,
        right: f32,
        y: f32,
        role: Role,
        size: f32,
        text: &str,
    ) {
        let w = m.width(role, size, text);
        self.text(right - w, y, role, size, text);
    }

    /// All the text on the page, in drawing order.
    pub fn plain_text(&self) -> String {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Sizes and margins of a flowing document, in pt.
#[derive(Debug, Clone)]
pub struct PageStyle {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    pub body_size: f32,
    /// Line height as a multiple of the body size.
    pub leading: f32,
    pub heading_size: f32,
    pub table_size: f32,
}

impl Default for PageStyle {
    fn default() -> Self {
        // GB/T 9704 (党政机关公文格式) margins, rounded: 37 mm top, 35 mm bottom, 28 / 26 mm
        // sides; we use a little less at the top to leave room for the running header.
        PageStyle {
            width: A4_WIDTH,
            height: A4_HEIGHT,
            margin_top: 30.0 * MM,
            margin_bottom: 28.0 * MM,
            margin_left: 26.0 * MM,
            margin_right: 24.0 * MM,
            body_size: 12.0,
            leading: 1.75,
            heading_size: 15.0,
            table_size: 10.5,
        }
    }
}

impl PageStyle {
    pub fn text_width(&self) -> f32 {
        self.width - self.margin_left - self.margin_right
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin_bottom
    }
}

/// A table column: its title, share of the width, and font.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Relative width.
    pub weight: f32,
    pub role: Role,
}

impl Column {
    pub fn new(title: &str, weight: f32) -> Column {
        Column {
            title: title.to_string(),
            weight,
            role: Role::Body,
        }
    }

    /// A column of labels, set in the heading face.
    pub fn label(title: &str, weight: f32) -> Column {
        Column {
            role: Role::Heading,
            ..Column::new(title, weight)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Whether to draw (and repeat on each page) a header row of the column titles.
    pub header: bool,
    pub rows: Vec<Vec<String>>,
    /// Cells (row, column) set in the heading face, to stand out (a missing material).
    pub strong: Vec<(usize, usize)>,
}

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    pub title: String,
    /// 0-based index of the page in the flow.
    pub page: usize,
}

/// Lays out flowing content (headings, paragraphs, tables) onto pages.
pub struct Flow<'m> {
    m: &'m dyn Measure,
    pub style: PageStyle,
    pages: Vec<Page>,
    y: f32,
    pub toc: Vec<TocEntry>,
}

/// Cell padding, in pt.
const PAD: f32 = 4.0;
/// How many body lines must fit below a heading for it to stay on this page.
const KEEP_WITH_NEXT_LINES: f32 = 3.0;

impl<'m> Flow<'m> {
    pub fn new(m: &'m dyn Measure, style: PageStyle) -> Flow<'m> {
        let y = style.margin_top;
        Flow {
            m,
            style,
            pages: vec![Page::default()],
            y,
            toc: Vec::new(),
        }
    }

    fn line_height(&self, size: f32) -> f32 {
        size * self.style.leading
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn room(&self) -> f32 {
        self.style.bottom() - self.y
    }

    /// Starts a new page unless the current one is still empty.
    pub fn page_break(&mut self) {
        if self.pages.last().is_some_and(|p| p.items.is_empty()) {
            self.y = self.style.margin_top;
            return;
        }
        self.pages.push(Page::default());
        self.y = self.style.margin_top;
    }

    fn ensure(&mut self, height: f32) {
        if self.room() < height {
            self.page_break();
        }
    }

    /// A section heading, listed in the contents, kept on the page with at least the first lines
    /// of what follows.
    pub fn heading(&mut self, title: &str) {
        let size = self.style.heading_size;
        let body_line = self.line_height(self.style.body_size);
        let before = if self.y > self.style.margin_top + 1.0 {
            size
        } else {
            0.0
        };
        self.ensure(before + size * 2.0 + body_line * KEEP_WITH_NEXT_LINES);
        if self.y > self.style.margin_top + 1.0 {
            self.y += before;
        }
        let baseline = self.y + size * self.m.ascent(Role::Heading);
        let x = self.style.margin_left;
        self.page().text(x, baseline, Role::Heading, size, title);
        self.y += size * 1.9;
        let page = self.pages.len() - 1;
        self.toc.push(TocEntry {
            title: title.to_string(),
            page,
        });
    }

    /// Starts a new page unless `lines` body lines still fit on this one (to keep a block's head
    /// with the start of its text).
    pub fn keep_lines(&mut self, lines: f32) {
        let height = self.line_height(self.style.body_size) * lines;
        self.ensure(height);
    }

    /// A smaller heading inside a section (not in the contents), kept with two lines.
    pub fn subheading(&mut self, title: &str) {
        let size = self.style.body_size;
        let body_line = self.line_height(self.style.body_size);
        self.ensure(body_line * 3.0);
        self.y += size * 0.4;
        let baseline = self.y + size * self.m.ascent(Role::Heading);
        let x = self.style.margin_left;
        self.page().text(x, baseline, Role::Heading, size, title);
        self.y += body_line;
    }

    /// A paragraph with a first-line indent of two characters.
    pub fn paragraph(&mut self, text: &str) {
        self.text_block(text, 2.0, Role::Body);
    }

    /// A paragraph without indent.
    pub fn plain(&mut self, text: &str) {
        self.text_block(text, 0.0, Role::Body);
    }

    fn text_block(&mut self, text: &str, indent_em: f32, role: Role) {
        let size = self.style.body_size;
        let indent = indent_em * size;
        let width = self.style.text_width();
        let m = self.m;
        let lines = break_lines(text, width - indent, width, |c| m.advance(role, c) * size);
        let lh = self.line_height(size);
        let ascent = self.m.ascent(role) * size;
        // Leading above the first line's glyphs: half the extra space of a line.
        let half = (lh - size) / 2.0;
        let mut i = 0;
        while i < lines.len() {
            let fresh = self.y <= self.style.margin_top + 0.01;
            let fit = (self.room() / lh).floor().max(0.0) as usize;
            let remaining = lines.len() - i;
            let mut take = fit.min(remaining);
            if take < remaining {
                if remaining - take == 1 && take >= 1 {
                    // No last line alone at the top of the next page (widow).
                    take -= 1;
                }
                if i == 0 && take == 1 {
                    // No first line alone at the foot of a page (orphan).
                    take = 0;
                }
            }
            if take == 0 {
                if fresh {
                    take = fit.clamp(1, remaining);
                } else {
                    self.page_break();
                    continue;
                }
            }
            for (j, line) in lines[i..i + take].iter().enumerate() {
                let x = self.style.margin_left + if i + j == 0 { indent } else { 0.0 };
                let baseline = self.y + half + ascent;
                self.page().text(x, baseline, role, size, line.clone());
                self.y += lh;
            }
            i += take;
            if i < lines.len() {
                self.page_break();
            }
        }
        self.y += size * 0.3;
    }

    /// A centred title in the heading face (not in the contents); a long one wraps onto centred
    /// lines.
    pub fn title(&mut self, text: &str, size: f32) {
        let m = self.m;
        let width = self.style.text_width();
        let lines = break_lines(text, width, width, |c| m.advance(Role::Heading, c) * size);
        self.ensure(size * (1.0 + 1.4 * lines.len() as f32));
        // The centre of the text block (the side margins differ).
        let cx = self.style.margin_left + width / 2.0;
        for line in &lines {
            let baseline = self.y + size * m.ascent(Role::Heading);
            self.page()
                .centred(m, cx, baseline, Role::Heading, size, line);
            self.y += size * 1.4;
        }
        self.y += size * 0.8;
    }

    /// Lines set flush right, two characters in from the margin (a signature and date), kept
    /// together on one page.
    pub fn right_lines(&mut self, lines: &[String]) {
        let size = self.style.body_size;
        let lh = self.line_height(size);
        self.ensure(lh * lines.len() as f32);
        let right = self.style.width - self.style.margin_right - 2.0 * size;
        let ascent = self.m.ascent(Role::Body) * size;
        let m = self.m;
        for line in lines {
            let baseline = self.y + (lh - size) / 2.0 + ascent;
            self.page()
                .right(m, right, baseline, Role::Body, size, line);
            self.y += lh;
        }
    }

    /// Vertical space.
    pub fn space(&mut self, pt: f32) {
        self.y += pt;
        if self.room() < 0.0 {
            self.page_break();
        }
    }

    /// A table whose cells wrap; a row that does not fit moves to the next page (a row taller
    /// than a page is split between lines), and the header row is repeated on each page.
    pub fn table(&mut self, table: &Table) {
        let size = self.style.table_size;
        let lh = size * 1.45;
        self.y += size * 0.4;
        let width = self.style.text_width();
        let weights: Vec<f32> = table.columns.iter().map(|c| c.weight).collect();
        let m = self.m;
        // A cell should not have to split a unit (a date, a number, a word): the narrowest a
        // column may be. Header titles may wrap between characters if the body needs the room.
        let body_min: Vec<f32> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                table
                    .rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|text| widest_unit(text, |ch| m.advance(c.role, ch) * size))
                    .fold(0.0, f32::max)
                    + 2.0 * PAD
                    + 0.5
            })
            .collect();
        let with_header: Vec<f32> = table
            .columns
            .iter()
            .zip(&body_min)
            .map(|(c, min)| {
                if table.header {
                    min.max(m.width(Role::Heading, size, &c.title) + 2.0 * PAD + 0.5)
                } else {
                    *min
                }
            })
            .collect();
        // Short titles (序号, 性别) kept on one line even when long ones must wrap.
        let with_short_header: Vec<f32> = table
            .columns
            .iter()
            .zip(body_min.iter().zip(&with_header))
            .map(|(c, (body, header))| {
                if c.title.chars().count() <= 2 {
                    *header
                } else {
                    *body
                }
            })
            .collect();
        let widths = column_widths(width, &weights, &with_header)
            .or_else(|| column_widths(width, &weights, &with_short_header))
            .or_else(|| column_widths(width, &weights, &body_min))
            .unwrap_or_else(|| {
                let total: f32 = weights.iter().sum::<f32>().max(0.01);
                weights.iter().map(|w| width * w / total).collect()
            });
        let wrap = |text: &str, w: f32, role: Role| -> Vec<String> {
            break_lines(text, w - 2.0 * PAD, w - 2.0 * PAD, |c| {
                m.advance(role, c) * size
            })
        };
        let header: Option<Vec<Vec<String>>> = table.header.then(|| {
            table
                .columns
                .iter()
                .zip(&widths)
                .map(|(c, w)| wrap(&c.title, *w, Role::Heading))
                .collect()
        });
        let header_height = header
            .as_ref()
            .map(|cells| row_height(cells, lh))
            .unwrap_or(0.0);
        let mut need_header = true;
        for (row_index, row) in table.rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = table
                .columns
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let role = if table.strong.contains(&(row_index, i)) {
                        Role::Heading
                    } else {
                        c.role
                    };
                    wrap(row.get(i).map_or("", String::as_str), *w, role)
                })
                .collect();
            let mut from = 0usize;
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            while from < lines {
                let remaining = lines - from;
                let full = remaining as f32 * lh + 2.0 * PAD;
                let extra = if need_header { header_height } else { 0.0 };
                let fits_lines = ((self.room() - extra - 2.0 * PAD) / lh).floor().max(0.0) as usize;
                let page_lines = ((self.style.bottom()
                    - self.style.margin_top
                    - header_height
                    - 2.0 * PAD)
                    / lh)
                    .floor()
                    .max(1.0) as usize;
                let take = if self.room() >= full + extra {
                    remaining
                } else if remaining > page_lines && fits_lines >= 2 {
                    // Split a row taller than a page.
                    fits_lines
                } else {
                    self.page_break();
                    need_header = true;
                    continue;
                };
                if need_header {
                    if let Some(header) = &header {
                        self.draw_row(
                            header,
                            &widths,
                            &[Role::Heading; 64],
                            0,
                            usize::MAX,
                            lh,
                            size,
                            true,
                        );
                    }
                    need_header = false;
                }
                let roles: Vec<Role> = table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(col, c)| {
                        if table.strong.contains(&(row_index, col)) {
                            Role::Heading
                        } else {
                            c.role
                        }
                    })
                    .collect();
                self.draw_row(&cells, &widths, &roles, from, take, lh, size, false);
                from += take;
                if from < lines {
                    self.page_break();
                    need_header = true;
                }
            }
        }
        self.y += size * 0.8;
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        roles: &[Role],
        from: usize,
        take: usize,
        lh: f32,
        size: f32,
        shaded: bool,
    ) {
        let lines = cells
            .iter()
            .map(|c| c.len().saturating_sub(from).min(take))
            .max()
            .unwrap_or(0)
            .max(1);
        let height = lines as f32 * lh + 2.0 * PAD;
        let top = self.y;
        let left = self.style.margin_left;
        let m = self.m;
        let page = self.page();
        let total: f32 = widths.iter().sum();
        if shaded {
            page.items.push(Item::Shade {
                x: left,
                y: top,
                w: total,
                h: height,
            });
        }
        let mut x = left;
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let role = roles.get(i).copied().unwrap_or(Role::Body);
            let ascent = m.ascent(role) * size;
            for (j, line) in cell.iter().skip(from).take(take).enumerate() {
                let baseline = top + PAD + j as f32 * lh + (lh - size) / 2.0 + ascent;
                page.text(x + PAD, baseline, role, size, line.clone());
            }
            x += w;
        }
        page.rect(left, top, total, height, 0.5);
        let mut x = left;
        for w in &widths[..widths.len().saturating_sub(1)] {
            x += w;
            page.line(x, top, x, top + height, 0.5);
        }
        self.y += height;
    }

    /// The pages laid out so far.
    pub fn finish(self) -> (Vec<Page>, Vec<TocEntry>) {
        (self.pages, self.toc)
    }
}

/// The widest piece of `text` that cannot be broken (between UAX #14 opportunities that
/// respect kinsoku), with trailing spaces dropped.
pub fn widest_unit(text: &str, advance: impl Fn(char) -> f32) -> f32 {
    let mut start = 0;
    let mut widest = 0.0f32;
    for (end, _) in allowed_breaks(text) {
        let unit = text[start..end].trim_end();
        widest = widest.max(unit.chars().map(&advance).sum());
        start = end;
    }
    widest
}

/// Column widths summing to `total`, in proportion to `weights`, but none below its `min`.
/// `None` when the minimums alone do not fit.
pub fn column_widths(total: f32, weights: &[f32], min: &[f32]) -> Option<Vec<f32>> {
    if min.iter().sum::<f32>() > total {
        return None;
    }
    let mut fixed: Vec<Option<f32>> = vec![None; weights.len()];
    loop {
        let free_width = total - fixed.iter().flatten().sum::<f32>();
        let free_weight: f32 = weights
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| f.is_none())
            .map(|(w, _)| *w)
            .sum::<f32>()
            .max(0.0001);
        let mut changed = false;
        for i in 0..weights.len() {
            if fixed[i].is_none() && free_width * weights[i] / free_weight < min[i] {
                fixed[i] = Some(min[i]);
                changed = true;
            }
        }
        if !changed {
            return Some(
                (0..weights.len())
                    .map(|i| fixed[i].unwrap_or(free_width * weights[i] / free_weight))
                    .collect(),
            );
        }
    }
}

fn row_height(cells: &[Vec<String>], lh: f32) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD
}

/// A contents page: each entry with a dotted leader and its page number (1-based, as printed in
/// the footers).
pub fn contents_page(
    m: &dyn Measure,
    style: &PageStyle,
    title: &str,
    entries: &[(String, usize)],
) -> Page {
    let mut page = Page::default();
    let cx = style.width / 2.0;
    let title_size = style.heading_size + 3.0;
    page.centred(
        m,
        cx,
        style.margin_top + title_size,
        Role::Heading,
        title_size,
        title,
    );
    let size = style.body_size + 1.0;
    let lh = size * 2.2;
    let left = style.margin_left + 2.0 * size;
    let right = style.width - style.margin_right - 2.0 * size;
    let mut y = style.margin_top + title_size * 3.0;
    let dot = m.width(Role::Body, size, "·").max(1.0);
    for (entry, number) in entries {
        let label = entry.clone();
        let number = number.to_string();
        let label_width = m.width(Role::Body, size, &label);
        let number_width = m.width(Role::Body, size, &number);
        page.text(left, y, Role::Body, size, label.clone());
        page.right(m, right, y, Role::Body, size, &number);
        let gap_start = left + label_width + size * 0.5;
        let gap_end = right - number_width - size * 0.5;
        if gap_end > gap_start {
            let count = ((gap_end - gap_start) / dot).floor() as usize;
            let dots: String = "·".repeat(count);
            page.right(m, gap_end, y, Role::Body, size, &dots);
        }
        y += lh;
    }
    page
}

/// Adds the running header (left) and the footer 第 N 页 共 M 页 (centred) to every page from
/// `first_numbered` (0-based) on.
pub fn number_pages(
    m: &dyn Measure,
    style: &PageStyle,
    pages: &mut [Page],
    header: &str,
    first_numbered: usize,
) {
    let total = pages.len();
    let size = 9.0;
    let header_y = style.margin_top - 10.0 * MM;
    let footer_y = style.height - style.margin_bottom + 14.0 * MM;
    for (i, page) in pages.iter_mut().enumerate().skip(first_numbered) {
        if !header.is_empty() {
            page.text(style.margin_left, header_y, Role::Body, size, header);
            page.line(
                style.margin_left,
                header_y + 3.0,
                style.width - style.margin_right,
                header_y + 3.0,
                0.4,
            );
        }
        let footer = format!("第 {} 页 共 {} 页", i + 1, total);
        page.centred(m, style.width / 2.0, footer_y, Role::Body, size, &footer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every character one em wide, except ASCII half an em.
    fn em(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    fn check_kinsoku(lines: &[String]) {
        for (i, line) in lines.iter().enumerate() {
            if let Some(first) = line.chars().next() {
                assert!(
                    i == 0 || !NO_LINE_START.contains(first),
                    "line {i} starts with {first:?}: {lines:?}"
                );
            }
            if i + 1 < lines.len()
                && let Some(last) = line.chars().last()
            {
                assert!(
                    !NO_LINE_END.contains(last),
                    "line {i} ends with {last:?}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn a_comma_that_would_start_a_line_stays_with_the_character_before_it() {
        // Ten characters to a line; the comma falls in the 11th place.
        let lines = break_lines("一二三四五六七八九十，一二三", 10.0, 10.0, em);
        check_kinsoku(&lines);
        assert_eq!(lines.concat(), "一二三四五六七八九十，一二三");
        assert!(!lines[1].starts_with('，'));
    }

    #[test]
    fn an_opening_bracket_does_not_end_a_line() {
        let lines = break_lines("一二三四五六七八九《十一》二三", 10.0, 10.0, em);
        check_kinsoku(&lines);
        assert_eq!(lines[0], "一二三四五六七八九");
        assert!(lines[1].starts_with('《'));
    }

    #[test]
    fn the_first_line_is_narrower_by_its_indent() {
        let lines = break_lines(&"字".repeat(25), 8.0, 10.0, em);
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [8, 10, 7]
        );
    }

    #[test]
    fn latin_words_are_not_split_and_a_newline_ends_a_line() {
        let lines = break_lines("hello world again\n第二行", 4.0, 4.0, em);
        assert_eq!(lines, ["hello", "world", "again", "第二行"]);
    }

    #[test]
    fn an_over_long_unit_is_split_between_characters() {
        let lines = break_lines(&"a".repeat(30), 10.0, 10.0, em);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.len() <= 20));
    }

    /// Every character one em, ascent 0.88 em.
    struct Em;

    impl Measure for Em {
        fn advance(&self, _role: Role, c: char) -> f32 {
            em(c)
        }

        fn ascent(&self, _role: Role) -> f32 {
            0.88
        }
    }

    fn texts(page: &Page) -> Vec<(f32, String)> {
        page.items
            .iter()
            .filter_map(|item| match item {
                Item::Text { y, text, .. } => Some((*y, text.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_heading_near_the_foot_of_a_page_moves_to_the_next_with_its_first_lines() {
        let style = PageStyle::default();
        let mut flow = Flow::new(&Em, style.clone());
        // Fill the page until about two body lines are left.
        let lh = style.body_size * style.leading;
        while flow.room() > lh * 3.0 {
            flow.plain("一行");
        }
        flow.heading("二、发展过程");
        flow.paragraph("第一行正文");
        let (pages, toc) = flow.finish();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            toc,
            [TocEntry {
                title: "二、发展过程".into(),
                page: 1
            }]
        );
        let second = texts(&pages[1]);
        assert_eq!(second[0].1, "二、发展过程");
        assert_eq!(second[1].1, "第一行正文");
        // Nothing is drawn below the bottom margin.
        for page in &pages {
            for (y, _) in texts(page) {
                assert!(y <= style.height - style.margin_bottom);
            }
        }
    }

    #[test]
    fn a_paragraph_leaves_no_single_line_at_the_foot_or_the_top_of_a_page() {
        let style = PageStyle::default();
        let lh = style.body_size * style.leading;
        let per_line = (style.text_width() / style.body_size) as usize;
        for lines_left in 1..=4 {
            for paragraph_lines in 2..=6 {
                let mut flow = Flow::new(&Em, style.clone());
                while flow.room() >= lh * (lines_left as f32 + 1.0) {
                    flow.plain("一行");
                }
                // Exactly `lines_left` lines fit now.
                while flow.room() >= lh * (lines_left as f32 + 1.0)
                    || flow.room() < lh * lines_left as f32
                {
                    flow.space(1.0);
                }
                let before = flow.pages.len();
                let text = "字".repeat(per_line * paragraph_lines - 3);
                flow.plain(&text);
                let (pages, _) = flow.finish();
                let count = |page: &Page| {
                    texts(page)
                        .iter()
                        .filter(|(_, t)| t.starts_with('字'))
                        .count()
                };
                let on_first = count(&pages[before - 1]);
                let total: usize = pages.iter().map(count).sum();
                assert_eq!(total, paragraph_lines);
                let on_next = total - on_first;
                assert!(
                    on_first != 1 || on_next == 0,
                    "orphan: {lines_left} left, {paragraph_lines} lines"
                );
                assert!(
                    on_next != 1 || on_first == 0,
                    "widow: {lines_left} left, {paragraph_lines} lines"
                );
            }
        }
    }

    #[test]
    fn a_long_title_wraps_onto_centred_lines_inside_the_margins() {
        let style = PageStyle::default();
        let mut flow = Flow::new(&Em, style.clone());
        flow.title(&"公示".repeat(30), 18.0);
        let (pages, _) = flow.finish();
        let lines: Vec<&Item> = pages[0].items.iter().collect();
        assert!(lines.len() >= 3);
        for item in lines {
            if let Item::Text { x, size, text, .. } = item {
                assert!(*x >= style.margin_left - 0.01);
                assert!(
                    x + Em.width(Role::Heading, *size, text)
                        <= style.width - style.margin_right + 0.01
                );
            }
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_row_on_every_page() {
        let style = PageStyle::default();
        let mut flow = Flow::new(&Em, style.clone());
        let rows = (1..=120)
            .map(|i| vec![i.to_string(), format!("第{i}行")])
            .collect();
        flow.table(&Table {
            columns: vec![Column::new("序号", 1.0), Column::new("内容", 3.0)],
            header: true,
            rows,
            strong: Vec::new(),
        });
        let (mut pages, _) = flow.finish();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages {
            let texts = texts(page);
            assert_eq!(texts[0].1, "序号");
            assert_eq!(texts[1].1, "内容");
        }
        let all: Vec<String> = pages.iter().flat_map(texts).map(|(_, t)| t).collect();
        assert!(all.contains(&"第120行".to_string()));
        number_pages(&Em, &style, &mut pages, "", 0);
        let total = pages.len();
        let last = texts(&pages[total - 1]);
        assert!(
            last.iter()
                .any(|(_, t)| *t == format!("第 {total} 页 共 {total} 页"))
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        let style = PageStyle::default();
        let mut flow = Flow::new(&Em, style.clone());
        let long = "字".repeat(4000);
        flow.table(&Table {
            columns: vec![Column::new("内容", 1.0)],
            header: true,
            rows: vec![vec![long.clone()]],
            strong: Vec::new(),
        });
        let (pages, _) = flow.finish();
        assert!(pages.len() >= 2);
        let text: String = pages
            .iter()
            .flat_map(texts)
            .map(|(_, t)| t)
            .filter(|t| t != "内容")
            .collect();
        assert_eq!(text, long);
    }

    #[test]
    fn a_date_is_one_unit_and_columns_grow_to_hold_it() {
        assert_eq!(widest_unit("2026-11-24", em), 5.0);
        assert_eq!(widest_unit("党员", em), 1.0);
        let widths = column_widths(10.0, &[1.0, 1.0, 2.0], &[4.0, 0.0, 0.0]).unwrap();
        assert_eq!(widths, vec![4.0, 2.0, 4.0]);
        assert!(column_widths(10.0, &[1.0, 1.0], &[6.0, 6.0]).is_none());
    }

    proptest! {
        #[test]
        fn no_line_breaks_a_kinsoku_rule_and_no_text_is_lost(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("党"), Just("员"), Just("的"), Just("，"), Just("。"), Just("、"),
                    Just("；"), Just("："), Just("？"), Just("！"), Just("）"), Just("」"),
                    Just("』"), Just("》"), Just("（"), Just("「"), Just("『"), Just("《"),
                    Just("2026"), Just("年"), Just("abc "),
                ],
                1..200,
            ),
            width in 4u8..30,
        ) {
            let text: String = pieces.concat();
            let width = f32::from(width);
            let lines = break_lines(&text, width, width, em);
            check_kinsoku(&lines);
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let original: String = text.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(joined, original);
        }
    }
}
