// Hearth's dashboard. Reads only the public APIs (/v1/models, /api/v1/...) every 2 s and redraws the
// page from one consistent set of answers. Every number shown carries data-metric (what it is),
// data-value (the exact value the API gave) and the data-deployment / data-replica / data-pool it
// belongs to, so a test can read the page and set it against the API. Charts are inline SVG drawn
// here; nothing is fetched from anywhere but this origin.
'use strict';

(() => {
  const POLL_MS = 2000;
  const KEY_STORE = 'hearth.apiKey';
  const DECISIONS_SHOWN = 15;
  const NODE_STATES = ['provisioning', 'warm', 'allocated', 'draining', 'terminated'];
  const SVG = 'http://www.w3.org/2000/svg';

  let refreshes = 0;

  /** A failed API call: kind is 'unauthorized', 'unreachable' or 'error'. */
  class ApiFailure extends Error {
    constructor(kind, message) {
      super(message);
      this.kind = kind;
    }
  }

  // ---- the API key, kept in this browser only ----

  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORE) || '';
    } catch (e) {
      return '';
    }
  }

  function storeKey(key) {
    try {
      if (key) {
        localStorage.setItem(KEY_STORE, key);
      } else {
        localStorage.removeItem(KEY_STORE);
      }
    } catch (e) {
      // storage disabled: the key lasts as long as this page
    }
    memoryKey = key;
  }

  let memoryKey = storedKey();

  /** A link may carry the key as #key=KEY (never sent to the server); it is stored and taken out of the address. */
  function keyFromFragment() {
    const m = /^#key=(.+)$/.exec(location.hash);
    if (m) {
      storeKey(decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  async function api(path, allow404) {
    const headers = { Accept: 'application/json' };
    if (memoryKey) {
      headers.Authorization = 'Bearer ' + memoryKey;
    }
    let res;
    try {
      res = await fetch(path, { headers, cache: 'no-store' });
    } catch (e) {
      throw new ApiFailure('unreachable', `Cannot reach Hearth's API (${path}): ${e.message}. Retrying every ${POLL_MS / 1000} s.`);
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    const said = body && body.error && body.error.message ? body.error.message : `HTTP ${res.status}`;
    if (res.status === 401) {
      throw new ApiFailure('unauthorized', memoryKey
        ? `The API key was refused: ${said} Enter another above.`
        : `This Hearth requires an API key (it runs with --api-keys): ${said} Enter it above; it stays in this browser (localStorage) and is sent as Authorization: Bearer.`);
    }
    if (res.status === 403) {
      throw new ApiFailure('unauthorized', `This key may not read the control API: ${said} Enter an admin key above.`);
    }
    if (res.status === 404 && allow404) {
      return null;
    }
    if (!res.ok || body === null) {
      throw new ApiFailure('error', `${path} answered ${res.status}: ${said}`);
    }
    return body;
  }

  // ---- small DOM helpers ----

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) {
        e.append(c instanceof Node ? c : String(c));
      }
    }
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    setAttrs(e, attrs);
    children.flat().forEach((c) => e.append(c instanceof Node ? c : String(c)));
    return e;
  }

  function setAttrs(e, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      }
      if (k === 'class') {
        e.setAttribute('class', v);
      } else if (k === 'data') {
        for (const [dk, dv] of Object.entries(v)) {
          if (dv !== null && dv !== undefined) {
            e.dataset[dk] = String(dv);
          }
        }
      } else {
        e.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }

  /** A number as shown, marked with what it is and its exact value. */
  function metric(name, value, text, context, cls) {
    return el('span', { class: 'num' + (cls ? ' ' + cls : ''), data: Object.assign({ metric: name, value: value === null ? 'null' : value }, context) },
      text);
  }

  const fmt = {
    int: (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US')),
    pct: (r) => (r === null || r === undefined ? '–' : (r * 100).toFixed(1) + '%'),
    // KV usage of a large cache is often a fraction of a percent: two decimals below 1%.
    kv: (r) => (r === null || r === undefined ? '–' : (r * 100).toFixed(r < 0.01 ? 2 : 1) + '%'),
    rate: (r) => (r === null || r === undefined ? '–' : r.toFixed(2)),
    ms: (ms) => {
      if (ms === null || ms === undefined) {
        return '–';
      }
      return ms >= 1000 ? (ms / 1000).toFixed(2) + ' s' : ms.toFixed(1) + ' ms';
    },
    clock: (iso) => {
      const d = new Date(iso);
      const p = (n, w) => String(n).padStart(w || 2, '0');
      return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
    },
    hm: (ms) => {
      const d = new Date(ms);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
    },
  };

  function tile(label, value) {
    return el('div', { class: 'tile' }, el('div', { class: 'label' }, label), value);
  }

  // ---- one refresh: every API read first, then everything drawn from those answers ----

  async function refresh() {
    try {
      const [models, managed, pools] = await Promise.all([
        api('/v1/models'), api('/api/v1/deployments'), api('/api/v1/nodepools')]);
      const byName = new Map();
      for (const m of models.data || []) {
        byName.set(m.root, { name: m.root, model: m.id, managed: null });
      }
      for (const d of managed.deployments || []) {
        const entry = byName.get(d.name) || { name: d.name, model: modelOf(d), managed: null };
        entry.managed = d;
        byName.set(d.name, entry);
      }
      const deployments = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
      await Promise.all(deployments.map(async (d) => {
        const base = '/api/v1/deployments/' + encodeURIComponent(d.name);
        [d.metrics, d.history, d.decisions] = await Promise.all([
          api(base + '/metrics', true), api(base + '/history', true), api(base + '/decisions?limit=' + DECISIONS_SHOWN, true)]);
      }));
      const poolList = pools.nodepools || [];
      const details = await Promise.all(poolList.map((p) => api('/api/v1/nodepools/' + encodeURIComponent(p.name), true)));
      render(deployments, poolList.map((p, i) => details[i] || p));
      refreshes += 1;
      document.body.dataset.state = 'ready';
      document.body.dataset.refreshes = String(refreshes);
      const now = new Date();
      document.body.dataset.updated = now.toISOString();
      document.getElementById('updated').textContent = 'updated ' + fmt.hm(now.getTime());
      banner(null);
    } catch (e) {
      const failure = e instanceof ApiFailure ? e : new ApiFailure('error', 'The dashboard failed: ' + e.message);
      document.body.dataset.state = failure.kind;
      document.getElementById('updated').textContent = failure.kind === 'unreachable' ? 'disconnected' : 'not updated';
      banner(failure);
    }
  }

  function modelOf(d) {
    const m = /(?:^|\n)model:\s*\n\s+id:\s*(\S+)/.exec(d.config || '');
    return m ? m[1] : '';
  }

  function banner(failure) {
    const b = document.getElementById('banner');
    document.body.classList.toggle('stale', failure !== null);
    if (failure === null) {
      b.hidden = true;
      b.textContent = '';
      delete b.dataset.error;
      return;
    }
    b.hidden = false;
    b.dataset.error = failure.kind;
    b.textContent = failure.message;
    if (failure.kind === 'unauthorized') {
      document.getElementById('api-key').focus();
    }
  }

  function render(deployments, pools) {
    renderSummary(deployments, pools);
    renderDeployments(deployments);
    renderPools(pools);
    renderDecisions(deployments);
  }

  function renderSummary(deployments, pools) {
    let replicas = 0;
    let healthy = 0;
    let requests = 0;
    let rate = 0;
    for (const d of deployments) {
      if (d.metrics) {
        replicas += d.metrics.replicas.length;
        healthy += d.metrics.replicas.filter((r) => r.healthy).length;
        requests += d.metrics.requests;
        rate += d.metrics.requests_per_second;
      }
    }
    const warm = pools.reduce((n, p) => n + ((p.nodes || {}).warm || 0), 0);
    document.getElementById('summary').replaceChildren(
      el('span', null, metric('deployments', deployments.length, fmt.int(deployments.length)), deployments.length === 1 ? ' deployment' : ' deployments'),
      el('span', null, metric('replicas_healthy', healthy, fmt.int(healthy)), '/', metric('replicas', replicas, fmt.int(replicas)),
        ' replicas healthy'),
      el('span', null, metric('requests_total', requests, fmt.int(requests)), ' requests'),
      el('span', null, metric('requests_per_second_total', rate, fmt.rate(rate)), ' req/s'),
      el('span', null, metric('warm_nodes', warm, fmt.int(warm)), ' warm nodes'));
  }

  // ---- deployments: figures, replicas, charts ----

  function renderDeployments(deployments) {
    const list = document.getElementById('deployment-list');
    if (deployments.length === 0) {
      list.replaceChildren(el('p', { class: 'empty' }, 'No deployment is being served yet.'));
      return;
    }
    list.replaceChildren(...deployments.map(deploymentCard));
  }

  function deploymentCard(d) {
    const ctx = { deployment: d.name };
    const m = d.metrics;
    const status = d.managed ? d.managed.status : 'external';
    const head = el('div', { class: 'card-head' },
      el('h3', null, d.name),
      el('span', { class: 'model' }, d.model),
      el('span', { class: 'badge status-' + status, data: { metric: 'status', value: status, deployment: d.name } }, status),
      d.managed ? el('span', { class: 'ready' }, metric('ready_replicas', d.managed.ready_replicas, fmt.int(d.managed.ready_replicas), ctx),
        '/', metric('desired_replicas', d.managed.replicas, fmt.int(d.managed.replicas), ctx), ' ready') : null);
    if (!m) {
      return el('article', { class: 'card deployment', data: ctx }, head, el('p', { class: 'empty' }, 'No traffic figures: not served yet.'));
    }
    const ttfb = m.time_to_first_byte_ms;
    const tiles = el('div', { class: 'tiles' },
      tile('requests', metric('requests', m.requests, fmt.int(m.requests), ctx, 'big')),
      tile('req/s (1 min)', metric('requests_per_second', m.requests_per_second, fmt.rate(m.requests_per_second), ctx, 'big')),
      tile('TTFB p50', metric('ttfb_p50_ms', ttfb.p50, fmt.ms(ttfb.p50), ctx, 'big')),
      tile('TTFB p99', metric('ttfb_p99_ms', ttfb.p99, fmt.ms(ttfb.p99), ctx, 'big')),
      tile('prediction cache hits', el('span', null, metric('prediction_cache_hit_ratio', m.prediction_cache.hit_ratio,
        fmt.pct(m.prediction_cache.hit_ratio), ctx, 'big'), el('span', { class: 'sub' }, ' ',
        metric('prediction_cache_hits', m.prediction_cache.hits, fmt.int(m.prediction_cache.hits), ctx), ' of ',
        metric('prediction_cache_lookups', m.prediction_cache.hits + m.prediction_cache.misses,
          fmt.int(m.prediction_cache.hits + m.prediction_cache.misses), ctx)))),
      tile('prefix hits (router est.)', metric('prefix_cache_hit_ratio_estimated', m.prefix_cache_hit_ratio_estimated,
        fmt.pct(m.prefix_cache_hit_ratio_estimated), ctx, 'big')));
    return el('article', { class: 'card deployment', data: ctx }, head, tiles,
      el('div', { class: 'split' }, replicaTable(d), charts(d)));
  }

  function replicaTable(d) {
    const phases = new Map();
    for (const r of (d.managed && d.managed.replica_statuses) || []) {
      phases.set(r.id, r.phase);
    }
    const rows = [];
    const seen = new Set();
    const byId = (a, b) => a.id.localeCompare(b.id, 'en', { numeric: true });
    for (const r of d.metrics.replicas.slice().sort(byId)) {
      seen.add(r.id);
      const ctx = { deployment: d.name, replica: r.id };
      rows.push(el('tr', { class: 'replica', data: { replica: r.id, deployment: d.name, healthy: r.healthy, phase: phases.get(r.id) || 'external' } },
        el('td', { class: 'id' }, el('span', { class: 'dot ' + (r.healthy ? 'ok' : 'bad'), title: r.healthy ? 'healthy' : 'unhealthy' }), r.id),
        el('td', null, el('span', { class: r.healthy ? 'ok-text' : 'bad-text', data: { metric: 'healthy', value: r.healthy, deployment: d.name, replica: r.id } },
          r.healthy ? 'healthy' : 'unhealthy')),
        el('td', { class: 'n' }, metric('in_flight', r.in_flight, fmt.int(r.in_flight), ctx)),
        el('td', { class: 'n' }, metric('waiting', r.waiting, fmt.int(r.waiting), ctx)),
        el('td', { class: 'kv' }, kvBar(r.kv_usage), metric('kv_usage', r.kv_usage, fmt.kv(r.kv_usage), ctx)),
        el('td', { class: 'n' }, metric('indexed_blocks', r.indexed_blocks, fmt.int(r.indexed_blocks), ctx)),
        el('td', null, el('span', { class: r.kv_events ? 'events on' : 'events off', data: { metric: 'kv_events', value: r.kv_events, deployment: d.name, replica: r.id },
          title: r.kv_events ? 'the engine\'s KV events keep the prefix index exact' : 'no KV events: the index learns from routing decisions' },
        r.kv_events ? 'flowing' : 'learned'))));
    }
    for (const [id, phase] of phases) {
      if (!seen.has(id)) {
        rows.push(el('tr', { class: 'replica pending', data: { replica: id, deployment: d.name, phase } },
          el('td', { class: 'id' }, el('span', { class: 'dot idle' }), id),
          el('td', { colspan: 6, class: 'muted' }, phase)));
      }
    }
    return el('table', { class: 'replicas' },
      el('thead', null, el('tr', null, el('th', null, 'replica'), el('th', null, 'health'), el('th', { class: 'n' }, 'in flight'),
        el('th', { class: 'n' }, 'waiting'), el('th', null, 'KV cache'), el('th', { class: 'n' }, 'indexed'), el('th', null, 'KV events'))),
      el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: 7, class: 'muted' }, 'no replica yet'))));
  }

  function kvBar(usage) {
    const fill = el('span', { class: 'fill' + (usage > 0.9 ? ' hot' : usage > 0.7 ? ' warm' : '') });
    fill.style.width = Math.max(0, Math.min(100, usage * 100)).toFixed(1) + '%';
    return el('span', { class: 'bar' }, fill);
  }

  // ---- charts: inline SVG from /history ----

  function charts(d) {
    const h = d.history;
    const samples = h ? h.samples : [];
    const span = h ? `${Math.round(samples.length * h.interval_seconds / 60 * 10) / 10} min, a point every ${h.interval_seconds} s` : '';
    return el('div', { class: 'charts', data: { deployment: d.name, samples: samples.length } },
      chart(d.name, 'Hit ratio', samples, [
        { key: 'prediction_cache_hit_ratio', label: 'prediction cache', cls: 's1', get: (s) => s.prediction_cache.hit_ratio },
        { key: 'prefix_cache_hit_ratio_estimated', label: 'prefix (est.)', cls: 's2', get: (s) => s.prefix_cache_hit_ratio_estimated },
      ], { max: 1, format: fmt.pct, axis: (v) => Math.round(v * 100) + '%' }),
      chart(d.name, 'Time to first byte', samples, [
        { key: 'ttfb_p50_ms', label: 'p50', cls: 's3', get: (s) => s.time_to_first_byte_ms.p50 },
        { key: 'ttfb_p99_ms', label: 'p99', cls: 's4', get: (s) => s.time_to_first_byte_ms.p99 },
      ], { format: fmt.ms, axis: (v) => (v >= 1000 ? +(v / 1000).toFixed(2) + ' s' : +v.toFixed(1) + ' ms') }),
      chart(d.name, 'Requests per second', samples, [
        { key: 'requests_per_second', label: 'req/s', cls: 's5', get: (s) => s.requests_per_second, area: true },
      ], { format: fmt.rate, axis: (v) => String(+v.toFixed(2)) }),
      el('div', { class: 'chart-note muted' }, samples.length ? span : 'The first point comes within seconds.'));
  }

  function niceMax(v) {
    if (!(v > 0)) {
      return 1;
    }
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) {
      if (v <= m * p) {
        return m * p;
      }
    }
    return 10 * p;
  }

  function chart(deployment, title, samples, series, opts) {
    const W = 360;
    const H = 130;
    const L = 50;
    const R = 8;
    const T = 8;
    const B = 18;
    const times = samples.map((s) => Date.parse(s.time));
    const end = times.length ? times[times.length - 1] : Date.now();
    const start = times.length ? Math.min(times[0], end - 60000) : end - 60000;
    let max = opts.max;
    if (max === undefined) {
      let seen = 0;
      for (const s of samples) {
        for (const se of series) {
          const v = se.get(s);
          if (v !== null && v > seen) {
            seen = v;
          }
        }
      }
      max = niceMax(seen);
    }
    const x = (t) => L + ((t - start) / Math.max(1, end - start)) * (W - L - R);
    const y = (v) => T + (1 - v / max) * (H - T - B);
    const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title,
      'data-deployment': deployment, 'data-chart': title, 'data-points': samples.length });
    for (const f of [0, 0.5, 1]) {
      g.append(svg('line', { x1: L, x2: W - R, y1: y(f * max), y2: y(f * max), class: 'grid' }));
      g.append(svg('text', { x: L - 6, y: y(f * max) + 4, class: 'axis', 'text-anchor': 'end' }, opts.axis(f * max)));
    }
    g.append(svg('text', { x: L, y: H - 4, class: 'axis' }, fmt.hm(start)));
    g.append(svg('text', { x: W - R, y: H - 4, class: 'axis', 'text-anchor': 'end' }, times.length ? fmt.hm(end) : 'now'));
    for (const se of series) {
      const runs = [];
      let run = [];
      samples.forEach((s, i) => {
        const v = se.get(s);
        if (v === null || v === undefined) {
          if (run.length) {
            runs.push(run);
          }
          run = [];
        } else {
          run.push([x(times[i]), y(Math.min(v, max))]);
        }
      });
      if (run.length) {
        runs.push(run);
      }
      for (const r of runs) {
        const d = r.map((p, i) => (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1)).join(' ');
        if (se.area && r.length > 1) {
          g.append(svg('path', { d: `${d} L${r[r.length - 1][0].toFixed(1)} ${y(0)} L${r[0][0].toFixed(1)} ${y(0)} Z`, class: 'area ' + se.cls }));
        }
        g.append(svg('path', { d, class: 'line ' + se.cls }));
        if (r.length === 1) {
          g.append(svg('circle', { cx: r[0][0], cy: r[0][1], r: 2.5, class: 'point ' + se.cls }));
        }
      }
    }
    const legend = el('div', { class: 'legend' }, series.map((se) => {
      let last = null;
      let lastTime = null;
      for (let i = samples.length - 1; i >= 0; i--) {
        const v = se.get(samples[i]);
        if (v !== null && v !== undefined) {
          last = v;
          lastTime = samples[i].time;
          break;
        }
      }
      return el('span', { class: 'entry' }, el('span', { class: 'swatch ' + se.cls }), se.label + ' ',
        el('span', { class: 'num', data: { metric: 'history_' + se.key, value: last === null ? 'null' : last, deployment, time: lastTime } },
          opts.format(last)));
    }));
    return el('figure', { class: 'chart-box' }, el('figcaption', null, el('span', { class: 'title' }, title), legend), g);
  }

  // ---- warm pools ----

  function renderPools(pools) {
    const list = document.getElementById('pool-list');
    if (pools.length === 0) {
      list.replaceChildren(el('p', { class: 'empty' }, 'No nodepools.'));
      return;
    }
    list.replaceChildren(...pools.map((p) => {
      const ctx = { pool: p.name };
      const counts = p.nodes || {};
      const states = NODE_STATES.filter((s) => s in counts).concat(Object.keys(counts).filter((s) => !NODE_STATES.includes(s)));
      const nodes = (p.node_list || []).slice().sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
      return el('article', { class: 'card pool', data: ctx },
        el('div', { class: 'card-head' }, el('h3', null, p.name),
          el('span', { class: 'model' }, `${p.provider} · ${p.instance_type}${p.gpus_per_node ? ` · ${p.gpus_per_node}× ${p.gpu_kind}` : ''}`),
          el('span', { class: 'facts muted' }, 'warm target ', metric('warm_target', p.warm_target, fmt.int(p.warm_target), ctx),
            ' · nodes ', `${p.min_nodes}–${p.max_nodes}`, ' · priority ', String(p.priority),
            ' · failovers ', metric('failovers', p.failovers, fmt.int(p.failovers), ctx))),
        el('div', { class: 'states' }, states.map((s) => el('span', { class: 'state state-' + s },
          metric('nodes', counts[s], fmt.int(counts[s]), { pool: p.name, state: s }), ' ' + s))),
        el('div', { class: 'nodes' }, nodes.length ? nodes.map((n) => el('span', {
          class: 'node state-' + n.state, title: `${n.id}: ${n.state}${n.replica ? ' for ' + n.replica : ''} since ${n.since}`,
          data: { node: n.id, state: n.state, pool: p.name, replica: n.replica || null },
        }, el('span', { class: 'node-id' }, n.id), el('span', { class: 'node-replica' }, n.replica || n.state))) : el('span', { class: 'muted' }, 'no nodes')));
    }));
  }

  // ---- decisions ----

  function renderDecisions(deployments) {
    const all = [];
    for (const d of deployments) {
      for (const x of (d.decisions && d.decisions.decisions) || []) {
        all.push(Object.assign({ deployment: d.name }, x));
      }
    }
    all.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    const shown = all.slice(0, DECISIONS_SHOWN);
    const list = document.getElementById('decision-list');
    if (shown.length === 0) {
      list.replaceChildren(el('p', { class: 'empty' }, 'No routing decision yet.'));
      return;
    }
    const several = deployments.length > 1;
    list.replaceChildren(el('table', { class: 'decisions' },
      el('thead', null, el('tr', null, el('th', null, 'time'), several ? el('th', null, 'deployment') : null, el('th', null, 'replica'),
        el('th', null, 'reason'), el('th', null, 'cached / blocks'), el('th', { class: 'n' }, 'tokens'),
        el('th', null, 'candidates: cached · in flight'))),
      el('tbody', null, shown.map((x) => {
        const ctx = { deployment: x.deployment, time: x.time };
        const share = x.prompt_blocks ? x.cached_blocks / x.prompt_blocks : 0;
        const fill = el('span', { class: 'fill' });
        fill.style.width = (share * 100).toFixed(1) + '%';
        return el('tr', { class: 'decision', data: { deployment: x.deployment, time: x.time, replica: x.replica, reason: x.reason } },
          el('td', { class: 'time' }, fmt.clock(x.time)),
          several ? el('td', null, x.deployment) : null,
          el('td', { class: 'id' }, x.replica),
          el('td', null, el('span', { class: 'reason reason-' + x.reason.split(/[\s=]/)[0] }, x.reason)),
          el('td', { class: 'blocks' }, el('span', { class: 'bar small' }, fill),
            metric('cached_blocks', x.cached_blocks, fmt.int(x.cached_blocks), ctx), ' / ',
            metric('prompt_blocks', x.prompt_blocks, fmt.int(x.prompt_blocks), ctx)),
          el('td', { class: 'n' }, metric('prompt_tokens', x.prompt_tokens, fmt.int(x.prompt_tokens), ctx)),
          el('td', { class: 'candidates' }, (x.candidates || []).slice().sort((a, b) => a.replica.localeCompare(b.replica, 'en', { numeric: true })).map((c) => el('span', {
            class: 'cand' + (c.replica === x.replica ? ' chosen' : ''),
            title: `${c.replica}: ${c.cached_blocks} cached blocks, ${c.in_flight} in flight, ${c.waiting} waiting, KV ${fmt.pct(c.kv_usage)}${c.score == null ? '' : `, score ${c.score}` + (x.scoring ? ` (${x.scoring})` : '')}`,
            data: { candidate: c.replica, cachedBlocks: c.cached_blocks, inFlight: c.in_flight, score: c.score == null ? '' : String(c.score) },
          }, shortId(c.replica, x.deployment), ' ', el('b', null, String(c.cached_blocks)), ' · ', String(c.in_flight)))));
      }))));
  }

  /** A replica's id without its deployment's name in front: qwen3-0-6b-2 shows as -2. */
  function shortId(id, deployment) {
    return id.startsWith(deployment + '-') ? id.substring(deployment.length) : id;
  }

  // ---- start ----

  function setUpKeyForm() {
    const input = document.getElementById('api-key');
    const forget = document.getElementById('forget-key');
    forget.hidden = !memoryKey;
    document.getElementById('key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      storeKey(input.value.trim());
      input.value = '';
      forget.hidden = !memoryKey;
      refresh();
    });
    forget.addEventListener('click', () => {
      storeKey('');
      forget.hidden = true;
      refresh();
    });
  }

  async function loop() {
    await refresh();
    setTimeout(loop, POLL_MS);
  }

  keyFromFragment();
  setUpKeyForm();
  loop();
})();
