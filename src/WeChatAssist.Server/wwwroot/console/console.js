// The staff console: login, dashboards (ECharts), live updates (SignalR), share links, the cadre's unpaid list.
// Every figure comes from the server's JSON; this script only lays it out.
(() => {
  'use strict';
  const T = JSON.parse(document.getElementById('console-texts').textContent);
  const $ = (id) => document.getElementById(id);
  const fmt = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('zh-CN'));
  const pct = (n) => (n === null || n === undefined ? '—' : `${Number(n).toFixed(2)}%`);

  // Signed-in writes carry the antiforgery token (GET /api/v1/staff/antiforgery), fetched once per page.
  let antiforgeryHeader = null;
  async function antiforgery() {
    if (!antiforgeryHeader) {
      const response = await fetch('/api/v1/staff/antiforgery', { credentials: 'same-origin' });
      if (response.ok) { const body = await response.json(); antiforgeryHeader = { [body.headerName]: body.token }; }
    }
    return antiforgeryHeader ?? {};
  }

  async function json(url, options = {}) {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers = { ...(options.headers ?? {}) };
    if (method !== 'GET' && url !== '/api/v1/staff/login') { Object.assign(headers, await antiforgery()); }
    const response = await fetch(url, { credentials: 'same-origin', ...options, headers });
    if (response.status === 401) { location.href = `/console/login?ReturnUrl=${encodeURIComponent(location.pathname + location.search)}`; }
    const text = await response.text();
    return { status: response.status, ok: response.ok, body: text && /^[\[{]/.test(text.trim()) ? JSON.parse(text) : null };
  }

  function table(element, headers, rows) {
    element.replaceChildren();
    const head = element.createTHead().insertRow();
    for (const h of headers) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; head.appendChild(th); }
    const body = element.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const cell of row) {
        const td = tr.insertCell();
        if (cell instanceof Node) { td.appendChild(cell); } else { td.textContent = cell ?? '—'; }
      }
    }
    if (rows.length === 0) { const td = body.insertRow().insertCell(); td.colSpan = headers.length; td.textContent = T['panel.noData']; }
  }

  // ---- login / logout ------------------------------------------------------------------------------------------
  const loginForm = $('login-form');
  if (loginForm) {
    loginForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const result = await json('/api/v1/staff/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userName: $('userName').value, password: $('password').value }),
      });
      if (result.ok) {
        const back = new URLSearchParams(location.search).get('ReturnUrl');
        location.href = back && back.startsWith('/console') ? back : (result.body.role === 'village' ? '/console/village' : '/console');
      } else {
        $('login-error').textContent = T['login.failed'] + (result.body?.detail ?? result.status);
      }
    });
  }
  const logout = $('logout');
  if (logout) {
    logout.addEventListener('click', async () => { await json('/api/v1/staff/logout', { method: 'POST' }); location.href = '/console/login'; });
  }

  // ---- dashboards ----------------------------------------------------------------------------------------------
  const root = $('dashboard');
  if (!root || !root.dataset.policy) { return; }
  const scope = { policyId: root.dataset.policy, township: root.dataset.township || '', village: root.dataset.village || '' };
  const mode = root.dataset.mode;
  if (mode === 'village' && !scope.village) { return; }
  const query = new URLSearchParams(Object.entries(scope).filter(([, v]) => v)).toString();
  for (const a of document.querySelectorAll('a.export')) { a.href = `/api/v1/console/export/${a.dataset.table}.xlsx?${query}`; }

  const charts = {};
  function chart(id) {
    const element = $(id);
    if (!element || !window.echarts) { return null; }
    charts[id] ??= window.echarts.init(element, null, { renderer: 'svg' });
    return charts[id];
  }
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  function renderSummary(p) {
    $('registered-count').textContent = fmt(p.registered);
    $('paid-count').textContent = fmt(p.paid);
    $('target-count').textContent = p.target === null ? T['summary.noTarget'] : fmt(p.target);
    $('target-count').classList.toggle('note', p.target === null);
    $('percent').textContent = pct(p.percent);
    root.dataset.paid = String(p.paid);
  }

  function renderAreas(p) {
    const rows = p.areas;
    table($('areas-table'), [T['col.area'], T['col.target'], T['col.registered'], T['col.paid'], T['col.percent']],
      rows.map((a) => [a.name, fmt(a.target), fmt(a.registered), fmt(a.paid), pct(a.percent)]));
    chart('areas-chart')?.setOption({
      tooltip: { trigger: 'axis' },
      legend: { data: [T['chart.paid'], T['chart.target']] },
      grid: { left: 60, right: 20, bottom: 90 },
      xAxis: { type: 'category', data: rows.map((a) => a.name), axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: 'value' },
      series: [
        { name: T['chart.paid'], type: 'bar', data: rows.map((a) => a.paid) },
        // The target is drawn as a dashed line, not only a second colour.
        { name: T['chart.target'], type: 'line', lineStyle: { type: 'dashed' }, symbol: 'rect', data: rows.map((a) => a.target) },
      ],
    });
  }

  function renderIndicators(p) {
    table($('indicators-table'), [T['col.group'], T['col.targetPercent'], T['col.registered'], T['col.paid'], T['col.percent'], T['col.met']],
      p.indicators.map((i) => [
        i.unresolved.length ? `${i.group}（${T['indicator.unresolved']}${i.unresolved.join('、')}）` : i.group,
        pct(i.targetPercent), fmt(i.registered), fmt(i.paid), pct(i.percent), i.met ? `✔ ${T.yes}` : `✘ ${T.no}`]));
  }

  function renderTrend(p) {
    chart('trend-chart')?.setOption({
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20 },
      xAxis: { type: 'category', data: p.trend.map((d) => d.day) },
      yAxis: { type: 'value' },
      series: [{ name: T['chart.payments'], type: 'line', data: p.trend.map((d) => d.payments) }],
    });
  }

  async function renderLinks() {
    const result = await json(`/api/v1/links?${query}`);
    if (!result.ok) { return; }
    table($('links-table'), [T['col.code'], T['col.township'], T['col.village'], T['col.createdBy'], T['col.visits'], T['col.follows'], T['col.linkPayments']],
      result.body.map((l) => {
        const a = document.createElement('a'); a.href = l.landingUrl; a.textContent = l.code; a.target = '_blank';
        return [a, l.township, l.village, l.createdBy, fmt(l.visits), fmt(l.follows), fmt(l.payments)];
      }));
  }

  function showNewLink(l) {
    const box = $('new-link');
    box.replaceChildren();
    const img = document.createElement('img'); img.src = l.qrSvgUrl; img.alt = l.landingUrl; img.className = 'qr'; img.id = 'new-link-qr';
    const links = document.createElement('p');
    for (const [href, text] of [[l.landingUrl, T['links.open']], [l.posterUrl, T['links.poster']], [l.qrPngUrl, T['links.qr']]]) {
      const a = document.createElement('a'); a.href = href; a.textContent = text; a.target = '_blank'; links.append(a, ' ');
    }
    const share = document.createElement('textarea'); share.id = 'share-text'; share.readOnly = true; share.value = l.shareText; share.rows = 4;
    const copy = document.createElement('button'); copy.type = 'button'; copy.textContent = T['links.copy'];
    const note = document.createElement('span'); note.setAttribute('role', 'status');
    copy.addEventListener('click', async () => {
      share.select();
      try { await navigator.clipboard.writeText(share.value); } catch { document.execCommand('copy'); }
      note.textContent = T['links.copied'];
    });
    box.append(img, links, share, copy, note);
    if (!l.followQrUrl) { const p = document.createElement('p'); p.textContent = T['links.followMissing']; box.append(p); }
    box.dataset.code = l.code;
  }

  let remindersAvailable = false;
  function renderUnpaid(view) {
    remindersAvailable = view.remindersAvailable;
    const boxes = view.unpaid.map((r) => { const c = document.createElement('input'); c.type = 'checkbox'; c.value = r.id; c.className = 'pick'; return c; });
    table($('unpaid-table'), [T['col.select'], T['col.name'], T['col.idNumber'], T['col.categories']],
      view.unpaid.map((r, i) => [boxes[i], r.name, r.idNumber, r.categories.join('、')]));
    $('remind').disabled = !remindersAvailable;
    $('remind-note').textContent = remindersAvailable ? '' : T['remind.unavailable'];
  }

  // Imports: the chosen file goes to the imports API for the policy shown; the panel then shows the history again.
  const importForm = $('import-form');
  if (importForm) {
    importForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const form = new FormData(importForm);
      form.set('mode', event.submitter?.value ?? 'validate');
      form.set('policyId', scope.policyId);
      $('import-result').textContent = T['import.busy'];
      const result = await json('/api/v1/admin/imports', { method: 'POST', body: form });
      const report = result.body?.report;
      if (result.ok && report) {
        $('import-result').textContent = T['import.done'].replace('{status}', T[`import.status.${report.status}`] ?? report.status)
          .replace('{rows}', report.totalRows).replace('{created}', report.residentsCreated).replace('{payments}', report.paymentsRecorded)
          .replace('{unchanged}', report.unchangedRows).replace('{errors}', report.errorRows);
        if (report.errorRows > 0) {
          const link = document.createElement('a');
          link.href = `/api/v1/admin/imports/${report.id}/errors.csv`;
          link.textContent = T['import.errors'];
          $('import-result').append(' ', link);
        }
      } else {
        $('import-result').textContent = T['import.failed'] + (result.body?.detail ?? result.body?.title ?? result.status);
      }
      await featurePanels();
    });
  }

  // Policy drafts: upload the file as it is (the server checks size and UTF-8), then show the check's faults, the
  // diff from the county's previous policy, the preview and the calendar; a second bureau member approves.
  const draftForm = $('draft-form');
  if (draftForm) {
    draftForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const file = $('draft-file').files[0];
      if (!file) { return; }
      $('draft-result').textContent = T['draft.busy'];
      const result = await json(`/api/v1/admin/policies/drafts?fileName=${encodeURIComponent(file.name)}`,
        { method: 'POST', body: await file.arrayBuffer(), headers: { 'Content-Type': 'application/yaml' } });
      if (result.ok) { $('draft-result').textContent = ''; renderDraft(result.body); } else { $('draft-result').textContent = T['draft.failed'] + (result.body?.detail ?? result.body?.title ?? result.status); }
      await featurePanels();
    });
  }
  function heading(text) { const h = document.createElement('h3'); h.textContent = text; return h; }
  function small(headers, rows) { const t = document.createElement('table'); t.className = 'data'; table(t, headers.map((h) => T[`draft.col.${h}`]), rows); return t; }
  function renderDraft(detail) {
    const box = $('draft-detail');
    const d = detail.draft;
    const parts = [heading(`${d.fileName}（${d.policyId ?? '—'}，${T[`draft.status.${d.status}`] ?? d.status}）`), heading(T['draft.faults'])];
    if (detail.faults.length) {
      parts.push(small(['place', 'reason'], detail.faults.map((f) => [`${f.file}:${f.line}:${f.column}`, f.reason])));
    } else { const p = document.createElement('p'); p.textContent = T['draft.noFaults']; parts.push(p); }
    if (detail.diff) {
      parts.push(heading(detail.diff.previousPolicyId ? T['draft.diff'].replace('{previous}', detail.diff.previousPolicyId) : T['draft.noPrevious']));
      if (detail.diff.previousPolicyId && !detail.diff.changes.length) { const p = document.createElement('p'); p.textContent = T['draft.noChanges']; parts.push(p); }
      if (detail.diff.changes.length) { parts.push(small(['area', 'item', 'before', 'after'], detail.diff.changes.map((c) => [c.area, c.item, c.before, c.after]))); }
    }
    if (detail.preview) {
      const yuan = (fen) => (fen === null || fen === undefined ? '—' : (fen / 100).toString());
      parts.push(heading(T['draft.preview'].replace('{on}', detail.preview.on)));
      parts.push(small(['group', 'tier', 'outcome', 'due', 'subsidy', 'start'], detail.preview.quotes.map((q) => [q.code ? `${q.group}（${q.code}）` : q.group, q.tier, q.outcome, yuan(q.dueFen), yuan(q.subsidyFen), q.benefitStart])));
      parts.push(heading(T['draft.calendar']));
      parts.push(small(['date', 'what'], detail.preview.calendar.map((e) => [e.date, e.what])));
    }
    const status = document.createElement('p');
    status.id = 'draft-approve-result';
    status.setAttribute('role', 'status');
    if (detail.canApprove) {
      const approve = document.createElement('button');
      approve.id = 'draft-approve';
      approve.textContent = T['draft.approve'];
      approve.addEventListener('click', async () => {
        const result = await json(`/api/v1/admin/policies/drafts/${d.id}/approve`, { method: 'POST' });
        status.textContent = result.ok
          ? T['draft.approved'].replace('{policyId}', result.body.policyId).replace('{version}', result.body.version).replace('{opens}', result.body.collectionOpens)
          : T['draft.failed'] + (result.body?.detail ?? result.status);
        if (result.ok) { approve.remove(); }
        await featurePanels();
      });
      parts.push(approve);
    } else if (detail.cannotApproveReason) { status.textContent = T[`draft.cannot.${detail.cannotApproveReason}`] ?? detail.cannotApproveReason; }
    parts.push(status);
    box.replaceChildren(...parts);
  }

  // A feature panel names the fields it shows (data-fields) and where its values' labels live (data-values, e.g.
  // "import" finds "import.status.applied"; otherwise "value.status.sent"). Unknown fields and values show as sent.
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
  function label(field) { return T[`field.${field}`] ?? field; }
  function display(values, field, v) {
    if (v === null || v === undefined) { return '—'; }
    if (typeof v === 'boolean') { return T[`value.${v}`]; }
    if (typeof v === 'number') { return fmt(v); }
    if (typeof v === 'object') { return Object.values(v).filter((x) => x !== null).map((x) => T[`value.${field}.${x}`] ?? x).join(' '); }
    const named = (values && T[`${values}.${field}.${v}`]) ?? T[`value.${field}.${v}`];
    if (named) { return named; }
    return dateTime.test(v) ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : v;
  }
  function cell(panel, field, row) {
    // The drafts panel: the id opens the draft (check, diff, preview, approval).
    if (panel.dataset.values === 'draft' && field === 'id') {
      const link = document.createElement('a');
      link.href = '#draft-detail';
      link.textContent = `${T['draft.open']} ${row.id}`;
      link.addEventListener('click', async () => { const result = await json(`/api/v1/admin/policies/drafts/${row.id}`); if (result.ok) { renderDraft(result.body); } });
      return link;
    }
    // The imports panel's error report: a download link where the import had errors.
    if (field === 'errors') {
      if (!(row.errorRows > 0)) { return '—'; }
      const link = document.createElement('a');
      link.href = `/api/v1/admin/imports/${row.id}/errors.csv`;
      link.textContent = T['import.errors'];
      return link;
    }
    return display(panel.dataset.values, field, row[field]);
  }

  async function featurePanels() {
    for (const panel of document.querySelectorAll('section.feature')) {
      const body = panel.querySelector('.feature-body');
      const result = await json(`${panel.dataset.api}?${query}`).catch(() => ({ status: 0 }));
      if (!result.ok || result.body === null) { body.textContent = result.status === 404 || result.status === 0 ? T['panel.noData'] : `${T['panel.error']} (${result.status})`; continue; }
      const data = Array.isArray(result.body) ? result.body : (Array.isArray(result.body.items) ? result.body.items : null);
      if (data) {
        const fields = panel.dataset.fields ? panel.dataset.fields.split(',') : (data.length ? Object.keys(data[0]) : []);
        const t = document.createElement('table'); t.className = 'data';
        table(t, fields.map(label), data.map((row) => fields.map((f) => cell(panel, f, row))));
        body.replaceChildren(t);
      } else {
        const dl = document.createElement('dl');
        for (const [k, v] of Object.entries(result.body)) {
          const dt = document.createElement('dt'); dt.textContent = label(k);
          const dd = document.createElement('dd'); dd.textContent = display(panel.dataset.values, k, v);
          dl.append(dt, dd);
        }
        body.replaceChildren(dl);
      }
    }
  }

  async function refresh() {
    if (mode === 'village') {
      const result = await json(`/api/v1/console/village?${query}`);
      if (!result.ok) { $('live-status').textContent = `${T['panel.error']} (${result.status})`; return; }
      renderSummary(result.body.progress);
      renderTrend(result.body.progress);
      renderUnpaid(result.body);
    } else {
      const result = await json(`/api/v1/console/progress?${query}`);
      if (!result.ok) { $('live-status').textContent = `${T['panel.error']} (${result.status})`; return; }
      renderSummary(result.body);
      renderAreas(result.body);
      renderIndicators(result.body);
      renderTrend(result.body);
    }
    root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);
    await renderLinks();
  }

  // Bursts of batches (an import of many files) refresh once.
  let pending = null;
  function refreshSoon() {
    if (pending) { return; }
    pending = setTimeout(async () => { pending = null; await refresh(); }, 150);
  }

  const createLink = $('create-link');
  if (createLink) {
    createLink.addEventListener('click', async () => {
      createLink.disabled = true;
      const result = await json('/api/v1/links', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ policyId: scope.policyId, township: scope.township, village: scope.village }),
      });
      createLink.disabled = false;
      if (result.ok) { showNewLink(result.body); await renderLinks(); }
    });
  }

  const remind = $('remind');
  if (remind) {
    remind.addEventListener('click', async () => {
      const ids = [...document.querySelectorAll('input.pick:checked')].map((c) => Number(c.value));
      if (ids.length === 0) { $('remind-note').textContent = T['remind.none']; return; }
      const result = await json('/api/v1/console/village/remind', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ residentIds: ids }),
      });
      if (!result.ok) { $('remind-note').textContent = result.body?.detail ?? `${T['panel.error']} (${result.status})`; return; }
      const skipped = Object.entries(result.body.skipped).map(([k, n]) => `${T[`skip.${k}`] ?? k} ${n}`).join('，') || '0';
      $('remind-note').textContent = T['remind.done'].replace('{queued}', result.body.queued).replace('{skipped}', skipped);
    });
  }

  async function live() {
    if (!window.signalR) { return; }
    // Straight to WebSockets, no negotiate round trip: behind a proxy spreading requests over several nodes the
    // negotiate answer and the upgrade could reach different nodes, and only the first would know the connection.
    const connection = new window.signalR.HubConnectionBuilder()
      .withUrl('/hubs/progress', { skipNegotiation: true, transport: window.signalR.HttpTransportType.WebSockets })
      .withAutomaticReconnect().build();
    const status = $('live-status');
    connection.on('progress', refreshSoon);
    const watch = async () => {
      await connection.invoke('Watch', scope.policyId, scope.township || null, scope.village || null);
      status.textContent = `● ${T['summary.live']}`;
      root.dataset.live = 'on';
      // Anything recorded while the connection was down is picked up now.
      refreshSoon();
    };
    connection.onreconnecting(() => { status.textContent = `○ ${T['summary.offline']}`; root.dataset.live = 'off'; });
    connection.onreconnected(watch);
    try { await connection.start(); await watch(); } catch { status.textContent = `○ ${T['summary.offline']}`; }
  }

  refresh().then(() => live());
  if (mode === 'county') { featurePanels(); }
})();
