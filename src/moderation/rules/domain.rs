//! Domain policy, Mastodon semantics: `suspend` refuses everything from the domain,
//! `silence` holds it for review, `reject_media` drops its attachments.

use super::{
    super::{Action, Hit, Input, Severity},
    hit,
};

pub fn check(input: &Input<'_>, hits: &mut Vec<Hit>, strip_media: &mut bool) {
    let Some(policy) = &input.domain_policy else {
        return;
    };
    let rule = format!("domain:{}", policy.domain);
    match policy.severity {
        Severity::Suspend => hit(
            hits,
            &rule,
            Action::Reject,
            format!("{} is suspended", policy.domain),
        ),
        Severity::Silence => hit(
            hits,
            &rule,
            Action::Hold,
            format!("{} is silenced", policy.domain),
        ),
        Severity::Noop => {}
    }
    if policy.reject_media {
        *strip_media = true;
        hit(
            hits,
            &rule,
            Action::Publish,
            format!("media from {} is not kept", policy.domain),
        );
    }
}
