//! Criterion benches, one group per stage plus one posting end to end, all
//! reporting bytes per second over postings from the synthetic generator.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use pmpo::internals::{
    build_hf_tokenizer, clean_into, hf_words, split_sections, FastTokenizer, Matcher, Tokens,
};
use pmpo::{Labeller, Model};

/// About 2 MB of generated postings: (title, description) pairs.
fn postings() -> Vec<(String, String)> {
    let mut buf = Vec::new();
    pmpo::internals::write_synthetic(&mut buf, 2_000_000, 1).expect("generate");
    let mut rdr = csv::Reader::from_reader(buf.as_slice());
    rdr.records()
        .filter_map(|r| r.ok())
        .map(|r| (r[1].to_string(), r[9].to_string()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let model = Model::embedded().expect("model");
    let posts = postings();
    let bytes: u64 = posts.iter().map(|(_, d)| d.len() as u64).sum();
    let cleaned: Vec<String> = posts
        .iter()
        .map(|(_, d)| {
            let mut s = String::new();
            clean_into(d, &mut s);
            s
        })
        .collect();

    let mut g = c.benchmark_group("clean");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("clean_into", |b| {
        let mut out = String::new();
        b.iter(|| {
            for (_, d) in &posts {
                clean_into(d, &mut out);
                black_box(out.len());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("sections");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("split_sections", |b| {
        let mut spans = Vec::new();
        b.iter(|| {
            for t in &cleaned {
                split_sections(t, &mut spans);
                black_box(spans.len());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("fast", |b| {
        let mut tok = FastTokenizer::new();
        let mut toks = Tokens::new();
        b.iter(|| {
            for t in &cleaned {
                tok.tokenize(t, &mut toks);
                black_box(toks.len());
            }
        })
    });
    let hf = build_hf_tokenizer(std::iter::empty()).expect("tokenizer");
    g.bench_function("tokenizers_crate", |b| {
        b.iter(|| {
            for t in &cleaned {
                black_box(hf_words(&hf, t).map(|w| w.len()).unwrap_or(0));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("match");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    let tokenized: Vec<Tokens> = cleaned
        .iter()
        .map(|t| {
            let mut toks = Tokens::new();
            FastTokenizer::new().tokenize(t, &mut toks);
            toks
        })
        .collect();
    g.bench_function("matcher", |b| {
        let mut m = Matcher::new();
        let mut out = Vec::new();
        b.iter(|| {
            for t in &tokenized {
                m.find(model.compiled(), t, &mut out);
                black_box(out.len());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("label");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("posting_end_to_end", |b| {
        let mut lab = Labeller::new();
        b.iter(|| {
            for (title, d) in &posts {
                let l = lab.label(&model, title, [d.as_str()]);
                black_box(l.verdict.confidence);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
