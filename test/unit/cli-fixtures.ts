// Writeup snippets shared by the CLI, package, action and hook tests.

/** A ```check block that passes: GD on σw = y converges iff η < 1/σ² (fence line first, closing fence last). */
export const GD_CHECK_LINES: readonly string[] = [
  '```check',
  'title: GD on σw = y converges iff η < 1/σ²',
  'given: \\sigma = 2, y = 1, w_0 = 0',
  'iterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)',
  'sweep: \\eta \\in [0.01, 0.5]',
  'claim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}',
  '```',
];
