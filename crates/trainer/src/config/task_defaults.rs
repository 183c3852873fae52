//! A task's own defaults for the rest of the experiment (tagging trains with
//! batch 16 and Adam at 1e-4 on 16 kHz audio, singing voice with batch 32 at
//! 1e-3 on 22,050 Hz): merged into the config's TOML table before it is
//! deserialised, so the resolved `config.toml` of a run holds the values
//! actually used.
//!
//! Rules: a key the config leaves out takes the task's default. For the
//! `[frontend]` and `[model]` sections, whose `kind` selects a type with its
//! own keys, the task's defaults apply only when the config gives no `kind` or
//! the task's default `kind`; a config that picks another kind gets that
//! kind's own defaults.

/// Sections whose `kind` selects their type.
const KINDED: [&str; 2] = ["frontend", "model"];

/// Fills every key of `defaults` that `table` lacks, by the rules above.
pub fn fill_defaults(table: &mut toml::Table, defaults: &toml::Table) {
    for (key, default) in defaults {
        match (table.get_mut(key), default) {
            (None, _) => {
                table.insert(key.clone(), default.clone());
            }
            (Some(toml::Value::Table(section)), toml::Value::Table(section_defaults)) => {
                if KINDED.contains(&key.as_str()) {
                    let kind = section.get("kind");
                    let default_kind = section_defaults.get("kind");
                    if kind.is_some() && kind != default_kind {
                        continue;
                    }
                }
                fill_defaults(section, section_defaults);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    #[test]
    fn missing_keys_take_the_default_and_given_ones_stay() {
        let mut t = table("[train]\nbatch_size = 8\n");
        fill_defaults(
            &mut t,
            &table("[train]\nbatch_size = 16\nlearning_rate = 1e-4\n[data]\nsample_rate = 16000\n"),
        );
        assert_eq!(t["train"]["batch_size"].as_integer(), Some(8));
        assert_eq!(t["train"]["learning_rate"].as_float(), Some(1e-4));
        assert_eq!(t["data"]["sample_rate"].as_integer(), Some(16000));
    }

    #[test]
    fn kinded_sections_take_defaults_only_for_their_default_kind() {
        let defaults = table("[frontend]\nkind = \"mel\"\nn_fft = 512\nbands = 128\n");
        let mut same = table("[frontend]\nkind = \"mel\"\nbands = 96\n");
        fill_defaults(&mut same, &defaults);
        assert_eq!(same["frontend"]["n_fft"].as_integer(), Some(512));
        assert_eq!(same["frontend"]["bands"].as_integer(), Some(96));
        let mut other = table("[frontend]\nkind = \"gabor\"\n");
        fill_defaults(&mut other, &defaults);
        assert!(!other["frontend"].as_table().unwrap().contains_key("n_fft"));
        let mut none = table("[frontend]\nbands = 64\n");
        fill_defaults(&mut none, &defaults);
        assert_eq!(none["frontend"]["kind"].as_str(), Some("mel"));
    }
}
