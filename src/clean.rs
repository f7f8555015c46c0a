//! Posting bodies to plain text.
//!
//! In: the raw body of a job posting, which may be HTML, plain text or
//! Markdown. Out: plain text with tags stripped, entities decoded and
//! whitespace folded, written into a caller-owned `String` so that the
//! buffer can be reused from row to row.
//!
//! Guarantees: [`clean_into`] never panics, always yields valid UTF-8, and
//! only ever cuts the input at ASCII bytes, so non-ASCII text passes through
//! untouched. Block-level tags become line breaks, `<li>` becomes a line
//! starting with `"- "`, headings stand on their own line, and the content
//! of `<script>` and `<style>` elements and of comments is dropped. A `<`
//! that does not open a tag (as in `a < b` or `<3`), and an unterminated tag
//! at the end of the input, stay in the text. The output has no carriage
//! returns, no runs of spaces or tabs, no trailing spaces on a line, at most
//! one blank line in a row, and no leading or trailing whitespace. Markdown
//! is left as it is. Input without `<` or `&` takes a fast path that only
//! folds whitespace, in one pass and without allocating.

use std::cell::RefCell;

/// Byte class of an ordinary byte, copied through as it is.
const ORD: u8 = 0;
/// Byte class of a space, a tab or another ASCII control folded to a space.
const SPACE: u8 = 1;
/// Byte class of a line feed.
const LF: u8 = 2;
/// Byte class of a carriage return.
const CR: u8 = 3;
/// Byte class of a lead byte that may start a Unicode space or line break.
const UNI: u8 = 4;

/// The class of every byte value, for the whitespace-folding pass.
static CLASS: [u8; 256] = {
    let mut table = [ORD; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = SPACE;
        b += 1;
    }
    table[b' ' as usize] = SPACE;
    table[b'\n' as usize] = LF;
    table[b'\r' as usize] = CR;
    // The Unicode spaces and line breaks folded here all start with one of
    // these lead bytes; see `unicode_space`.
    table[0xC2] = UNI;
    table[0xE2] = UNI;
    table[0xE3] = UNI;
    table[0xEF] = UNI;
    table
};

/// Scratch buffers above this capacity are released after use, so that one
/// huge posting does not pin its memory for the rest of the run.
const MAX_KEPT_SCRATCH: usize = 1 << 24;

thread_local! {
    /// The per-thread buffer holding the tag-stripped text before folding.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Cleans `raw` (a job posting body, maybe HTML, maybe plain text or
/// Markdown) into `out`, which is cleared first.
///
/// See the module documentation for what the output looks like.
pub fn clean_into(raw: &str, out: &mut String) {
    out.clear();
    out.reserve(raw.len());
    if memchr::memchr2(b'<', b'&', raw.as_bytes()).is_none() {
        fold_whitespace(raw, out);
        return;
    }
    let done = SCRATCH.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.clear();
            strip_markup(raw, &mut scratch);
            fold_whitespace(&scratch, out);
            if scratch.capacity() > MAX_KEPT_SCRATCH {
                *scratch = String::new();
            }
            true
        }
        Err(_) => false,
    });
    if done != Ok(true) {
        // The thread-local buffer is unavailable (thread teardown), so a
        // temporary one does the job instead.
        let mut scratch = String::with_capacity(raw.len());
        strip_markup(raw, &mut scratch);
        fold_whitespace(&scratch, out);
    }
}

/// Cleans `raw` like [`clean_into`] and returns the result as a new
/// `String`.
pub fn clean(raw: &str) -> String {
    let mut out = String::new();
    clean_into(raw, &mut out);
    out
}

/// What a tag does to the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    /// An inline or unknown tag, which vanishes.
    Inline,
    /// A block-level tag, which becomes a line break.
    Block,
    /// A list item, which starts a line with a `"- "` bullet.
    ListItem,
    /// A heading, which puts its text on a line of its own.
    Heading,
    /// An element whose content is not text (`script`, `style`, `template`).
    RawText,
}

/// Classifies a tag by its name, compared case-insensitively.
fn tag_kind(name: &[u8]) -> TagKind {
    let mut lower = [0u8; 10];
    if name.is_empty() || name.len() > lower.len() {
        return TagKind::Inline;
    }
    for (dst, src) in lower.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    match &lower[..name.len()] {
        b"li" => TagKind::ListItem,
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => TagKind::Heading,
        b"script" | b"style" | b"template" => TagKind::RawText,
        b"p" | b"div" | b"br" | b"ul" | b"ol" | b"dl" | b"dt" | b"dd" | b"tr" | b"td" | b"th"
        | b"table" | b"thead" | b"tbody" | b"tfoot" | b"caption" | b"section" | b"article"
        | b"header" | b"footer" | b"nav" | b"aside" | b"main" | b"blockquote" | b"pre" | b"hr"
        | b"figure" | b"figcaption" | b"address" | b"form" | b"fieldset" | b"details"
        | b"summary" | b"center" | b"title" | b"body" | b"html" | b"head" | b"option" => {
            TagKind::Block
        }
        _ => TagKind::Inline,
    }
}

/// Strips tags, comments and script or style content from `raw`, decodes
/// entities, and appends the result to `buf` without folding whitespace.
fn strip_markup(raw: &str, buf: &mut String) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + offset;
        i = lt + 1;
        let opens_tag = matches!(
            bytes.get(lt + 1),
            Some(&b) if b.is_ascii_alphabetic() || b == b'/' || b == b'!' || b == b'?'
        );
        if !opens_tag {
            continue;
        }
        if bytes[lt + 1..].starts_with(b"!--") {
            // A comment runs to the next "-->"; without one its opening
            // stays text and the scan goes on.
            let Some(close) = find_subslice(&bytes[lt + 4..], b"-->") else {
                continue;
            };
            push_text(&raw[text_start..lt], buf);
            i = lt + 4 + close + 3;
            text_start = i;
            continue;
        }
        let Some(end) = tag_end(bytes, lt) else {
            // An unterminated tag: the rest of the input stays text.
            break;
        };
        push_text(&raw[text_start..lt], buf);
        i = end;
        let closing = bytes[lt + 1] == b'/';
        let name_start = if closing { lt + 2 } else { lt + 1 };
        let name_len = bytes[name_start..end]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
            .unwrap_or(end - name_start);
        match tag_kind(&bytes[name_start..name_start + name_len]) {
            TagKind::Inline => {}
            TagKind::Block => push_break(buf),
            TagKind::ListItem => {
                if !closing {
                    // A bullet follows the previous line directly, whatever
                    // blank lines the markup produced before it, and an
                    // empty bullet just before it is dropped.
                    let mut kept = trimmed_len(buf);
                    if buf[..kept].ends_with("\n-") || &buf[..kept] == "-" {
                        kept = trimmed_len(&buf[..kept - 1]);
                    }
                    buf.truncate(kept);
                    buf.push_str("\n- ");
                }
            }
            TagKind::Heading => buf.push('\n'),
            TagKind::RawText => {
                let self_closing = end >= 2 && bytes[end - 2] == b'/';
                if !closing && !self_closing {
                    i = raw_text_end(bytes, end, &bytes[name_start..name_start + name_len]);
                }
            }
        }
        text_start = i;
    }
    push_text(&raw[text_start..], buf);
}

/// Appends a text segment to `buf`, decoding any HTML entities in it.
fn push_text(text: &str, buf: &mut String) {
    if text.as_bytes().contains(&b'&') {
        html_escape::decode_html_entities_to_string(text, buf);
    } else {
        buf.push_str(text);
    }
}

/// The length of `text` without its trailing ASCII whitespace.
fn trimmed_len(text: &str) -> usize {
    text.trim_end_matches([' ', '\t', '\n', '\r']).len()
}

/// Appends a line break unless `buf` has just started a list item, so that
/// a block inside an `<li>` stays on the bullet's line.
fn push_break(buf: &mut String) {
    if !buf.ends_with("\n- ") {
        buf.push('\n');
    }
}

/// The index just past the `>` that closes the tag opened at `lt`, or
/// `None` when the tag is never closed.
///
/// A `>` inside a quoted attribute value does not close the tag; if the
/// quotes never balance, the first `>` does.
fn tag_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let mut quote = None;
    let mut prev = 0u8;
    for (j, &b) in bytes.iter().enumerate().skip(lt + 1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return Some(j + 1),
            None if (b == b'"' || b == b'\'') && prev == b'=' => quote = Some(b),
            None => {}
        }
        if !b.is_ascii_whitespace() {
            prev = b;
        }
    }
    bytes[lt + 1..]
        .iter()
        .position(|&b| b == b'>')
        .map(|p| lt + 1 + p + 1)
}

/// The index just past the closing tag of the raw-text element `name` whose
/// content starts at `from`, or the end of the input if it is never closed.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut j = from;
    while let Some(offset) = find_subslice(&bytes[j..], b"</") {
        let start = j + offset + 2;
        let candidate = bytes.get(start..start + name.len());
        let after = bytes.get(start + name.len()).copied();
        let name_matches = candidate.is_some_and(|c| c.eq_ignore_ascii_case(name));
        let name_ends = !after.is_some_and(|b| b.is_ascii_alphanumeric());
        if name_matches && name_ends {
            return match bytes[start..].iter().position(|&b| b == b'>') {
                Some(p) => start + p + 1,
                None => bytes.len(),
            };
        }
        j = start;
    }
    bytes.len()
}

/// The position of the first occurrence of `needle` in `haystack`.
fn find_subslice(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(offset) = memchr::memchr(first, &haystack[from..]) {
        let at = from + offset;
        if haystack[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The length of the Unicode space or line break starting at `i`, and
/// whether it breaks the line, or `None` if `bytes[i..]` starts with
/// anything else.
///
/// Recognised are U+00A0 (no-break space), U+2000 to U+200A (typographic
/// spaces), U+202F (narrow no-break space), U+205F (mathematical space) and
/// U+3000 (ideographic space) as spaces, U+2028 and U+2029 as line breaks,
/// and U+200B (zero-width space) and U+FEFF (byte order mark) as nothing.
fn unicode_space(bytes: &[u8], i: usize) -> Option<(usize, Fold)> {
    match bytes.get(i..) {
        Some([0xC2, 0xA0, ..]) => Some((2, Fold::Space)),
        Some([0xE2, 0x80, 0x80..=0x8A | 0xAF, ..]) => Some((3, Fold::Space)),
        Some([0xE2, 0x81, 0x9F, ..]) => Some((3, Fold::Space)),
        Some([0xE3, 0x80, 0x80, ..]) => Some((3, Fold::Space)),
        Some([0xE2, 0x80, 0xA8 | 0xA9, ..]) => Some((3, Fold::Break)),
        Some([0xE2, 0x80, 0x8B, ..]) => Some((3, Fold::Drop)),
        Some([0xEF, 0xBB, 0xBF, ..]) => Some((3, Fold::Drop)),
        _ => None,
    }
}

/// What the whitespace-folding pass makes of a Unicode space character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// It counts as a space.
    Space,
    /// It counts as a line break.
    Break,
    /// It vanishes without separating anything (zero-width space, byte
    /// order mark).
    Drop,
}

/// `b` in every byte of a `u64`.
const fn bytes8(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every byte of `x` that is zero. Exact: no byte carries
/// into the next.
#[inline]
fn zero_bytes(x: u64) -> u64 {
    const HIGH: u64 = bytes8(0x80);
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// For eight bytes of text (little-endian), the high bit of every byte
/// where a run of [`fold_whitespace`] may stop: a byte that is not
/// [`ORD`], except a space followed by an `ORD` byte within the eight. A
/// byte with no flag is one the run takes as it is.
#[inline]
fn run_stops(x: u64) -> u64 {
    const HIGH: u64 = bytes8(0x80);
    let low7 = x & !HIGH;
    // Controls and the space: ASCII bytes at most 0x20.
    let blank = !(low7 + bytes8(0x7f - 0x20)) & !x & HIGH;
    // The lead bytes of `unicode_space`: 0xC2, 0xE2 or 0xE3, 0xEF.
    let lead = zero_bytes(x ^ bytes8(0xC2))
        | zero_bytes((x & bytes8(0xFE)) ^ bytes8(0xE2))
        | zero_bytes(x ^ bytes8(0xEF));
    let special = blank | lead;
    let ord = !special & HIGH;
    let space = zero_bytes(x ^ bytes8(b' '));
    special & !(space & (ord >> 8))
}

/// Appends `src` to `out` with whitespace folded: CR and CRLF become LF,
/// runs of spaces and tabs become one space, spaces at the start and end of
/// a line vanish, three or more line breaks become two, and whitespace at
/// the start and end of the text vanishes.
///
/// The text is copied in runs that start and end at ASCII bytes or at the
/// lead byte of a character, so every cut falls on a character boundary.
fn fold_whitespace(src: &str, out: &mut String) {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut breaks = 0usize;
    let mut space = false;
    let mut started = false;
    while i < n {
        match CLASS[bytes[i] as usize] {
            SPACE => {
                space = true;
                i += 1;
                continue;
            }
            LF => {
                breaks += 1;
                space = false;
                i += 1;
                continue;
            }
            CR => {
                breaks += 1;
                space = false;
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                continue;
            }
            UNI => {
                if let Some((len, fold)) = unicode_space(bytes, i) {
                    match fold {
                        Fold::Space => space = true,
                        Fold::Break => {
                            breaks += 1;
                            space = false;
                        }
                        Fold::Drop => {}
                    }
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        // A run of text starts here; single spaces between ordinary bytes
        // stay inside it so that most runs are whole lines.
        let start = i;
        i += 1;
        loop {
            // Eight bytes at a time while they stay inside the run, then
            // byte by byte.
            while let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                let stops = run_stops(u64::from_le_bytes(chunk));
                if stops == 0 {
                    i += 8;
                } else {
                    i += (stops.trailing_zeros() / 8) as usize;
                    break;
                }
            }
            while i < n && CLASS[bytes[i] as usize] == ORD {
                i += 1;
            }
            if i >= n {
                break;
            }
            match CLASS[bytes[i] as usize] {
                UNI if unicode_space(bytes, i).is_none() => i += 1,
                SPACE if bytes[i] == b' ' && i + 1 < n && CLASS[bytes[i + 1] as usize] == ORD => {
                    i += 2
                }
                _ => break,
            }
        }
        if started {
            if breaks >= 2 {
                out.push_str("\n\n");
            } else if breaks == 1 {
                out.push('\n');
            } else if space {
                out.push(' ');
            }
        }
        breaks = 0;
        space = false;
        if let Some(run) = src.get(start..i) {
            out.push_str(run);
            started = true;
        } else {
            // Unreachable by construction; the lossy copy keeps the text
            // rather than panicking should it ever happen.
            debug_assert!(false, "run {start}..{i} is not on char boundaries");
            out.push_str(&String::from_utf8_lossy(&bytes[start..i]));
            started = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_input_gives_empty_output() {
        assert_eq!(clean(""), "");
        assert_eq!(clean("   \n\t \r\n "), "");
        assert_eq!(clean("<p></p><br/>"), "");
    }

    #[test]
    fn inline_tags_vanish_without_whitespace() {
        assert_eq!(clean("<b>Hello</b> <i>wor</i>ld"), "Hello world");
        assert_eq!(
            clean("<a href=\"https://x.y/?a=1&amp;b=2\">link</a>!"),
            "link!"
        );
        assert_eq!(clean("<SPAN CLASS='x'>caps</SPAN>"), "caps");
    }

    #[test]
    fn block_tags_become_line_breaks() {
        assert_eq!(clean("<p>One</p><p>Two</p>"), "One\n\nTwo");
        assert_eq!(clean("a<br>b<br/>c<BR />d"), "a\nb\nc\nd");
        assert_eq!(clean("<div>a</div><div>b</div>"), "a\n\nb");
        assert_eq!(
            clean("<table><tr><td>x</td></tr><tr><td>y</td></tr></table>"),
            "x\n\ny"
        );
    }

    #[test]
    fn list_items_become_bullets() {
        assert_eq!(
            clean("<p>Tasks:</p><ul><li>Own the roadmap</li><li>Talk to users</li></ul>"),
            "Tasks:\n- Own the roadmap\n- Talk to users"
        );
        assert_eq!(
            clean("<ol>\n  <li><p>First</p></li>\n  <li>Second</li>\n</ol>"),
            "- First\n- Second"
        );
    }

    #[test]
    fn headings_stand_on_their_own_line() {
        assert_eq!(
            clean("Intro text<h2>What you'll do</h2>Build things"),
            "Intro text\nWhat you'll do\nBuild things"
        );
        assert_eq!(clean("<H3 id=\"a\">Title</H3>"), "Title");
    }

    #[test]
    fn script_style_and_comments_are_removed() {
        assert_eq!(
            clean("a<script type=\"text/javascript\">if (x < 3) { y(\"</b>\"); }</script>b"),
            "ab"
        );
        assert_eq!(clean("a<style>p { color: red; }</STYLE >b"), "ab");
        assert_eq!(clean("a<!-- a <b>comment</b> -->b"), "ab");
        assert_eq!(clean("<!DOCTYPE html><?xml version=\"1.0\"?>text"), "text");
        assert_eq!(clean("x<script>never closed"), "x");
        assert_eq!(clean("<scripts>kept</scripts>"), "kept");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(clean("R&amp;D &lt;team&gt;"), "R&D <team>");
        assert_eq!(clean("it&#39;s &#x2019; &#8212;"), "it's \u{2019} \u{2014}");
        assert_eq!(clean("caf&eacute; &quot;x&quot;"), "café \"x\"");
        assert_eq!(clean("a&nbsp;b&nbsp;&nbsp; c"), "a b c");
        assert_eq!(clean("AT&T & co &unknown;"), "AT&T & co &unknown;");
    }

    #[test]
    fn a_less_than_that_opens_no_tag_is_text() {
        assert_eq!(clean("a < b and c<3 <3"), "a < b and c<3 <3");
        assert_eq!(clean("x <= y, 5<<6"), "x <= y, 5<<6");
        assert_eq!(clean("<"), "<");
    }

    #[test]
    fn unterminated_tags_and_comments_stay_text() {
        assert_eq!(
            clean("Hello <b>world</b> <div class"),
            "Hello world <div class"
        );
        assert_eq!(clean("text <!-- open"), "text <!-- open");
        assert_eq!(clean("<!-- open <b>bold</b>"), "<!-- open bold");
        assert_eq!(clean("<a title=\"x>y\">t</a>"), "t");
        assert_eq!(clean("<a title=\"unbalanced>t</a>"), "t");
    }

    #[test]
    fn line_breaks_are_normalised() {
        assert_eq!(clean("a\r\nb\rc\n\rd"), "a\nb\nc\n\nd");
        assert_eq!(clean("a\r\n\r\n\r\n\r\nb"), "a\n\nb");
        assert_eq!(clean("<p>a</p>\r\n<p>b</p>"), "a\n\nb");
    }

    #[test]
    fn whitespace_is_folded() {
        assert_eq!(clean("  a  \t b   \n   c  "), "a b\nc");
        assert_eq!(clean("a\n\n\n\n\nb"), "a\n\nb");
        assert_eq!(clean("a \n \n \n b"), "a\n\nb");
        assert_eq!(
            clean("a\u{a0}\u{a0}b\u{202f}c\u{2009}d\u{3000}e"),
            "a b c d e"
        );
        assert_eq!(clean("a\u{2028}b"), "a\nb");
        assert_eq!(clean("\u{feff}text"), "text");
        assert_eq!(clean("\0\u{feff}"), "");
        assert_eq!(clean("zero\u{200b}width"), "zerowidth");
        assert_eq!(clean("a\x00\x0bb"), "a b");
    }

    #[test]
    fn markdown_is_kept() {
        let md = "## What you'll do\n\n- **Own** the roadmap\n- Work with _engineers_";
        assert_eq!(clean(md), md);
    }

    #[test]
    fn non_ascii_text_is_kept_intact() {
        let de = "Über uns: Wir suchen eine:n Produktmanager:in für Größe & Maß.";
        assert_eq!(clean(de), de);
        let fr = "<p>Vos missions\u{a0}: piloter la stratégie, où ça ? Très bien…</p>";
        assert_eq!(
            clean(fr),
            "Vos missions : piloter la stratégie, où ça ? Très bien…"
        );
        let zh = "<h2>岗位职责</h2><ul><li>负责产品规划</li><li>与研发团队协作</li></ul>";
        assert_eq!(clean(zh), "岗位职责\n- 负责产品规划\n- 与研发团队协作");
        assert_eq!(clean("“quoted” — ©2024 ½"), "“quoted” — ©2024 ½");
    }

    #[test]
    fn clean_into_clears_and_reuses_the_buffer() {
        let mut out = String::from("old content");
        clean_into("<p>new</p>", &mut out);
        assert_eq!(out, "new");
        clean_into("plain", &mut out);
        assert_eq!(out, "plain");
    }

    #[test]
    fn run_stops_agree_with_the_byte_classes() {
        for b in 0..=255u8 {
            for at in 0..8 {
                // `b` among bytes of every class, in each position.
                let mut chunk = *b"a \t \xc2\xe3x\n";
                chunk[at] = b;
                let stops = run_stops(u64::from_le_bytes(chunk));
                for (k, &c) in chunk.iter().enumerate() {
                    let next_ord = chunk.get(k + 1).is_some_and(|&d| CLASS[d as usize] == ORD);
                    let takes = CLASS[c as usize] == ORD || (c == b' ' && next_ord);
                    let flagged = stops & (0x80u64 << (8 * k)) != 0;
                    assert_eq!(flagged, !takes, "byte {c:#x} at {k} of {chunk:?}");
                }
            }
        }
    }

    #[test]
    fn long_runs_fold_as_short_ones() {
        let line = "Own the roadmap,\u{a0}talk to users  and\tship\u{2003}it \n\n\n é\u{200b}x ";
        for n in 0..20 {
            let text = format!("{}{line}{}", "ab ".repeat(n), "c".repeat(n));
            let mut out = String::new();
            fold_whitespace(&text, &mut out);
            let want = format!(
                "{}Own the roadmap, talk to users and ship it\n\n\u{e9}x{}",
                "ab ".repeat(n),
                if n > 0 {
                    format!(" {}", "c".repeat(n))
                } else {
                    String::new()
                }
            );
            assert_eq!(out, want, "n = {n}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_output_is_folded(s in any::<String>()) {
            let out = clean(&s);
            prop_assert!(!out.contains('\r'));
            prop_assert!(!out.contains("\n\n\n"));
            prop_assert!(!out.contains("  "));
            prop_assert!(!out.contains(" \n"));
            prop_assert_eq!(out.trim_matches(|c: char| c.is_ascii_whitespace()), out.as_str());
        }

        #[test]
        fn never_panics_on_html_like_input(
            s in "([<>/!?&#;a-z \n\r\t\"'=-]|script|style|li|h2|<!--|-->|&amp;|é|中){0,60}"
        ) {
            let _ = clean(&s);
        }

        #[test]
        fn cleaning_plain_text_is_idempotent(s in "[^<&]*") {
            let once = clean(&s);
            prop_assert_eq!(clean(&once), once);
        }
    }
}
