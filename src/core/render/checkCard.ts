// A ```check block rendered as a result card: the claim typeset, the status, the decisive numbers and the plots
// (inline SVG from the engine's own SVG writer) once the check has run; a button asks the host to run it.
import type { CheckResult } from '../check/types';
import { renderPlotSvg } from '../plot/svg';
import { escapeAttr, escapeHtml } from './escape';

export interface CheckFields {
  title?: string;
  claim?: string;
  expectFail: boolean;
}

/** Reads the `key: value` lines of a check block (continuation lines are indented), enough for the card. */
export function readCheckFields(content: string): CheckFields {
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of content.split('\n')) {
    const m = /^([A-Za-z][\w-]*)\s*:\s?(.*)$/.exec(line);
    if (m && !/^\s/.test(line)) {
      current = m[1].toLowerCase();
      fields.set(current, (fields.get(current) ? fields.get(current) + '\n' : '') + m[2].trim());
    } else if (current && /^\s+\S/.test(line)) {
      fields.set(current, `${fields.get(current) ?? ''} ${line.trim()}`.trim());
    }
  }
  return {
    title: fields.get('title') || undefined,
    claim: fields.get('claim') || undefined,
    expectFail: /^fail$/i.test(fields.get('expect') ?? ''),
  };
}

const STATUS_TEXT: Record<string, string> = { pass: '✓ passed', fail: '✗ failed', error: '⚠ error' };

/**
 * HTML of the card. `typeset(tex)` returns KaTeX display HTML; `plotSvg` defaults to the engine's writer.
 * `unavailable`: checks cannot run where the card is shown (the web extension): the card says why instead of
 * "not run yet" and has no Run button.
 */
export function renderCheckCard(
  content: string,
  result: CheckResult | undefined,
  typeset: (tex: string) => string,
  plotSvg: (plot: CheckResult['plots'][number]) => string = (p) => renderPlotSvg(p, { theme: 'auto' }),
  unavailable?: string,
): string {
  const f = readCheckFields(content);
  const status = result ? result.status : 'none';
  const statusText = result
    ? `${STATUS_TEXT[result.status] ?? result.status} in ${(result.elapsedMs / 1000).toFixed(2)} s`
    : (unavailable ?? 'not run yet');
  let html = `<div class="mw-check mw-check-${status}" data-rline="0">`;
  html += '<div class="mw-check-head">';
  html += '<span class="mw-check-badge">check</span>';
  html += `<span class="mw-check-title">${escapeHtml(f.title ?? result?.title ?? 'Untitled check')}</span>`;
  if (f.expectFail) html += '<span class="mw-check-expect" title="This check passes when its claim is refuted">expect: fail</span>';
  html += `<span class="mw-check-status">${escapeHtml(statusText)}</span>`;
  if (!unavailable) html += `<button type="button" class="mw-check-run" title="Run this check">${result ? '↻ Re-run' : '▶ Run'}</button>`;
  html += '</div>';
  if (f.claim) html += `<div class="mw-check-claim">${typeset(f.claim)}</div>`;
  if (result) {
    html += `<div class="mw-check-message">${escapeHtml(result.message)}</div>`;
    for (const p of result.problems) {
      html += `<div class="mw-check-problem">line ${p.range.start.line + 1}: ${escapeHtml(p.message)}</div>`;
    }
    if (result.plots.length > 0) {
      html += '<div class="mw-check-plots">';
      for (const p of result.plots) {
        let svg: string;
        try {
          svg = plotSvg(p);
        } catch (e) {
          svg = `<div class="mw-check-problem">plot failed: ${escapeHtml(e instanceof Error ? e.message : String(e))}</div>`;
        }
        html += `<figure class="mw-check-plot" title="${escapeAttr(p.title)}">${svg}</figure>`;
      }
      html += '</div>';
    }
    html += `<div class="mw-check-seed">seed ${result.seed}</div>`;
  }
  html += `<details class="mw-check-source"><summary>Source</summary><pre><code>${escapeHtml(content)}</code></pre></details>`;
  html += '</div>';
  return html;
}
