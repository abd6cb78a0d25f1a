//! A blocklist file or page in any format (CSV, JSON, text, FIRES), as imports and
//! subscriptions read it: never a panic; what it reads writes back as CSV that reads
//! the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tribune::blocklists::formats;

fuzz_target!(|text: &str| {
    if let Ok(entries) = formats::parse(text) {
        let plain: Vec<_> = entries.into_iter().filter(|e| !e.is_obfuscated()).collect();
        let csv = formats::to_mastodon_csv(&plain);
        let again = formats::parse(&csv).expect("our own CSV reads back");
        assert_eq!(again.len(), plain.len());
    }
});
