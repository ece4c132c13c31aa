/**
 * Gauss–Legendre quadrature on [0, 1]: the points and weights integrated gradients sums the
 * gradients at (Captum's default, `method="gausslegendre"`). n points integrate
 * polynomials up to degree 2n − 1 exactly.
 */

/**
 * The n-point Gauss–Legendre rule on [0, 1].
 *
 * @param n - points, at least 1
 * @returns the points in increasing order and their weights (which sum to 1)
 */
export function gaussLegendre(n: number): { points: number[]; weights: number[] } {
  const points: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    // The i-th root of the Legendre polynomial P_n on [-1, 1], by Newton's method from
    // Tricomi's estimate.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p = 1;
      let previous = 0;
      for (let k = 1; k <= n; k++) {
        [p, previous] = [((2 * k - 1) * x * p - (k - 1) * previous) / k, p];
      }
      derivative = (n * (x * p - previous)) / (x * x - 1);
      const step = p / derivative;
      x -= step;
      if (Math.abs(step) < 1e-15) {
        break;
      }
    }
    // Mapped from [-1, 1] to [0, 1]: the weights halve.
    points.push((1 - x) / 2);
    weights.push(1 / ((1 - x * x) * derivative * derivative));
  }
  return { points, weights };
}
