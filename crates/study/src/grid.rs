//! The grid of a sweep: the Cartesian product of its axes (a zip counts as
//! one axis), in a stable order: axes by their first key's name, the last
//! axis varying fastest (as `itertools.product`), each axis' levels in list
//! order. Every point gets a unique, file-safe name ([`crate::point_name`]).

use crate::error::{Error, Result};
use crate::point_name::point_names;
use crate::sweep_config::{Axis, AxisValue};

/// The most points a sweep may have (a guard against a mistyped grid).
pub const MAX_POINTS: usize = 100_000;

/// The points of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The axes, in grid order.
    pub axes: Vec<Axis>,
    /// The points, in run order.
    pub points: Vec<Point>,
}

/// One combination of axis levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// 0-based position in the grid.
    pub index: usize,
    /// The level of each axis (index into `Axis::levels`).
    pub levels: Vec<usize>,
    /// The values the point sets, axis by axis (a zip's keys together).
    pub values: Vec<AxisValue>,
    /// The run directory's name.
    pub name: String,
}

impl Grid {
    /// Expands `axes` (see the module docs).
    pub fn new(axes: Vec<Axis>) -> Result<Self> {
        let mut total: usize = 1;
        for axis in &axes {
            total = total
                .checked_mul(axis.levels.len())
                .filter(|&t| t <= MAX_POINTS)
                .ok_or_else(|| {
                    Error::Config(format!(
                        "the sweep has more than {MAX_POINTS} points; sweep fewer values"
                    ))
                })?;
        }
        let mut levels_of = Vec::with_capacity(total);
        for index in 0..total {
            // Mixed radix, the last axis fastest.
            let mut rest = index;
            let mut levels = vec![0; axes.len()];
            for (a, axis) in axes.iter().enumerate().rev() {
                levels[a] = rest % axis.levels.len();
                rest /= axis.levels.len();
            }
            levels_of.push(levels);
        }
        let values: Vec<Vec<AxisValue>> = levels_of
            .iter()
            .map(|levels| {
                axes.iter()
                    .zip(levels)
                    .flat_map(|(axis, &l)| axis.levels[l].iter().cloned())
                    .collect()
            })
            .collect();
        let keys: Vec<String> = axes.iter().flat_map(|a| a.keys.iter().cloned()).collect();
        let labelled: Vec<Vec<(String, String)>> = values
            .iter()
            .map(|vs| {
                vs.iter()
                    .map(|v| (v.key.clone(), v.label.clone()))
                    .collect()
            })
            .collect();
        let names = point_names(&keys, &labelled);
        let points = levels_of
            .into_iter()
            .zip(values)
            .zip(names)
            .enumerate()
            .map(|(index, ((levels, values), name))| Point {
                index,
                levels,
                values,
                name,
            })
            .collect();
        Ok(Self { axes, points })
    }

    /// Every key the sweep sets, in grid order.
    pub fn keys(&self) -> Vec<&str> {
        self.axes
            .iter()
            .flat_map(|a| a.keys.iter().map(String::as_str))
            .collect()
    }

    /// The axis (its index) that sets `key`, and the key's position in it.
    pub fn axis_of(&self, key: &str) -> Option<(usize, usize)> {
        self.axes.iter().enumerate().find_map(|(a, axis)| {
            axis.keys
                .iter()
                .position(|k| k == key)
                .map(|position| (a, position))
        })
    }

    /// The value `point` gives `key`, with the level index of its axis.
    pub fn value_of<'a>(&'a self, point: &Point, key: &str) -> Option<(usize, &'a AxisValue)> {
        let (a, position) = self.axis_of(key)?;
        let level = point.levels[a];
        Some((level, &self.axes[a].levels[level][position]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep_config::take_sweep;

    fn grid(text: &str) -> Grid {
        let mut table: toml::Table = text.parse().unwrap();
        Grid::new(take_sweep(&mut table).unwrap().unwrap().axes).unwrap()
    }

    fn names(g: &Grid) -> Vec<&str> {
        g.points.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn the_product_runs_the_last_axis_fastest() {
        let g = grid("[sweep]\nseed = [1, 2, 3]\n\"label_noise.rate\" = [0, 0.5]\n");
        assert_eq!(
            names(&g),
            [
                "rate=0,seed=1",
                "rate=0,seed=2",
                "rate=0,seed=3",
                "rate=0.5,seed=1",
                "rate=0.5,seed=2",
                "rate=0.5,seed=3",
            ]
        );
        assert_eq!(g.points[4].levels, [1, 1]);
        assert_eq!(g.keys(), ["label_noise.rate", "seed"]);
        let (level, value) = g.value_of(&g.points[4], "seed").unwrap();
        assert_eq!((level, value.label.as_str()), (1, "2"));
    }

    #[test]
    fn a_zip_is_one_axis_and_tables_are_named() {
        let g = grid(
            "[sweep]\nfrontend = [{ kind = \"mel\" }, { kind = \"gabor\", name = \"g\" }]\n\
             [[sweep.zip]]\nseed = [1, 2]\n\"label_noise.seed\" = [11, 12]\n",
        );
        assert_eq!(g.points.len(), 4);
        assert_eq!(
            names(&g),
            [
                "frontend=mel,label_noise.seed=11,seed=1",
                "frontend=mel,label_noise.seed=12,seed=2",
                "frontend=g,label_noise.seed=11,seed=1",
                "frontend=g,label_noise.seed=12,seed=2",
            ]
        );
        assert_eq!(g.axis_of("seed"), Some((1, 1)));
        let (level, value) = g.value_of(&g.points[3], "label_noise.seed").unwrap();
        assert_eq!((level, value.label.as_str()), (1, "12"));
        let unique: std::collections::BTreeSet<&str> = names(&g).into_iter().collect();
        assert_eq!(unique.len(), 4);
    }

    #[test]
    fn a_huge_grid_is_refused() {
        let values: Vec<String> = (0..400).map(|i| i.to_string()).collect();
        let list = values.join(", ");
        let mut table: toml::Table = format!("[sweep]\na = [{list}]\nb = [{list}]\n")
            .parse()
            .unwrap();
        let axes = take_sweep(&mut table).unwrap().unwrap().axes;
        let e = Grid::new(axes).unwrap_err().to_string();
        assert!(e.contains("more than 100000 points"), "{e}");
    }
}
