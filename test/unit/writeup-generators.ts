// Generators of math writeups for property tests: prose (English and Chinese), formulas written well and badly,
// currency and shell variables, bold, links, tables, lists, quotes, and unclosed `$`/`$$`.
import fc from 'fast-check';

const formula = fc.constantFrom(
  '$x$', '$x_i$', '$a^2+b^2=c^2$', '$ x $', '$x $', '$w^*$', '$\\{1,2\\}$', '$\\\\{1,2\\\\}$', '$a\\_{ij}$', '$\\|v\\|$',
  '$\\alpha\\,\\beta$', '$f(x)=\\frac{1}{2}$', '$\\bm{x}$', '$\\operatorname{rank}A$', '$a<b$', '$x~y$', '$E = mc^2$',
  '$`x^*`$', '$n$', '$X$', '$\\text{if } y<0$', '\\(a+b\\)', '$[a](b)$', '$$x$$', '$$ x $$', '$\\$5$', '$p|q$', '$',
  '$$', '$x', 'x$', '$\\text{if $y<0$}$', '$$g(x)$$$$', '$$\\alpha$$y', '$RANDOM', '$[0, 1]$', '$\\hat{y}_i$', '$y_{i}$',
);
const word = fc.constantFrom(
  'the', 'energy', 'Answer:', 'holds', 'with', 'then', 'from', '3', '2024', 'so', '当', '较大时', '收敛', '所以', '增大',
  '计算', '的值', '，', '。', '$5', '$10', '$5-$10', '$HOME/$USER', 'cost $3', '**bold**', '**Answer:**', '*it*', '_x_',
  '[link](http://e.x)', '`code`', '<!-- $y$ -->', 'a\\_b', '\\\\', '(', ')', ':', ',', '.', 'x', 'y', 'k',
);
const inline = fc
  .array(fc.oneof({ weight: 2, arbitrary: word }, { weight: 1, arbitrary: formula }), { minLength: 1, maxLength: 10 })
  .chain((parts) => fc.array(fc.constantFrom(' ', '', ' ', ' '), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, i) => p + seps[i]).join('')));
const display = fc.constantFrom(
  '$$\nE = mc^2\n$$', '$$E = mc^2', '$$\n\\begin{aligned} a &= b \\\\\\\\ c &= d \\end{aligned}\n$$', '$$\na \\\\ b\n$$',
  '$$\n\\|x\\| + \\{y\\}\n$$', '$$\nx\n\ny\n$$', '$$\na\n+ b\n$$', '$$\n- x\n$$', '$$x$$ and text', 'text\n$$\nx\n$$',
  '```math\n$$x$$\n```', '    $$x$$', '$$\n$s$\n', '\\[\nx^2\n\\]', '$$\nx\n$$\n$$\ny\n$$',
);
const block = fc.oneof(
  { weight: 4, arbitrary: inline },
  { weight: 2, arbitrary: display },
  { weight: 1, arbitrary: inline.map((l) => `- ${l}`) },
  { weight: 1, arbitrary: inline.map((l) => `# ${l}`) },
  { weight: 1, arbitrary: fc.tuple(inline, inline).map(([a, b]) => `| a | b |\n|---|---|\n| ${a.replace(/\n/g, ' ')} | ${b.replace(/\n/g, ' ')} |`) },
  { weight: 1, arbitrary: inline.map((l) => `> ${l}`) },
);
export const documents = fc.array(block, { minLength: 1, maxLength: 6 }).chain((blocks) =>
  fc.array(fc.constantFrom('\n\n', '\n'), { minLength: blocks.length, maxLength: blocks.length }).map((seps) => blocks.map((b, i) => b + seps[i]).join('')),
);

