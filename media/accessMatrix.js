// The Access Matrix webview (src/extension/access/accessMatrixPanel.ts): customers × roles, each cell the
// security groups holding the role at the customer. Virtualised in both directions (only the rows and
// columns in view are in the DOM), so 2,000 customers × 60 roles stay responsive. It never loads anything
// remote and sends the extension only the messages matrixMessages.ts validates (ready, openCell, members,
// export). Keyboard: the grid keeps the focus and points at the active cell with aria-activedescendant.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const ROW_HEIGHT = 28;
  const HEAD_HEIGHT = 64;
  const CUSTOMER_WIDTH = 240;
  const COLUMN_WIDTH = 170;
  const OVERSCAN_ROWS = 6;
  const OVERSCAN_COLUMNS = 3;
  const SHOWN_GROUPS = 3;

  /** The grid as the extension sends it (matrixMessages.ts WireMatrix). */
  let M = { customers: [], roles: [], groups: [], relationships: [], cells: [], members: false };
  /** @type {Record<string, string>} */
  let labels = {};
  let customerText = [];
  let roleText = [];
  let groupText = [];
  /** Customer indices shown, filtered and sorted. */
  let shown = [];
  /** Role indices of the columns shown. */
  let columns = [];
  /** Per customer index: Map role → holdings shown ([group, relationships, rows]), or undefined. */
  let visible = [];
  /** by: -1 the customer column, else a role index; descending. */
  let sort = { by: -1, descending: false };
  /** The active cell: row -1 is the header; column 0 is the customer column, k ≥ 1 is columns[k - 1]. */
  let active = { row: 0, col: 0 };
  /** Members per group index: { members: [name, upn][] } | { error } | { loading: true }. */
  const members = new Map();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  let controls = {};
  let grid, head, headRow, body, details, count, announce;
  /** The grid's size, measured on build and resize only (reading it after each change forces a layout). */
  let view = { height: 600, width: 800 };
  /** The block of rows and columns in the DOM ("r0,r1,c0,c1"). */
  let rendered = '';

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

  function fill(template, ...args) {
    return String(template).replace(/\{(\d+)\}/g, (whole, i) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole));
  }

  function labelled(id, text, control) {
    const wrap = el('span', { class: 'field' });
    wrap.append(el('label', { for: id }, text), control);
    return wrap;
  }

  function option(value, text) {
    const o = el('option', { value: String(value) }, text);
    return o;
  }

  function privilegeMark(flag) {
    return flag === 1 ? labels.privilegedMark : flag === -1 ? labels.unknownMark : '';
  }

  function buildToolbar() {
    const toolbar = el('div', { class: 'toolbar', role: 'group', 'aria-label': labels.title });
    const search = el('input', { id: 'search', type: 'search', autocomplete: 'off', spellcheck: 'false' });
    const customer = el('input', { id: 'customerFilter', type: 'search', autocomplete: 'off', spellcheck: 'false' });
    const role = el('select', { id: 'roleFilter' });
    role.append(option(-1, labels.allRoles));
    M.roles.forEach((r, i) => role.append(option(i, r[2] === 0 ? r[0] : r[0] + ' (' + privilegeMark(r[2]) + ')')));
    const group = el('select', { id: 'groupFilter' });
    group.append(option(-1, labels.allGroups));
    M.groups.forEach((g, i) => group.append(option(i, g[2] === 1 ? g[0] : g[1])));
    const privLabel = el('label', { class: 'check' });
    const privilegedOnly = el('input', { id: 'privilegedOnly', type: 'checkbox' });
    privLabel.append(privilegedOnly, document.createTextNode(' ' + labels.privilegedOnly));
    const note = el('span', { id: 'exportNote', class: 'note' }, labels.exportNote);
    const csv = el('button', { id: 'exportCsv', type: 'button', 'aria-describedby': 'exportNote' }, labels.exportCsv);
    const md = el('button', { id: 'exportMarkdown', type: 'button', 'aria-describedby': 'exportNote' }, labels.exportMarkdown);
    count = el('span', { id: 'count', role: 'status', 'aria-live': 'polite' });
    toolbar.append(
      labelled('search', labels.search, search),
      labelled('customerFilter', labels.customerFilter, customer),
      labelled('roleFilter', labels.roleFilter, role),
      labelled('groupFilter', labels.groupFilter, group),
      privLabel,
      csv,
      md,
      note,
      count,
    );
    controls = { search, customer, role, group, privilegedOnly };
    search.addEventListener('input', refilter);
    customer.addEventListener('input', refilter);
    role.addEventListener('change', refilter);
    group.addEventListener('change', refilter);
    privilegedOnly.addEventListener('change', refilter);
    csv.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv', indices: exportRows() }));
    md.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown', indices: exportRows() }));
    return toolbar;
  }

  function build() {
    app.textContent = '';
    customerText = M.customers.map((c) => (c[0] + ' ' + c[1]).toLocaleLowerCase());
    roleText = M.roles.map((r) => r[0].toLocaleLowerCase());
    groupText = M.groups.map((g) => (g[0] + ' ' + g[1]).toLocaleLowerCase());
    const toolbar = buildToolbar();
    grid = el('div', { id: 'grid', role: 'grid', tabindex: '0', 'aria-label': labels.grid, 'aria-rowcount': '1', 'aria-colcount': '1' });
    head = el('div', { class: 'head', role: 'rowgroup' });
    headRow = el('div', { class: 'row header', role: 'row', 'aria-rowindex': '1' });
    head.append(headRow);
    body = el('div', { class: 'body', role: 'rowgroup' });
    grid.append(head, body);
    details = el('section', { id: 'details', 'aria-label': labels.details });
    // Members arrive later: said once here rather than by a live region over the whole details.
    announce = el('div', { id: 'announce', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    app.append(toolbar, grid, details, announce);
    app.setAttribute('aria-busy', 'false');
    grid.addEventListener('scroll', () => render(false));
    grid.addEventListener('keydown', onKey);
    grid.addEventListener('click', onClick);
    measure();
  }

  window.addEventListener('resize', () => {
    if (grid) {
      measure();
      render(true);
    }
  });

  function words(text) {
    return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }

  /** The holdings of a cell that pass the group filter and the search (every word in the customer, role or group). */
  function passing(c, r, holdings, group, search) {
    if (group < 0 && search.length === 0) {
      return holdings;
    }
    return holdings.filter(
      (h) =>
        (group < 0 || h[0] === group) &&
        search.every((w) => customerText[c].includes(w) || roleText[r].includes(w) || groupText[h[0]].includes(w)),
    );
  }

  function refilter() {
    const search = words(controls.search.value);
    const customerWords = words(controls.customer.value);
    const role = Number(controls.role.value);
    const group = Number(controls.group.value);
    const privilegedOnly = controls.privilegedOnly.checked;
    const used = new Uint8Array(M.roles.length);
    const wasEmpty = shown.length === 0;
    shown = [];
    visible = new Array(M.customers.length);
    for (let c = 0; c < M.customers.length; c++) {
      if (!customerWords.every((w) => customerText[c].includes(w))) {
        continue;
      }
      let map;
      for (const [r, holdings] of M.cells[c]) {
        // An unknown role counts as privileged: its privilege is never assumed harmless.
        if ((role >= 0 && r !== role) || (privilegedOnly && M.roles[r][2] === 0)) {
          continue;
        }
        const hs = passing(c, r, holdings, group, search);
        if (hs.length > 0) {
          (map = map || new Map()).set(r, hs);
          used[r] = 1;
        }
      }
      if (map) {
        shown.push(c);
        visible[c] = map;
      }
    }
    columns = [];
    used.forEach((u, r) => u && columns.push(r));
    sortShown();
    // Back from an empty grid (or the first data), the first customer is active again, not the header.
    const row = wasEmpty && active.row < 0 ? 0 : active.row;
    active = shown.length === 0 ? { row: -1, col: 0 } : { row: Math.min(row, shown.length - 1), col: Math.min(active.col, columns.length) };
    grid.setAttribute('aria-rowcount', String(shown.length + 1));
    grid.setAttribute('aria-colcount', String(columns.length + 1));
    count.textContent = shown.length === 0 ? labels.empty : fill(labels.count, shown.length, M.customers.length, columns.length);
    const width = CUSTOMER_WIDTH + columns.length * COLUMN_WIDTH;
    // The header is as wide as the grid, or its background ends where the first screen did.
    head.style.width = width + 'px';
    headRow.style.width = width + 'px';
    body.style.width = width + 'px';
    body.style.height = shown.length * ROW_HEIGHT + 'px';
    render(true);
    showDetails();
  }

  function groupCount(c, r) {
    const hs = visible[c] && visible[c].get(r);
    return hs ? hs.length : 0;
  }

  function sortShown() {
    if (sort.by >= 0 && !columns.includes(sort.by)) {
      sort = { by: -1, descending: false };
    }
    const sign = sort.descending ? -1 : 1;
    // Customers arrive sorted by name, so the index is the name order.
    shown.sort(sort.by < 0 ? (a, b) => sign * (a - b) : (a, b) => sign * (groupCount(a, sort.by) - groupCount(b, sort.by)) || a - b);
  }

  function cellId(row, col) {
    return row < 0 ? 'h-' + col : 'c-' + row + '-' + col;
  }

  function groupsText(hs) {
    return hs.map((h) => M.groups[h[0]][0]).join(', ');
  }

  function headerCell(k) {
    const isCustomer = k === 0;
    const r = isCustomer ? -1 : columns[k - 1];
    const name = isCustomer ? labels.customer : M.roles[r][0];
    const mark = isCustomer ? '' : privilegeMark(M.roles[r][2]);
    const sorted = sort.by === r;
    const cell = el('div', {
      id: cellId(-1, k),
      class: 'cell colhead' + (isCustomer ? ' customer' : '') + (mark ? ' privileged' : '') + (isActive(-1, k) ? ' active' : ''),
      role: 'columnheader',
      'aria-colindex': String(k + 1),
      'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : 'none',
      'data-row': '-1',
      'data-col': String(k),
      title: name + (mark ? ' (' + mark + ')' : ''),
    });
    if (!isCustomer) {
      cell.style.left = CUSTOMER_WIDTH + (k - 1) * COLUMN_WIDTH + 'px';
    }
    const button = el('button', { type: 'button', tabindex: '-1', 'data-sort': String(r) });
    button.append(el('span', { class: 'name' }, name));
    if (sorted) {
      // Said by aria-sort; the arrow is for the eye only.
      button.append(el('span', { class: 'arrow', 'aria-hidden': 'true' }, sort.descending ? '▼' : '▲'));
    }
    if (mark) {
      // Text and an icon, not colour alone.
      button.append(el('span', { class: 'mark' }, (M.roles[r][2] === 1 ? '⚠ ' : '? ') + mark));
    }
    cell.append(button);
    return cell;
  }

  function bodyRow(p, c0, c1) {
    const c = shown[p];
    const row = el('div', { class: 'row', role: 'row', 'aria-rowindex': String(p + 2) });
    row.style.top = p * ROW_HEIGHT + 'px';
    const name = M.customers[c][0];
    row.append(
      el(
        'div',
        {
          id: cellId(p, 0),
          class: 'cell customer' + (isActive(p, 0) ? ' active' : ''),
          role: 'rowheader',
          'aria-colindex': '1',
          'data-row': String(p),
          'data-col': '0',
          title: name + ' (' + M.customers[c][1] + ')',
        },
        name,
      ),
    );
    for (let k = c0; k < c1; k++) {
      const r = columns[k];
      const hs = (visible[c] && visible[c].get(r)) || [];
      const text = groupsText(hs);
      const shownText = hs.length > SHOWN_GROUPS ? groupsText(hs.slice(0, SHOWN_GROUPS)) + ' +' + (hs.length - SHOWN_GROUPS) : text;
      const cell = el(
        'div',
        {
          id: cellId(p, k + 1),
          class: 'cell role' + (hs.length === 0 ? ' empty' : '') + (isActive(p, k + 1) ? ' active' : ''),
          role: 'gridcell',
          'aria-colindex': String(k + 2),
          'aria-label': hs.length === 0 ? fill(labels.cellEmpty, name, M.roles[r][0]) : fill(labels.cell, name, M.roles[r][0], text),
          'data-row': String(p),
          'data-col': String(k + 1),
          title: text,
        },
        shownText,
      );
      cell.style.left = CUSTOMER_WIDTH + k * COLUMN_WIDTH + 'px';
      row.append(cell);
    }
    return row;
  }

  function isActive(row, col) {
    return active.row === row && active.col === col;
  }

  /** The block of rows and columns in the DOM: whole blocks, so a scroll of a row or a move of the active cell rebuilds nothing. */
  function windowOf() {
    const firstRow = Math.floor(grid.scrollTop / ROW_HEIGHT);
    const firstColumn = Math.floor(grid.scrollLeft / COLUMN_WIDTH);
    const r0 = Math.max(0, Math.floor(firstRow / OVERSCAN_ROWS) * OVERSCAN_ROWS - OVERSCAN_ROWS);
    const c0 = Math.max(0, Math.floor(firstColumn / OVERSCAN_COLUMNS) * OVERSCAN_COLUMNS - OVERSCAN_COLUMNS);
    return {
      r0,
      r1: Math.min(shown.length, r0 + Math.ceil(view.height / ROW_HEIGHT) + 3 * OVERSCAN_ROWS),
      c0,
      c1: Math.min(columns.length, c0 + Math.ceil((view.width - CUSTOMER_WIDTH) / COLUMN_WIDTH) + 3 * OVERSCAN_COLUMNS),
    };
  }

  /** Rebuilds the rows and columns in view when the block changed (or `force`), then marks the active cell. */
  function render(force) {
    const w = windowOf();
    const key = [w.r0, w.r1, w.c0, w.c1].join(',');
    if (force === true || key !== rendered) {
      rendered = key;
      const headCells = document.createDocumentFragment();
      headCells.append(headerCell(0));
      for (let k = w.c0; k < w.c1; k++) {
        headCells.append(headerCell(k + 1));
      }
      headRow.textContent = '';
      headRow.append(headCells);
      const rows = document.createDocumentFragment();
      for (let p = w.r0; p < w.r1; p++) {
        rows.append(bodyRow(p, w.c0, w.c1));
      }
      body.textContent = '';
      body.append(rows);
    }
    markActive();
  }

  function markActive() {
    const previous = grid.querySelector('.cell.active');
    const id = cellId(active.row, active.col);
    const current = document.getElementById(id);
    if (previous && previous !== current) {
      previous.classList.remove('active');
    }
    if (current) {
      current.classList.add('active');
      grid.setAttribute('aria-activedescendant', id);
    } else {
      grid.removeAttribute('aria-activedescendant');
    }
  }

  function measure() {
    view = { height: grid.clientHeight || 600, width: grid.clientWidth || 800 };
  }

  /** Scrolls the active cell into view (below the sticky header, right of the sticky customer column). */
  function reveal() {
    if (active.row >= 0) {
      const y = active.row * ROW_HEIGHT;
      const room = view.height - HEAD_HEIGHT;
      if (y < grid.scrollTop) {
        grid.scrollTop = y;
      } else if (y + ROW_HEIGHT > grid.scrollTop + room) {
        grid.scrollTop = y + ROW_HEIGHT - room;
      }
    }
    if (active.col > 0) {
      const x = (active.col - 1) * COLUMN_WIDTH;
      const room = view.width - CUSTOMER_WIDTH;
      if (x < grid.scrollLeft) {
        grid.scrollLeft = x;
      } else if (x + COLUMN_WIDTH > grid.scrollLeft + room) {
        grid.scrollLeft = x + COLUMN_WIDTH - room;
      }
    }
  }

  function setActive(row, col) {
    active = {
      row: Math.max(-1, Math.min(shown.length - 1, row)),
      col: Math.max(0, Math.min(columns.length, col)),
    };
    reveal();
    render(false);
    showDetails();
  }

  /** The active cell's customer, role and shown holdings; undefined for a header or the customer column. */
  function activeCell() {
    if (active.row < 0 || active.col === 0 || shown.length === 0) {
      return undefined;
    }
    const c = shown[active.row];
    const r = columns[active.col - 1];
    return { c, r, holdings: (visible[c] && visible[c].get(r)) || [] };
  }

  function choose() {
    if (active.row < 0) {
      const r = active.col === 0 ? -1 : columns[active.col - 1];
      sort = sort.by === r ? { by: r, descending: !sort.descending } : { by: r, descending: r >= 0 };
      refilter();
      return;
    }
    const cell = activeCell();
    if (cell && cell.holdings.length > 0) {
      vscode.postMessage({ type: 'openCell', customer: cell.c, role: cell.r, groups: cell.holdings.map((h) => h[0]) });
    }
  }

  function requestMembers(group) {
    if (!M.members || members.has(group)) {
      showDetails();
      return;
    }
    members.set(group, { loading: true });
    showDetails();
    vscode.postMessage({ type: 'members', group });
  }

  function onKey(e) {
    const page = Math.max(1, Math.floor((view.height - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
    const { row, col } = active;
    const ctrl = e.ctrlKey || e.metaKey;
    const moves = {
      ArrowDown: [row + 1, col],
      ArrowUp: [row - 1, col],
      ArrowRight: [row, col + 1],
      ArrowLeft: [row, col - 1],
      PageDown: [row + page, col],
      PageUp: [Math.max(0, row - page), col],
      Home: ctrl ? [0, 0] : [row, 0],
      End: ctrl ? [shown.length - 1, columns.length] : [row, columns.length],
    };
    if (e.key in moves) {
      setActive(moves[e.key][0], moves[e.key][1]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      choose();
    } else if (e.key === 'm' || e.key === 'M') {
      const cell = activeCell();
      (cell ? cell.holdings : []).forEach((h) => requestMembers(h[0]));
    } else {
      return;
    }
    e.preventDefault();
  }

  function onClick(e) {
    const target = /** @type {HTMLElement} */ (e.target).closest('[data-row]');
    if (!target) {
      return;
    }
    setActive(Number(target.getAttribute('data-row')), Number(target.getAttribute('data-col')));
    grid.focus({ preventScroll: true });
    choose();
  }

  function membersBlock(g) {
    const state = members.get(g);
    if (!state) {
      const button = el('button', { type: 'button', class: 'link', 'aria-label': fill(labels.membersOf, M.groups[g][0]) }, labels.members);
      button.addEventListener('click', () => requestMembers(g));
      return button;
    }
    if (state.loading) {
      return el('span', { class: 'note' }, labels.membersLoading);
    }
    if (state.error) {
      return el('span', { class: 'error' }, state.error);
    }
    if (state.members.length === 0) {
      return el('span', { class: 'note' }, labels.membersNone);
    }
    const list = el('ul', { class: 'members', 'aria-label': fill(labels.membersOf, M.groups[g][0]) });
    for (const [name, upn] of state.members) {
      list.append(el('li', {}, upn && upn !== name ? name + ' (' + upn + ')' : name));
    }
    return list;
  }

  function showDetails() {
    if (!details) {
      return;
    }
    details.textContent = '';
    const cell = activeCell();
    if (!cell) {
      return;
    }
    details.append(el('h2', {}, M.customers[cell.c][0] + ' — ' + M.roles[cell.r][0]));
    if (cell.holdings.length === 0) {
      details.append(el('p', { class: 'note' }, labels.empty));
      return;
    }
    const list = el('ul', { class: 'holdings' });
    for (const [g, rels] of cell.holdings) {
      const item = el('li', {});
      // "through {0}" around one element per relationship (names may hold commas).
      const [before, after] = String(labels.through).split('{0}');
      const through = el('span', { class: 'through' }, ' ' + (before || ''));
      rels.forEach((i, n) => {
        through.append(n > 0 ? ', ' : '', el('span', { class: 'relationship', title: M.relationships[i][1] }, M.relationships[i][0]));
      });
      through.append((after || '') + ' ');
      item.append(el('strong', { title: M.groups[g][1] }, M.groups[g][2] === 1 ? M.groups[g][0] : M.groups[g][1]), through);
      if (M.members) {
        item.append(membersBlock(g));
      }
      list.append(item);
    }
    details.append(list);
    if (!M.members) {
      details.append(el('p', { class: 'note' }, labels.membersOff));
    }
    const open = el('button', { type: 'button' }, labels.openRelationship);
    open.addEventListener('click', choose);
    details.append(open);
  }

  /** The flat access rows behind the cells shown: customers in the order shown, each in `gdap access` order. */
  function exportRows() {
    const out = [];
    for (const c of shown) {
      const rows = [];
      for (const r of columns) {
        const hs = visible[c].get(r);
        (hs || []).forEach((h) => rows.push(...h[2]));
      }
      rows.sort((a, b) => a - b);
      out.push(...rows);
    }
    return out;
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'data' && m.matrix && Array.isArray(m.matrix.cells)) {
      M = m.matrix;
      labels = m.labels || labels;
      members.clear();
      shown = [];
      active = { row: 0, col: 0 };
      build();
      refilter();
    } else if (m && m.type === 'members' && typeof m.group === 'number') {
      const state = Array.isArray(m.members) ? { members: m.members } : { error: String(m.error || '') };
      members.set(m.group, state);
      showDetails();
      const group = M.groups[m.group];
      if (group && announce) {
        announce.textContent =
          group[0] + ': ' + (state.members ? state.members.map((x) => x[0]).join(', ') || labels.membersNone : state.error);
      }
    }
  });

  app.textContent = '';
  vscode.postMessage({ type: 'ready' });
})();
