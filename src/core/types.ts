// Shared data types of the pure core. Everything here is plain data (JSON-serialisable),
// so the CLI, the VS Code adapters, the worker and the tests can exchange it freely.

/** 0-based line and character; characters are UTF-16 code units (as in VS Code and LSP). */
export interface Position {
  line: number;
  character: number;
}

/** Half-open range [start, end). */
export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of the text between two 0-based UTF-16 offsets of the document. */
export interface TextEdit {
  /** Offset of the first replaced code unit. */
  start: number;
  /** Offset just after the last replaced code unit (start === end inserts). */
  end: number;
  newText: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** Which renderer a finding or a configuration is about. */
export type Target = 'github' | 'vscode' | 'both';

export interface Fix {
  /** Short imperative title, e.g. "Replace `^*` by `^{\ast}`". */
  title: string;
  edits: TextEdit[];
  /** The fix a user should normally take (at most one per finding). */
  preferred?: boolean;
}

export interface Finding {
  /** Rule id, e.g. "MW003". */
  ruleId: string;
  /** Rule alias, e.g. "text-before-dollar". */
  ruleAlias: string;
  /** Spec rule(s) that explain the problem, e.g. ["GH-IN-01"]. */
  specRules: string[];
  message: string;
  severity: Severity;
  /** Offsets in the document (UTF-16). */
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
  /** URL or relative path of the rule's documentation page. */
  docs: string;
}
