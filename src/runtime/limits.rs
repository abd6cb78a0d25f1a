//! Rate limits: a token bucket per key (a reader's address, a remote domain), kept in
//! memory by each process. Behind several app servers the effective limit is the sum;
//! that is the point of per-process buckets (no shared state on the hot path).
//!
//! Why not `governor`: its keyed limiter (a `DashMap`) grows with every key and only
//! shrinks when the caller runs `retain_recent` itself, so it has no bound of its own,
//! and it brings `dashmap`, `quanta` and more. A bucket is two numbers; what matters is
//! the bound, so the map here is sharded (a request locks one of 64 small maps, and a
//! random hasher keeps an attacker from piling keys on one shard) with a fixed capacity
//! per shard: a full shard first forgets the buckets that have refilled (forgetting
//! them loses nothing: a new bucket starts full), then the least recently seen quarter.
//! Also here: who the reader is behind proxies (`client_address`).

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hash, RandomState},
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

const SHARDS: usize = 64;

/// Buckets of `burst` tokens refilled at `per_minute` a minute, for at most `capacity`
/// keys.
pub struct RateLimiter<K> {
    per_sec: f64,
    burst: f64,
    per_shard: usize,
    hasher: RandomState,
    shards: Box<[Mutex<HashMap<K, Bucket>>]>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(per_minute: u32, burst: u32, capacity: usize) -> Self {
        let per_shard = capacity.div_ceil(SHARDS).max(4);
        Self {
            per_sec: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            per_shard,
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// Takes a token for `key`, or says how long until one is there.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    /// Keys remembered now (all shards).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most keys this limiter remembers.
    pub fn capacity(&self) -> usize {
        self.per_shard * SHARDS
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        (bucket.tokens + now.saturating_duration_since(bucket.at).as_secs_f64() * self.per_sec)
            .min(self.burst)
    }

    fn check_at(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let shard = (self.hasher.hash_one(key) as usize) % SHARDS;
        // A poisoned shard (a panic while held) holds plain numbers: keep using them.
        let mut buckets = match self.shards[shard].lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= self.per_shard && !buckets.contains_key(key) {
            self.make_room(&mut buckets, now);
        }
        let bucket = buckets.entry(key.clone()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refilled = self.refilled(bucket, now);
        bucket.at = now;
        if refilled >= 1.0 {
            bucket.tokens = refilled - 1.0;
            Ok(())
        } else {
            bucket.tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / self.per_sec))
        }
    }

    /// Forgets full buckets, then if need be the least recently seen quarter: one pass
    /// frees many slots, so a flood of new keys costs O(1) a key on average.
    fn make_room(&self, buckets: &mut HashMap<K, Bucket>, now: Instant) {
        buckets.retain(|_, b| self.refilled(b, now) < self.burst);
        if buckets.len() < self.per_shard {
            return;
        }
        let mut seen: Vec<Instant> = buckets.values().map(|b| b.at).collect();
        let cut = seen.len() / 4;
        let (_, oldest_kept, _) = seen.select_nth_unstable(cut);
        let oldest_kept = *oldest_kept;
        buckets.retain(|_, b| b.at > oldest_kept);
        if buckets.len() >= self.per_shard {
            // Every key was seen at the same instant: drop any.
            if let Some(k) = buckets.keys().next().cloned() {
                buckets.remove(&k);
            }
        }
    }
}

/// The key a reader's address is charged to: IPv6 by /64, the block one subscriber
/// gets (one host can use every address in it), IPv4 by address.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// An IP network: an address and a prefix length (`10.0.0.0/8`, `::1/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// The loopback networks: what `server.trust_forwarded_for = true` trusts.
    pub fn loopback() -> [Cidr; 2] {
        [
            Cidr {
                addr: IpAddr::from([127, 0, 0, 0]),
                prefix: 8,
            },
            Cidr {
                addr: IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
                prefix: 128,
            },
        ]
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or CIDR"))?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: prefix must be 0 to {max}"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

/// `trusted_proxies` as a TOML list or, from an environment variable, one string of
/// comma-separated entries; an entry that does not parse is a configuration error.
pub fn deserialize_cidrs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Cidr>, D::Error> {
    use serde::Deserialize;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        List(Vec<String>),
        One(String),
    }
    let entries = match Form::deserialize(d)? {
        Form::List(list) => list,
        Form::One(s) => s.split(',').map(str::to_string).collect(),
    };
    entries
        .iter()
        .filter(|e| !e.trim().is_empty())
        .map(|e| e.parse().map_err(serde::de::Error::custom))
        .collect()
}

/// The reader's address. The TCP peer, unless the peer is a trusted proxy: then the
/// `X-Forwarded-For` hops (all such headers, in order) are read from the right — each
/// was appended by the proxy to its right — and the first hop that is not a trusted
/// proxy is the reader. Hops left of it were written by the reader and are ignored, so
/// a forged header costs nothing. A hop that does not parse stops the walk at the last
/// trusted address seen.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    trusted: &[Cidr],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let mut last = peer;
    for header in forwarded_for.rev() {
        for hop in header.rsplit(',') {
            let Some(ip) = parse_hop(hop) else {
                return last;
            };
            if !is_trusted(ip) {
                return ip;
            }
            last = ip;
        }
    }
    last
}

/// A hop as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:80`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate_with_a_retry_after() {
        let limiter = RateLimiter::new(60, 3, 1024);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(&"a", start).is_ok());
        }
        let wait = limiter.check_at(&"a", start).unwrap_err();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::from_millis(900));
        assert!(limiter.check_at(&"b", start).is_ok(), "keys are apart");
        assert!(limiter
            .check_at(&"a", start + Duration::from_millis(1_001))
            .is_ok());
    }

    #[test]
    fn a_million_distinct_keys_keep_the_limiter_within_its_capacity_and_a_busy_key_limited() {
        let limiter = RateLimiter::new(1, 1, 4096);
        let start = Instant::now();
        assert!(limiter.check_at(&u64::MAX, start).is_ok());
        for i in 0..1_000_000u64 {
            let now = start + Duration::from_micros(i);
            // Never refused: each key is new.
            assert!(limiter.check_at(&i, now).is_ok());
            if i % 100 == 0 {
                assert!(
                    limiter.check_at(&u64::MAX, now).is_err(),
                    "the flood made the limiter forget a key in use"
                );
            }
        }
        assert!(limiter.len() <= limiter.capacity());
        assert!(limiter.capacity() <= 4096 + SHARDS * 4);
    }

    #[test]
    fn ipv6_readers_are_charged_per_64_and_ipv4_per_address() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn a_forwarded_for_header_from_an_untrusted_peer_is_ignored() {
        let trusted = cidrs(&["10.0.0.0/8"]);
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_address(peer, ["1.2.3.4"].into_iter(), &trusted),
            peer
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_reader() {
        let trusted = cidrs(&["10.0.0.0/8", "::1"]);
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        // The reader forged "6.6.6.6"; the outer proxy appended the real 198.51.100.7,
        // an inner trusted proxy appended 10.0.0.2.
        let headers = ["6.6.6.6, 198.51.100.7", "10.0.0.2"];
        assert_eq!(
            client_address(peer, headers.into_iter(), &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_address(peer, ["[2001:db8::5]:443"].into_iter(), &trusted),
            "2001:db8::5".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_address(peer, ["junk, 10.0.0.3"].into_iter(), &trusted),
            "10.0.0.3".parse::<IpAddr>().unwrap(),
            "a hop that does not parse stops at the last trusted one"
        );
        assert_eq!(client_address(peer, [].into_iter(), &trusted), peer);
    }

    #[test]
    fn cidrs_parse_and_match_and_bad_ones_are_refused() {
        let net: Cidr = "192.168.0.0/16".parse().unwrap();
        assert!(net.contains("192.168.44.1".parse().unwrap()));
        assert!(!net.contains("192.169.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:192.168.1.1".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.org".parse::<Cidr>().is_err());
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
    }

    #[test]
    fn trusted_proxies_read_as_a_list_or_a_comma_separated_string_and_bad_entries_fail() {
        #[derive(serde::Deserialize)]
        struct Server {
            #[serde(deserialize_with = "deserialize_cidrs")]
            trusted_proxies: Vec<Cidr>,
        }
        let list: Server =
            serde_json::from_str(r#"{"trusted_proxies": ["10.0.0.0/8", "::1"]}"#).unwrap();
        let env: Server =
            serde_json::from_str(r#"{"trusted_proxies": "10.0.0.0/8, ::1"}"#).unwrap();
        assert_eq!(list.trusted_proxies, env.trusted_proxies);
        assert_eq!(list.trusted_proxies.len(), 2);
        let bad = serde_json::from_str::<Server>(r#"{"trusted_proxies": ["proxy.lan"]}"#);
        assert!(bad.is_err());
    }
}
