// The `source` of every Math Writeup diagnostic (shared by the desktop and the web extension's code actions).
export const DIAGNOSTIC_SOURCE = 'math-writeup';
