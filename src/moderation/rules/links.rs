//! Links: blocked or suspect hosts (a rule on `spam.example` covers its subdomains),
//! and too many links (promotional spam).

use super::{
    super::{compiled::CompiledRules, text::link_hosts, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    let hosts = link_hosts(input.html);
    for host in &hosts {
        // The host itself, then each parent domain.
        let mut candidate = host.as_str();
        loop {
            if let Some((rule, action)) = rules.link_hosts.get(candidate) {
                hit(hits, rule, *action, format!("links to {host}"));
                break;
            }
            match candidate.split_once('.') {
                Some((_, parent)) if parent.contains('.') => candidate = parent,
                _ => break,
            }
        }
    }
    if let Some(limit) = &rules.max_links {
        if hosts.len() as u32 > limit.value || count_links(input.html) > limit.value {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!("more than {} links", limit.value),
            );
        }
    }
}

fn count_links(html: &str) -> u32 {
    html.matches("<a ").count() as u32
}
