//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's build-time code generation).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::{error::Error, path::PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // `sqlx::migrate!` (db.rs) embeds the migrations when this crate compiles; without this a
    // new migration file would not rebuild it.
    println!("cargo::rerun-if-changed=../migrations");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("i18n");
    // Simplified Chinese is the default; English is selectable.
    // interpolate_display: messages with values (e.g. seconds to wait) as plain strings too.
    let cfg = Config::new("zh")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
