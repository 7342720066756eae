//! Sizes in messages (a package's limit, the bytes a cut download kept).

/// `512 bytes`, `2.1 KiB`, `2 GiB`: to one decimal, binary units.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn units_and_decimals() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(20_000), "19.5 KiB");
        assert_eq!(human_size(2 << 30), "2 GiB");
    }
}
