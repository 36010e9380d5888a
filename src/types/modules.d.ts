declare module 'markdown-it-footnote' {
  import type MarkdownIt from 'markdown-it';
  const footnote: (md: MarkdownIt) => void;
  export default footnote;
}
declare module '@vscode/markdown-it-katex' {
  import type MarkdownIt from 'markdown-it';
  const katexPlugin: (md: MarkdownIt, options?: Record<string, unknown>) => void;
  export default katexPlugin;
}
