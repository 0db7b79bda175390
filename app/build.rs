//! Generates the typed translations (`crate::i18n`) from `locales/*.json`.
//! Bahasa Indonesia is the default locale, English the second.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::{error::Error, path::PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    let cfg = Config::new("id")?
        .add_locale("en")?
        // Lets `t_string!` interpolate, for messages built outside views.
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
