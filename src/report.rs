//! The market measured: labelled postings summed up, with charts.
//!
//! In: labelled rows, one at a time, through a [`ReportBuilder`]: each row's
//! values of the grouping columns (say country and month), what its title
//! claims ([`TitleRole`]) and its content [`Verdict`]. Builders can be
//! filled in parallel and merged. Out: a [`Report`] from
//! [`ReportBuilder::finish`], as JSON ([`Report::to_json`]) or as one
//! self-contained HTML page with charts and tables ([`Report::to_html`]).
//!
//! Memory is bounded by the number of distinct groups, not of rows: a group
//! keeps only its 4 x 4 counts of title role by content label, and the whole
//! report adds a 20-bin histogram of confidence.
//!
//! # The title-confusion index
//!
//! A posting is *product-titled* when its title claims exactly one of the
//! two roles: title role `pm` or `po`. Titles that claim both (`both`) or
//! neither (`other`) are left out. Among the product-titled postings of a
//! group, the **title-confusion index** is the share whose content label
//! contradicts the title: a `po` title over `pm` content, or a `pm` title
//! over `po` content.
//!
//! ```text
//! index = (#(title po, label pm) + #(title pm, label po)) / (#(title pm) + #(title po))
//! ```
//!
//! Beside it, the **hybrid share** is the share of the same product-titled
//! postings whose content label is `hybrid`. Both count every label as
//! given, at any confidence. A group without product-titled postings has
//! neither number (`null` in JSON).
//!
//! # Confidence intervals
//!
//! Each index and hybrid share has a 95% percentile-bootstrap interval. A
//! group keeps only counts, so a replicate resamples its n product-titled
//! postings with replacement from those counts: the number contradicted is
//! drawn from Binomial(n, contradicted / n), and the number hybrid, among
//! the rest, from Binomial(n - contradicted*, hybrid / (n - contradicted)),
//! which together is the multinomial draw of resampling rows. There are
//! [`BOOTSTRAP_REPLICATES`] replicates; the interval runs from the 26th to
//! the 975th of the sorted replicate shares, and is widened to take in the
//! point estimate should it ever fall outside.
//!
//! A binomial draw is exact, by inversion (walking the probability mass
//! function from zero, expected cost n·min(p, 1 - p) steps), while
//! n·min(p, 1 - p) is at most 50; above that, where the variance is at least
//! 25, it is the normal approximation N(np, np(1 - p)) rounded to a count.
//! So a replicate costs at most about a hundred steps whatever n is.
//!
//! The intervals are deterministic: the generator is a `ChaCha8Rng` seeded
//! from the report's seed and the group's three counts, so a group's
//! interval depends only on the seed and its counts, not on the other
//! groups, their order, or how builders were merged.
//!
//! # Order and limits
//!
//! Groups are sorted by product-titled postings, most first, then by rows,
//! then by key. JSON has every group; the HTML table shows the first
//! [`HTML_MAX_GROUPS`] and the group chart the first [`CHART_MAX_GROUPS`]
//! with product-titled postings, each below a first row for all postings.
//!
//! # The page
//!
//! The HTML is one file with inline CSS and inline SVG charts (drawn with the
//! `plotters` crate's SVG backend, whose text needs no font files): no
//! scripts, no external styles, fonts or images. Chart containers have the
//! ids `chart-label-mix`, `chart-confusion`, `chart-confidence` and
//! `chart-groups`; the tables `table-confusion` and `table-groups`. Every
//! text from the input (group values, the page title) is HTML-escaped.

use std::fmt::Write as _;

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::score::{Label, Verdict};
use crate::title::TitleRole;

/// Bins of the confidence histogram, each 1/20 wide over [0, 1].
pub const CONFIDENCE_BINS: usize = 20;

/// Bootstrap replicates per interval.
pub const BOOTSTRAP_REPLICATES: usize = 1000;

/// Groups shown in the HTML table (all are in the JSON).
pub const HTML_MAX_GROUPS: usize = 50;

/// Groups shown in the HTML chart of the index per group.
pub const CHART_MAX_GROUPS: usize = 20;

/// Title roles in the order of the rows of every count matrix.
pub const TITLE_ROLES: [TitleRole; 4] = [
    TitleRole::Pm,
    TitleRole::Po,
    TitleRole::Both,
    TitleRole::Other,
];

/// Up to this expected count (of the rarer outcome) a binomial draw is exact.
const INVERSION_MAX_MEAN: f64 = 50.0;

/// Counts of postings by title role (row, in [`TITLE_ROLES`] order) and
/// content label (column, in [`Label::ALL`] order).
pub type Matrix = [[u64; 4]; 4];

/// The row of `t` in a [`Matrix`].
fn title_index(t: TitleRole) -> usize {
    match t {
        TitleRole::Pm => 0,
        TitleRole::Po => 1,
        TitleRole::Both => 2,
        TitleRole::Other => 3,
    }
}

/// The histogram bin of a confidence; out-of-range values go to the end bins.
fn confidence_bin(c: f64) -> usize {
    // A NaN casts to 0, so it lands in the first bin.
    ((c * CONFIDENCE_BINS as f64) as usize).min(CONFIDENCE_BINS - 1)
}

/// Adds `from` into `into`, cell by cell.
fn add_matrix(into: &mut Matrix, from: &Matrix) {
    for (a, b) in into.iter_mut().zip(from) {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
    }
}

/// One group's key and counts.
#[derive(Debug, Clone)]
struct Group {
    key: Vec<String>,
    counts: Matrix,
}

/// Sums labelled rows, overall and per group; see the module documentation.
#[derive(Debug, Clone)]
pub struct ReportBuilder {
    group_by: Vec<String>,
    counts: Matrix,
    confidence: [u64; CONFIDENCE_BINS],
    /// Groups by encoded key: each value as its byte length, a colon, and
    /// the value, so that no two keys collide.
    groups: FxHashMap<String, Group>,
    scratch: String,
}

impl ReportBuilder {
    /// A builder grouping by the columns named in `group_by` (which may be
    /// empty: then the report has the overall numbers only).
    pub fn new(group_by: Vec<String>) -> ReportBuilder {
        ReportBuilder {
            group_by,
            counts: [[0; 4]; 4],
            confidence: [0; CONFIDENCE_BINS],
            groups: FxHashMap::default(),
            scratch: String::new(),
        }
    }

    /// Adds one labelled row; `groups` are that row's values of the grouping
    /// columns, in order. Missing values count as empty and extra values are
    /// ignored. Allocates only for a group not seen before.
    pub fn add(&mut self, groups: &[&str], title_role: TitleRole, v: &Verdict) {
        let (t, l) = (title_index(title_role), v.label.index());
        self.counts[t][l] += 1;
        self.confidence[confidence_bin(v.confidence)] += 1;
        if self.group_by.is_empty() {
            return;
        }
        self.scratch.clear();
        for i in 0..self.group_by.len() {
            let part = groups.get(i).copied().unwrap_or("");
            let _ = write!(self.scratch, "{}:", part.len());
            self.scratch.push_str(part);
        }
        if let Some(g) = self.groups.get_mut(self.scratch.as_str()) {
            g.counts[t][l] += 1;
            return;
        }
        let key = (0..self.group_by.len())
            .map(|i| groups.get(i).copied().unwrap_or("").to_string())
            .collect();
        let mut counts = [[0; 4]; 4];
        counts[t][l] = 1;
        self.groups
            .insert(self.scratch.clone(), Group { key, counts });
    }

    /// Merges another builder's counts into this one (for parallel
    /// aggregation). The other builder should group by the same columns;
    /// this builder's column names are kept.
    pub fn merge(&mut self, other: ReportBuilder) {
        add_matrix(&mut self.counts, &other.counts);
        for (a, b) in self.confidence.iter_mut().zip(other.confidence) {
            *a += b;
        }
        for (k, g) in other.groups {
            match self.groups.get_mut(&k) {
                Some(mine) => add_matrix(&mut mine.counts, &g.counts),
                None => {
                    self.groups.insert(k, g);
                }
            }
        }
    }

    /// The rows added so far.
    pub fn rows(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// The report, with the groups of fewer than `min_rows` postings
    /// pooled into one group at the end, named `(other: N groups under
    /// MIN postings)` in its first column; see [`ReportBuilder::finish`].
    pub fn finish_pooled(mut self, seed: u64, min_rows: u64) -> Report {
        let small: Vec<String> = self
            .groups
            .iter()
            .filter(|(_, g)| g.counts.iter().flatten().sum::<u64>() < min_rows)
            .map(|(k, _)| k.clone())
            .collect();
        let mut pooled = [[0; 4]; 4];
        for k in &small {
            if let Some(g) = self.groups.remove(k) {
                add_matrix(&mut pooled, &g.counts);
            }
        }
        let mut key = vec![String::from("(various)"); self.group_by.len()];
        if let Some(first) = key.first_mut() {
            *first = format!("(other: {} groups under {min_rows} postings)", small.len());
        }
        let mut report = self.finish(seed);
        report.min_group_size = min_rows;
        if !small.is_empty() {
            let other = group_stats(key, &pooled, seed, &mut FxHashMap::default());
            report.groups.push(other);
            report.pooled_groups = small.len() as u64;
        }
        report
    }

    /// The report: shares, bootstrap intervals (drawn with `seed`) and
    /// sorted groups.
    pub fn finish(self, seed: u64) -> Report {
        let mut cache = FxHashMap::default();
        let overall = group_stats(Vec::new(), &self.counts, seed, &mut cache);
        let mut groups: Vec<GroupStats> = self
            .groups
            .into_values()
            .map(|g| group_stats(g.key, &g.counts, seed, &mut cache))
            .collect();
        groups.sort_by(|a, b| {
            b.n_product_titled
                .cmp(&a.n_product_titled)
                .then(b.n_rows.cmp(&a.n_rows))
                .then_with(|| a.key.cmp(&b.key))
        });
        Report {
            group_by: self.group_by,
            rows: overall.n_rows,
            title_roles: TITLE_ROLES.map(TitleRole::as_str),
            labels: Label::ALL.map(Label::as_str),
            label_by_title_role: self.counts,
            confidence_histogram: self.confidence,
            bootstrap: Bootstrap {
                replicates: BOOTSTRAP_REPLICATES,
                level: 0.95,
                seed,
            },
            overall,
            groups,
            min_group_size: 0,
            pooled_groups: 0,
        }
    }
}

/// How the intervals were drawn.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Bootstrap {
    /// Replicates per interval.
    pub replicates: usize,
    /// Coverage of the intervals.
    pub level: f64,
    /// The seed of the generator.
    pub seed: u64,
}

/// The numbers of one group (or of all postings, with an empty key).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupStats {
    /// The group's values of the grouping columns, in order.
    pub key: Vec<String>,
    /// Postings in the group.
    pub n_rows: u64,
    /// Postings whose title claims exactly one role, `pm` or `po`.
    pub n_product_titled: u64,
    /// Product-titled postings whose content label contradicts the title.
    pub n_contradicted: u64,
    /// Product-titled postings whose content label is `hybrid`.
    pub n_hybrid: u64,
    /// The title-confusion index: `n_contradicted / n_product_titled`.
    pub confusion_index: Option<f64>,
    /// Lower end of its 95% bootstrap interval.
    pub ci_low: Option<f64>,
    /// Upper end of its 95% bootstrap interval.
    pub ci_high: Option<f64>,
    /// The hybrid share: `n_hybrid / n_product_titled`.
    pub hybrid_share: Option<f64>,
    /// Lower end of its 95% bootstrap interval.
    pub hybrid_ci_low: Option<f64>,
    /// Upper end of its 95% bootstrap interval.
    pub hybrid_ci_high: Option<f64>,
    /// The group's counts by title role and content label.
    pub label_by_title_role: Matrix,
}

/// The summed-up labels of a set of postings.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// The names of the grouping columns.
    pub group_by: Vec<String>,
    /// Postings counted.
    pub rows: u64,
    /// The title role of each row of the count matrices.
    pub title_roles: [&'static str; 4],
    /// The content label of each column of the count matrices.
    pub labels: [&'static str; 4],
    /// Counts of all postings by title role and content label.
    pub label_by_title_role: Matrix,
    /// Postings by confidence: bin i holds confidences in [i/20, (i+1)/20),
    /// the last bin also 1.
    pub confidence_histogram: [u64; CONFIDENCE_BINS],
    /// How the intervals were drawn.
    pub bootstrap: Bootstrap,
    /// The numbers of all postings together (empty key).
    pub overall: GroupStats,
    /// The numbers per group, most product-titled postings first; with
    /// [`ReportBuilder::finish_pooled`], the pooled small groups last.
    pub groups: Vec<GroupStats>,
    /// Groups of fewer postings are pooled into the last group (0: none).
    pub min_group_size: u64,
    /// How many groups the last group pools (0: it is an ordinary group).
    pub pooled_groups: u64,
}

/// Intervals of the index and the hybrid share, by (n, contradicted, hybrid).
type IntervalCache = FxHashMap<(u64, u64, u64), [(f64, f64); 2]>;

fn group_stats(key: Vec<String>, m: &Matrix, seed: u64, cache: &mut IntervalCache) -> GroupStats {
    let (pm, po) = (title_index(TitleRole::Pm), title_index(TitleRole::Po));
    let n: u64 = m[pm].iter().chain(&m[po]).sum();
    let contradicted = m[pm][Label::Po.index()] + m[po][Label::Pm.index()];
    let hybrid = m[pm][Label::Hybrid.index()] + m[po][Label::Hybrid.index()];
    let mut s = GroupStats {
        key,
        n_rows: m.iter().flatten().sum(),
        n_product_titled: n,
        n_contradicted: contradicted,
        n_hybrid: hybrid,
        confusion_index: None,
        ci_low: None,
        ci_high: None,
        hybrid_share: None,
        hybrid_ci_low: None,
        hybrid_ci_high: None,
        label_by_title_role: *m,
    };
    if n == 0 {
        return s;
    }
    let [ci, hci] = *cache
        .entry((n, contradicted, hybrid))
        .or_insert_with(|| bootstrap(n, contradicted, hybrid, seed));
    s.confusion_index = Some(contradicted as f64 / n as f64);
    s.ci_low = Some(ci.0);
    s.ci_high = Some(ci.1);
    s.hybrid_share = Some(hybrid as f64 / n as f64);
    s.hybrid_ci_low = Some(hci.0);
    s.hybrid_ci_high = Some(hci.1);
    s
}

/// A 64-bit mix (splitmix64's finaliser).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 95% percentile intervals of the contradicted and hybrid shares of
/// `n` postings with those counts (`n` > 0, `c + h <= n`).
fn bootstrap(n: u64, c: u64, h: u64, seed: u64) -> [(f64, f64); 2] {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(mix(mix(seed ^ mix(n)) ^ c) ^ h));
    let nf = n as f64;
    let p_c = c as f64 / nf;
    // The chance that a row that is not contradicted is hybrid.
    let p_h = if n > c {
        h as f64 / (n - c) as f64
    } else {
        0.0
    };
    let mut rc = Vec::with_capacity(BOOTSTRAP_REPLICATES);
    let mut rh = Vec::with_capacity(BOOTSTRAP_REPLICATES);
    for _ in 0..BOOTSTRAP_REPLICATES {
        let bc = binomial(n, p_c, &mut rng);
        let bh = binomial(n - bc, p_h, &mut rng);
        rc.push(bc);
        rh.push(bh);
    }
    [
        percentile_interval(&mut rc, n, p_c),
        percentile_interval(&mut rh, n, h as f64 / nf),
    ]
}

/// The 2.5% and 97.5% points of replicate counts out of `n`, as shares,
/// widened to contain `point`.
fn percentile_interval(counts: &mut [u64], n: u64, point: f64) -> (f64, f64) {
    counts.sort_unstable();
    let tail = counts.len() * 25 / 1000;
    let share = |i: usize| counts.get(i).map_or(point, |&k| k as f64 / n as f64);
    let lo = share(tail);
    let hi = share(counts.len().saturating_sub(tail + 1));
    (lo.min(point), hi.max(point))
}

/// A draw from Binomial(n, p): exact by inversion while the expected count of
/// the rarer outcome is at most [`INVERSION_MAX_MEAN`], else the rounded
/// normal approximation.
fn binomial(n: u64, p: f64, rng: &mut ChaCha8Rng) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let (q, flipped) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
    let mean = n as f64 * q;
    let k = if mean <= INVERSION_MAX_MEAN {
        binomial_inversion(n, q, rng)
    } else {
        // Box-Muller; `1 - u` lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - rng.gen::<f64>();
        let u2: f64 = rng.gen();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let x = (mean + (mean * (1.0 - q)).sqrt() * z).round();
        x.clamp(0.0, n as f64) as u64
    };
    if flipped {
        n - k
    } else {
        k
    }
}

/// Binomial(n, p) by inversion, for p <= 0.5 and a small mean n·p.
fn binomial_inversion(n: u64, p: f64, rng: &mut ChaCha8Rng) -> u64 {
    let u: f64 = rng.gen();
    let ratio = p / (1.0 - p);
    // P(X = 0) = (1 - p)^n = exp(n ln(1 - p)) >= exp(-1.39 n p) >= e^-70 for
    // p <= 0.5 and the means used here, far from underflow.
    let mut pmf = (n as f64 * (-p).ln_1p()).exp();
    let mut cdf = pmf;
    let mut k = 0u64;
    while cdf < u && k < n {
        pmf *= ratio * (n - k) as f64 / (k + 1) as f64;
        k += 1;
        cdf += pmf;
        // Past the mode a vanished mass means rounding left the sum short of
        // u: the remaining outcomes have no weight to speak of.
        if pmf == 0.0 && k as f64 > n as f64 * p {
            break;
        }
    }
    k
}

impl Report {
    /// The report as pretty-printed JSON: every field, every group.
    pub fn to_json(&self) -> String {
        // Plain structs with string keys and finite or absent numbers always
        // serialise; the fallback is never taken.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as pretty-printed JSON, led by pmpo's version and the
    /// hash of the model that labelled the postings.
    pub fn to_json_with_model(&self, model: &str) -> String {
        #[derive(serde::Serialize)]
        struct Stamped<'a> {
            pmpo_version: &'a str,
            model: &'a str,
            #[serde(flatten)]
            report: &'a Report,
        }
        let s = Stamped {
            pmpo_version: env!("CARGO_PKG_VERSION"),
            model,
            report: self,
        };
        serde_json::to_string_pretty(&s).unwrap_or_default()
    }

    /// The report as one self-contained HTML page titled `title`.
    pub fn to_html(&self, title: &str) -> Result<String> {
        let mut h = String::with_capacity(64 * 1024);
        let title = esc(title);
        let o = &self.overall;
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n\
             <h1>{title}</h1>\n"
        );
        let grouped = if self.group_by.is_empty() {
            String::from("not grouped")
        } else {
            let pooled = self.pooled_groups as usize;
            let mut g = format!(
                "{} groups by {}",
                self.groups.len() - usize::from(pooled > 0) + pooled,
                esc(&self.group_by.join(", "))
            );
            if pooled > 0 {
                let _ = write!(
                    g,
                    " ({pooled} of them, with fewer than {} postings each, pooled into one row)",
                    self.min_group_size
                );
            }
            g
        };
        let _ = writeln!(
            h,
            "<p class=\"meta\">{} postings, {} with a PM or PO title; {grouped}; \
             {} bootstrap replicates, seed {}.</p>",
            self.rows, o.n_product_titled, self.bootstrap.replicates, self.bootstrap.seed
        );
        let _ = writeln!(
            h,
            "<div class=\"cards\">\n\
             <div class=\"card\"><div class=\"big\">{}</div>postings</div>\n\
             <div class=\"card\"><div class=\"big\">{}</div>title-confusion index<br>95% CI {}</div>\n\
             <div class=\"card\"><div class=\"big\">{}</div>hybrid share<br>95% CI {}</div>\n\
             </div>",
            self.rows,
            pct(o.confusion_index),
            interval(o.ci_low, o.ci_high),
            pct(o.hybrid_share),
            interval(o.hybrid_ci_low, o.hybrid_ci_high),
        );
        h.push_str(
            "<p class=\"def\">The <b>title-confusion index</b> is the share of postings \
             titled Product Manager or Product Owner (not both) whose duties say the \
             other role: a PO title over PM duties, or a PM title over PO duties. The \
             <b>hybrid share</b> is the share of the same postings whose duties are \
             hybrid. Intervals are 95% percentile-bootstrap intervals.</p>\n",
        );

        h.push_str("<h2>Content label by title role</h2>\n");
        chart_div(&mut h, "chart-label-mix", &charts::label_mix(self)?);

        h.push_str("<h2>Title role &times; content label</h2>\n");
        chart_div(&mut h, "chart-confusion", &charts::confusion(self)?);
        self.confusion_table(&mut h);

        h.push_str("<h2>Confidence of the labels</h2>\n");
        chart_div(&mut h, "chart-confidence", &charts::confidence(self)?);

        h.push_str("<h2>Title-confusion index by group</h2>\n");
        chart_div(&mut h, "chart-groups", &charts::groups(self)?);
        self.groups_table(&mut h);

        h.push_str("</main>\n</body>\n</html>\n");
        Ok(h)
    }

    fn confusion_table(&self, h: &mut String) {
        h.push_str(
            "<table id=\"table-confusion\">\n<caption>Postings by title role (rows) and \
             content label (columns); outlined cells count towards the \
             index.</caption>\n<thead><tr><th>title role</th>",
        );
        for l in Label::ALL {
            let _ = write!(h, "<th>{}</th>", l.as_str());
        }
        h.push_str("<th>total</th></tr></thead>\n<tbody>\n");
        for (ti, t) in TITLE_ROLES.iter().enumerate() {
            let row = &self.label_by_title_role[ti];
            let total: u64 = row.iter().sum();
            let _ = write!(h, "<tr><th>{}</th>", t.as_str());
            for (li, l) in Label::ALL.iter().enumerate() {
                let contradicts = matches!(
                    (t, l),
                    (TitleRole::Pm, Label::Po) | (TitleRole::Po, Label::Pm)
                );
                let share = if total > 0 {
                    format!(
                        " <small>{:.0}%</small>",
                        row[li] as f64 * 100.0 / total as f64
                    )
                } else {
                    String::new()
                };
                let class = if contradicts { " class=\"hit\"" } else { "" };
                let _ = write!(h, "<td{class}>{}{share}</td>", row[li]);
            }
            let _ = writeln!(h, "<td>{total}</td></tr>");
        }
        h.push_str("</tbody>\n</table>\n");
    }

    fn groups_table(&self, h: &mut String) {
        // The pooled small groups, if any, are shown last whatever the cut.
        let pooled = if self.pooled_groups > 0 {
            self.groups.last()
        } else {
            None
        };
        let ordinary = self.groups.len() - usize::from(pooled.is_some());
        let shown = ordinary.min(HTML_MAX_GROUPS);
        let note = if ordinary > shown {
            format!(" The first {shown} of {ordinary} groups; the JSON report has all.")
        } else {
            String::new()
        };
        let _ = write!(
            h,
            "<table id=\"table-groups\">\n<caption>Groups with the most PM- or PO-titled \
             postings first.{note}</caption>\n<thead><tr>"
        );
        let key_cols = self.group_by.len().max(1);
        if self.group_by.is_empty() {
            h.push_str("<th>group</th>");
        }
        for name in &self.group_by {
            let _ = write!(h, "<th>{}</th>", esc(name));
        }
        h.push_str(
            "<th>postings</th><th>PM/PO-titled</th><th>title-confusion index</th>\
             <th>95% CI</th><th>hybrid share</th><th>95% CI</th></tr></thead>\n<tbody>\n",
        );
        let _ = write!(
            h,
            "<tr class=\"all\"><th colspan=\"{key_cols}\">all postings</th>"
        );
        stats_cells(h, &self.overall);
        for g in self.groups.iter().take(shown).chain(pooled) {
            h.push_str("<tr>");
            for v in &g.key {
                let (v, blank) = group_value(v);
                let class = if blank { "key blank" } else { "key" };
                let _ = write!(
                    h,
                    "<td class=\"{class}\"><span title=\"{0}\">{0}</span></td>",
                    esc(v)
                );
            }
            stats_cells(h, g);
        }
        h.push_str("</tbody>\n</table>\n");
    }
}

/// How a group's value is shown: `(blank)` for an empty one (and whether
/// it was).
fn group_value(v: &str) -> (&str, bool) {
    if v.trim().is_empty() {
        ("(blank)", true)
    } else {
        (v, false)
    }
}

/// The numeric cells of a group's table row, and the row's end.
fn stats_cells(h: &mut String, g: &GroupStats) {
    let _ = writeln!(
        h,
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        g.n_rows,
        g.n_product_titled,
        pct(g.confusion_index),
        interval(g.ci_low, g.ci_high),
        pct(g.hybrid_share),
        interval(g.hybrid_ci_low, g.hybrid_ci_high),
    );
}

fn chart_div(h: &mut String, id: &str, svg: &str) {
    let _ = write!(h, "<div class=\"chart\" id=\"{id}\">\n{svg}</div>\n");
}

/// A share as a percentage, or a dash when there is none.
fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("&ndash;"), |x| format!("{:.1}%", x * 100.0))
}

/// An interval as percentages, or a dash when there is none.
fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{:.1}&ndash;{:.1}%", lo * 100.0, hi * 100.0),
        _ => String::from("&ndash;"),
    }
}

/// Text escaped for HTML element content and double-quoted attributes.
fn esc(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

const CSS: &str = "\
body { margin: 0; background: #f6f7f9; color: #1f2933; \
font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 1px solid #e4e7eb; padding-bottom: 4px; }
.meta { color: #52606d; margin-top: 0; }
.def { color: #323f4b; max-width: 80ch; }
.cards { display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }
.card { flex: 1 1 200px; border: 1px solid #e4e7eb; border-radius: 6px; padding: 12px 16px; color: #52606d; }
.big { font-size: 28px; font-weight: 600; color: #1f2933; }
.chart { overflow-x: auto; margin: 8px 0 16px; }
.chart svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: #52606d; padding-bottom: 6px; }
th, td { border: 1px solid #e4e7eb; padding: 4px 10px; text-align: right; }
td { white-space: nowrap; }
thead th { background: #f0f2f5; text-align: center; }
tbody th, td.key { text-align: left; }
td.key span { display: inline-block; max-width: 26ch; overflow: hidden; \
text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
td.blank { color: #7b8794; font-style: italic; }
tr.all { background: #f7f9fc; font-weight: 600; }
td.hit { outline: 2px solid #c81e1e; outline-offset: -2px; }
small { color: #7b8794; }
";

/// The four charts, each drawn by plotters into an SVG string.
mod charts {
    use plotters::coord::Shift;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::{Report, TITLE_ROLES};
    use crate::error::{Error, Result};
    use crate::score::Label;
    use crate::title::TitleRole;

    /// Fill colours of the content labels, in [`Label::ALL`] order.
    const LABEL_COLORS: [RGBColor; 4] = [
        RGBColor(0x33, 0x66, 0xcc),
        RGBColor(0x2e, 0x9e, 0x5b),
        RGBColor(0x8e, 0x5c, 0xc4),
        RGBColor(0x9a, 0xa3, 0xad),
    ];
    const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
    const ALERT: RGBColor = RGBColor(0xc8, 0x1e, 0x1e);
    const BAR: RGBColor = RGBColor(0x9c, 0xb8, 0xe6);
    const FONT: &str = "sans-serif";
    const WIDTH: u32 = 900;

    /// Turns a drawing error into the library's error, naming the chart.
    fn fail<E: std::fmt::Display>(chart: &'static str) -> impl Fn(E) -> Error {
        move |e| Error::config(format!("drawing the {chart} chart: {e}"))
    }

    /// Draws a legend of coloured squares and names into `area`.
    fn legend<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        heading: &str,
        items: &[(&str, RGBColor)],
    ) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        area.draw(&Text::new(
            heading.to_string(),
            (8, 16),
            (FONT, 17).into_font().color(&INK),
        ))?;
        for (i, (name, color)) in items.iter().enumerate() {
            let y = 40 + 26 * i as i32;
            area.draw(&Rectangle::new([(8, y), (22, y + 14)], color.filled()))?;
            area.draw(&Text::new(
                name.to_string(),
                (30, y + 1),
                (FONT, 17).into_font().color(&INK),
            ))?;
        }
        Ok(())
    }

    fn title_name(t: TitleRole) -> &'static str {
        match t {
            TitleRole::Pm => "PM title",
            TitleRole::Po => "PO title",
            TitleRole::Both => "PM+PO title",
            TitleRole::Other => "other title",
        }
    }

    /// (a) The content-label mix of each title role, as 100% stacked bars.
    pub(super) fn label_mix(r: &Report) -> Result<String> {
        let err = fail("label mix");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, 280)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let (main, side) = root.split_horizontally(WIDTH - 140);
            let names: Vec<String> = TITLE_ROLES
                .iter()
                .enumerate()
                .map(|(ti, &t)| {
                    let n: u64 = r.label_by_title_role[ti].iter().sum();
                    format!("{} ({n})", title_name(t))
                })
                .collect();
            // The first title role is drawn at the top.
            let row_of = |y: usize| names.get(3usize.saturating_sub(y)).cloned();
            let fmt_y = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(y) => row_of(*y).unwrap_or_default(),
                _ => String::new(),
            };
            let fmt_x = |x: &f64| format!("{x:.0}%");
            let mut chart = ChartBuilder::on(&main)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(180)
                .build_cartesian_2d(0f64..100f64, (0usize..3).into_segmented())
                .map_err(&err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(4)
                .x_labels(11)
                .max_light_lines(1)
                .y_label_formatter(&fmt_y)
                .x_label_formatter(&fmt_x)
                .x_desc("share of the postings with that title")
                .label_style((FONT, 17))
                .axis_desc_style((FONT, 17))
                .draw()
                .map_err(&err)?;
            for ti in 0..TITLE_ROLES.len() {
                let row = &r.label_by_title_role[ti];
                let total: u64 = row.iter().sum();
                if total == 0 {
                    continue;
                }
                let y = 3 - ti;
                let mut x0 = 0.0;
                for li in 0..Label::ALL.len() {
                    let share = row[li] as f64 * 100.0 / total as f64;
                    if share <= 0.0 {
                        continue;
                    }
                    let x1 = (x0 + share).min(100.0);
                    let mut rect = Rectangle::new(
                        [
                            (x0, SegmentValue::Exact(y)),
                            (x1, SegmentValue::Exact(y + 1)),
                        ],
                        LABEL_COLORS[li].filled(),
                    );
                    rect.set_margin(8, 8, 0, 0);
                    chart.draw_series(std::iter::once(rect)).map_err(&err)?;
                    if share >= 6.0 {
                        let text = Text::new(
                            format!("{share:.0}%"),
                            ((x0 + x1) / 2.0, SegmentValue::CenterOf(y)),
                            (FONT, 16)
                                .into_font()
                                .color(&WHITE)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        );
                        chart.draw_series(std::iter::once(text)).map_err(&err)?;
                    }
                    x0 = x1;
                }
            }
            let items: Vec<(&str, RGBColor)> = Label::ALL
                .iter()
                .zip(LABEL_COLORS)
                .map(|(l, c)| (l.as_str(), c))
                .collect();
            legend(&side, "content label", &items).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }

    /// (b) Title role by content label as a heatmap: shade by the share of
    /// the title role's postings, the count and share written in each cell,
    /// the cells that count towards the index outlined.
    pub(super) fn confusion(r: &Report) -> Result<String> {
        let err = fail("confusion matrix");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, 380)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let fmt_x = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(x) => Label::ALL
                    .get(*x)
                    .map(|l| l.as_str().to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let fmt_y = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(y) => TITLE_ROLES
                    .get(3usize.saturating_sub(*y))
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_left(150)
                .margin_right(150)
                .x_label_area_size(50)
                .y_label_area_size(70)
                .build_cartesian_2d((0usize..3).into_segmented(), (0usize..3).into_segmented())
                .map_err(&err)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(4)
                .y_labels(4)
                .x_label_formatter(&fmt_x)
                .y_label_formatter(&fmt_y)
                .x_desc("content label")
                .y_desc("title role")
                .label_style((FONT, 18))
                .axis_desc_style((FONT, 17))
                .draw()
                .map_err(&err)?;
            for (ti, (&title, row)) in TITLE_ROLES.iter().zip(&r.label_by_title_role).enumerate() {
                let total: u64 = row.iter().sum();
                let y = 3 - ti;
                for (li, (&label, &count)) in Label::ALL.iter().zip(row).enumerate() {
                    let share = if total > 0 {
                        count as f64 / total as f64
                    } else {
                        0.0
                    };
                    let cell = [
                        (SegmentValue::Exact(li), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(li + 1), SegmentValue::Exact(y + 1)),
                    ];
                    let mut rect = Rectangle::new(cell.clone(), shade(share).filled());
                    rect.set_margin(1, 1, 1, 1);
                    chart.draw_series(std::iter::once(rect)).map_err(&err)?;
                    let contradicts = matches!(
                        (title, label),
                        (TitleRole::Pm, Label::Po) | (TitleRole::Po, Label::Pm)
                    );
                    if contradicts {
                        let mut outline = Rectangle::new(cell, ALERT.stroke_width(3));
                        outline.set_margin(3, 3, 3, 3);
                        chart.draw_series(std::iter::once(outline)).map_err(&err)?;
                    }
                    let ink = if share > 0.5 { WHITE } else { INK };
                    let center = (SegmentValue::CenterOf(li), SegmentValue::CenterOf(y));
                    let count = Text::new(
                        count.to_string(),
                        center.clone(),
                        (FONT, 22)
                            .into_font()
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    );
                    let pct = Text::new(
                        format!("{:.0}% of row", share * 100.0),
                        center,
                        (FONT, 15)
                            .into_font()
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Top)),
                    );
                    chart.draw_series([count, pct]).map_err(&err)?;
                }
            }
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }

    /// White to dark blue by a share in [0, 1].
    fn shade(share: f64) -> RGBColor {
        let s = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * s).round() as u8;
        RGBColor(mix(0xf4, 0x08), mix(0xf8, 0x30), mix(0xfd, 0x6b))
    }

    /// (c) The histogram of confidences.
    pub(super) fn confidence(r: &Report) -> Result<String> {
        let err = fail("confidence");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, 320)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let bins = r.confidence_histogram.len().max(1);
            let top = r.confidence_histogram.iter().copied().max().unwrap_or(0);
            let y_max = (top as f64 * 1.1).max(5.0);
            let fmt_x = |x: &f64| format!("{x:.1}");
            // Counts are whole: a tick between two counts gets no label.
            let fmt_y = |y: &f64| {
                if y.fract() == 0.0 {
                    format!("{y:.0}")
                } else {
                    String::new()
                }
            };
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(24)
                .x_label_area_size(44)
                .y_label_area_size(70)
                .build_cartesian_2d(0f64..1f64, 0f64..y_max)
                .map_err(&err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(11)
                .y_labels(6)
                .max_light_lines(1)
                .x_label_formatter(&fmt_x)
                .y_label_formatter(&fmt_y)
                .x_desc("confidence (probability of the chosen label)")
                .y_desc("postings")
                .label_style((FONT, 17))
                .axis_desc_style((FONT, 17))
                .draw()
                .map_err(&err)?;
            let w = 1.0 / bins as f64;
            let bars = r
                .confidence_histogram
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, &c)| {
                    let mut rect = Rectangle::new(
                        [(i as f64 * w, 0.0), ((i + 1) as f64 * w, c as f64)],
                        LABEL_COLORS[0].filled(),
                    );
                    rect.set_margin(0, 0, 1, 1);
                    rect
                });
            chart.draw_series(bars).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }

    /// (d) The index of all postings and of the top groups, as bars with
    /// 95% interval whiskers.
    pub(super) fn groups(r: &Report) -> Result<String> {
        let err = fail("groups");
        let rows: Vec<&super::GroupStats> = std::iter::once(&r.overall)
            .chain(
                r.groups
                    .iter()
                    .filter(|g| g.n_product_titled > 0)
                    .take(super::CHART_MAX_GROUPS),
            )
            .collect();
        let names: Vec<String> = rows
            .iter()
            .map(|g| {
                let name = if g.key.is_empty() {
                    String::from("all postings")
                } else {
                    let parts: Vec<&str> = g.key.iter().map(|v| super::group_value(v).0).collect();
                    short(&parts.join(" / "), 30)
                };
                format!("{name} (n={})", g.n_product_titled)
            })
            .collect();
        let m = rows.len();
        let top = rows.iter().filter_map(|g| g.ci_high).fold(0.0f64, f64::max);
        // The axis ends at the next 10% above the highest interval end.
        let x_max = ((top * 10.0).ceil() * 10.0).clamp(10.0, 100.0);
        let height = 90 + 30 * m as u32;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let fmt_x = |x: &f64| format!("{x:.0}%");
            // A numeric y axis, row i spanning [m - 1 - i, m - i] from the
            // top: plotters maps a one-value discrete axis (a report without
            // groups) to the wrong place, so the row names are drawn here.
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(30)
                .x_label_area_size(44)
                .y_label_area_size(330)
                .build_cartesian_2d(0f64..x_max, 0f64..m as f64)
                .map_err(&err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(0)
                .x_labels(11)
                .max_light_lines(1)
                .x_label_formatter(&fmt_x)
                .x_desc("title-confusion index, with its 95% bootstrap interval")
                .label_style((FONT, 16))
                .axis_desc_style((FONT, 17))
                .draw()
                .map_err(&err)?;
            let label_font = (FONT, 16)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Right, VPos::Center));
            for (i, (g, name)) in rows.iter().zip(&names).enumerate() {
                let y = (m - 1 - i) as f64;
                let (px, py) = chart.backend_coord(&(0.0, y + 0.5));
                root.draw(&Text::new(name.as_str(), (px - 8, py), label_font.clone()))
                    .map_err(&err)?;
                let (Some(v), Some(lo), Some(hi)) = (g.confusion_index, g.ci_low, g.ci_high) else {
                    let text = Text::new(
                        "no PM or PO titles",
                        (x_max / 100.0, y + 0.5),
                        (FONT, 16)
                            .into_font()
                            .color(&INK)
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    );
                    chart.draw_series(std::iter::once(text)).map_err(&err)?;
                    continue;
                };
                let (v, lo, hi) = (v * 100.0, lo * 100.0, hi * 100.0);
                let color = if i == 0 { LABEL_COLORS[0] } else { BAR };
                let bar = Rectangle::new([(0.0, y + 0.2), (v, y + 0.8)], color.filled());
                let whisker = ErrorBar::new_horizontal(y + 0.5, lo, v, hi, INK.stroke_width(2), 10);
                chart.draw_series(std::iter::once(bar)).map_err(&err)?;
                chart.draw_series(std::iter::once(whisker)).map_err(&err)?;
            }
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }

    /// `s` cut to at most `max` characters, with an ellipsis when cut.
    fn short(s: &str, max: usize) -> String {
        if s.chars().count() <= max {
            return s.to_string();
        }
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(label: Label, confidence: f64) -> Verdict {
        let mut probs = [(1.0 - confidence) / 3.0; 4];
        probs[label.index()] = confidence;
        Verdict {
            label,
            confidence,
            probs,
            pm_share: 0.5,
            pm_evidence: 1.0,
            po_evidence: 1.0,
            other_evidence: 0.0,
        }
    }

    /// (group, title, label, how many): 16 product-titled postings, 4 of
    /// them contradicted and 2 hybrid, spread over two countries.
    const SET: &[(&str, TitleRole, Label, usize)] = &[
        ("de", TitleRole::Pm, Label::Pm, 6),
        ("de", TitleRole::Pm, Label::Po, 2),
        ("de", TitleRole::Pm, Label::Hybrid, 1),
        ("de", TitleRole::Pm, Label::None, 1),
        ("fr", TitleRole::Po, Label::Po, 3),
        ("fr", TitleRole::Po, Label::Pm, 2),
        ("fr", TitleRole::Po, Label::Hybrid, 1),
        ("fr", TitleRole::Both, Label::Po, 5),
        ("de", TitleRole::Other, Label::None, 4),
    ];

    fn rows() -> Vec<(&'static str, TitleRole, Verdict)> {
        let mut out = Vec::new();
        let mut i = 0;
        for &(g, t, l, n) in SET {
            for _ in 0..n {
                // Confidences spread over bins 5 to 19.
                let c = 0.25 + 0.05 * (i % 15) as f64 + 0.01;
                out.push((g, t, v(l, c)));
                i += 1;
            }
        }
        out
    }

    fn built() -> ReportBuilder {
        let mut b = ReportBuilder::new(vec!["country".into()]);
        for (g, t, v) in rows() {
            b.add(&[g], t, &v);
        }
        b
    }

    #[test]
    fn counts_add_up() {
        let r = built().finish(7);
        assert_eq!(r.rows, 25);
        assert_eq!(r.label_by_title_role[0], [6, 2, 1, 1]);
        assert_eq!(r.label_by_title_role[1], [2, 3, 1, 0]);
        assert_eq!(r.label_by_title_role[2], [0, 5, 0, 0]);
        assert_eq!(r.label_by_title_role[3], [0, 0, 0, 4]);
        assert_eq!(r.confidence_histogram.iter().sum::<u64>(), 25);
        assert_eq!(r.confidence_histogram[..5].iter().sum::<u64>(), 0);
        assert_eq!(r.confidence_histogram[5], 2);
        assert_eq!(r.groups.len(), 2);
        let de = r.groups.iter().find(|g| g.key == ["de"]).unwrap();
        let fr = r.groups.iter().find(|g| g.key == ["fr"]).unwrap();
        assert_eq!((de.n_rows, de.n_product_titled), (14, 10));
        assert_eq!((fr.n_rows, fr.n_product_titled), (11, 6));
        // Most product-titled postings first.
        assert_eq!(r.groups[0].key, ["de"]);
    }

    #[test]
    fn index_and_hybrid_share_by_hand() {
        let r = built().finish(7);
        let o = &r.overall;
        // 16 product-titled: PM titles 10 (2 with PO duties, 1 hybrid), PO
        // titles 6 (2 with PM duties, 1 hybrid); the 5 "both" titles are out.
        assert_eq!(
            (o.n_product_titled, o.n_contradicted, o.n_hybrid),
            (16, 4, 2)
        );
        assert_eq!(o.confusion_index, Some(0.25));
        assert_eq!(o.hybrid_share, Some(0.125));
        let de = r.groups.iter().find(|g| g.key == ["de"]).unwrap();
        assert_eq!(de.confusion_index, Some(0.2));
        assert_eq!(de.hybrid_share, Some(0.1));
        let fr = r.groups.iter().find(|g| g.key == ["fr"]).unwrap();
        assert_eq!(fr.confusion_index, Some(2.0 / 6.0));
    }

    #[test]
    fn intervals_contain_the_estimate_and_repeat_for_a_seed() {
        let a = built().finish(42);
        let b = built().finish(42);
        assert_eq!(a, b);
        for g in std::iter::once(&a.overall).chain(&a.groups) {
            let (lo, x, hi) = (
                g.ci_low.unwrap(),
                g.confusion_index.unwrap(),
                g.ci_high.unwrap(),
            );
            assert!(lo <= x && x <= hi, "{g:?}");
            assert!(lo < hi, "{g:?}");
            let (lo, x, hi) = (
                g.hybrid_ci_low.unwrap(),
                g.hybrid_share.unwrap(),
                g.hybrid_ci_high.unwrap(),
            );
            assert!(lo <= x && x <= hi, "{g:?}");
        }
        // Another seed draws other replicates (visible with enough rows for
        // the percentiles to move by a count or two).
        let first = bootstrap(400, 100, 40, 0);
        assert_eq!(bootstrap(400, 100, 40, 0), first);
        assert!((1..6).any(|s| bootstrap(400, 100, 40, s) != first));
    }

    #[test]
    fn intervals_have_the_binomial_width() {
        // 400 postings, a quarter contradicted: the standard error is
        // sqrt(0.25 * 0.75 / 400) = 0.0217, so the interval is about
        // 0.25 +- 0.042. At 40_000 the normal branch gives 0.25 +- 0.0042.
        for (n, tol) in [(400u64, 0.012), (40_000, 0.0012)] {
            let c = n / 4;
            let [(lo, hi), (hlo, hhi)] = bootstrap(n, c, n / 10, 3);
            let half = 1.96 * (0.25f64 * 0.75 / n as f64).sqrt();
            assert!((lo - (0.25 - half)).abs() < tol, "{n}: {lo}");
            assert!((hi - (0.25 + half)).abs() < tol, "{n}: {hi}");
            assert!(hlo < 0.1 && 0.1 < hhi, "{n}: {hlo} {hhi}");
        }
        // Nothing contradicted: the interval is the point.
        assert_eq!(bootstrap(30, 0, 0, 3), [(0.0, 0.0), (0.0, 0.0)]);
        assert_eq!(bootstrap(5, 5, 0, 3)[0], (1.0, 1.0));
    }

    #[test]
    fn binomial_draws_have_the_right_mean_and_variance() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        // Inversion, inversion with p flipped, and the normal branch.
        for (n, p) in [(60u64, 0.3), (200, 0.9), (10_000, 0.4)] {
            let draws: Vec<f64> = (0..20_000)
                .map(|_| binomial(n, p, &mut rng) as f64)
                .collect();
            let mean = draws.iter().sum::<f64>() / draws.len() as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
            let (m, s2) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!(
                (mean - m).abs() < 4.0 * (s2 / 20_000.0).sqrt(),
                "{n} {p}: {mean}"
            );
            assert!((var / s2 - 1.0).abs() < 0.05, "{n} {p}: {var}");
            assert!(draws.iter().all(|&x| x <= n as f64));
        }
        assert_eq!(binomial(10, 0.0, &mut rng), 0);
        assert_eq!(binomial(10, 1.0, &mut rng), 10);
        assert_eq!(binomial(0, 0.5, &mut rng), 0);
        assert_eq!(binomial(10, f64::NAN, &mut rng), 0);
    }

    #[test]
    fn merge_equals_sequential_add() {
        let all = rows();
        let mut parts = vec![
            ReportBuilder::new(vec!["country".into()]),
            ReportBuilder::new(vec!["country".into()]),
            ReportBuilder::new(vec!["country".into()]),
        ];
        for (i, (g, t, v)) in all.iter().enumerate() {
            parts[i % 3].add(&[g], *t, v);
        }
        let mut merged = ReportBuilder::new(vec!["country".into()]);
        for p in parts.into_iter().rev() {
            merged.merge(p);
        }
        assert_eq!(merged.rows(), 25);
        assert_eq!(merged.finish(9), built().finish(9));
    }

    #[test]
    fn group_values_are_padded_and_unambiguous() {
        let mut b = ReportBuilder::new(vec!["a".into(), "b".into()]);
        b.add(&["x:1", ""], TitleRole::Pm, &v(Label::Pm, 0.9));
        b.add(&["x", "1:"], TitleRole::Pm, &v(Label::Pm, 0.9));
        b.add(&["x:1"], TitleRole::Po, &v(Label::Pm, 0.9));
        b.add(&["x:1", "", "extra"], TitleRole::Po, &v(Label::Po, 0.9));
        let r = b.finish(1);
        assert_eq!(r.groups.len(), 2);
        assert_eq!(r.groups[0].key, ["x:1", ""]);
        assert_eq!(r.groups[0].n_rows, 3);
        assert_eq!(r.groups[1].key, ["x", "1:"]);
    }

    fn svg_count(html: &str) -> usize {
        html.matches("<svg").count()
    }

    #[test]
    fn html_is_self_contained_with_charts_and_tables() {
        let mut b = built();
        b.add(
            &["<script>alert(1)</script>"],
            TitleRole::Po,
            &v(Label::Pm, 0.8),
        );
        let html = b.finish(5).to_html("Postings <2026>").unwrap();
        assert_eq!(svg_count(&html), 4);
        for id in [
            "chart-label-mix",
            "chart-confusion",
            "chart-confidence",
            "chart-groups",
            "table-confusion",
            "table-groups",
        ] {
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        }
        let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!rest.contains("http://") && !rest.contains("https://"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("<link") && !html.contains("<img") && !html.contains("@import"));
        assert!(html.contains("Postings &lt;2026&gt;"));
        assert!(html.contains("<td class=\"key\"><span title=\"de\">de</span></td>"));
        // 5 of 17 product-titled postings are contradicted.
        assert!(html.contains(&format!("{:.1}%", 500.0 / 17.0)));
        // The charts are drawn, not empty: bars, cells and whiskers.
        assert!(html.matches("<rect").count() > 30);
        assert!(html.contains("<line") || html.contains("<polyline"));
    }

    #[test]
    fn json_has_every_group_and_nulls_for_empty_groups() {
        let mut b = ReportBuilder::new(vec!["g".into()]);
        for i in 0..(HTML_MAX_GROUPS + 5) {
            b.add(&[&format!("g{i}")], TitleRole::Pm, &v(Label::Po, 0.7));
        }
        b.add(&["nobody"], TitleRole::Other, &v(Label::None, 0.9));
        let r = b.finish(2);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(groups.len(), HTML_MAX_GROUPS + 6);
        let last = groups.last().unwrap();
        assert_eq!(last["key"][0], "nobody");
        assert!(last["confusion_index"].is_null());
        assert_eq!(json["title_roles"][1], "po");
        assert_eq!(
            json["label_by_title_role"][0][1],
            HTML_MAX_GROUPS as u64 + 5
        );
        let html = r.to_html("many").unwrap();
        assert_eq!(html.matches("<td class=\"key\">").count(), HTML_MAX_GROUPS);
        assert_eq!(svg_count(&html), 4);
    }

    #[test]
    fn small_groups_are_pooled_last_and_blank_and_long_names_are_shown() {
        let long = "A company whose name goes on and on, far past any column width";
        let mut b = ReportBuilder::new(vec!["company".into()]);
        for i in 0..12 {
            b.add(&[long], TitleRole::Po, &v(Label::Pm, 0.9));
            b.add(&[""], TitleRole::Pm, &v(Label::Pm, 0.9));
            b.add(
                &[&format!("tiny{}", i % 4)],
                TitleRole::Pm,
                &v(Label::Po, 0.9),
            );
        }
        for i in 0..(HTML_MAX_GROUPS + 3) {
            for _ in 0..10 {
                b.add(&[&format!("g{i}")], TitleRole::Other, &v(Label::None, 0.9));
            }
        }
        let r = b.finish_pooled(3, 10);
        assert_eq!((r.min_group_size, r.pooled_groups), (10, 4));
        let other = r.groups.last().unwrap();
        assert_eq!(other.key, ["(other: 4 groups under 10 postings)"]);
        assert_eq!((other.n_rows, other.n_contradicted), (12, 12));
        assert_eq!(r.groups.len(), 2 + HTML_MAX_GROUPS + 3 + 1);
        let html = r.to_html("pooled").unwrap();
        // Cut to the first groups, but the pool is always shown.
        assert!(html.contains("(other: 4 groups under 10 postings)</span>"));
        let groups = 2 + HTML_MAX_GROUPS + 3 + 4;
        assert!(html.contains(&format!(
            "{groups} groups by company (4 of them, with fewer than 10 postings each, pooled into one row)"
        )));
        assert!(!html.contains(">tiny0<"));
        assert!(html.contains("<td class=\"key blank\"><span title=\"(blank)\">(blank)</span>"));
        assert!(html.contains(&format!("<span title=\"{long}\">")));
        assert!(html.contains("text-overflow: ellipsis"));
        // Nothing to pool: the groups are as they were.
        let plain = built().finish_pooled(7, 1);
        assert_eq!(plain.pooled_groups, 0);
        assert_eq!(plain.groups, built().finish(7).groups);
        let json: serde_json::Value =
            serde_json::from_str(&built().finish(1).to_json_with_model("abc")).unwrap();
        assert_eq!(json["model"], "abc");
        assert_eq!(json["pmpo_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["rows"], 25);
    }

    #[test]
    fn an_empty_report_still_renders() {
        for group_by in [vec![], vec!["country".to_string()]] {
            let r = ReportBuilder::new(group_by).finish(0);
            assert_eq!(r.rows, 0);
            assert_eq!(r.overall.confusion_index, None);
            let html = r.to_html("nothing").unwrap();
            assert_eq!(svg_count(&html), 4);
            assert!(html.contains("all postings"));
        }
    }
}
