//! Map style files (TOML), then the colours they ask for.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::style::Style;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(style) = Style::parse_str(text, "input.toml") {
        for k in [1, 5, 12] {
            let _ = style.class_colours(k);
            let _ = style.category_colours(k);
            let _ = style.warnings(k);
        }
        let _ = style.answer_colours();
        let _ = style.to_toml();
    }
});
