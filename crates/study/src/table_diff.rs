//! Where two TOML tables differ, as a dotted key and both values, for
//! messages such as "`train.epochs` = 3 here, 2 in sweep.toml".

/// The first difference between `a` and `b` (keys in name order), described
/// with `a_name` and `b_name`; `None` if they are equal.
pub fn first_difference(
    a: &toml::Table,
    b: &toml::Table,
    a_name: &str,
    b_name: &str,
) -> Option<String> {
    walk(a, b, "", a_name, b_name, false)
}

/// The first key of `sub` that `sup` lacks or holds another value at;
/// `sup` may have keys of its own.
pub fn first_mismatch_in(
    sub: &toml::Table,
    sup: &toml::Table,
    sub_name: &str,
    sup_name: &str,
) -> Option<String> {
    walk(sub, sup, "", sub_name, sup_name, true)
}

fn walk(
    a: &toml::Table,
    b: &toml::Table,
    prefix: &str,
    a_name: &str,
    b_name: &str,
    subset: bool,
) -> Option<String> {
    let mut keys: Vec<&String> = a.keys().collect();
    if !subset {
        keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
        keys.sort();
    }
    for key in keys {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (a.get(key), b.get(key)) {
            (Some(toml::Value::Table(x)), Some(toml::Value::Table(y))) => {
                if let Some(d) = walk(x, y, &path, a_name, b_name, subset) {
                    return Some(d);
                }
            }
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                let show = |v: Option<&toml::Value>| match v {
                    Some(v) => format!("= {v}"),
                    None => "absent".to_string(),
                };
                return Some(format!(
                    "`{path}` {} {a_name}, {} {b_name}",
                    show(x),
                    show(y)
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    #[test]
    fn differences_name_the_dotted_key_and_both_values() {
        let a = t("seed = 1\n[train]\nepochs = 3\n");
        assert_eq!(first_difference(&a, &a, "here", "there"), None);
        let b = t("seed = 1\n[train]\nepochs = 2\n");
        assert_eq!(
            first_difference(&a, &b, "here", "in sweep.toml").unwrap(),
            "`train.epochs` = 3 here, = 2 in sweep.toml"
        );
        let c = t("seed = 1\n[train]\nepochs = 3\nlr = 1.0\n");
        assert_eq!(
            first_difference(&a, &c, "here", "there").unwrap(),
            "`train.lr` absent here, = 1.0 there"
        );
    }

    #[test]
    fn a_subset_may_lack_keys_of_the_superset() {
        let sub = t("[task]\nkind = \"tagging\"\n");
        let sup = t("[task]\nkind = \"tagging\"\ntags = [\"a\"]\n");
        assert_eq!(first_mismatch_in(&sub, &sup, "p", "r"), None);
        assert!(first_mismatch_in(&sup, &sub, "p", "r").is_some());
        let other = t("[task]\nkind = \"singing-voice\"\ntags = [\"a\"]\n");
        assert_eq!(
            first_mismatch_in(&sub, &other, "for the point", "in the run").unwrap(),
            "`task.kind` = \"tagging\" for the point, = \"singing-voice\" in the run"
        );
    }
}
