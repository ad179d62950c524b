"""Relative importance of correlated drivers from a correlation matrix: exact Shapley (LMG)
decomposition of R² over all subsets, and Johnson's relative weights.

Both functions take the ``(p+1) x (p+1)`` correlation matrix of the ``p`` drivers followed
by the outcome (last row and column). Everything follows from that matrix, which is why the
engine never refits a regression: see :func:`subset_r2` for the algorithm.
"""

from __future__ import annotations

from math import comb

import numpy as np

#: Beyond this many drivers :func:`surveyor.stats.key_drivers` reports Johnson's relative
#: weights instead of exact Shapley values. Measured on the project's 2-core machine with
#: ``python -m benchmarks.drivers --scaling`` (all-subsets R² plus Shapley weights from the
#: correlation matrix; peak memory of numpy arrays): 0.06 s and 31 MB at 20 drivers,
#: 0.23 s / 69 MB at 22, 0.9 s / 273 MB at 24, 1.8 s / 546 MB at 25 and 3.6 s / 1.1 GB at
#: 26; every further driver doubles both. Relative weights take under 0.1 ms at any size.
#: 24 keeps an exact analysis within about a second and 300 MB, fit for a web request.
MAX_EXACT_DRIVERS = 24

_STATE_BUDGET = 1 << 20  # floats held by the elimination state at once (8 MB, cache-sized)
_COLLINEAR_TOL = 1e-10  # residual variance below which a driver counts as redundant


_CORR_TOL = 1e-8  # rounding allowed in a correlation matrix's diagonal and eigenvalues


def _check_corr(corr: np.ndarray) -> tuple[np.ndarray, int]:
    """The matrix as floats and the number of drivers, after checking it is a correlation
    matrix: square, finite, symmetric, ones on the diagonal, and positive semi-definite (a
    matrix that is not, or a covariance matrix, gives R² outside [0, 1])."""
    c = np.asarray(corr, dtype="float64")
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] < 2:
        raise ValueError("corr must be a square (p+1) x (p+1) correlation matrix, outcome last")
    if not np.all(np.isfinite(c)) or not np.allclose(c, c.T, atol=1e-12):
        raise ValueError("corr must be a finite, symmetric correlation matrix")
    if np.abs(np.diag(c) - 1).max() > _CORR_TOL:
        raise ValueError(
            "corr must have ones on its diagonal (a correlation matrix, not a covariance "
            "matrix); convert a covariance matrix S with S / outer(sd, sd), sd = sqrt(diag(S))"
        )
    smallest = np.linalg.eigvalsh(c).min()
    if smallest < -_CORR_TOL:
        raise ValueError(
            f"corr is not a correlation matrix of any data: it is not positive semi-definite "
            f"(smallest eigenvalue {smallest:.3g}); compute it from complete responses, not "
            "pairwise from different ones"
        )
    return c, c.shape[0] - 1


def redundant_drivers(corr_xx: np.ndarray) -> list[int]:
    """Indices of drivers that are (numerically) exact linear combinations of earlier ones.

    A driver is redundant when its residual variance given the earlier, non-redundant drivers
    is below 1e-10 (its R² on them exceeds 0.9999999999).
    """
    kept: list[int] = []
    redundant: list[int] = []
    for j in range(corr_xx.shape[0]):
        resid = corr_xx[j, j]
        if kept:
            r = corr_xx[kept, j]
            resid -= r @ np.linalg.solve(corr_xx[np.ix_(kept, kept)], r)
        (redundant if resid < _COLLINEAR_TOL else kept).append(j)
    return redundant


def _eliminate_first(state: np.ndarray) -> np.ndarray:
    """One elimination step on a batch of matrices: ``(b, k, k) -> (2b, k-1, k-1)``.

    The first half of the result leaves the leading variable out, the second half enters it:
    its Schur complement ``A[1:,1:] - A[1:,0] A[0,1:] / A[0,0]`` (one sweep step).
    """
    b, k, _ = state.shape
    out = np.empty((2 * b, k - 1, k - 1))
    rest = state[:, 1:, 1:]
    column = state[:, 1:, 0]
    out[:b] = rest
    scaled = column / state[:, :1, 0]
    np.multiply(scaled[:, :, None], column[:, None, :], out=out[b:])
    np.subtract(rest, out[b:], out=out[b:])
    return out


def _finish(state: np.ndarray, remaining: int) -> np.ndarray:
    for _ in range(remaining):
        state = _eliminate_first(state)
    return 1.0 - state[:, 0, 0]


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every subset of the drivers.

    Entry ``s`` holds the R² for the subset whose drivers are the set bits of ``s`` (bit ``j``
    is driver ``j``), so entry 0 is 0 and entry ``2**p - 1`` is the full model's R².

    Algorithm: entering a driver into a regression is one Gaussian elimination (sweep) step
    on the correlation matrix, and what is left after entering a set S is the residual
    covariance of the other drivers and the outcome given S, whose outcome entry is
    ``1 - R²(S)``. Drivers are decided in order 0, 1, ..., p-1; after deciding driver m the
    batch holds one ``(p-m) x (p-m)`` residual matrix per subset of the first m drivers, and
    deciding the next driver doubles the batch (out / in) while shrinking each matrix by one.
    Every subset therefore shares all the elimination work of its prefix, and the total cost
    is ``sum_m 2^m (p-m+1)^2``, about ``12 * 2^p`` multiply-adds, against ``2^p p^3 / 3``
    for solving each subset on its own. All steps are vectorised numpy operations; when the
    batch would outgrow a fixed memory budget it is finished in chunks. Every step
    eliminates a positive pivot (no down-dating), so it is as stable as a Cholesky
    factorisation.

    Parameters
    ----------
    corr : ndarray, shape (p+1, p+1)
        Correlation matrix of the drivers, outcome last. Drivers must not be redundant
        (see :func:`redundant_drivers`).

    Returns
    -------
    ndarray, shape (2**p,)
    """
    c, p = _check_corr(corr)
    redundant = redundant_drivers(c[:p, :p])
    if redundant:
        raise ValueError(
            f"drivers at positions {redundant} are exact linear combinations of other drivers; "
            "leave them out"
        )
    state = c[None]
    step = 0
    while step < p and state.size * 2 <= _STATE_BUDGET:
        state = _eliminate_first(state)
        step += 1
    if step == p:
        return 1.0 - state[:, 0, 0]
    # Finish in chunks; a chunk of states [a, a+c) at step m fills the result entries whose
    # low m bits are in [a, a+c), i.e. columns a:a+c of the result viewed as (2^(p-m), 2^m).
    result = np.empty(1 << p)
    grid = result.reshape(1 << (p - step), 1 << step)
    peak = max((1 << (k - step)) * (p - k + 1) ** 2 for k in range(step, p + 1))
    chunk = max(1, _STATE_BUDGET // peak)
    for start in range(0, state.shape[0], chunk):
        stop = min(start + chunk, state.shape[0])
        grid[:, start:stop] = _finish(state[start:stop], p - step).reshape(-1, stop - start)
    return result


def _subset_sizes(p: int) -> np.ndarray:
    sizes = np.zeros(1, dtype=np.uint8)
    for _ in range(p):
        sizes = np.concatenate([sizes, sizes + 1])
    return sizes


def _bit_sums(x: np.ndarray, bits: int) -> np.ndarray:
    """``out[j] = sum of x[s] over the indices s that have bit j set``, in two passes.

    Viewing x as a (rows, 2^k) matrix, the low k bits vary along the columns (column sums
    times the 2^k x k bit matrix) and the high bits along the rows (row sums, recursively).
    """
    k = bits if bits <= 12 else (bits + 1) // 2
    grid = x.reshape(-1, 1 << k)
    bit_matrix = (np.arange(1 << k)[:, None] >> np.arange(k)) & 1
    low = grid.sum(axis=0) @ bit_matrix
    if k == bits:
        return low
    return np.concatenate([low, _bit_sums(grid.sum(axis=1), bits - k)])


def shapley_from_subsets(values: np.ndarray) -> np.ndarray:
    """Shapley values of a game given its value for every coalition (bit-indexed).

    ``phi_j = sum over S not containing j of |S|! (p-|S|-1)! / p! * (v(S+j) - v(S))``
    (Shapley 1953), which for ``v = R²`` is the LMG decomposition (Lindeman, Merenda & Gold
    1980; Grömping 2007, doi:10.1198/000313007X188252). Computed as
    ``phi_j = sum_{S has j} (w_in + w_out)(|S|) v(S) - sum_S w_out(|S|) v(S)`` with
    ``w_in(s) = (s-1)!(p-s)!/p!`` and ``w_out(s) = s!(p-s-1)!/p!``: one weighting pass and
    two summation passes shared by all drivers.
    """
    v = np.asarray(values, dtype="float64")
    p = v.size.bit_length() - 1
    if p < 1 or v.size != 1 << p:
        raise ValueError("values must hold one entry per subset: a length that is a power of two")
    w_out = np.array([1.0 / (p * comb(p - 1, s)) for s in range(p)] + [0.0])
    w_in = np.array([0.0] + [1.0 / (p * comb(p - 1, s - 1)) for s in range(1, p + 1)])
    sizes = _subset_sizes(p)
    base = float(np.bincount(sizes, weights=v, minlength=p + 1) @ w_out)
    both = (w_in + w_out)[sizes]  # one array of 2^p weights, multiplied in place
    both *= v
    return _bit_sums(both, p) - base


def shapley_r2(corr: np.ndarray) -> np.ndarray:
    """Exact Shapley (LMG) share of R² for each driver; the shares sum to the full R².

    Parameters
    ----------
    corr : ndarray, shape (p+1, p+1)
        Correlation matrix of the drivers, outcome last.

    Notes
    -----
    Validated against brute-force averaging over all ``p!`` orderings (p <= 8, to 1e-10),
    the published ``domir`` and ``dominanceanalysis`` results on R's ``mtcars`` and
    ``attitude`` data, and pingouin / dominance-analysis in the benchmark.
    """
    return shapley_from_subsets(subset_r2(corr))


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights; raw weights sum to the full R².

    With ``R_xx = Q diag(l) Q'`` and ``L = Q diag(sqrt l) Q'`` (the correlations between the
    drivers and their closest orthonormal counterparts Z), ``b = L^{-1} r_xy`` regresses the
    outcome on Z and the weight of driver j is ``sum_k L_jk^2 b_k^2``.

    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. *Multivariate Behavioral Research* 35(1), 1-19,
    doi:10.1207/S15327906MBR3501_1.

    Validated against the published ``rwa`` results on R's ``mtcars`` data.
    """
    c, p = _check_corr(corr)
    eigenvalues, vectors = np.linalg.eigh(c[:p, :p])
    if eigenvalues.min() < _COLLINEAR_TOL:
        raise ValueError(
            "drivers are (nearly) exact linear combinations of each other; leave some out"
        )
    root = (vectors * np.sqrt(eigenvalues)) @ vectors.T
    b = np.linalg.solve(root, c[:p, p])
    return (root * root) @ (b * b)
