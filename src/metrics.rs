//! Prometheus metrics (`GET /metrics`): counters and histograms updated where things
//! happen (inbox refusals by reason, processing time by activity type, deliveries by
//! outcome, moderation verdicts), queue depth and age read from the database when
//! scraped, at most every few seconds (they are shared by every process on the
//! database).

use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};
use std::sync::atomic::AtomicU64;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QueueLabel {
    pub queue: String,
}

type Seconds = Family<KindLabel, Histogram, fn() -> Histogram>;

fn latency() -> Histogram {
    // 1 ms to ~33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The metrics of this process.
pub struct Metrics {
    registry: Registry,
    inbox: Family<OutcomeLabel, Counter>,
    processing: Seconds,
    deliveries: Family<OutcomeLabel, Counter>,
    verdicts: Family<OutcomeLabel, Counter>,
    rules: Histogram,
    queue_depth: Family<QueueLabel, Gauge>,
    queue_age: Family<QueueLabel, Gauge<f64, AtomicU64>>,
    queue_queries: Counter,
    /// When the queue gauges were last read from the database (reused for `server.metrics_cache_secs`).
    pub queue_refresh: tokio::sync::Mutex<Option<std::time::Instant>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("tribune");
        let inbox = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "inbox_requests",
            "Inbox POSTs by outcome (accepted, duplicate, or the refusal's reason)",
            inbox.clone(),
        );
        let processing = Seconds::new_with_constructor(latency as fn() -> Histogram);
        registry.register(
            "inbox_processing_seconds",
            "Time to process a stored activity, by type",
            processing.clone(),
        );
        let deliveries = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "deliveries",
            "Delivery attempts by outcome (delivered, retry, failed, dead)",
            deliveries.clone(),
        );
        let verdicts = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "moderation_verdicts",
            "Moderation verdicts on incoming comments",
            verdicts.clone(),
        );
        // 1 µs to ~65 ms: matching a comment against the rules is CPU work only.
        let rules = Histogram::new(exponential_buckets(0.000_001, 2.0, 17));
        registry.register(
            "moderation_rules_seconds",
            "Time to match one comment against the site's compiled rules",
            rules.clone(),
        );
        let queue_depth = Family::<QueueLabel, Gauge>::default();
        registry.register(
            "queue_depth",
            "Rows waiting in each durable queue (all processes)",
            queue_depth.clone(),
        );
        let queue_age = Family::<QueueLabel, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "queue_oldest_age_seconds",
            "Age of the oldest waiting row of each queue",
            queue_age.clone(),
        );
        let queue_queries = Counter::default();
        registry.register(
            "metrics_queue_queries",
            "Times a scrape read the queue gauges from the database (cached between)",
            queue_queries.clone(),
        );
        Self {
            registry,
            inbox,
            processing,
            deliveries,
            verdicts,
            rules,
            queue_depth,
            queue_age,
            queue_queries,
            queue_refresh: Default::default(),
        }
    }
}

impl Metrics {
    /// Counts one read of the queue gauges from the database.
    pub fn queue_queried(&self) {
        self.queue_queries.inc();
    }

    pub fn inbox(&self, outcome: &str) {
        self.inbox
            .get_or_create(&OutcomeLabel {
                outcome: outcome.into(),
            })
            .inc();
    }

    pub fn processed(&self, kind: &str, seconds: f64) {
        self.processing
            .get_or_create(&KindLabel { kind: kind.into() })
            .observe(seconds);
    }

    pub fn delivery(&self, outcome: &str) {
        self.deliveries
            .get_or_create(&OutcomeLabel {
                outcome: outcome.into(),
            })
            .inc();
    }

    pub fn verdict(&self, verdict: &str) {
        self.verdicts
            .get_or_create(&OutcomeLabel {
                outcome: verdict.into(),
            })
            .inc();
    }

    pub fn rules_matched(&self, seconds: f64) {
        self.rules.observe(seconds);
    }

    pub fn queue(&self, queue: &str, depth: u64, oldest_age_seconds: f64) {
        let label = QueueLabel {
            queue: queue.into(),
        };
        self.queue_depth
            .get_or_create(&label)
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
        self.queue_age.get_or_create(&label).set(oldest_age_seconds);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
