//! The moderation mode: closed threads refuse new replies; pre-moderated ones hold
//! every reply until a moderator approves it.

use super::{
    super::{Action, Hit, Input, Mode},
    hit,
};

pub fn check_closed(input: &Input<'_>, hits: &mut Vec<Hit>) {
    if input.mode == Mode::Closed {
        hit(
            hits,
            "mode:closed",
            Action::Reject,
            "comments are closed".into(),
        );
    }
}

pub fn check_pre(input: &Input<'_>, hits: &mut Vec<Hit>) {
    if input.mode == Mode::Pre {
        hit(
            hits,
            "mode:pre",
            Action::Hold,
            "comments are moderated before publication".into(),
        );
    }
}
