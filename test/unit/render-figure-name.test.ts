// Exported figure names keep what a math title says: Greek letters by name, relations as words.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { figureSlug } from '../../src/core/render/figureName';

describe('figure file names', function () {
  it('transliterates Greek letters and relations', function () {
    assert.equal(figureSlug('GD converges iff η < 1/σ²'), 'gd-converges-iff-eta-lt-1-over-sigma2');
    assert.equal(figureSlug('Scalar GD converges iff eta < 1/sigma^2'), 'scalar-gd-converges-iff-eta-lt-1-over-sigma-2');
    assert.equal(figureSlug('Λ_min ≥ 0 for the NTK'), 'lambda-min-ge-0-for-the-ntk');
    assert.equal(figureSlug('Régularisation café'), 'regularisation-cafe');
    assert.equal(figureSlug('../../etc/passwd'), 'over-over-etc-over-passwd');
    assert.equal(figureSlug('∮∯', 'check-line-3'), 'check-line-3');
  });

  it('is always a safe file name of at most 60 characters (property)', function () {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (t) => {
      const s = figureSlug(t);
      return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) && s.length <= 60;
    }));
  });
});
