//! The benchmark report: machine, measurements and goals of a run, as Markdown, CSV and PNG plots.

use anyhow::{bail, Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// The machine and the run, printed at the top of every result.
pub struct Machine {
    /// RFC 3339, when the run started.
    pub date: String,
    /// Short commit, with "+dirty" if the tree had changes.
    pub git_rev: String,
    pub cores: usize,
    pub cpu_model: String,
    pub mem_gib: f64,
    /// /proc/loadavg at start.
    pub load_start: [f64; 3],
    /// /proc/loadavg at the end.
    pub load_end: [f64; 3],
    pub os: String,
    /// The whole run, in seconds.
    pub duration_s: f64,
    /// "full" or "quick".
    pub mode: String,
}

impl Machine {
    /// Reads the cores, /proc/cpuinfo, /proc/meminfo, /proc/loadavg, /etc/os-release and git, best effort:
    /// a figure that cannot be read is "unknown" or 0, since a missing figure must not stop a run.
    pub fn probe(mode: &str) -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let field = |text: &str, key: &str| {
            text.lines()
                .find_map(|l| {
                    l.strip_prefix(key)
                        .map(|v| v.trim_start_matches([' ', '\t', ':', '=']))
                })
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        let mem_kib = field(&read("/proc/meminfo"), "MemTotal")
            .and_then(|v| v.trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        let rev = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
        let dirty = git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
        Machine {
            date: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            git_rev: if dirty { format!("{rev}+dirty") } else { rev },
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model: field(&read("/proc/cpuinfo"), "model name")
                .unwrap_or_else(|| "unknown".into()),
            mem_gib: mem_kib / (1024.0 * 1024.0),
            load_start: loadavg(),
            load_end: [0.0; 3],
            os: field(&read("/etc/os-release"), "PRETTY_NAME")
                .unwrap_or_else(|| std::env::consts::OS.into()),
            duration_s: 0.0,
            mode: mode.to_string(),
        }
    }

    /// Fills load_end and duration_s.
    pub fn finish(&mut self, started: Instant) {
        self.load_end = loadavg();
        self.duration_s = started.elapsed().as_secs_f64();
    }
}

/// The trimmed standard output of a successful git command, or None.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn loadavg() -> [f64; 3] {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut it = text.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    [(); 3].map(|_| it.next().unwrap_or(0.0))
}

/// One figure measured in the run.
pub struct Measurement {
    /// E.g. "thread read, 1,000 comments, full body".
    pub scenario: String,
    /// "sqlite", "postgres" or "-".
    pub backend: String,
    /// "tribune", "nginx", "isso", "openssl".
    pub subject: String,
    /// The unit, e.g. "req/s", "p99 ms", "ops/s", "MB", "s", "µs".
    pub metric: String,
    pub value: f64,
    /// Free text, may be empty.
    pub note: String,
}

/// A goal of the issue: a ratio measured in this run against a reference.
pub struct Goal {
    /// E.g. "full 1,000-comment thread read vs nginx".
    pub scenario: String,
    /// "sqlite", "postgres" or "-".
    pub backend: String,
    /// Human text, e.g. "≥ 50 % of nginx".
    pub goal: String,
    /// The measured ratio; None when it could not be measured in this run.
    pub ratio: Option<f64>,
    /// E.g. 0.5.
    pub target: f64,
    /// True: met when ratio >= target; false: met when ratio <= target.
    pub higher_is_better: bool,
    /// E.g. "2,345 vs 4,567 req/s"; or why it was not measured.
    pub detail: String,
}

impl Goal {
    /// Whether the goal is met; None when there is no ratio.
    pub fn met(&self) -> Option<bool> {
        self.score().map(|s| s >= 1.0)
    }

    /// ratio/target when higher is better, target/ratio otherwise: >= 1 means met.
    pub fn score(&self) -> Option<f64> {
        let r = self.ratio.filter(|r| r.is_finite())?;
        let (t, up) = (self.target, self.higher_is_better);
        Some(if up { r / t } else { t / r })
    }

    /// The measured ratio as the goal text reads: a share ("53 %") when the text has a "%", a
    /// factor ("1.07x", "1,412x") when it has one, a value with the unit that the text puts after
    /// its number ("≤ 100 MB": "42.3 MB") otherwise.
    fn measured(&self) -> String {
        let Some(r) = self.ratio else {
            return "not measured".into();
        };
        let words: Vec<&str> = self.goal.split_whitespace().collect();
        let number = |w: &str| w.replace(',', "").parse::<f64>().is_ok();
        let factor = words
            .iter()
            .any(|w| w.strip_suffix('x').is_some_and(number));
        let unit = words
            .windows(2)
            .find(|w| number(w[0]) && w[1].chars().all(char::is_alphabetic));
        if self.goal.contains('%') || (!factor && unit.is_none() && self.target <= 1.0) {
            // Whole percents from 10 % up: "53.2 %" claims a precision runs do not have.
            let p = r * 100.0;
            format!("{} %", fmt_num(if p >= 10.0 { p.round() } else { p }))
        } else if let (false, Some(w)) = (factor, unit) {
            format!("{} {}", fmt_num(r), w[1])
        } else {
            format!("{}x", fmt_num(r))
        }
    }
}

/// Everything a run produced.
pub struct Report {
    pub machine: Machine,
    pub measurements: Vec<Measurement>,
    pub goals: Vec<Goal>,
    /// Free lines printed under the tables.
    pub notes: Vec<String>,
}

impl Report {
    /// Markdown: a header with the machine figures, the goals table, the measurements table, the notes.
    pub fn markdown(&self) -> String {
        let m = &self.machine;
        let load = |l: &[f64; 3]| l.map(|v| format!("{v:.2}")).join(" ");
        let (rev, mode, secs) = (&m.git_rev, &m.mode, fmt_num(m.duration_s));
        let (cpu, mem, os) = (&m.cpu_model, fmt_num(m.mem_gib), &m.os);
        let (start, end, date, cores) = (load(&m.load_start), load(&m.load_end), &m.date, m.cores);
        let mut s = format!(
            "# Tribune benchmark results\n\n\
             - run: {date}, commit `{rev}`, {mode} mode, {secs} s\n\
             - machine: {cores} cores, {cpu}, {mem} GiB RAM, {os}\n\
             - load average (1, 5, 15 min): {start} at start, {end} at end\n\n\
             ## Goals\n\n{}\n## Measurements\n\n{}",
            self.goals_table(),
            md_head(MEASUREMENT_COLUMNS)
        );
        for x in &self.measurements {
            s += &md_row(&x.cells(fmt_num(x.value)));
        }
        if !self.notes.is_empty() {
            s += "\n## Notes\n\n";
            for n in &self.notes {
                let _ = writeln!(s, "- {n}");
            }
        }
        s
    }

    /// Only the goals table (what the README shows).
    pub fn goals_table(&self) -> String {
        let head = md_head("scenario,backend,goal,measured,met,detail");
        self.goals.iter().fold(head, |s, g| {
            let met = g.met().map_or("n/a", |m| if m { "yes" } else { "**no**" });
            let cells = [
                &g.scenario,
                &g.backend,
                &g.goal,
                &g.measured(),
                met,
                &g.detail,
            ];
            s + &md_row(&cells.map(|c| c.to_string()))
        })
    }

    /// Writes into `dir` (created if missing): results.md, measurements.csv, goals.csv, goals.png and
    /// throughput.png. Without a usable font the PNGs are skipped with a warning, not an error.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let put = |name: &str, text: String| {
            let path = dir.join(name);
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
        };
        put("results.md", self.markdown())?;
        let rows = self
            .measurements
            .iter()
            .map(|x| x.cells(x.value.to_string()));
        put("measurements.csv", csv(MEASUREMENT_COLUMNS, rows))?;
        let rows = self.goals.iter().map(|g| {
            let ratio = g.ratio.map(|r| r.to_string()).unwrap_or_default();
            let met = g.met().map_or("", |m| if m { "yes" } else { "no" });
            let (t, up) = (g.target.to_string(), g.higher_is_better.to_string());
            let cells = [
                &g.scenario,
                &g.backend,
                &g.goal,
                &ratio,
                &t,
                &up,
                met,
                &g.detail,
            ];
            cells.iter().map(|c| c.to_string()).collect()
        });
        put("goals.csv", csv(GOAL_COLUMNS, rows))?;
        if !font_ready() {
            // Plots from an earlier run beside this run's tables would mislead, so they go too.
            for name in ["goals.png", "throughput.png"] {
                let _ = std::fs::remove_file(dir.join(name));
            }
            eprintln!("warning: no TrueType font (DejaVuSans, fc-match sans): plots skipped");
            return Ok(());
        }
        let m = &self.machine;
        let (date, cores, mode, rev) = (&m.date, m.cores, &m.mode, &m.git_rev);
        let caption = format!("{date}, {cores} cores, {mode} mode, commit {rev}");
        let goals = self.plot_goals(&dir.join("goals.png"), &caption);
        goals.context("drawing goals.png")?;
        let throughput = self.plot_throughput(&dir.join("throughput.png"), &caption);
        throughput.context("drawing throughput.png")
    }

    /// One horizontal bar per measured goal, its score on a log axis, green when met.
    fn plot_goals(&self, path: &Path, caption: &str) -> Result<()> {
        let items: Vec<(&Goal, f64)> = (self.goals.iter())
            .filter_map(|g| Some((g, g.score().filter(|s| *s > 0.0 && s.is_finite())?)))
            .collect();
        let n = items.len();
        let size = (1000, 600.max(130 + 50 * n as u32));
        let title = "Goals: measured / goal (≥ 1 is met)";
        let [root, area] = canvas(path, size, title, caption)?;
        if n == 0 {
            return blank(root, "no goal measured in this run");
        }
        let label = |g: &Goal| short(&format!("{} [{}]", g.scenario, g.backend), 60);
        let mut label_w = 0;
        for (g, _) in &items {
            label_w = label_w.max(root.estimate_text_size(&label(g), &font(16))?.0);
        }
        let smallest = items.iter().map(|i| i.1).fold(f64::INFINITY, f64::min);
        let largest = items.iter().map(|i| i.1).fold(0.0, f64::max);
        let (lo, hi) = (0.1f64.min(smallest / 1.5), 10f64.max(largest * 1.2));
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size((label_w + 20).min(500))
            .build_cartesian_2d(
                (lo..hi).log_scale().with_key_points(decades(lo, hi)),
                0.0..n as f64,
            )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("measured / goal (log scale)")
            .x_label_formatter(&|v| fmt_num(*v))
            .label_style(font(16))
            .axis_desc_style(font(16))
            .draw()?;
        // The goal line goes under the bars, so that it never crosses the figures written on them.
        let line = [(1.0, 0.0), (1.0, n as f64)];
        chart.draw_series(LineSeries::new(line, BLACK.stroke_width(2)))?;
        let (gx, gy) = chart.backend_coord(&(1.0, n as f64));
        root.draw_text("goal", &anchored(15, HPos::Left), (gx + 5, gy + 12))?;
        for (i, (g, score)) in items.iter().enumerate() {
            // The first goal on top, as in the table.
            let y = (n - 1 - i) as f64;
            let color = if *score >= 1.0 { GOOD } else { BAD };
            let bar = Rectangle::new([(lo, y + 0.25), (*score, y + 0.75)], color.filled());
            chart.draw_series([bar])?;
            let (x0, yc) = chart.backend_coord(&(lo, y + 0.5));
            let x1 = chart.backend_coord(&(*score, y)).0;
            root.draw_text(&label(g), &anchored(16, HPos::Right), (x0 - 10, yc))?;
            // The figure goes inside the bar when it fits there, after its end otherwise.
            let figure = format!("{} (goal {})", g.measured(), g.goal);
            if x1 - x0 > root.estimate_text_size(&figure, &font(15))?.0 as i32 + 16 {
                let style = anchored(15, HPos::Right).color(&WHITE);
                root.draw_text(&figure, &style, (x1 - 8, yc))?;
            } else {
                root.draw_text(&figure, &anchored(15, HPos::Left), (x1 + 8, yc))?;
            }
        }
        Ok(root.present()?)
    }

    /// Grouped bars of the "req/s" measurements by scenario on a log axis,
    /// one colour per subject and backend.
    fn plot_throughput(&self, path: &Path, caption: &str) -> Result<()> {
        let data: Vec<&Measurement> = (self.measurements.iter())
            .filter(|m| m.metric == "req/s" && m.value > 0.0)
            .collect();
        let (mut scenarios, mut series): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
        for m in &data {
            if !scenarios.contains(&m.scenario.as_str()) {
                scenarios.push(&m.scenario);
            }
            if !series.contains(&series_name(m)) {
                series.push(series_name(m));
            }
        }
        let title = "Throughput (req/s, log scale)";
        let [root, area] = canvas(path, (1000, 600), title, caption)?;
        if data.is_empty() {
            return blank(root, "no req/s measured in this run");
        }
        let smallest = data.iter().map(|m| m.value).fold(f64::INFINITY, f64::min);
        let largest = data.iter().map(|m| m.value).fold(0.0, f64::max);
        // The top of the axis leaves room for the legend (20 px a row) above the tallest bar and its figure:
        // on a log axis that is the fraction `f` of log(hi / lo).
        let lo = 10f64.powf((smallest / 2.0).log10().floor());
        let f = (20.0 * series.len() as f64 + 40.0) / (area.dim_in_pixel().1 as f64 - 100.0);
        let hi = 10f64.powf((largest.log10() - f * lo.log10()) / (1.0 - f).max(0.2));
        let k = scenarios.len();
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(
                0.0..k as f64,
                (lo..hi).log_scale().with_key_points(decades(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&|v| fmt_num(*v))
            .y_desc("req/s")
            .label_style(font(15))
            .axis_desc_style(font(16))
            .draw()?;
        // Bars keep the series order inside a group, all as wide as the fullest group allows.
        let group = |s: &str| -> Vec<&&Measurement> {
            let mut g: Vec<_> = data.iter().filter(|m| m.scenario == s).collect();
            g.sort_by_key(|m| series.iter().position(|n| *n == series_name(m)));
            g
        };
        let fullest = scenarios.iter().map(|s| group(s).len()).max().unwrap_or(1);
        let width = 0.8 / fullest as f64;
        let mut bars: Vec<Vec<(f64, f64)>> = vec![Vec::new(); series.len()];
        for (i, s) in scenarios.iter().enumerate() {
            let members = group(s);
            let start = i as f64 + 0.5 - width * members.len() as f64 / 2.0;
            for (j, m) in members.iter().enumerate() {
                let idx = series.iter().position(|n| *n == series_name(m));
                bars[idx.unwrap_or(0)].push((start + width * j as f64, m.value));
            }
        }
        for (idx, name) in series.iter().enumerate() {
            let [_, r, g, b] = PALETTE[idx % PALETTE.len()].to_be_bytes();
            let color = RGBColor(r, g, b);
            let (style, gap) = (color.filled(), width * 0.05);
            let rect =
                |&(x, v): &(f64, f64)| Rectangle::new([(x + gap, lo), (x + width - gap, v)], style);
            let key =
                move |(x, y): (i32, i32)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], style);
            let drawn = chart.draw_series(bars[idx].iter().map(rect))?;
            drawn.label(name.as_str()).legend(key);
            for &(x, v) in &bars[idx] {
                let (px, py) = chart.backend_coord(&(x + width / 2.0, v));
                root.draw_text(&compact(v), &anchored(13, HPos::Center), (px, py - 10))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font(16))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        // Scenario names are long: wrapped under their group, which axis labels cannot do.
        let chars = (100 / k).max(10);
        for (i, s) in scenarios.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, lo));
            for (l, line) in wrap(s, chars).iter().take(3).enumerate() {
                let at = (px, py + 18 + 18 * l as i32);
                root.draw_text(line, &anchored(15, HPos::Center), at)?;
            }
        }
        Ok(root.present()?)
    }
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

const GOOD: RGBColor = RGBColor(46, 160, 67);
const BAD: RGBColor = RGBColor(214, 39, 40);

/// A white canvas with the title and the caption line drawn; also returns the area under them.
fn canvas<'a>(path: &'a Path, size: (u32, u32), title: &str, sub: &str) -> Result<[Area<'a>; 2]> {
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    let area = root.titled(title, font(26))?.titled(sub, font(16))?;
    Ok([root, area])
}

/// Finishes a plot that has nothing to show with a line that says why.
fn blank(root: Area, why: &str) -> Result<()> {
    root.draw_text(why, &anchored(20, HPos::Center), (500, 300))?;
    Ok(root.present()?)
}

fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size))
}

/// A style whose position is the given side, vertically centred.
fn anchored(size: u32, side: HPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(side, VPos::Center))
}

/// Colours of the throughput series, in the order the series first appear.
const PALETTE: [u32; 8] = [
    0x1f77b4, 0x9467bd, 0x2ca02c, 0xff7f0e, 0x8c564b, 0x17becf, 0x7f7f7f, 0xd62728,
];

fn series_name(m: &Measurement) -> String {
    match m.backend.as_str() {
        "" | "-" => m.subject.clone(),
        b => format!("{} {b}", m.subject),
    }
}

/// Whether "sans-serif" is registered with plotters; the font is looked for once.
fn font_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let fc = Command::new("fc-match")
            .args(["-f", "%{file}", "sans"])
            .output();
        let matched = fc.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        let dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        let arch = "/usr/share/fonts/TTF/DejaVuSans.ttf";
        let candidates = [dejavu, arch, &matched.unwrap_or_default()];
        candidates.iter().filter(|p| !p.is_empty()).any(|p| {
            // plotters keeps a &'static reference to the font: leaking it once is the price.
            let leak = |b: Vec<u8>| &*Box::leak(b.into_boxed_slice());
            let register = |b| register_font("sans-serif", FontStyle::Normal, leak(b)).is_ok();
            std::fs::read(p).is_ok_and(register)
        })
    })
}

/// Powers of ten in lo..=hi, the tick marks of a log axis.
fn decades(lo: f64, hi: f64) -> Vec<f64> {
    (lo.log10().ceil() as i32..=hi.log10().floor() as i32)
        .map(|e| 10f64.powi(e))
        .collect()
}

/// 3 significant digits below 100, a whole number with thousands separators above.
fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    if v.abs() >= 99.95 {
        let digits = format!("{:.0}", v.abs());
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        return if v < 0.0 { format!("-{out}") } else { out };
    }
    if v == 0.0 {
        return "0".into();
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 9) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A short form for a label above a bar: 950, 12.3k, 4.5M.
fn compact(v: f64) -> String {
    match v {
        v if v >= 1e6 => format!("{}M", fmt_num(v / 1e6)),
        v if v >= 1e4 => format!("{}k", fmt_num(v / 1e3)),
        v => fmt_num(v),
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    s.chars().take(max - 1).chain(['…']).collect()
}

/// Greedy word wrap to lines of at most `width` characters (a longer word gets a line of its own).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

const MEASUREMENT_COLUMNS: &str = "scenario,backend,subject,metric,value,note";
const GOAL_COLUMNS: &str = "scenario,backend,goal,ratio,target,higher_is_better,met,detail";

impl Measurement {
    /// The fields in MEASUREMENT_COLUMNS order, with the value written as given.
    fn cells(&self, value: String) -> Vec<String> {
        let m = self;
        let cells = [
            &m.scenario,
            &m.backend,
            &m.subject,
            &m.metric,
            &value,
            &m.note,
        ];
        cells.iter().map(|c| c.to_string()).collect()
    }
}

fn md_head(columns: &str) -> String {
    let rule = "---|".repeat(columns.split(',').count());
    format!("| {} |\n|{rule}\n", columns.replace(',', " | "))
}

fn md_row(cells: &[String]) -> String {
    let escape = |c: &String| c.replace('|', "\\|").replace('\n', " ");
    format!(
        "| {} |\n",
        cells.iter().map(escape).collect::<Vec<_>>().join(" | ")
    )
}

/// CSV by hand: a field with a comma, a quote or a line break is quoted, its quotes doubled.
fn csv(head: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let quote = |c: &String| match c.contains([',', '"', '\n', '\r']) {
        true => format!("\"{}\"", c.replace('"', "\"\"")),
        false => c.clone(),
    };
    let row = |r: Vec<String>| r.iter().map(quote).collect::<Vec<_>>().join(",");
    rows.fold(format!("{head}\n"), |out, r| out + &row(r) + "\n")
}

/// Replaces the text between the lines `<!-- bench:begin -->` and `<!-- bench:end -->`
/// of the README with `content` (errors if the markers are missing). Keeps the markers.
pub fn update_readme(readme: &Path, content: &str) -> Result<()> {
    let text = std::fs::read_to_string(readme);
    let text = text.with_context(|| format!("reading {}", readme.display()))?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let find = |marker: &str, from: usize| (from..lines.len()).find(|&i| lines[i].trim() == marker);
    let Some(begin) = find("<!-- bench:begin -->", 0) else {
        bail!("{} has no <!-- bench:begin --> line", readme.display());
    };
    let Some(end) = find("<!-- bench:end -->", begin + 1) else {
        bail!(
            "{} has no <!-- bench:end --> line after it",
            readme.display()
        );
    };
    // Both markers stay on lines of their own, whatever the ends of the texts around them.
    let mut out = lines[..=begin].concat();
    for part in [content, &lines[end..].concat()] {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out += part;
    }
    std::fs::write(readme, out).with_context(|| format!("writing {}", readme.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(text: &str, ratio: Option<f64>, target: f64, higher_is_better: bool) -> Goal {
        let (scenario, backend, detail) = ("a | b".into(), "sqlite".into(), "x, \"y\"".into());
        let goal = text.into();
        let higher = higher_is_better;
        Goal {
            scenario,
            backend,
            goal,
            ratio,
            target,
            higher_is_better: higher,
            detail,
        }
    }

    #[test]
    fn report_files_and_readme() -> Result<()> {
        let mut machine = Machine::probe("quick");
        machine.finish(Instant::now());
        let scenario = "thread read, 1,000 comments, full body";
        let measurements = [
            ("tribune", "sqlite", 2345.0),
            ("tribune", "postgres", 1870.5),
            ("nginx", "-", 4567.0),
        ];
        let measurements = measurements.map(|(subject, backend, value)| Measurement {
            scenario: scenario.into(),
            backend: backend.into(),
            subject: subject.into(),
            metric: "req/s".into(),
            value,
            note: String::new(),
        });
        let goals = vec![
            goal("≥ 50 % of nginx", Some(0.53), 0.5, true),
            goal("≤ 1.1x Isso", Some(1.31), 1.1, false),
            goal("≥ 1,000x Isso", None, 1000.0, true),
        ];
        let notes = vec!["a note".into()];
        let report = Report {
            machine,
            measurements: measurements.into(),
            goals,
            notes,
        };
        let dir = std::env::temp_dir().join("tribune-bench-report-test");
        let _ = std::fs::remove_dir_all(&dir);
        report.write(&dir)?;
        for name in "results.md measurements.csv goals.csv goals.png throughput.png".split(' ') {
            assert!(
                std::fs::metadata(dir.join(name))?.len() > 0,
                "{name} is empty"
            );
        }
        let csv = std::fs::read_to_string(dir.join("goals.csv"))?;
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], GOAL_COLUMNS);
        assert_eq!(
            lines[1],
            "a | b,sqlite,≥ 50 % of nginx,0.53,0.5,true,yes,\"x, \"\"y\"\"\""
        );
        assert!(lines[2].contains(",no,") && lines[3].contains(",true,,\"x") && lines.len() == 4);
        let csv = std::fs::read_to_string(dir.join("measurements.csv"))?;
        let row = "\"thread read, 1,000 comments, full body\",-,nginx,req/s,4567,";
        assert_eq!(
            (csv.lines().next(), csv.lines().nth(3)),
            (Some(MEASUREMENT_COLUMNS), Some(row))
        );
        let md = report.markdown();
        assert!(
            md.contains("| a \\| b | sqlite | ≥ 50 % of nginx | 53 % | yes |"),
            "{md}"
        );
        assert!(md.contains("| 1.31x | **no** |") && md.contains("| not measured | n/a |"));
        assert!(md.contains("| req/s | 2,345 |") && md.contains("- a note"));

        let readme = dir.join("README.md");
        let text = "# T\n<!-- bench:begin -->\nold\n<!-- bench:end -->\ntail\n";
        std::fs::write(&readme, text)?;
        update_readme(&readme, "new")?;
        assert_eq!(
            std::fs::read_to_string(&readme)?,
            text.replace("old", "new")
        );
        std::fs::write(&readme, "no markers\n")?;
        assert!(update_readme(&readme, "x").is_err());
        Ok(())
    }

    #[test]
    fn numbers() {
        let cases = [
            (1234.4, "1,234"),
            (1_412_000.0, "1,412,000"),
            (12.345, "12.3"),
            (0.012345, "0.0123"),
        ];
        for (v, text) in cases {
            assert_eq!(fmt_num(v), text);
        }
        let measured = |text, ratio, target| goal(text, Some(ratio), target, true).measured();
        assert_eq!(measured("≥ 1,000x Isso", 1412.0, 1000.0), "1,412x");
        assert_eq!(measured("≤ 1.2x", 1.07, 1.2), "1.07x");
        assert_eq!(measured("≥ 10 %", 0.054, 0.1), "5.4 %");
        assert_eq!(measured("≤ 100 MB", 42.34, 100.0), "42.3 MB");
        assert_eq!(measured("≤ 1 s", 0.3127, 1.0), "0.313 s");
    }
}
