import * as assert from 'node:assert/strict';
import { displayWidth, fitWidths, pad, renderTable, terminalSafe, truncate, type TableColumn } from '../../../src/cli/table';

interface Row {
  readonly name: string;
  readonly count: number;
  readonly id: string;
}

const COLUMNS: TableColumn<Row>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'COUNT', value: (r) => String(r.count), align: 'right' },
  { header: 'ID', value: (r) => r.id, keep: true, minWidth: 8 },
];

const ROWS: Row[] = [
  { name: 'Contoso – Helpdesk', count: 3, id: 'aaaaaaaa-1111' },
  { name: 'Fabrikam', count: 12, id: 'bbbbbbbb-2222' },
];

/** Lines of rendered output, without the final newline. */
function lines(text: string): string[] {
  assert.ok(text.endsWith('\n'));
  return text.slice(0, -1).split('\n');
}

describe('cli table', () => {
  describe('displayWidth', () => {
    it('counts ASCII and Latin letters with accents as one cell each', () => {
      assert.equal(displayWidth('Contoso'), 7);
      assert.equal(displayWidth('Müller GmbH'), 11);
      assert.equal(displayWidth('–…✓✗'), 4);
    });

    it('counts East Asian wide and fullwidth characters as two cells', () => {
      assert.equal(displayWidth('東京'), 4);
      assert.equal(displayWidth('株式会社テスト'), 14);
      assert.equal(displayWidth('한국'), 4);
      assert.equal(displayWidth('ＡＢＣ'), 6);
      assert.equal(displayWidth('Contoso 日本'), 12);
    });

    it('counts combining marks and zero-width characters as nothing', () => {
      // "e" + COMBINING ACUTE ACCENT, "n" + COMBINING TILDE: two letters, two cells.
      assert.equal(displayWidth('e\u0301n\u0303'), 2);
      assert.equal(displayWidth('a\u200bb'), 2);
      assert.equal(displayWidth('\u0301'), 0);
    });

    it('counts an emoji, also one built with ZWJ or U+FE0F, as two cells', () => {
      assert.equal(displayWidth('🚀'), 2);
      assert.equal(displayWidth('👩\u200d💻'), 2);
      assert.equal(displayWidth('\u2764\ufe0f'), 2);
    });
  });

  describe('truncate', () => {
    it('leaves text that fits alone', () => {
      assert.equal(truncate('Contoso', 7), 'Contoso');
    });

    it('cuts with an ellipsis to exactly the width', () => {
      const cut = truncate('Contoso Helpdesk', 8);
      assert.equal(cut, 'Contoso…');
      assert.equal(displayWidth(cut), 8);
    });

    it('never splits a wide character: one cell short is left empty rather than overflowing', () => {
      const cut = truncate('東京都庁', 6);
      assert.equal(cut, '東京…');
      assert.equal(displayWidth(cut), 5);
      assert.ok(displayWidth(truncate('東京都庁', 4)) <= 4);
    });

    it('keeps a letter together with its combining mark', () => {
      const cut = truncate('e\u0301e\u0301e\u0301e\u0301', 3);
      assert.equal(cut, 'e\u0301e\u0301…');
    });

    it('gives nothing for a width of zero', () => {
      assert.equal(truncate('abc', 0), '');
    });
  });

  it('pads to display width on either side', () => {
    assert.equal(pad('東', 4), '東  ');
    assert.equal(pad('7', 3, 'right'), '  7');
  });

  it('makes service text safe for a terminal: no escape sequences, no line breaks, no bidi overrides', () => {
    assert.equal(terminalSafe('a\u001b[31mred'), 'a\ufffd[31mred');
    assert.equal(terminalSafe('two\nlines\tand tab'), 'two lines and tab');
    assert.equal(terminalSafe('abc\u202edef'), 'abcdef');
    assert.equal(terminalSafe('\u009b2J'), '\ufffd2J');
  });

  describe('renderTable', () => {
    it('aligns columns without a width limit, right-aligning numbers, no trailing spaces', () => {
      const out = lines(renderTable(COLUMNS, ROWS));
      assert.deepEqual(out, [
        'NAME                COUNT  ID',
        '──────────────────  ─────  ─────────────',
        'Contoso – Helpdesk      3  aaaaaaaa-1111',
        'Fabrikam               12  bbbbbbbb-2222',
      ]);
    });

    it('fits the terminal: shrinks the widest column first and marks the cut with an ellipsis', () => {
      const out = lines(renderTable(COLUMNS, ROWS, { width: 32 }));
      for (const l of out) {
        assert.ok(displayWidth(l) <= 32, `"${l}" is ${displayWidth(l)} cells`);
      }
      assert.equal(out[2], 'Contoso –…      3  aaaaaaaa-1111');
      assert.equal(out[3], 'Fabrikam       12  bbbbbbbb-2222');
    });

    it('when an id cannot stay whole, cuts it to its minimum and gives the room to the names', () => {
      const out = lines(renderTable(COLUMNS, ROWS, { width: 28 }));
      assert.ok(out.every((l) => displayWidth(l) <= 28));
      assert.equal(out[2], 'Contoso – …      3  aaaaaaa…');
    });

    it('on a very narrow terminal shows something of every column and still fits', () => {
      const out = lines(renderTable(COLUMNS, ROWS, { width: 15 }));
      assert.ok(out.every((l) => displayWidth(l) <= 15));
      assert.equal(out[0], 'NA…  COU…  ID');
      assert.equal(out[2], 'Co…     3  aaa…');
    });

    it('measures non-ASCII names by display width, so the columns after them line up', () => {
      const rows: Row[] = [
        { name: '株式会社テスト', count: 1, id: 'x1' },
        { name: 'Cafe\u0301 Müller', count: 2, id: 'x2' },
        { name: 'Plain', count: 3, id: 'x3' },
      ];
      const out = lines(renderTable(COLUMNS, rows));
      const idColumn = out.map((l) => displayWidth(l.slice(0, l.lastIndexOf('x'))));
      assert.deepEqual(idColumn.slice(2), [23, 23, 23]);
      assert.ok(out.slice(2).every((l) => displayWidth(l) === 25));
    });

    it('truncates wide names to the column width in cells, not characters', () => {
      const rows: Row[] = [
        { name: '株式会社テスト東京支店', count: 1, id: 'x1' },
        { name: 'Contoso', count: 2, id: 'x2' },
      ];
      const out = lines(renderTable(COLUMNS, rows, { width: 24 }));
      assert.ok(out.every((l) => displayWidth(l) <= 24));
      // 13 cells for the name: six wide characters (12 cells) and the ellipsis.
      assert.match(out[2], /^株式会社テス… {6}1/);
      // Every row's COUNT column ends at the same cell.
      const ends = out.slice(2).map((l) => displayWidth(l.replace(/\s+x\d$/, '')));
      assert.equal(new Set(ends).size, 1);
    });

    it('renders a header and rule for no rows', () => {
      assert.equal(lines(renderTable(COLUMNS, [])).length, 2);
    });
  });

  it('fitWidths leaves natural widths when the table fits or there is no width', () => {
    const columns = [{ natural: 10 }, { natural: 5, keep: true }];
    assert.deepEqual(fitWidths(columns, undefined), [10, 5]);
    assert.deepEqual(fitWidths(columns, 17), [10, 5]);
    assert.deepEqual(fitWidths(columns, 16), [9, 5]);
  });
});
