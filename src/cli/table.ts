/*
 * Human tables for the terminal. Every read command describes its table as a column list; this file
 * measures, shrinks and aligns. Widths are terminal cells, not UTF-16 units: East Asian wide and
 * fullwidth characters and emoji take 2 cells, combining marks and other zero-width characters 0,
 * and a cell is never split inside a grapheme (a base letter keeps its accents).
 */

/** One column of a table: a header and how to read the cell from a row. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  readonly align?: 'left' | 'right';
  /**
   * Ids a user copies into the next command: shown whole while the other columns can make room down to
   * their `minWidth`; otherwise cut straight to this column's `minWidth` (a cut id cannot be copied, so
   * the room is better spent on names).
   */
  readonly keep?: boolean;
  /** Cells the column keeps before the table gives up on readability (default 8): dates keep 10. */
  readonly minWidth?: number;
}

export interface TableOptions {
  /** Terminal width in cells; without it the table is as wide as its content (e.g. `--format table` into a file). */
  readonly width?: number;
}

/** Cells between two columns. */
const GAP = 2;
/** Readable floor of a column unless it says otherwise. */
const DEFAULT_MIN_WIDTH = 8;
/** The last resort on a very narrow terminal: two characters and the ellipsis. */
const LAST_RESORT_WIDTH = 3;
const ELLIPSIS = '…';

// [first, last] code points that take two cells (East Asian Wide / Fullwidth, emoji presentation).
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18aff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f320],
  [0x1f32d, 0x1f335],
  [0x1f337, 0x1f37c],
  [0x1f37e, 0x1f393],
  [0x1f3a0, 0x1f3ca],
  [0x1f3cf, 0x1f3d3],
  [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4],
  [0x1f3f8, 0x1f43e],
  [0x1f440, 0x1f440],
  [0x1f442, 0x1f4fc],
  [0x1f4ff, 0x1f53d],
  [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567],
  [0x1f57a, 0x1f57a],
  [0x1f595, 0x1f596],
  [0x1f5a4, 0x1f5a4],
  [0x1f5fb, 0x1f64f],
  [0x1f680, 0x1f6c5],
  [0x1f6cc, 0x1f6cc],
  [0x1f6d0, 0x1f6d2],
  [0x1f6d5, 0x1f6d7],
  [0x1f6dc, 0x1f6df],
  [0x1f6eb, 0x1f6ec],
  [0x1f6f4, 0x1f6fc],
  [0x1f7e0, 0x1f7eb],
  [0x1f7f0, 0x1f7f0],
  [0x1f90c, 0x1f93a],
  [0x1f93c, 0x1f945],
  [0x1f947, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = WIDE[mid];
    if (cp < first) {
      hi = mid - 1;
    } else if (cp > last) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

/** Combining marks, format characters (ZWJ, zero-width space, …) and Hangul medial/final jamo take no cell. */
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|\p{Cf}|[\u1160-\u11ff])$/u;
const EMOJI_PRESENTATION = 0xfe0f;

/** Made on first use: making one loads ICU's break data (≈ 6 ms), which only a table needs. */
let segmenter: Intl.Segmenter | undefined;

function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Cells one grapheme takes: its first code point decides, and U+FE0F turns a narrow symbol into a 2-cell emoji. */
function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0) ?? 0;
  const firstChar = String.fromCodePoint(first);
  if (ZERO_WIDTH.test(firstChar)) {
    return 0;
  }
  if (isWide(first)) {
    return 2;
  }
  for (const ch of grapheme) {
    if (ch.codePointAt(0) === EMOJI_PRESENTATION) {
      return 2;
    }
  }
  return 1;
}

/** Terminal cells `text` takes (after `terminalSafe`). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const g of graphemes(text)) {
    width += graphemeWidth(g);
  }
  return width;
}

/**
 * Text from the service made safe to print: a name could carry escape sequences (which a terminal would
 * obey) or bidirectional overrides (which reorder what is shown). Line breaks and tabs become spaces,
 * other control characters U+FFFD, and bidi controls are dropped.
 */
export function terminalSafe(text: string): string {
  return (
    text
      .replace(/[\t\n\r\v\f]/g, ' ')
      .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd')
  );
}

/** `text` cut to at most `width` cells, ending in "…" when anything was cut; whole graphemes only. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) {
    return text;
  }
  if (width <= 0) {
    return '';
  }
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width - 1) {
      break;
    }
    out += g;
    used += w;
  }
  return out + ELLIPSIS;
}

/** `text` padded with spaces to `width` cells. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

export interface ColumnFit {
  /** Cells of the widest cell (header included). */
  readonly natural: number;
  readonly keep?: boolean;
  readonly minWidth?: number;
}

/**
 * Column widths that fit `available` cells, in up to three steps, each taking one cell at a time from the
 * widest column that may still give:
 * 1. `keep` columns (ids) whole; ordinary columns down to their `minWidth`.
 * 2. If that does not fit, an id cannot be shown whole anyway: `keep` columns go to their `minWidth` and
 *    ordinary columns get the room back, shrinking from their full width to their `minWidth` again.
 * 3. On a very narrow terminal, any column down to three cells. If even that does not fit, lines wrap;
 *    every column still shows something.
 */
export function fitWidths(columns: readonly ColumnFit[], available: number | undefined): number[] {
  const natural = columns.map((c) => c.natural);
  if (available === undefined) {
    return natural;
  }
  const readable = columns.map((c) => Math.min(c.natural, c.minWidth ?? DEFAULT_MIN_WIDTH));
  const keep = columns.map((c) => c.keep === true);
  const total = (widths: readonly number[]): number => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  const shrink = (widths: number[], floorOf: (i: number) => number | undefined): number[] => {
    while (total(widths) > available) {
      let widest = -1;
      for (let i = 0; i < widths.length; i += 1) {
        const floor = floorOf(i);
        if (floor !== undefined && widths[i] > floor && (widest === -1 || widths[i] > widths[widest])) {
          widest = i;
        }
      }
      if (widest === -1) {
        break;
      }
      widths[widest] -= 1;
    }
    return widths;
  };
  const whole = shrink([...natural], (i) => (keep[i] ? undefined : readable[i]));
  if (total(whole) <= available) {
    return whole;
  }
  const shortIds = shrink(
    natural.map((n, i) => (keep[i] ? readable[i] : n)),
    (i) => (keep[i] ? undefined : readable[i]),
  );
  return shrink(shortIds, (i) => Math.min(natural[i], LAST_RESORT_WIDTH));
}

/**
 * An aligned table: a header line, a rule, one line per row. Cells are made terminal-safe, measured in
 * display cells, and truncated with "…" where the terminal is too narrow. Lines carry no trailing spaces.
 */
export function renderTable<T>(columns: readonly TableColumn<T>[], rows: readonly T[], options: TableOptions = {}): string {
  const cells = rows.map((row) => columns.map((c) => terminalSafe(c.value(row))));
  const headers = columns.map((c) => terminalSafe(c.header));
  const natural = columns.map((_, i) => Math.max(displayWidth(headers[i]), ...cells.map((r) => displayWidth(r[i]))));
  const widths = fitWidths(
    columns.map((c, i) => ({ natural: natural[i], keep: c.keep, minWidth: c.minWidth })),
    options.width,
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => pad(truncate(v, widths[i]), widths[i], columns[i].align))
      .join(' '.repeat(GAP))
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  return [line(headers), rule, ...cells.map(line)].map((l) => `${l}\n`).join('');
}
