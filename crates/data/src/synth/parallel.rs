//! Rendering items of a generated dataset on every core: item `i` goes to
//! thread `i mod threads`, each item draws from its own random stream, and
//! the results come back in item order, so the bytes a seed produces do not
//! depend on the number of threads.

/// `render(i)` for `i` in `0..n`, in parallel, collected in order; the
/// first error (by index) is returned.
pub(crate) fn render_all<T: Send, E: Send>(
    n: usize,
    render: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n)
        .max(1);
    let mut results: Vec<Option<Result<T, E>>> = Vec::new();
    results.resize_with(n, || None);
    std::thread::scope(|scope| {
        let render = &render;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..n)
                        .step_by(threads)
                        .map(|i| (i, render(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("a rendering thread panicked") {
                results[i] = Some(r);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every index is rendered"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_and_the_first_error_wins() {
        let squares: Result<Vec<usize>, ()> = render_all(37, |i| Ok(i * i));
        assert_eq!(squares.unwrap(), (0..37).map(|i| i * i).collect::<Vec<_>>());
        let failed: Result<Vec<usize>, usize> =
            render_all(10, |i| if i % 4 == 3 { Err(i) } else { Ok(i) });
        assert_eq!(failed, Err(3));
        assert_eq!(render_all::<usize, ()>(0, Ok).unwrap(), Vec::<usize>::new());
    }
}
