// The operator console: plain JavaScript over the /ops/ JSON API. Every value from the engine reaches the page
// through textContent or an attribute, never as HTML.
(function () {
  'use strict';

  var TOKEN_KEY = 'plaidsync.ops.token';
  var OPERATOR_KEY = 'plaidsync.ops.operator';
  var RUNNING_EVERY_MS = 3000;
  var OTHERS_EVERY_TICKS = 5;
  var RUNNING = ['STARTING', 'STARTED', 'STOPPING'];
  var PROBLEM = ['FAILED', 'STOPPED', 'UNKNOWN'];

  var timer = null;
  var tick = 0;
  var reasons = {};

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') { node.textContent = attrs[key]; }
      else if (key === 'class') { node.className = attrs[key]; }
      else if (key === 'onclick') { node.addEventListener('click', attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function text(value) { return (value === null || value === undefined || value === '') ? '–' : String(value); }

  // Every time carries its zone: "2026-12-07 02:00:00 EST (07:00 UTC)", in the browser's zone (or the one given),
  // with UTC beside unless it is UTC already.
  function clock(date, zone) {
    var parts = {};
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(date).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts;
  }

  function whenIn(value, zone) {
    if (!value) { return '–'; }
    var date = new Date(value);
    if (isNaN(date)) { return String(value); }
    var local = clock(date, zone), utc = clock(date, 'UTC');
    var shown = local.year + '-' + local.month + '-' + local.day + ' ' + local.hour + ':' + local.minute + ':' + local.second
      + ' ' + local.timeZoneName;
    if (local.timeZoneName === 'UTC') { return shown; }
    return shown + ' (' + (utc.day !== local.day ? utc.month + '-' + utc.day + ' ' : '') + utc.hour + ':' + utc.minute + ' UTC)';
  }

  function when(value) { return whenIn(value, undefined); }

  window.PlaidSyncTimes = { when: when };

  function seconds(total) {
    if (total === null || total === undefined) { return '–'; }
    total = Math.max(0, Math.round(total));
    var d = Math.floor(total / 86400), h = Math.floor(total % 86400 / 3600), m = Math.floor(total % 3600 / 60), s = total % 60;
    if (d) { return d + ' d ' + h + ' h'; }
    if (h) { return h + ' h ' + m + ' min'; }
    if (m) { return m + ' min ' + s + ' s'; }
    return s + ' s';
  }

  // ISO-8601 durations as Jackson writes them: PT1H2M3.5S
  function isoDuration(value) {
    if (!value) { return '–'; }
    var match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value);
    if (!match) { return String(value); }
    return seconds((+match[1] || 0) * 86400 + (+match[2] || 0) * 3600 + (+match[3] || 0) * 60 + (+match[4] || 0));
  }

  function badge(status) { return el('span', { 'class': 'status ' + String(status).replace(/[^A-Z_]/g, ''), text: text(status) }); }

  function table(headers, rows, emptyText) {
    if (!rows.length) { return el('p', { 'class': 'empty', text: emptyText }); }
    var head = el('tr', {}, headers.map(function (h) {
      return el('th', { 'class': h.num ? 'num' : '', text: (typeof h === 'string') ? h : h.label });
    }));
    var body = rows.map(function (cells) {
      var tr = el('tr', {}, cells.map(function (cell, i) {
        var cls = headers[i].num ? 'num' : (headers[i].cls || '');
        return (cell instanceof Node) ? el('td', { 'class': cls }, [cell]) : el('td', { 'class': cls, text: text(cell) });
      }));
      return tr;
    });
    return el('div', { 'class': 'scroll' }, [el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)])]);
  }

  function fill(sectionId, node) {
    var body = $(sectionId).querySelector('.body');
    body.replaceChildren(node);
  }

  function failSection(sectionId, error) {
    if (error && error.unauthorized) { return; }
    fill(sectionId, el('p', { 'class': 'error', text: 'Could not load this: ' + error.message }));
  }

  // ---------------------------------------------------------------- the API

  function Unauthorized(message) { this.message = message; this.unauthorized = true; }

  function api(method, path, body) {
    var headers = { 'Authorization': 'Bearer ' + (sessionStorage.getItem(TOKEN_KEY) || ''), 'Accept': 'application/json' };
    var operator = sessionStorage.getItem(OPERATOR_KEY);
    if (operator) { headers['X-Operator'] = operator; }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
      .then(function (response) {
        return response.text().then(function (raw) {
          var json = null;
          try { json = raw ? JSON.parse(raw) : null; } catch (ignored) { json = null; }
          if (response.status === 401) {
            var refused = new Unauthorized((json && json.message) || 'The engine refused the operator token.');
            signOut('The engine did not accept this token: ' + refused.message + ' Enter the right token to continue.');
            throw refused;
          }
          if (!response.ok) {
            var error = new Error((json && json.message) || ('The engine answered ' + response.status + ' ' + response.statusText));
            error.status = response.status;
            throw error;
          }
          var total = response.headers.get('X-Total-Count');
          if (Array.isArray(json) && total !== null) {
            json.total = Number(total);
            json.totalExact = response.headers.get('X-Total-Count-Exact') !== 'false';
          }
          return json;
        });
      }, function (networkError) {
        throw new Error('The engine did not answer (' + networkError.message + '). Is it running, and is the port-forward up?');
      });
  }

  // ---------------------------------------------------------------- sign in and out

  function showSignIn(message) {
    $('console').hidden = true;
    $('sign-out').hidden = true;
    $('operator-name').textContent = '';
    $('refreshed').textContent = '';
    $('signin').hidden = false;
    $('signin-error').hidden = !message;
    $('signin-error').textContent = message || '';
    $('token').value = '';
    $('operator').value = sessionStorage.getItem(OPERATOR_KEY) || '';
    $('token').focus();
  }

  function signOut(message) {
    if (timer) { clearInterval(timer); timer = null; }
    sessionStorage.removeItem(TOKEN_KEY);
    reasons = {};
    showSignIn(message);
  }

  function start() {
    $('signin').hidden = true;
    $('console').hidden = false;
    $('sign-out').hidden = false;
    var operator = sessionStorage.getItem(OPERATOR_KEY);
    $('operator-name').textContent = operator ? 'as ' + operator : '';
    tick = 0;
    refresh();
    timer = setInterval(refresh, RUNNING_EVERY_MS);
    $('zone-note').textContent = 'Times are in ' + Intl.DateTimeFormat().resolvedOptions().timeZone + ', with UTC beside.';
    routeChanged();
  }

  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = $('token').value.trim();
    if (!token) { return; }
    sessionStorage.setItem(TOKEN_KEY, token);
    var operator = $('operator').value.trim();
    if (operator) { sessionStorage.setItem(OPERATOR_KEY, operator); } else { sessionStorage.removeItem(OPERATOR_KEY); }
    $('signin-submit').disabled = true;
    api('GET', '/ops/jobs').then(function () {
      start();
    }, function (error) {
      if (!error.unauthorized) { showSignIn(error.message); sessionStorage.removeItem(TOKEN_KEY); }
    }).then(function () { $('signin-submit').disabled = false; });
  });

  $('sign-out').addEventListener('click', function () { signOut('Signed out. The token was forgotten.'); });

  // ---------------------------------------------------------------- confirmation and actions

  function confirmThen(title, message, label) {
    var dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = message;
    $('confirm-ok').textContent = label;
    return new Promise(function (resolve) {
      dialog.addEventListener('close', function closed() {
        dialog.removeEventListener('close', closed);
        resolve(dialog.returnValue === 'ok');
      });
      dialog.returnValue = '';
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  function flash(message, refused) {
    var node = $('flash');
    node.textContent = message;
    node.className = refused ? 'flash refused' : 'flash';
    node.hidden = false;
  }

  function act(title, message, label, method, path, describe) {
    return confirmThen(title, message, label).then(function (confirmed) {
      if (!confirmed) { return; }
      return api(method, path).then(function (answer) {
        flash(describe(answer), false);
      }, function (error) {
        if (!error.unauthorized) { flash('Refused: ' + error.message, true); }
      }).then(function () { tick = 0; refresh(); });
    });
  }

  function executionActions(execution) {
    var id = execution.id;
    var name = execution.jobName + ' #' + id;
    return el('span', {}, [
      el('button', { type: 'button', 'data-action': 'restart', 'data-execution': String(id), text: 'Restart', onclick: function () {
        act('Restart ' + name + '?', 'It resumes from its last committed chunk, with the same parameters.', 'Restart',
          'POST', '/ops/executions/' + id + '/restart', function (answer) {
            return 'Restarted execution ' + id + ' as #' + answer.restartedAs + ' (' + answer.status + ').';
          });
      } }),
      el('button', { type: 'button', 'class': 'quiet', 'data-action': 'stop', 'data-execution': String(id), text: 'Stop', onclick: function () {
        act('Stop ' + name + '?', 'It stops at the next chunk boundary and can be restarted from there.', 'Stop',
          'POST', '/ops/executions/' + id + '/stop', function (answer) {
            return 'Execution ' + id + ': ' + answer.status + '. ' + (answer.message || '');
          });
      } }),
      el('button', { type: 'button', 'class': 'quiet', 'data-action': 'abandon', 'data-execution': String(id), text: 'Abandon', onclick: function () {
        act('Abandon ' + name + '?', 'An abandoned execution can never be restarted. Its items are synced again by the next run.',
          'Abandon', 'POST', '/ops/executions/' + id + '/abandon', function (answer) {
            return 'Execution ' + id + ' is ' + answer.status + '.';
          });
      } })
    ]);
  }

  // ---------------------------------------------------------------- executions

  function isOrphaned(execution) { return !!execution.orphanedAt && !execution.resumedAs; }

  function followedLater(execution, all) {
    if (execution.resumedAs) { return true; }
    return all.some(function (other) {
      return other.id > execution.id && other.jobName === execution.jobName && other.parameters === execution.parameters;
    });
  }

  function loadExecutions() {
    return Promise.all([
      api('GET', '/ops/executions?limit=100'),
      api('GET', '/ops/executions?status=FAILED&limit=50'),
      api('GET', '/ops/executions?status=STOPPED&limit=50')
    ]).then(function (lists) {
      var byId = {};
      lists.forEach(function (list) { list.forEach(function (execution) { byId[execution.id] = execution; }); });
      var all = Object.keys(byId).map(function (id) { return byId[id]; }).sort(function (a, b) { return b.id - a.id; });
      var running = all.filter(function (e) { return RUNNING.indexOf(e.status) >= 0 && !isOrphaned(e); });
      var problems = all.filter(function (e) {
        return (PROBLEM.indexOf(e.status) >= 0 || isOrphaned(e)) && !followedLater(e, all);
      });
      return Promise.all([renderRunning(running), renderProblems(problems), renderRecent(lists[0].slice(0, 15))])
        .then(function () { showExecutionTotal(lists[0]); });
    }).catch(function (error) {
      ['running', 'problems', 'recent'].forEach(function (id) { failSection(id, error); });
    });
  }

  // The first page comes with the total: "15 newest of 1,000,000 executions".
  function showExecutionTotal(page) {
    if (typeof page.total !== 'number') { return; }
    var section = $('recent').querySelector('.body');
    var shown = Math.min(15, page.length);
    section.appendChild(el('p', { 'class': 'hint', 'data-total': String(page.total),
      text: 'The ' + shown + ' newest of ' + (page.totalExact ? '' : 'more than ') + page.total.toLocaleString() + ' executions.' }));
  }

  function renderRunning(running) {
    if (!running.length) {
      fill('running', el('p', { 'class': 'empty', text: 'No job is running.' }));
      return Promise.resolve();
    }
    return Promise.all(running.map(function (e) { return api('GET', '/ops/executions/' + e.id); })).then(function (details) {
      fill('running', el('div', {}, details.map(function (detail) {
        var steps = detail.steps.length ? detail.steps : [{ name: '(starting)', progress: null, status: detail.status }];
        return el('div', { 'class': 'job', 'data-execution': String(detail.id) }, [
          el('div', { 'class': 'job-head' }, [
            el('span', {}, [el('strong', { text: detail.jobName + ' #' + detail.id }), ' ', badge(detail.status)]),
            el('span', { 'class': 'params', text: paramsText(detail.parameters) })
          ])
        ].concat(steps.map(function (step) {
          var p = step.progress || { done: 0, total: 0, failed: 0, itemsPerSecond: 0, eta: null };
          var pct = p.total ? Math.min(100, Math.floor(p.done * 100 / p.total)) : (step.status === 'COMPLETED' ? 100 : 0);
          return el('div', {}, [
            el('div', { 'class': 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct),
              'aria-label': step.name }, [el('div', { style: 'width:' + pct + '%' })]),
            el('div', { 'class': 'job-stats' }, [
              el('span', { text: step.name }),
              el('span', { text: p.done + ' of ' + p.total + ' items (' + pct + '%)' }),
              el('span', { text: p.failed + ' failed' }),
              el('span', { text: (p.itemsPerSecond || 0).toFixed(1) + ' items/s' }),
              el('span', { text: 'ETA ' + isoDuration(p.eta) }),
              el('span', { text: 'started ' + when(detail.startTime) })
            ]),
            executionActions(detail)
          ]);
        })));
      })));
    });
  }

  function paramsText(parameters) {
    if (!parameters) { return ''; }
    if (typeof parameters === 'string') { return parameters; }
    return Object.keys(parameters).sort().map(function (k) { return k + '=' + parameters[k]; }).join(', ');
  }

  function reasonFor(execution) {
    var cached = reasons[execution.id];
    if (cached && cached.status === execution.status) { return Promise.resolve(cached.reason); }
    return api('GET', '/ops/executions/' + execution.id).then(function (detail) {
      var reason = detail.reason || (detail.steps || []).map(function (s) { return s.reason; }).filter(Boolean)[0] || null;
      reasons[execution.id] = { status: execution.status, reason: reason };
      return reason;
    });
  }

  function renderProblems(problems) {
    return Promise.all(problems.slice(0, 30).map(reasonFor)).then(function (found) {
      var rows = problems.slice(0, 30).map(function (e, i) {
        var state = isOrphaned(e) ? el('span', {}, [badge(e.status), ' ', badge('ORPHANED')]) : badge(e.status);
        var reason = found[i] || (isOrphaned(e) ? 'Its node (' + text(e.nodeId) + ') stopped heartbeating at ' + when(e.orphanedAt) : 'No reason was recorded');
        return [String(e.id), e.jobName, state, e.parameters, when(e.endTime || e.startTime), reason, executionActions(e)];
      });
      fill('problems', table(['#', 'job', 'status', { label: 'parameters', cls: 'reason' }, 'ended', { label: 'reason', cls: 'reason' }, { label: '', cls: 'actions' }],
        rows, 'Nothing failed, stopped or orphaned is waiting for you.'));
      $('problems').querySelectorAll('tbody tr').forEach(function (tr, i) { tr.setAttribute('data-execution', String(problems[i].id)); });
    });
  }

  function renderRecent(recent) {
    var rows = recent.map(function (e) {
      var took = (e.startTime && e.endTime) ? seconds((new Date(e.endTime) - new Date(e.startTime)) / 1000) : '–';
      return [String(e.id), e.jobName, badge(e.status), e.exitCode, e.parameters, when(e.startTime), took];
    });
    fill('recent', table(['#', 'job', 'status', 'exit', { label: 'parameters', cls: 'reason' }, 'started', 'took'], rows,
      'No execution yet.'));
    $('recent').querySelectorAll('tbody tr').forEach(function (tr, i) { tr.setAttribute('data-execution', String(recent[i].id)); });
  }

  // ---------------------------------------------------------------- charts

  var SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, textContent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (textContent !== undefined) { node.textContent = textContent; }
    return node;
  }

  function niceMax(value) {
    if (value <= 4) { return 4; }
    var step = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * step * 4 >= value) { return steps[i] * step * 4; } }
    return value;
  }

  // Stacked bars, one per hour: rows [{hour, <series keys>}], series [{key, label, color}].
  function stackedBars(containerId, rows, series) {
    var width = 640, height = 200, left = 40, right = 8, top = 8, bottom = 22;
    var plotW = width - left - right, plotH = height - top - bottom;
    var totals = rows.map(function (row) { return series.reduce(function (sum, s) { return sum + (row[s.key] || 0); }, 0); });
    var max = niceMax(Math.max.apply(null, totals.concat([0])));
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', preserveAspectRatio: 'xMidYMid meet' });
    var sum = totals.reduce(function (a, b) { return a + b; }, 0);
    chart.appendChild(svg('title', {}, sum + ' in the last 24 hours'));
    for (var g = 0; g <= 4; g++) {
      var y = top + plotH - plotH * g / 4;
      chart.appendChild(svg('line', { 'class': 'grid', x1: left, x2: width - right, y1: y, y2: y }));
      chart.appendChild(svg('text', { 'class': 'axis', x: left - 4, y: y + 3, 'text-anchor': 'end' }, String(Math.round(max * g / 4))));
    }
    var slot = plotW / Math.max(1, rows.length);
    rows.forEach(function (row, i) {
      var x = left + i * slot + slot * 0.12, w = slot * 0.76, base = top + plotH;
      var hour = new Date(row.hour);
      var label = isNaN(hour) ? String(row.hour) : ('0' + hour.getHours()).slice(-2) + ':00';
      series.forEach(function (s) {
        var value = row[s.key] || 0;
        if (!value) { return; }
        var h = plotH * value / max;
        base -= h;
        var rect = svg('rect', { x: x.toFixed(1), y: base.toFixed(1), width: w.toFixed(1), height: h.toFixed(1), fill: s.color });
        rect.appendChild(svg('title', {}, label + ' · ' + s.label + ': ' + value));
        chart.appendChild(rect);
      });
      if (i % 3 === (rows.length - 1) % 3) {
        chart.appendChild(svg('text', { 'class': 'axis', x: (x + w / 2).toFixed(1), y: height - 6, 'text-anchor': 'middle' }, label));
      }
    });
    var legend = el('div', { 'class': 'legend' }, series.map(function (s) {
      var total = rows.reduce(function (acc, row) { return acc + (row[s.key] || 0); }, 0);
      return el('span', {}, [el('i', { style: 'background:' + s.color }), s.label + ' ' + total]);
    }));
    $(containerId).replaceChildren(chart, legend);
  }

  var WEBHOOK_SERIES = [
    { key: 'done', label: 'done', color: '#1f8a4c' },
    { key: 'failed', label: 'failed', color: '#c53030' },
    { key: 'ignored', label: 'ignored', color: '#a0aec0' },
    { key: 'unknownItem', label: 'unknown item', color: '#6b46c1' },
    { key: 'inProgress', label: 'in progress', color: '#2457c5' }
  ];

  var SYNC_SERIES = [
    { key: 'holdings', label: 'holdings', color: '#2457c5' },
    { key: 'transactions', label: 'transactions', color: '#b7791f' },
    { key: 'balances', label: 'balances', color: '#1f8a4c' }
  ];

  function chartError(containerId, error) {
    if (error && error.unauthorized) { return; }
    $(containerId).replaceChildren(el('p', { 'class': 'error', text: 'Could not load this chart: ' + error.message }));
  }

  // ---------------------------------------------------------------- paged lists
  // Each list shows its total and one page; Previous and Next move through it. A refresh reads only the page shown,
  // never the whole table.

  var PAGE_SIZE = 20;
  var pages = {};

  function pageOf(sectionId) { return pages[sectionId] || 0; }

  function pagePath(sectionId, path) {
    return path + (path.indexOf('?') >= 0 ? '&' : '?') + 'page=' + pageOf(sectionId) + '&size=' + PAGE_SIZE;
  }

  // Returns false (and loads the last page instead) when the page shown has emptied, e.g. after a removal.
  function pageStillThere(sectionId, shown, reload) {
    if (shown === 0 && pageOf(sectionId) > 0) { pages[sectionId] = pageOf(sectionId) - 1; reload(); return false; }
    return true;
  }

  function pager(sectionId, shown, total, exact, noun, reload) {
    var page = pageOf(sectionId);
    var first = page * PAGE_SIZE + 1, last = page * PAGE_SIZE + shown;
    var count = total ? (shown ? first + '–' + last : 'none') + ' of ' + (exact === false ? 'more than ' : '')
      + Number(total).toLocaleString() + ' ' + noun : 'No ' + noun;
    var previous = el('button', { type: 'button', 'class': 'quiet', 'data-page': 'previous', text: '‹ Previous',
      onclick: function () { pages[sectionId] = Math.max(0, page - 1); reload(); } });
    var next = el('button', { type: 'button', 'class': 'quiet', 'data-page': 'next', text: 'Next ›',
      onclick: function () { pages[sectionId] = page + 1; reload(); } });
    previous.disabled = page === 0;
    next.disabled = last >= total;
    return el('div', { 'class': 'pager', 'data-total': String(total), 'data-page': String(page) },
      [el('span', { 'class': 'count', text: count }), previous, next]);
  }

  // ---------------------------------------------------------------- the other sections

  function loadWebhooks() {
    var chart = api('GET', '/ops/charts/webhooks-per-hour').then(function (rows) {
      stackedBars('webhooks-chart', rows, WEBHOOK_SERIES);
    }, function (error) { chartError('webhooks-chart', error); });
    var health = api('GET', '/ops/webhooks/health').then(function (rows) {
      fill('webhooks', table(['type', 'code', { label: 'total', num: true }, { label: 'ok', num: true }, { label: 'failed', num: true },
        { label: 'in progress', num: true }, { label: 'ignored', num: true }, { label: 'unknown item', num: true },
        { label: 'avg ms', num: true }, 'last received'], rows.map(function (r) {
        return [r.webhookType, r.webhookCode, r.totalEvents, r.successful, r.failed, r.inProgress, r.ignored, r.unknownItem,
          r.avgProcessingTimeMs, when(r.lastReceived)];
      }), 'No webhook in the last 24 hours.'));
    }, function (error) { failSection('webhooks', error); });
    return Promise.all([chart, health]);
  }

  function loadSynced() {
    return api('GET', '/ops/charts/items-synced-per-hour').then(function (rows) {
      stackedBars('synced-chart', rows, SYNC_SERIES);
    }, function (error) { chartError('synced-chart', error); });
  }

  // Counts per product and the first page of stale users (stalest first): never the whole list.
  function loadFreshness() {
    return api('GET', pagePath('freshness', '/ops/freshness')).then(function (answer) {
      var stale = answer.stale || [];
      var thresholds = answer.thresholds || {};
      var counts = answer.counts || {};
      var products = ['holdings', 'transactions', 'balances'];
      var chips = el('div', { 'class': 'chips' }, products.map(function (product) {
        return el('span', { 'class': 'chip', 'data-product': product,
          text: product + ': ' + (counts[product] || 0) + ' stale (older than ' + isoDuration(thresholds[product]) + ')' });
      }));
      var now = Date.now();
      var rows = stale.map(function (row) {
        return [row.product, el('code', { text: text(row.user_id) }), row.last_sync ? when(row.last_sync) : 'never',
          row.last_sync ? seconds((now - new Date(row.last_sync)) / 1000) : '–', row.account_count, row.error_accounts];
      });
      var list = table(['product', 'user', 'last sync', 'ago', { label: 'accounts', num: true }, { label: 'error accounts', num: true }],
        rows, 'Every user is fresh.');
      if (!pageStillThere('freshness', stale.length, loadFreshness)) { return; }
      fill('freshness', el('div', {}, [chips, pager('freshness', stale.length, answer.total || 0, true, 'stale, stalest first', loadFreshness), list]));
    }, function (error) { failSection('freshness', error); });
  }

  function loadAttention() {
    return api('GET', pagePath('attention', '/ops/items/attention')).then(function (items) {
      if (!pageStillThere('attention', items.length, loadAttention)) { return; }
      var rows = items.map(function (item) {
        var due = item.pending_disconnect_at ? 'disconnects ' + when(item.pending_disconnect_at)
          : item.consent_expiration_at ? 'consent expires ' + when(item.consent_expiration_at) : '–';
        var tell = item.status === 'NEEDS_USER' ? el('button', { type: 'button', 'data-action': 'tell-user', 'data-item': String(item.item_id),
          text: 'What to tell the user', onclick: function () { location.hash = 'item/' + encodeURIComponent(item.item_id); } }) : null;
        return [itemLink(item.item_id), institution(item.institution_name, item.institution_id), badge(item.status),
          item.status_reason || item.pending_disconnect_reason, seconds(item.age_seconds), due,
          el('span', {}, (tell ? [tell] : []).concat([el('button', { type: 'button', 'class': 'danger', 'data-action': 'remove', 'data-item': String(item.item_id), text: 'Remove',
            onclick: function () {
              act('Remove item ' + item.item_id + '?', 'This ends the item at Plaid and deletes its accounts, holdings and '
                + 'transactions here. The user must link the institution again to get them back.', 'Remove item',
                'POST', '/ops/items/' + encodeURIComponent(item.item_id) + '/remove', function () {
                  return 'Item ' + item.item_id + ' was removed at Plaid and here.';
                });
            } })]))];
      });
      fill('attention', el('div', {}, [pager('attention', items.length, items.total, items.totalExact, 'items', loadAttention),
        table(['item', 'institution', 'status', 'reason', 'for', 'due', { label: '', cls: 'actions' }], rows,
        'No item needs its user.')]));
    }, function (error) { failSection('attention', error); });
  }

  // Issue 12: retiring an access-token key. The run shows in "Running jobs" with its progress like any job.
  function loadTokenKeys() {
    return api('GET', pagePath('token-keys', '/ops/items/unreadable-tokens')).then(function (answer) {
      if (!pageStillThere('token-keys', answer.items.length, loadTokenKeys)) { return; }
      var rows = answer.items.map(function (item) {
        return [el('code', { text: text(item.item_id) }), item.institution_id, badge(item.status), el('code', { text: text(item.missing_key_id) })];
      });
      fill('token-keys', el('div', {}, [
        el('p', { text: 'New tokens are encrypted with key ' + answer.currentKeyId + '. Items below need a key PLAIDSYNC_TOKEN_KEY no longer lists; they are never removed until it is added back.' }),
        pager('token-keys', answer.items.length, answer.total, true, 'items with an unreadable token', loadTokenKeys),
        table(['item', 'institution', 'status', 'missing key'], rows, 'Every stored token can be read.')]));
    }, function (error) { failSection('token-keys', error); });
  }

  $('token-reencrypt').addEventListener('click', function () {
    act('Re-encrypt every access token?', 'A batch job decrypts each stored token and encrypts it again under the first key '
      + 'of PLAIDSYNC_TOKEN_KEY. It calls nothing at Plaid and can be stopped and restarted. When it has completed with no '
      + 'failed items, older keys can be dropped from PLAIDSYNC_TOKEN_KEY.', 'Re-encrypt', 'POST', '/ops/token-reencrypt',
      function (answer) { return 'Re-encryption under key ' + answer.keyId + ' started as execution ' + answer.jobExecutionId + '.'; });
  });

  function loadRetries() {
    return api('GET', pagePath('retries', '/ops/items/retries')).then(function (rows) {
      if (!pageStillThere('retries', rows.length, loadRetries)) { return; }
      fill('retries', el('div', {}, [pager('retries', rows.length, rows.total, rows.totalExact, 'institution and job groups', loadRetries), table(['institution', 'job', { label: 'waiting', num: true }, { label: 'for next sweep', num: true },
        'next retry', 'failing since', 'last error'], rows.map(function (r) {
        return [r.institutionName ? r.institutionName + ' (' + r.institutionId + ')' : r.institutionId, r.jobName, r.waiting, r.waitingForSweep, r.nextDueAt ? when(r.nextDueAt) : 'next sweep',
          when(r.failingSince), r.lastErrorCode];
      }), 'No item waits for a retry.')]));
    }, function (error) { failSection('retries', error); });
  }

  function loadAudit() {
    return api('GET', pagePath('audit', '/ops/audit')).then(function (entries) {
      if (!pageStillThere('audit', entries.length, loadAudit)) { return; }
      fill('audit', el('div', {}, [pager('audit', entries.length, entries.total, entries.totalExact, 'actions', loadAudit), table(['when', 'who', 'action', { label: 'target', cls: 'reason' }, 'result', { label: 'detail', cls: 'reason' }], entries.map(function (e) {
        return [when(e.at), e.actor, e.action, e.target, badge(e.result), e.detail];
      }), 'No operator action yet.')]));
    }, function (error) { failSection('audit', error); });
  }

  function loadWebhookRetries() {
    return api('GET', pagePath('webhook-retries', '/ops/webhooks/retrying')).then(function (answer) {
      var events = answer.events || [];
      if (!pageStillThere('webhook-retries', events.length, loadWebhookRetries)) { return; }
      var rows = events.map(function (e) {
        return [el('code', { text: text(e.itemId) }), e.webhookType + '/' + e.webhookCode, when(e.nextAttemptAt),
          e.retries, e.statusReason, e.lastError];
      });
      var count = pager('webhook-retries', events.length, answer.count, true, 'waiting, due soonest first', loadWebhookRetries);
      fill('webhook-retries', el('div', {}, [count, table(['item', 'webhook', 'next attempt', { label: 'retries', num: true },
        { label: 'why', cls: 'reason' }, { label: 'last error', cls: 'reason' }], rows, 'No webhook waits for a retry.')]));
    }, function (error) { failSection('webhook-retries', error); });
  }

  // ---------------------------------------------------------------- drill-down pages (issue 28)
  // One page at a time in place of the panels, named by the address's fragment: #execution/<id>, #item/<item id>,
  // #user/<user id>, #search/<query>. Back (or the browser's back) returns to the panels.

  function link(label, hash) { return el('a', { href: '#' + hash, text: label }); }

  function itemLink(itemId) { return el('a', { href: '#item/' + encodeURIComponent(itemId), 'data-item': String(itemId) }, [el('code', { text: text(itemId) })]); }

  function userLink(userId) { return el('a', { href: '#user/' + encodeURIComponent(userId), 'data-user': String(userId) }, [el('code', { text: text(userId) })]); }

  function executionLink(id) { return id ? link('#' + id, 'execution/' + id) : '–'; }

  function institution(name, id) { return name ? name + (id ? ' (' + id + ')' : '') : text(id); }

  function facts(pairs) {
    return el('dl', { 'class': 'facts' }, [].concat.apply([], pairs.map(function (pair) {
      return [el('dt', { text: pair[0] }), (pair[1] instanceof Node) ? el('dd', {}, [pair[1]]) : el('dd', { text: text(pair[1]) })];
    })));
  }

  var route = null;

  function showDetail(title, nodes) {
    fill('detail', el('div', {}, [el('h2', { text: title })].concat(nodes)));
  }

  function routeChanged() {
    var hash = decodeURIComponent((location.hash || '').replace(/^#/, ''));
    var slash = hash.indexOf('/');
    var kind = slash > 0 ? hash.substring(0, slash) : '';
    var key = slash > 0 ? hash.substring(slash + 1) : '';
    var pagesFor = { execution: renderExecutionPage, item: renderItemPage, user: renderUserPage, search: renderSearchPage };
    if (!pagesFor[kind] || !key) {
      route = null;
      $('console').classList.remove('detail-open');
      $('detail').hidden = true;
      return;
    }
    if (!route || route.kind !== kind || route.key !== key) { pages.detail = 0; route = { kind: kind, key: key, outcome: '' }; }
    $('console').classList.add('detail-open');
    $('detail').hidden = false;
    fill('detail', el('p', { 'class': 'hint', text: 'Loading…' }));
    window.scrollTo(0, 0);
    if (sessionStorage.getItem(TOKEN_KEY)) { pagesFor[kind](key); }
  }

  function reloadRoute() { if (route) { routeChanged(); } }

  window.addEventListener('hashchange', routeChanged);

  $('detail-back').addEventListener('click', function (event) {
    event.preventDefault();
    history.pushState(null, '', location.pathname + location.search);
    routeChanged();
  });

  // Every execution row of the panels opens its page from its first cell (the id).
  document.addEventListener('click', function (event) {
    var cell = event.target.closest && event.target.closest('tr[data-execution] > td:first-child');
    if (cell) { location.hash = 'execution/' + cell.parentNode.getAttribute('data-execution'); }
  });

  $('search-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var q = $('search-q').value.trim();
    if (!q) { flash('Refused: enter an item id, a user id, an institution id or the start of an institution name.', true); return; }
    location.hash = 'search/' + encodeURIComponent(q);
  });

  var OUTCOMES = [['', 'all'], ['FAILED', 'failed'], ['RETRYING', 'waiting for a retry'], ['SKIPPED', 'skipped'], ['WRITTEN', 'written']];

  function renderExecutionPage(id) {
    var outcome = route.outcome || '';
    var path = '/ops/executions/' + encodeURIComponent(id);
    Promise.all([api('GET', path + '/outcomes'),
      api('GET', pagePath('detail', path + '/items' + (outcome ? '?outcome=' + outcome : '')))]).then(function (answers) {
      var run = answers[0], items = answers[1], counts = run.counts;
      var numbers = { '': counts.failed + counts.skipped + (counts.writtenListed ? counts.written : 0), FAILED: counts.failed,
        RETRYING: counts.retrying, SKIPPED: counts.skipped, WRITTEN: counts.written };
      var chips = el('div', { 'class': 'counts' }, OUTCOMES.map(function (o) {
        return el('span', { 'class': 'chip' + (o[0] === outcome ? ' selected' : ''), 'data-outcome': o[0] || 'ALL',
          text: o[1] + ': ' + Number(numbers[o[0]] || 0).toLocaleString(), onclick: function () {
            route.outcome = o[0]; pages.detail = 0; routeChanged();
          } });
      }));
      var codes = table(['Plaid code', 'kind', { label: 'items', num: true }], (run.byErrorCode || []).map(function (c) {
        return [c.errorCode, c.failureKind, c.items];
      }), 'No item failed.');
      var rows = items.map(function (item) {
        var retry = item.retrying ? (item.retryDueAt ? 'due ' + when(item.retryDueAt) : 'next sweep')
          + ' (failed ' + item.retryAttempts + '×)' : '–';
        return [itemLink(item.itemId), institution(item.institutionName, item.institutionId), badge(item.outcome), item.errorCode,
          item.message, retry, when(item.at)];
      });
      var restart = el('button', { type: 'button', 'data-action': 'restart-failed', text: 'Restart only the failed items…',
        onclick: function () {
          act('Restart the ' + (counts.failed + counts.skipped) + ' failed item(s) of execution ' + id + '?',
            'Each failed or skipped item runs alone (' + run.jobName + ', scope ITEM) through the launcher; items that need '
            + 'their user or were removed are left out. The execution itself stays as it is.', 'Restart failed items',
            'POST', path + '/restart-failed', function (answer) {
              setTimeout(reloadRoute, 0);
              return 'Asked for ' + answer.launched.length + ' item run(s) of ' + answer.jobName + '; left out '
                + answer.notLaunched.length + (answer.notLaunched.length ? ' (' + answer.notLaunched.map(function (n) {
                  return n.itemId + ': ' + n.why; }).join('; ') + ')' : '') + '.';
            });
        } });
      restart.disabled = run.running || (counts.failed + counts.skipped) === 0;
      showDetail(run.jobName + ' #' + run.id, [
        facts([['status', badge(run.status)], ['exit code', run.exitCode], ['parameters', paramsText(run.parameters)],
          ['started', when(run.startTime)], ['ended', run.endTime ? when(run.endTime) : (run.running ? 'still running' : '–')],
          ['duration', seconds(run.durationSeconds)],
          ['items read', Number(run.read).toLocaleString() + (run.total ? ' of ' + Number(run.total).toLocaleString() : '')],
          ['rate', run.itemsPerMinute === null ? '–' : run.itemsPerMinute + ' items/min'],
          ['written', Number(counts.written).toLocaleString() + (counts.writtenListed ? '' : ' (a sweep lists only its failures)')]]),
        el('p', {}, [restart]),
        el('h3', { text: 'Failures by Plaid code' }), codes,
        el('h3', { text: 'Items' }), chips,
        pager('detail', items.length, items.total, items.totalExact, 'items', reloadRoute),
        table(['item', 'institution', 'outcome', 'Plaid code', { label: 'message', cls: 'reason' }, 'retry', 'when'], rows,
          'No item with this outcome.')]);
    }, function (error) { failSection('detail', error); });
  }

  var KIND_LABELS = { WEBHOOK: 'webhook', RUN: 'run', FAILURE: 'Plaid error', STATUS: 'status', RECONCILIATION: 'reconciliation', SYNCED: 'written' };

  function adviceFor(item, advice) {
    if (!advice) { return null; }
    return el('div', { 'class': 'advice', 'data-advice': 'NEEDS_USER' }, [
      el('strong', { text: 'What to tell the user: ' }),
      el('span', { text: 'their ' + (item.institutionName || 'institution') + ' connection needs them to sign in again. '
        + 'In the app they open the brokerage and choose Reconnect; Plaid Link opens in update mode, they sign in, and the '
        + 'item syncs at once. Nothing is lost meanwhile. ' }),
      el('p', { 'class': 'hint', text: advice })]);
  }

  function itemFacts(item) {
    return facts([['user', userLink(item.userId)], ['institution', institution(item.institutionName, item.institutionId)],
      ['status', badge(item.status)], ['reason', item.statusReason], ['since', when(item.statusChangedAt)],
      ['last error', item.lastErrorCode ? item.lastErrorCode + (item.lastErrorMessage ? ': ' + item.lastErrorMessage : '') + ' at ' + when(item.lastErrorAt) : '–'],
      ['holdings written', when(item.holdingsSyncedAt)], ['transactions written', when(item.transactionsSyncedAt)],
      ['balances written', when(item.balancesSyncedAt)], ['linked', when(item.createdAt)]]);
  }

  function renderItemPage(itemId) {
    api('GET', pagePath('detail', '/ops/items/' + encodeURIComponent(itemId) + '/timeline')).then(function (answer) {
      var item = answer.item;
      var rows = answer.entries.map(function (entry) {
        return [when(entry.at), KIND_LABELS[entry.kind] || entry.kind, entry.title, entry.outcome ? badge(entry.outcome) : '–',
          entry.detail, entry.executionId ? executionLink(entry.executionId) : (entry.webhookEventId ? el('code', { text: entry.webhookEventId }) : '–')];
      });
      var page = pageOf('detail');
      var previous = el('button', { type: 'button', 'class': 'quiet', 'data-page': 'previous', text: '‹ Newer',
        onclick: function () { pages.detail = Math.max(0, page - 1); reloadRoute(); } });
      var next = el('button', { type: 'button', 'class': 'quiet', 'data-page': 'next', text: 'Older ›',
        onclick: function () { pages.detail = page + 1; reloadRoute(); } });
      previous.disabled = page === 0;
      next.disabled = !answer.more;
      var nodes = [itemFacts(item)];
      var advice = adviceFor(item, answer.userAdvice);
      if (advice) { nodes.push(advice); }
      nodes.push(el('h3', { text: 'Timeline, newest first' }), el('div', { 'class': 'pager' }, [previous, next]),
        el('div', { id: 'timeline' }, [table(['when', 'what', { label: 'detail', cls: 'reason' }, 'outcome', { label: 'more', cls: 'reason' }, 'execution / event'],
          rows, 'Nothing recorded for this item.')]));
      showDetail('Item ' + item.itemId, nodes);
    }, function (error) { failSection('detail', error); });
  }

  function freshnessRows(items) {
    return items.map(function (item) {
      return [itemLink(item.itemId), institution(item.institutionName, item.institutionId), badge(item.status),
        when(item.holdingsSyncedAt), when(item.transactionsSyncedAt), when(item.balancesSyncedAt), item.lastErrorCode];
    });
  }

  var FRESHNESS_HEADERS = ['item', 'institution', 'status', 'holdings written', 'transactions written', 'balances written', 'last error'];

  function renderUserPage(userId) {
    api('GET', pagePath('detail', '/ops/users/' + encodeURIComponent(userId))).then(function (answer) {
      showDetail('User ' + answer.userId, [pager('detail', answer.items.length, answer.total, answer.totalExact, 'items', reloadRoute),
        table(FRESHNESS_HEADERS, freshnessRows(answer.items), 'This user has no item.')]);
    }, function (error) { failSection('detail', error); });
  }

  var MATCHED = { item_id: 'item id', user_id: 'user id', institution_id: 'institution id', institution_name: 'institution name' };

  function renderSearchPage(q) {
    $('search-q').value = q;
    api('GET', pagePath('detail', '/ops/search?q=' + encodeURIComponent(q))).then(function (items) {
      var rows = items.map(function (item) {
        return [MATCHED[item.matchedBy] || item.matchedBy, itemLink(item.itemId), userLink(item.userId),
          institution(item.institutionName, item.institutionId), badge(item.status), when(item.holdingsSyncedAt), item.lastErrorCode];
      });
      showDetail('Found for “' + q + '”', [pager('detail', items.length, items.total, items.totalExact, 'items', reloadRoute),
        el('div', { id: 'search-results' }, [table(['matched by', 'item', 'user', 'institution', 'status', 'holdings written', 'last error'], rows,
          'Nothing matches. Item ids and institution ids match from their start, user ids whole or by their first digits, '
          + 'institution names by their first letters.')])]);
    }, function (error) { failSection('detail', error); });
  }

  // Schedules: each sweep's cron in its zone, the next run in that zone with UTC beside.
  function loadSchedules() {
    return api('GET', '/ops/schedules').then(function (schedules) {
      fill('schedules', table(['schedule', 'cron', 'zone', 'next run'], schedules.map(function (s) {
        return [s.name, el('code', { text: s.cron }), s.zone, s.nextRun ? whenIn(s.nextRun, s.zone) : 'disabled'];
      }), 'No sweep is scheduled.'));
    }, function (error) { failSection('schedules', error); });
  }

  // ---------------------------------------------------------------- launch a run, replay a webhook event

  function actWithBody(title, message, label, method, path, body, describe) {
    return confirmThen(title, message, label).then(function (confirmed) {
      if (!confirmed) { return false; }
      return api(method, path, body).then(function (answer) {
        flash(describe(answer), false);
        return true;
      }, function (error) {
        if (!error.unauthorized) { flash('Refused: ' + error.message, true); }
        return false;
      }).then(function (done) { tick = 0; refresh(); return done; });
    });
  }

  function launchFormChanged() {
    var scope = $('launch-scope').value;
    $('launch-target-label').hidden = scope === 'ALL';
    $('launch-target-label').firstChild.textContent = scope === 'USER' ? 'User id ' : 'Item id ';
    $('launch-window-label').hidden = $('launch-job').value !== 'transactionsSyncJob';
  }

  var LAUNCH_OUTCOMES = {
    STARTED: 'started as execution #',
    JOINED_PENDING: 'joined the run already waiting to start',
    QUEUED_AFTER_RUNNING: 'will run once more after the run in progress',
    ALREADY_COMPLETE: 'already complete for this slot; nothing to do',
    DEFERRED: 'could not start just now; it waits and is retried'
  };

  $('launch-job').addEventListener('change', launchFormChanged);
  $('launch-scope').addEventListener('change', launchFormChanged);
  launchFormChanged();

  $('launch-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var job = $('launch-job').value;
    var scope = $('launch-scope').value;
    var target = $('launch-target').value.trim();
    var body = { scope: scope };
    if (scope === 'ITEM') { body.itemId = target; }
    if (scope === 'USER') { body.userId = target; }
    if (job === 'transactionsSyncJob') { body.window = $('launch-window').value; }
    if (scope !== 'ALL' && !target) {
      flash('Refused: enter the ' + (scope === 'USER' ? 'user id' : 'item id') + ' to launch for.', true);
      return;
    }
    var what = scope === 'ALL' ? 'every active item' : (scope === 'USER' ? 'user ' : 'item ') + target;
    var cost = scope === 'ALL' ? ' A run over every item spends the sweep share of Plaid\'s rate limit for as long as it takes.' : '';
    actWithBody('Launch ' + job + ' for ' + what + '?',
      'It calls Plaid for ' + what + (body.window ? ' over the ' + body.window.toLowerCase() + ' window' : '') + '.' + cost,
      'Launch', 'POST', '/ops/jobs/' + encodeURIComponent(job) + '/launch', body, function (outcome) {
        var said = LAUNCH_OUTCOMES[outcome.status] || outcome.status;
        return job + ' for ' + what + ': ' + (outcome.status === 'STARTED' ? said + outcome.jobExecutionId : said) + '.'
          + (outcome.message ? ' ' + outcome.message : '');
      });
  });

  function replay(eventId) {
    return actWithBody('Replay webhook event ' + eventId + '?',
      'A copy enters the inbox as RECEIVED and is dispatched again, so the sync it asks for runs again. '
      + 'The original event stays as it was.', 'Replay', 'POST',
      '/ops/webhooks/events/' + encodeURIComponent(eventId) + '/replay', undefined, function (answer) {
        return 'Webhook event ' + eventId + ' replayed as ' + answer.replayEventId + ' (' + answer.status + '). ' + (answer.message || '');
      });
  }

  $('events-status').addEventListener('change', function () { pages.events = 0; loadEvents(); });

  $('events-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var id = $('replay-id').value.trim();
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) {
      flash('Refused: a webhook event id is a UUID such as 3f2b…-…; copy it from the list or the API.', true);
      return;
    }
    replay(id).then(function (done) { if (done) { $('replay-id').value = ''; } });
  });

  function loadEvents() {
    var status = $('events-status').value;
    return api('GET', pagePath('events', '/ops/webhooks/events' + (status ? '?status=' + encodeURIComponent(status) : ''))).then(function (events) {
      if (!pageStillThere('events', events.length, loadEvents)) { return; }
      var rows = events.map(function (e) {
        var replayable = e.status === 'DONE' || e.status === 'FAILED';
        return [when(e.createdAt), e.webhookType + ' / ' + e.webhookCode, el('code', { text: text(e.itemId) }), badge(e.status),
          e.errorMessage || e.statusReason,
          replayable ? el('button', { type: 'button', 'class': 'quiet', 'data-action': 'replay', 'data-event': String(e.id), text: 'Replay',
            onclick: function () { replay(e.id); } }) : ''];
      });
      fill('events', el('div', {}, [pager('events', events.length, events.total, events.totalExact, 'events', loadEvents),
        table(['received', 'type / code', 'item', 'status', { label: 'reason', cls: 'reason' }, { label: '', cls: 'actions' }],
        rows, status ? 'No ' + status.toLowerCase() + ' webhook event.' : 'No webhook event yet.')]));
      $('events').querySelectorAll('tbody tr').forEach(function (tr, i) {
        if (events[i]) { tr.setAttribute('data-event', String(events[i].id)); }
      });
    }, function (error) { failSection('events', error); });
  }

  // ---------------------------------------------------------------- outgoing events (Standard Webhooks deliveries)

  function replayOutgoing(eventId) {
    return actWithBody('Replay outgoing event ' + eventId + '?',
      'It is delivered again to the app\'s backend with the same webhook-id, at the user\'s next attempt.', 'Replay', 'POST',
      '/ops/notifications/events/' + encodeURIComponent(eventId) + '/replay', undefined, function () {
        return 'Outgoing event ' + eventId + ' is pending again.';
      });
  }

  $('outgoing-state').addEventListener('change', function () { pages.outgoing = 0; loadOutgoing(); });

  function lastAttempt(e) {
    if (!e.attempts) { return 'not attempted'; }
    var outcome = (e.lastHttpStatus !== null && e.lastHttpStatus !== undefined) ? 'HTTP ' + e.lastHttpStatus : text(e.lastError);
    return outcome + (e.lastLatencyMs !== null && e.lastLatencyMs !== undefined ? ' in ' + e.lastLatencyMs + ' ms' : '');
  }

  function loadOutgoing() {
    var state = $('outgoing-state').value;
    return api('GET', pagePath('outgoing', '/ops/notifications/events' + (state ? '?state=' + encodeURIComponent(state) : ''))).then(function (events) {
      if (!pageStillThere('outgoing', events.length, loadOutgoing)) { return; }
      var rows = events.map(function (e) {
        return [when(e.occurredAt), e.type, el('code', { text: text(e.userId) }), badge(e.delivery), e.attempts, lastAttempt(e),
          el('button', { type: 'button', 'class': 'quiet', 'data-action': 'replay-outgoing', 'data-event': String(e.id), text: 'Replay',
            onclick: function () { replayOutgoing(e.id); } })];
      });
      fill('outgoing', el('div', {}, [pager('outgoing', events.length, events.total, events.totalExact, 'events', loadOutgoing),
        table(['occurred', 'type', 'user', 'state', { label: 'attempts', num: true }, { label: 'last attempt', cls: 'reason' },
          { label: '', cls: 'actions' }], rows, state ? 'No ' + state.toLowerCase() + ' outgoing event.' : 'No outgoing event yet.')]));
    }, function (error) { failSection('outgoing', error); });
  }

  // ---------------------------------------------------------------- the refresh loop

  var refreshing = false;

  function refresh() {
    if (refreshing || !sessionStorage.getItem(TOKEN_KEY)) { return; }
    refreshing = true;
    var work = [loadExecutions()];
    if (tick % OTHERS_EVERY_TICKS === 0) {
      work.push(loadWebhooks(), loadSynced(), loadFreshness(), loadAttention(), loadTokenKeys(), loadRetries(), loadAudit());
      work.push(loadWebhookRetries(), loadEvents(), loadOutgoing(), loadSchedules());
    }
    tick++;
    Promise.all(work).then(function () {
      $('banner').hidden = true;
      $('refreshed').textContent = 'updated ' + when(new Date().toISOString());
    }).catch(function (error) {
      if (!error.unauthorized) { $('banner').textContent = error.message; $('banner').hidden = false; }
    }).then(function () { refreshing = false; });
  }

  if (sessionStorage.getItem(TOKEN_KEY)) {
    api('GET', '/ops/jobs').then(start, function (error) {
      if (!error.unauthorized) { showSignIn(error.message); }
    });
  } else {
    showSignIn(null);
  }
})();

// Reconciliation breaks (GET /ops/reconciliation): accounts whose holdings moved between two daily snapshots
// without matching transactions. Self-contained: its own fetch and rendering, every 15 s while signed in.
(function () {
  'use strict';

  var TOKEN_KEY = 'plaidsync.ops.token';

  function cell(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = (value === null || value === undefined || value === '') ? '–' : String(value);
    if (cls) { node.className = cls; }
    return node;
  }

  function render(answer) {
    var body = document.querySelector('#reconciliation .body');
    if (!body) { return; }
    body.textContent = '';
    var summary = cell('p', answer.accounts_with_breaks + ' account(s) with holdings that moved without matching transactions.', 'hint');
    body.appendChild(summary);
    if (!answer.accounts.length) {
      summary.textContent = 'Every checked account reconciles: holdings moved only as their transactions say.';
      return;
    }
    var table = document.createElement('table');
    var head = document.createElement('tr');
    ['account', 'institution', 'item', 'security', 'between', 'holdings change', 'transactions', 'difference', 'detected']
      .forEach(function (label) { head.appendChild(cell('th', label)); });
    table.appendChild(head);
    answer.accounts.forEach(function (account) {
      account.securities.forEach(function (security) {
        var row = document.createElement('tr');
        row.setAttribute('data-account', account.account_id);
        row.appendChild(cell('td', (account.account_name || '') + ' ' + account.account_id));
        row.appendChild(cell('td', account.institution_name));
        row.appendChild(cell('td', account.item_id));
        row.appendChild(cell('td', security.ticker || security.name || security.security_id));
        row.appendChild(cell('td', security.from_day + ' → ' + security.to_day));
        row.appendChild(cell('td', security.holdings_change, 'num'));
        row.appendChild(cell('td', security.transactions_quantity, 'num'));
        row.appendChild(cell('td', security.difference, 'num'));
        row.appendChild(cell('td', security.detected_at ? window.PlaidSyncTimes.when(security.detected_at) : null));
        table.appendChild(row);
      });
    });
    var scroller = document.createElement('div');
    scroller.style.overflowX = 'auto';
    scroller.appendChild(table);
    body.appendChild(scroller);
  }

  function load() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var section = document.getElementById('reconciliation');
    if (!token || !section || document.getElementById('console').hidden) { return; }
    fetch('/ops/reconciliation?limit=100', { headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' }, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('The engine answered ' + response.status + ' for /ops/reconciliation'); }
        return response.json();
      })
      .then(render, function (error) {
        var body = document.querySelector('#reconciliation .body');
        if (body) { body.textContent = ''; body.appendChild(cell('p', error.message, 'error')); }
      });
  }

  setInterval(load, 15000);
  setTimeout(load, 500);
  new MutationObserver(load).observe(document.getElementById('console'), { attributes: true, attributeFilter: ['hidden'] });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) { load(); } });
})();
