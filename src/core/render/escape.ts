// HTML escaping helpers for the renderer (pure).

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Escape for a double-quoted attribute value. */
export function escapeAttr(s: string): string {
  return escapeHtml(s);
}
