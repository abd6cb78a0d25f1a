//! Remote HTML, sanitised once on arrival: never a panic, and what comes out holds no
//! script, whatever went in.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let clean = tribune::services::content::sanitize_html(html);
    let lower = clean.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{clean}");
    // Text may say "javascript:"; no link or source may be one.
    assert!(!lower.contains("=\"javascript:"), "{clean}");
    // Sanitising is idempotent.
    assert_eq!(tribune::services::content::sanitize_html(&clean), clean);
    let _ = tribune::services::content::plain_text(html);
});
