// Colours of the text output: on when stdout is a terminal, unless NO_COLOR is set (https://no-color.org: any
// non-empty value); --color and --no-color override both.
export interface ColorChoice {
  flagColor: boolean;
  flagNoColor: boolean;
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function colorEnabled(c: ColorChoice): boolean {
  if (c.flagNoColor) return false;
  if (c.flagColor) return true;
  if ((c.env.NO_COLOR ?? '') !== '') return false;
  return c.isTTY;
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

export const ANSI: Paint = {
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  green: sgr(32, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

const id = (s: string): string => s;
export const PLAIN: Paint = { red: id, yellow: id, blue: id, green: id, dim: id, bold: id };
