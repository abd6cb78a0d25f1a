//! What moderation stores: a comment's status, the actions and modes rules decide with,
//! domain-block severities, rule kinds, actor policies and reports.

text_enum! {
    /// What moderation decided for a comment. Only `Published` comments are shown.
    #[derive(utoipa::ToSchema)]
    pub enum CommentStatus {
        Published = "published",
        Held = "held",
        Hidden = "hidden",
        Rejected = "rejected",
    }
}

impl CommentStatus {
    /// The status a verdict's action leads to.
    pub fn after(action: Action) -> Self {
        match action {
            Action::Publish => Self::Published,
            Action::Hold => Self::Held,
            Action::Hide => Self::Hidden,
            Action::Reject => Self::Rejected,
        }
    }

    /// Taken down by moderation (rather than waiting or shown).
    pub fn is_removed(self) -> bool {
        matches!(self, Self::Hidden | Self::Rejected)
    }
}

text_enum! {
    /// What happens to a comment. Ordered by severity.
    #[derive(PartialOrd, Ord, utoipa::ToSchema)]
    pub enum Action {
        Publish = "publish",
        Hold = "hold",
        Hide = "hide",
        Reject = "reject",
    }
}

text_enum! {
    /// Moderation mode of a site or article.
    #[derive(utoipa::ToSchema)]
    pub enum Mode {
        /// Published at once, reviewable after (the default).
        Post = "post",
        /// Held until a moderator approves.
        Pre = "pre",
        /// New replies refused.
        Closed = "closed",
    }
}

text_enum! {
    /// Mastodon domain-block severities.
    #[derive(utoipa::ToSchema)]
    pub enum Severity {
        Suspend = "suspend",
        Silence = "silence",
        Noop = "noop",
    }
}

impl Severity {
    /// How severe, for comparing: `Noop` < `Silence` < `Suspend`.
    pub fn rank(self) -> u8 {
        match self {
            Self::Suspend => 2,
            Self::Silence => 1,
            Self::Noop => 0,
        }
    }

    /// The severity of a rank (the inverse of `rank`; above 2 is `Suspend`).
    pub fn of_rank(rank: u8) -> Self {
        match rank {
            0 => Self::Noop,
            1 => Self::Silence,
            _ => Self::Suspend,
        }
    }
}

text_enum! {
    /// What a stored rule looks at (see `moderation::compiled::KINDS`).
    #[derive(utoipa::ToSchema)]
    pub enum RuleKind {
        BannedWord = "banned_word",
        BannedRegex = "banned_regex",
        SuspectWord = "suspect_word",
        SuspectRegex = "suspect_regex",
        Wordlist = "wordlist",
        LinkHost = "link_host",
        MaxLinks = "max_links",
        MaxMentions = "max_mentions",
        Repetition = "repetition",
        RepetitionActor = "repetition_actor",
        RateActor = "rate_actor",
        RateDomain = "rate_domain",
        MinAccountAgeDays = "min_account_age_days",
        EmptyAccount = "empty_account",
        RejectedRatio = "rejected_ratio",
    }
}

text_enum! {
    /// A moderator's standing decision on one remote actor.
    #[derive(utoipa::ToSchema)]
    pub enum ActorPolicyAction {
        /// Every comment rejected, the past ones hidden.
        Block = "block",
        /// Trusted: pre-moderation, the newcomer rule and the content rules skipped
        /// (never a domain's policy nor a closed thread).
        Allow = "allow",
        /// Watched: every comment held for a moderator (unless a rule rejects it).
        Watch = "watch",
    }
}

text_enum! {
    /// How far moderators trust an author, as the API and the console say it: a
    /// `trusted` author is an `allow` policy, a `watched` one a `watch` policy, a
    /// `normal` one has neither.
    #[derive(utoipa::ToSchema)]
    pub enum TrustLevel {
        Trusted = "trusted",
        Watched = "watched",
        Normal = "normal",
    }
}

impl TrustLevel {
    /// The level an actor policy gives (`None` for a block: blocked is not a level).
    pub fn of(policy: ActorPolicyAction) -> Option<Self> {
        match policy {
            ActorPolicyAction::Allow => Some(Self::Trusted),
            ActorPolicyAction::Watch => Some(Self::Watched),
            ActorPolicyAction::Block => None,
        }
    }

    /// The actor policy stored for this level (`None`: no policy).
    pub fn policy(self) -> Option<ActorPolicyAction> {
        match self {
            Self::Trusted => Some(ActorPolicyAction::Allow),
            Self::Watched => Some(ActorPolicyAction::Watch),
            Self::Normal => None,
        }
    }
}

text_enum! {
    /// Where a report on a comment stands.
    pub enum ReportStatus {
        Open = "open",
        Resolved = "resolved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_and_match_serde() {
        for s in CommentStatus::ALL {
            assert_eq!(CommentStatus::parse(s.as_str()), Some(*s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        for k in RuleKind::ALL {
            assert_eq!(RuleKind::parse(&k.to_string()), Some(*k));
        }
        assert_eq!(CommentStatus::parse("Held"), None);
        assert_eq!(
            serde_json::from_str::<Severity>("\"silence\"").unwrap(),
            Severity::Silence
        );
    }

    #[test]
    fn severities_rank_and_actions_order() {
        for s in Severity::ALL {
            assert_eq!(Severity::of_rank(s.rank()), *s);
        }
        assert!(Severity::Suspend.rank() > Severity::Silence.rank());
        assert!(Action::Reject > Action::Hide && Action::Hold > Action::Publish);
        assert_eq!(CommentStatus::after(Action::Hide), CommentStatus::Hidden);
        assert!(CommentStatus::Rejected.is_removed() && !CommentStatus::Held.is_removed());
    }
}
