// The Access Matrix webview (src/extension/access/accessMatrixPanel.ts): a virtualised grid of access
// rows. It renders only the rows in view, so 100,000 rows stay responsive; it never loads anything remote
// and sends the extension only three kinds of message (ready, open, export), which the extension validates.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const ROW_HEIGHT = 26;
  const OVERSCAN = 10;
  // Columns of a row as the extension sends it: [customer, tenantId, relationship, relationshipId, group, role, privileged, ends].
  const COLUMNS = [
    { key: 'customer', index: 0 },
    { key: 'group', index: 4 },
    { key: 'role', index: 5 },
    { key: 'privileged', index: 6 },
    { key: 'relationship', index: 2 },
    { key: 'ends', index: 7 },
  ];

  /** @type {any[][]} */
  let rows = [];
  /** @type {number[]} indices of rows shown, filtered and sorted */
  let shown = [];
  /** @type {Record<string, string>} */
  let labels = {};
  let sort = { column: 0, ascending: true };
  let active = 0;
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: 'base', numeric: true });

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      e.setAttribute(k, String(v));
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  let search, privilegedOnly, count, grid, viewport, spacer, headerRow;

  function build() {
    app.textContent = '';
    const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': labels.title });
    const searchLabel = el('label', { for: 'search' }, labels.search);
    search = el('input', { id: 'search', type: 'search', autocomplete: 'off', spellcheck: 'false' });
    const privLabel = el('label', { class: 'check' });
    privilegedOnly = el('input', { id: 'privilegedOnly', type: 'checkbox' });
    privLabel.append(privilegedOnly, document.createTextNode(' ' + labels.privilegedOnly));
    const csv = el('button', { id: 'exportCsv', type: 'button' }, labels.exportCsv);
    const md = el('button', { id: 'exportMarkdown', type: 'button' }, labels.exportMarkdown);
    count = el('span', { id: 'count', role: 'status', 'aria-live': 'polite' });
    toolbar.append(searchLabel, search, privLabel, csv, md, count);

    grid = el('div', {
      id: 'grid',
      role: 'grid',
      'aria-label': labels.grid,
      'aria-rowcount': '0',
      'aria-colcount': String(COLUMNS.length),
    });
    headerRow = el('div', { class: 'row header', role: 'row', 'aria-rowindex': '1' });
    COLUMNS.forEach((c, i) => {
      const cell = el('div', { class: 'cell col-' + c.key, role: 'columnheader', 'aria-sort': i === sort.column ? 'ascending' : 'none' });
      const button = el(
        'button',
        { type: 'button', 'data-column': String(i), 'aria-label': fill(labels.sortBy, labels[c.key]) },
        labels[c.key],
      );
      cell.append(button);
      headerRow.append(cell);
    });
    viewport = el('div', { class: 'viewport', role: 'rowgroup' });
    spacer = el('div', { class: 'spacer' });
    viewport.append(spacer);
    grid.append(headerRow, viewport);
    app.append(toolbar, grid);
    app.setAttribute('aria-busy', 'false');

    search.addEventListener('input', refilter);
    privilegedOnly.addEventListener('change', refilter);
    csv.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv', indices: shown }));
    md.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown', indices: shown }));
    headerRow.addEventListener('click', (e) => {
      const button = /** @type {HTMLElement} */ (e.target).closest('button[data-column]');
      if (button) {
        const column = Number(button.getAttribute('data-column'));
        sort = { column, ascending: sort.column === column ? !sort.ascending : true };
        headerRow.querySelectorAll('[role=columnheader]').forEach((h, i) => {
          h.setAttribute('aria-sort', i === column ? (sort.ascending ? 'ascending' : 'descending') : 'none');
        });
        refilter();
      }
    });
    viewport.addEventListener('scroll', render);
    viewport.addEventListener('click', (e) => {
      const row = /** @type {HTMLElement} */ (e.target).closest('[data-position]');
      if (row) {
        setActive(Number(row.getAttribute('data-position')), true);
        open();
      }
    });
    viewport.addEventListener('keydown', onKey);
    window.addEventListener('resize', render);
  }

  function fill(template, ...args) {
    return String(template).replace(/\{(\d+)\}/g, (whole, i) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole));
  }

  function privilegedText(v) {
    return v === 1 ? labels.yes : v === 0 ? labels.no : labels.unknown;
  }

  function refilter() {
    const words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const onlyPrivileged = privilegedOnly.checked;
    shown = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      // An unknown role counts as privileged: its privilege is never assumed harmless.
      if (onlyPrivileged && r[6] === 0) {
        continue;
      }
      if (words.length > 0) {
        const hay = (r[0] + ' ' + r[2] + ' ' + r[4] + ' ' + r[5]).toLocaleLowerCase();
        if (!words.every((w) => hay.includes(w))) {
          continue;
        }
      }
      shown.push(i);
    }
    const index = COLUMNS[sort.column].index;
    const sign = sort.ascending ? 1 : -1;
    shown.sort((a, b) => {
      const x = rows[a][index];
      const y = rows[b][index];
      const c = typeof x === 'number' ? x - y : collator.compare(x, y);
      return c !== 0 ? sign * c : a - b;
    });
    active = Math.min(active, Math.max(0, shown.length - 1));
    grid.setAttribute('aria-rowcount', String(shown.length + 1));
    count.textContent = shown.length === 0 ? labels.empty : fill(labels.count, shown.length, rows.length);
    spacer.style.height = shown.length * ROW_HEIGHT + 'px';
    render();
  }

  function render() {
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(shown.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const focused = viewport.contains(document.activeElement);
    spacer.textContent = '';
    for (let p = first; p < last; p++) {
      const r = rows[shown[p]];
      const row = el('div', {
        class: 'row' + (p === active ? ' active' : '') + (r[6] !== 0 ? ' privileged' : ''),
        role: 'row',
        'aria-rowindex': String(p + 2),
        'aria-selected': p === active ? 'true' : 'false',
        tabindex: p === active ? '0' : '-1',
        'data-position': String(p),
      });
      row.style.top = p * ROW_HEIGHT + 'px';
      for (const c of COLUMNS) {
        const value = c.key === 'privileged' ? privilegedText(r[6]) : r[c.index];
        row.append(el('div', { class: 'cell col-' + c.key, role: 'gridcell', title: value }, value));
      }
      spacer.append(row);
    }
    if (focused) {
      const current = spacer.querySelector('[tabindex="0"]');
      if (current) {
        /** @type {HTMLElement} */ (current).focus({ preventScroll: true });
      }
    }
    if (shown.length > 0 && (first > active || last <= active)) {
      // The active row scrolled out: keep one row reachable with Tab.
      const firstRow = spacer.querySelector('[role=row]');
      if (firstRow) {
        firstRow.setAttribute('tabindex', '0');
      }
    }
  }

  function setActive(position, keepScroll) {
    if (shown.length === 0) {
      return;
    }
    active = Math.max(0, Math.min(shown.length - 1, position));
    if (!keepScroll) {
      const top = active * ROW_HEIGHT;
      if (top < viewport.scrollTop) {
        viewport.scrollTop = top;
      } else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) {
        viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
      }
    }
    render();
    const row = spacer.querySelector('[data-position="' + active + '"]');
    if (row) {
      /** @type {HTMLElement} */ (row).focus({ preventScroll: true });
    }
  }

  function open() {
    if (shown.length > 0) {
      vscode.postMessage({ type: 'open', index: shown[active] });
    }
  }

  function onKey(e) {
    const page = Math.max(1, Math.floor(viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      setActive(active + moves[e.key], false);
    } else if (e.key === 'Home') {
      setActive(0, false);
    } else if (e.key === 'End') {
      setActive(shown.length - 1, false);
    } else if (e.key === 'Enter' || e.key === ' ') {
      open();
    } else {
      return;
    }
    e.preventDefault();
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'data' || !Array.isArray(m.rows)) {
      return;
    }
    const first = rows.length === 0 && !search;
    rows = m.rows;
    labels = m.labels || labels;
    if (first || !search) {
      build();
    }
    refilter();
  });

  app.textContent = '';
  vscode.postMessage({ type: 'ready' });
})();
