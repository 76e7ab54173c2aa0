// The operations dashboard: plain JavaScript over /ops/api/ (no build step, no external resources).
// The ops token lives in sessionStorage: this tab only, gone when it closes.
(function () {
  'use strict';

  var TOKEN_KEY = 'skiplino-bridge-ops-token';
  var POLL_MS = 3000;
  var MAX_SAMPLES = 200;
  var samples = [];
  var timer = null;
  var pausing = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') { node.textContent = attrs[key]; }
      else if (key === 'className') { node.className = attrs[key]; }
      else if (key.indexOf('on') === 0) { node.addEventListener(key.substring(2), attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function show(node, text, kind) {
    node.textContent = text;
    node.className = 'message' + (kind ? ' ' + kind : '');
    node.hidden = !text;
  }

  // ---- API

  function Unauthorized(message) { this.message = message; }

  function api(path, options) {
    options = options || {};
    var headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
    if (options.body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store'
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (response.status === 401) {
          throw new Unauthorized(body && body.detail ? body.detail : 'The ops token was refused.');
        }
        if (!response.ok) {
          var detail = body && body.detail ? body.detail : 'HTTP ' + response.status;
          throw new Error(detail);
        }
        return { status: response.status, body: body };
      });
    });
  }

  function handle(error, target) {
    if (error instanceof Unauthorized) {
      signOut(error.message);
      return;
    }
    show(target || $('banner'), error.message || String(error), 'error');
  }

  // ---- sign in / out

  function signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    return api('/ops/api/status').then(function (status) {
      $('gate').hidden = true;
      $('dashboard').hidden = false;
      $('meta').hidden = false;
      render(status.body);
      refreshFailures();
      schedule();
    });
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (timer) { clearTimeout(timer); timer = null; }
    $('dashboard').hidden = true;
    $('meta').hidden = true;
    $('gate').hidden = false;
    show($('gate-message'), message || '', 'error');
    $('token').value = '';
    $('token').focus();
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(poll, POLL_MS);
  }

  function poll() {
    return Promise.all([api('/ops/api/status'), refreshFailures()]).then(function (results) {
      show($('banner'), '');
      render(results[0].body);
    }).catch(function (error) { handle(error); }).then(function () {
      if (sessionStorage.getItem(TOKEN_KEY)) { schedule(); }
    });
  }

  // ---- formatting

  function number(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '–'; }
    seconds = Math.round(seconds);
    if (seconds < 60) { return seconds + ' s'; }
    if (seconds < 3600) { return pair(Math.floor(seconds / 60), 'min', seconds % 60, 's'); }
    if (seconds < 86400) { return pair(Math.floor(seconds / 3600), 'h', Math.floor((seconds % 3600) / 60), 'min'); }
    return pair(Math.floor(seconds / 86400), 'd', Math.floor((seconds % 86400) / 3600), 'h');
  }

  function pair(big, bigUnit, small, smallUnit) {
    return big + ' ' + bigUnit + (small > 0 ? ' ' + small + ' ' + smallUnit : '');
  }

  function ago(iso) {
    if (!iso) { return 'never'; }
    var seconds = (Date.now() - Date.parse(iso)) / 1000;
    return seconds < 1 ? 'just now' : duration(seconds) + ' ago';
  }

  function when(iso) {
    if (!iso) { return '–'; }
    return new Date(iso).toLocaleString('en-GB', { hour12: false });
  }

  function timeCell(iso) {
    return el('td', { title: iso || '', text: ago(iso) });
  }

  // ---- status

  function render(status) {
    $('instance').textContent = 'instance ' + status.instance;
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB', { hour12: false });
    var backlog = status.backlog;
    var rates = status.rates;
    $('tile-pending').textContent = number(backlog.pendingEvents);
    $('tile-customers').textContent = number(backlog.customersDue) + ' due · ' + number(backlog.customersWaiting)
      + ' later · ' + number(backlog.customersInFlight) + ' active';
    $('tile-customers').title = 'Customers: ' + number(backlog.customersDue) + ' due now, ' + number(backlog.customersWaiting)
      + ' waiting for a retry time, ' + number(backlog.customersInFlight) + ' being applied';
    $('tile-oldest').textContent = backlog.pendingEvents > 0 ? duration(backlog.oldestPendingAgeSeconds) : 'none';
    $('tile-oldest-limit').textContent = 'alert above ' + duration(backlog.maxAgeSeconds);
    tileState('tile-oldest', backlog.oldestPendingAgeSeconds > backlog.maxAgeSeconds ? 'warn' : '');
    $('tile-received').textContent = number(rates.receivedPerMinute);
    $('tile-applied').textContent = number(rates.appliedPerMinute);
    $('tile-window').textContent = 'average over ' + duration(rates.windowSeconds);
    $('tile-failures').textContent = number(backlog.openFailures);
    tileState('tile-failures', backlog.openFailures > 0 ? 'warn' : '');
    renderSkiplino(status.skiplino);
    renderFlows(status.flows);
    samples.push({ t: Date.now(), backlog: backlog.pendingEvents, applied: rates.appliedPerMinute,
      received: rates.receivedPerMinute });
    if (samples.length > MAX_SAMPLES) { samples.shift(); }
    renderChart();
  }

  function tileState(valueId, state) {
    $(valueId).parentNode.className = 'tile' + (state ? ' ' + state : '');
  }

  function renderSkiplino(skiplino) {
    var closed = skiplino.circuitState === 'CLOSED';
    $('tile-circuit').textContent = closed ? 'OK' : skiplino.circuitState.replace('_', ' ');
    $('tile-skiplino').textContent = 'circuit ' + skiplino.circuitState.toLowerCase().replace('_', ' ');
    tileState('tile-circuit', closed && !skiplino.pausedUntil ? '' : 'bad');
    var facts = $('skiplino-facts');
    clear(facts);
    var rows = [
      ['Circuit breaker', pill(skiplino.circuitState, closed ? 'ok' : 'bad')],
      ['Accepting work', skiplino.acceptingWork ? 'yes' : 'no: workers claim nothing'],
      ['Request rate', number(skiplino.requestsPerSecond) + ' / s (configured ' + number(skiplino.configuredRequestsPerSecond) + ')'],
      ['Requests in flight', number(skiplino.requestsInFlight)],
      ['Paused after 429', skiplino.pausedUntil ? 'until ' + when(skiplino.pausedUntil) : 'no'],
      ['Last success', ago(skiplino.lastSuccessAt)]
    ];
    rows.forEach(function (row) {
      facts.appendChild(el('dt', { text: row[0] }));
      facts.appendChild(el('dd', {}, [row[1]]));
    });
  }

  function pill(text, kind) { return el('span', { className: 'pill ' + kind, text: text }); }

  function renderFlows(flows) {
    var body = $('flows-table').tBodies[0];
    clear(body);
    flows.forEach(function (flow) {
      var state;
      if (flow.paused) {
        var by = flow.lastSwitch ? flow.lastSwitch.by + ', ' + ago(flow.lastSwitch.at) : '';
        state = el('td', {}, [el('div', {}, [pill('Paused', 'bad'),
          el('span', { className: 'sub', text: (flow.lastSwitch && flow.lastSwitch.reason ? flow.lastSwitch.reason : '') + (by ? ' (' + by + ')' : '') })])]);
      } else if (flow.report && flow.report.degraded) {
        state = el('td', {}, [el('div', {}, [pill('Held', 'warn'), el('span', { className: 'sub', text: flow.report.degraded })])]);
      } else {
        state = el('td', {}, [el('div', {}, [pill('Running', 'ok')])]);
      }
      var action = flow.paused
        ? el('button', { type: 'button', className: 'primary small', 'data-flow': flow.name, text: 'Resume',
            onclick: function () { resume(flow.name); } })
        : el('button', { type: 'button', className: 'danger small', 'data-flow': flow.name, text: 'Pause',
            onclick: function () { askPause(flow.name); } });
      var lastSuccess = flow.report && flow.report.lastSuccessAt;
      state.setAttribute('data-label', 'State');
      body.appendChild(el('tr', { 'data-flow': flow.name }, [
        el('td', { 'data-label': 'Flow' }, [el('div', {}, [el('strong', { text: flow.name }),
          el('span', { className: 'sub desc', text: flow.description })])]),
        state,
        el('td', { 'data-label': 'Last success', title: lastSuccess || '', text: flow.name === 'deletes' ? '–' : ago(lastSuccess) }),
        el('td', { className: 'action' }, [action])
      ]));
    });
  }

  function askPause(name) {
    pausing = name;
    $('pause-flow').textContent = name;
    $('pause-form').hidden = false;
    $('pause-reason').value = '';
    $('pause-reason').focus();
  }

  function resume(name) {
    api('/ops/api/flows/' + encodeURIComponent(name) + '/resume', { method: 'POST', body: { reason: 'resumed from the dashboard' } })
      .then(poll).catch(function (error) { handle(error); });
  }

  // ---- chart (inline SVG)

  var SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function niceMax(value) {
    if (value <= 5) { return 5; }
    var magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (value <= steps[i] * magnitude) { return steps[i] * magnitude; }
    }
    return 10 * magnitude;
  }

  function renderChart() {
    var box = $('chart');
    var width = Math.max(box.clientWidth, 280);
    var height = box.clientHeight || 220;
    var left = 48, right = 48, top = 10, bottom = 24;
    var plotW = width - left - right, plotH = height - top - bottom;
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'none' });
    var backlogMax = niceMax(Math.max.apply(null, samples.map(function (s) { return s.backlog; }).concat([0])));
    var rateMax = niceMax(Math.max.apply(null, samples.map(function (s) { return Math.max(s.applied, s.received); }).concat([0])));
    for (var i = 0; i <= 4; i++) {
      var y = top + plotH - plotH * i / 4;
      chart.appendChild(svg('line', { x1: left, x2: left + plotW, y1: y, y2: y, 'class': 'axis' }));
      chart.appendChild(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'class': 'tick' }, number(backlogMax * i / 4)));
      chart.appendChild(svg('text', { x: left + plotW + 6, y: y + 4, 'class': 'tick' }, number(rateMax * i / 4)));
    }
    if (samples.length > 0) {
      var t0 = samples[0].t, t1 = samples[samples.length - 1].t, span = Math.max(t1 - t0, 1);
      var x = function (s) { return samples.length === 1 ? left + plotW : left + plotW * (s.t - t0) / span; };
      var line = function (key, max, cls) {
        var points = samples.map(function (s) { return x(s).toFixed(1) + ',' + (top + plotH - plotH * s[key] / max).toFixed(1); });
        if (points.length === 1) { points.unshift((left).toFixed(1) + ',' + points[0].split(',')[1]); }
        chart.appendChild(svg('polyline', { points: points.join(' '), 'class': 'line ' + cls }));
      };
      line('received', rateMax, 'received');
      line('applied', rateMax, 'applied');
      line('backlog', backlogMax, 'backlog');
      var fmt = function (t) { return new Date(t).toLocaleTimeString('en-GB', { hour12: false }); };
      chart.appendChild(svg('text', { x: left, y: height - 6, 'class': 'tick' }, fmt(t0)));
      chart.appendChild(svg('text', { x: left + plotW, y: height - 6, 'text-anchor': 'end', 'class': 'tick' }, fmt(t1)));
      var last = samples[samples.length - 1];
      box.setAttribute('aria-label', 'Backlog and throughput over the last ' + duration((t1 - t0) / 1000) + ': now '
        + number(last.backlog) + ' pending changes, ' + number(last.applied) + ' applied per minute, '
        + number(last.received) + ' received per minute');
    }
    clear(box);
    box.appendChild(chart);
  }

  // ---- failures

  // what each kind of failure is, and where retrying it sends it (docs/operations.md, "Failures")
  var OPERATION_TITLES = {
    MAP: 'The CRM data could not be mapped to a Skiplino customer',
    TICKET: 'A ticket state the CRM refused: retrying sends it again from the CRM outbox',
    WRITE_BACK: 'The Skiplino id Salesforce refused to store in the record: retrying writes it back again'
  };

  function refreshFailures() {
    return api('/ops/api/failures?state=open&size=50').then(function (result) {
      renderFailures(result.body);
      return result;
    });
  }

  function renderFailures(list) {
    var body = $('failures-table').tBodies[0];
    clear(body);
    $('failures-count').textContent = list.total > list.items.length
      ? '(' + number(list.items.length) + ' of ' + number(list.total) + ')' : '(' + number(list.total) + ')';
    $('failures-empty').hidden = list.total > 0;
    $('failures-table').hidden = list.total === 0;
    $('retry-all').disabled = list.total === 0;
    list.items.forEach(function (failure) {
      var parked = timeCell(failure.createdAt);
      parked.setAttribute('data-label', 'Parked');
      body.appendChild(el('tr', { 'data-failure-id': String(failure.id), 'data-external-id': failure.externalId }, [
        el('td', { 'data-label': 'Id', className: 'num', text: String(failure.id) }),
        el('td', { 'data-label': 'Customer' }, [el('button', { type: 'button', className: 'ghost small', text: failure.externalId,
          title: 'Look up ' + failure.externalId, onclick: function () { lookup(failure.externalId); } })]),
        el('td', { 'data-label': 'Operation', text: failure.operation, title: OPERATION_TITLES[failure.operation] || 'A customer change for Skiplino' }),
        el('td', { 'data-label': 'HTTP', className: 'num', text: failure.httpStatus ? String(failure.httpStatus) : '–' }),
        el('td', { 'data-label': 'Reason', className: 'reason', text: failure.reason }),
        el('td', { 'data-label': 'Attempts', className: 'num', text: String(failure.attempts) }),
        parked,
        el('td', { className: 'action' }, [el('button', { type: 'button', className: 'primary small retry', text: 'Retry',
          'aria-label': 'Retry failure ' + failure.id + ' of ' + failure.externalId,
          onclick: function (event) { retry(failure, event.target); } })])
      ]));
    });
  }

  function retry(failure, button) {
    button.disabled = true;
    api('/ops/api/failures/' + failure.id + '/retry', { method: 'POST' }).then(function (result) {
      show($('failures-message'), 'Failure ' + failure.id + ' of ' + failure.externalId + ': '
        + (result.body.outcome === 'RETRIED' ? 'the change is pending again.' : 'already resolved (' + result.body.resolution + ').'), 'ok');
      return poll();
    }).catch(function (error) { button.disabled = false; handle(error, $('failures-message')); });
  }

  // ---- customer lookup

  function lookup(externalId) {
    $('lookup-id').value = externalId;
    var target = $('lookup-result');
    clear(target);
    api('/ops/api/customers/' + encodeURIComponent(externalId)).then(function (result) {
      renderCustomer(result.body, target);
      $('lookup-title').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }).catch(function (error) {
      if (error instanceof Unauthorized) { handle(error); return; }
      target.appendChild(el('p', { className: 'message error', role: 'alert', text: error.message }));
    });
  }

  function renderCustomer(customer, target) {
    var state = customer.state;
    var facts = el('dl', { className: 'facts' });
    [['Skiplino id', state.skiplinoId || 'not in Skiplino yet'],
     ['Deleted', state.deleted ? 'yes' : 'no'],
     ['Content hash', state.contentHash ? state.contentHash.substring(0, 16) + '…' : '–'],
     ['Last applied (source time)', when(state.appliedSourceTs)],
     ['Last synced', when(state.lastSyncedAt)],
     ['Due', state.dueAt ? when(state.dueAt) : 'nothing pending'],
     ['Attempts', String(state.attempts)],
     ['Last error', state.lastError || '–'],
     ['Open failures', String(customer.openFailures.length)]].forEach(function (row) {
      facts.appendChild(el('dt', { text: row[0] }));
      facts.appendChild(el('dd', { text: row[1] }));
    });
    var events = table(['Received', 'Source', 'Event', 'Type', 'Status'], customer.events.map(function (e) {
      return [when(e.receivedAt), e.source, e.eventId || '–', e.type, e.status];
    }));
    var attempts = table(['Finished', 'Operation', 'Outcome', 'HTTP', 'Detail'], customer.attempts.map(function (a) {
      return [when(a.finishedAt), a.operation || '–', a.outcome, a.httpStatus ? String(a.httpStatus) : '–', a.detail || ''];
    }));
    target.appendChild(el('h3', { text: customer.externalId }));
    target.appendChild(facts);
    target.appendChild(el('div', { className: 'lookup-grid' }, [
      el('div', {}, [el('h3', { text: 'Recent changes' }), events]),
      el('div', {}, [el('h3', { text: 'Recent attempts' }), attempts])]));
  }

  // on a narrow screen each row becomes a list of "heading: value" lines (CSS class stack)
  function table(headings, rows) {
    var head = el('tr', {}, headings.map(function (h) { return el('th', { scope: 'col', text: h }); }));
    var body = el('tbody', {}, rows.map(function (row) {
      return el('tr', {}, row.map(function (cell, i) { return el('td', { 'data-label': headings[i], text: cell }); }));
    }));
    return el('div', { className: 'table-wrap' }, [el('table', { className: 'stack' }, [el('thead', {}, [head]), body])]);
  }

  // ---- resync

  function resync(dryRun) {
    var target = $('resync-result');
    clear(target);
    $('resync-dry').disabled = true;
    $('resync-run').disabled = true;
    target.appendChild(el('p', { className: 'message', text: dryRun ? 'Dry run started…' : 'Resync started…' }));
    api('/ops/api/resync', { method: 'POST', body: { dryRun: dryRun } }).then(function (result) {
      return follow(result.body, target);
    }).catch(function (error) { handle(error, target.firstChild); }).then(function () {
      $('resync-dry').disabled = false;
      $('resync-run').disabled = false;
    });
  }

  function follow(job, target) {
    renderResync(job, target);
    if (job.state !== 'RUNNING') { return job; }
    return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(function () {
      return api('/ops/api/resync/' + encodeURIComponent(job.id));
    }).then(function (result) { return follow(result.body, target); });
  }

  function renderResync(job, target) {
    clear(target);
    var r = job.result;
    var headline = job.state === 'RUNNING'
      ? 'Running: ' + number(job.progress.skiplinoCustomers) + ' of ' + number(job.progress.skiplinoTotal) + ' Skiplino customers read'
      : job.state === 'FAILED' ? 'Failed: ' + job.error
      : (job.dryRun ? 'Dry run finished: nothing was written.' : 'Resync finished: ' + number(job.applied.enqueued) + ' changes handed to the engine.');
    target.appendChild(el('p', { className: 'message' + (job.state === 'FAILED' ? ' error' : job.state === 'SUCCEEDED' ? ' ok' : ''), text: headline }));
    target.appendChild(table(['Would create', 'Would update', 'Unchanged', 'Invalid', 'Deleted in CRM', 'Only in Skiplino'],
      [[number(r.wouldCreate.count), number(r.wouldUpdate.count), number(r.unchanged.count), number(r.invalid.count),
        number(r.deletedInCrm.count), number(r.notInBridge.count)]]));
    var listed = [].concat(r.wouldCreate.externalIds.map(function (id) { return [id, 'would create', '']; }),
      r.wouldUpdate.externalIds.map(function (id) { return [id, 'would update', '']; }),
      r.invalid.customers.map(function (c) {
        return [c.externalId, 'invalid', c.errors.map(function (e) { return e.field + ' ' + e.message; }).join('; ')];
      }));
    if (listed.length > 0) { target.appendChild(table(['Customer', 'Verdict', 'Why'], listed.slice(0, 50))); }
  }

  // ---- wiring

  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = $('token').value.trim();
    if (!token) { return; }
    show($('gate-message'), '');
    signIn(token).catch(function (error) {
      if (error instanceof Unauthorized) { signOut('That token was refused: ' + error.message); }
      else { signOut('The bridge could not be reached: ' + error.message); }
    });
  });
  $('sign-out').addEventListener('click', function () { signOut(''); });
  $('pause-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var reason = $('pause-reason').value.trim();
    if (!reason || !pausing) { return; }
    api('/ops/api/flows/' + encodeURIComponent(pausing) + '/pause', { method: 'POST', body: { reason: reason } })
      .then(function () { $('pause-form').hidden = true; pausing = null; return poll(); })
      .catch(function (error) { handle(error); });
  });
  $('pause-cancel').addEventListener('click', function () { $('pause-form').hidden = true; pausing = null; });
  $('retry-all').addEventListener('click', function () {
    if (!window.confirm('Retry every open failure?')) { return; }
    api('/ops/api/failures/retry', { method: 'POST', body: {} }).then(function (result) {
      show($('failures-message'), number(result.body.retried) + ' failures are pending again.', 'ok');
      return poll();
    }).catch(function (error) { handle(error, $('failures-message')); });
  });
  $('lookup-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var id = $('lookup-id').value.trim();
    if (id) { lookup(id); }
  });
  $('resync-dry').addEventListener('click', function () { resync(true); });
  $('resync-run').addEventListener('click', function () {
    if (window.confirm('Resync every customer now? Customers that differ are written to Skiplino by the engine.')) { resync(false); }
  });
  window.addEventListener('resize', renderChart);

  if (sessionStorage.getItem(TOKEN_KEY)) {
    signIn(sessionStorage.getItem(TOKEN_KEY)).catch(function (error) {
      signOut(error instanceof Unauthorized ? 'Please sign in again: ' + error.message : error.message);
    });
  } else {
    $('token').focus();
  }
}());
