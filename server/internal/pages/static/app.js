// 应急值班室: loads each page's fragment with the caller's token, grades the
// intake form as it is filled, posts events to the API and shows a
// rejection where it happened. No libraries, nothing fetched from elsewhere.
'use strict';
(function () {
  const TOKEN_KEY = 'yingji.token';
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // The server's clock minus the browser's, so that countdowns and default
  // times follow the server (and its test clock), not the workstation.
  let clockOffset = 0;
  let ticker = null;
  let refresher = null;

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
  }
  function setToken(t) {
    try { if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* private mode */ }
  }
  function headers(h) {
    h = h || {};
    const t = token();
    if (t) h['Authorization'] = 'Bearer ' + t;
    return h;
  }
  function serverNow() { return new Date(Date.now() + clockOffset); }

  // ---- fragments ----------------------------------------------------------

  async function loadFragment(opts) {
    opts = opts || {};
    const main = $('#main');
    if (!main) return;
    main.setAttribute('aria-busy', 'true');
    let res;
    try {
      res = await fetch(main.dataset.fragment, { headers: headers({ 'Accept': 'text/html' }), cache: 'no-store' });
    } catch (e) {
      main.textContent = '无法连接服务器，请检查网络后刷新页面。';
      main.removeAttribute('aria-busy');
      return;
    }
    if (res.status === 401) { showLogin(opts.loginError); return; }
    const html = await res.text();
    // The fragment is html/template output from this server: escaped.
    main.innerHTML = html;
    main.hidden = false;
    main.removeAttribute('aria-busy');
    $('#login').hidden = true;
    $('#logout').hidden = !token();
    initFragment(main);
    if (opts.flash) flash(opts.flash);
    if (opts.focus) { const el = $(opts.focus, main); if (el) el.focus(); }
    document.dispatchEvent(new CustomEvent('yingji:loaded'));
  }

  function initFragment(main) {
    const f = $('.fragment', main);
    if (f && f.dataset.title) document.title = f.dataset.title + ' · 应急值班室';
    if (f && f.dataset.now) {
      const t = Date.parse(f.dataset.now);
      if (!isNaN(t)) clockOffset = t - Date.now();
    }
    $$('.picklist', main).forEach(bindPick);
    $$('form.event-form', main).forEach(form => {
      // Enter in a field must not send a report: only the button does.
      const hold = e => {
        if (e.key === 'Enter' && e.target.tagName === 'INPUT' && e.target.type !== 'submit') e.preventDefault();
      };
      form.addEventListener('keydown', hold);
      form.addEventListener('keypress', hold);
      if (form.dataset.intake) bindIntake(form); else bindEvent(form);
    });
    $$('[data-check-all]', main).forEach(b => b.addEventListener('click', () => {
      $$('input[type=checkbox]', b.closest('fieldset')).forEach(c => { c.checked = true; });
    }));
    $$('[data-print]', main).forEach(b => b.addEventListener('click', () => window.print()));
    $$('[data-expand]', main).forEach(b => b.addEventListener('click', () => {
      const all = $$('details.why', main);
      const open = !all.every(d => d.open);
      all.forEach(d => { d.open = open; });
      b.textContent = open ? '收起全部依据' : '展开全部依据';
    }));
    $$('[data-envelope="occurredAt"]', main).forEach(input => {
      input.addEventListener('input', () => { input.dataset.auto = '0'; });
    });
    clearInterval(ticker);
    tick();
    ticker = setInterval(tick, 1000);
    clearTimeout(refresher);
    if (f && f.dataset.refresh) {
      refresher = setTimeout(function again() {
        const busy = document.activeElement && document.activeElement.closest && document.activeElement.closest('form');
        if (document.visibilityState === 'visible' && !busy) loadFragment();
        else refresher = setTimeout(again, 5000);
      }, Number(f.dataset.refresh) * 1000);
    }
  }

  function flash(text) {
    const el = $('#flash');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(flash.t);
    flash.t = setTimeout(() => { el.hidden = true; }, 6000);
  }

  // ---- countdowns ---------------------------------------------------------

  function two(n) { return (n < 10 ? '0' : '') + n; }
  function span(ms) {
    const s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return h > 0 ? h + ':' + two(m) + ':' + two(r) : m + ':' + two(r);
  }
  function tick() {
    const now = serverNow().getTime();
    $$('[data-due]').forEach(el => {
      const due = Date.parse(el.dataset.due);
      const cd = $('.countdown', el);
      if (isNaN(due) || !cd) return;
      const left = due - now;
      if (left < 0) {
        el.classList.add('overdue');
        cd.textContent = '已超时 ' + span(left);
        if (el.dataset.late && !$('.late-label', el)) {
          const s = document.createElement('strong');
          s.className = 'late-label';
          s.textContent = el.dataset.late;
          cd.after(' ', s);
        }
      } else {
        cd.textContent = '剩余 ' + span(left);
      }
    });
  }

  // ---- pick lists (localities, industries: search by name or alias) -------

  function bindPick(fs) {
    const q = $('.pick-filter', fs);
    const opts = $$('.pick', fs);
    const none = $('.pick-none', fs);
    if (!q) return;
    const filter = () => {
      const s = q.value.trim().toLowerCase();
      let n = 0;
      opts.forEach(o => {
        const show = !s || (o.dataset.search || '').includes(s) || $('input', o).checked;
        o.hidden = !show;
        if (show) n++;
      });
      none.hidden = n > 0;
    };
    q.addEventListener('input', filter);
    q.addEventListener('keydown', e => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const s = q.value.trim().toLowerCase();
      const hits = opts.filter(o => !o.hidden && !$('input', o).checked && (o.dataset.search || '').includes(s));
      if (s && hits.length >= 1) {
        const cb = $('input', hits[0]);
        cb.checked = true;
        cb.dispatchEvent(new Event('change', { bubbles: true }));
        q.value = '';
        filter();
      }
    });
  }

  // ---- reading forms -------------------------------------------------------

  // localTime writes an instant as a datetime-local value in a UTC offset.
  function localTime(date, offset) {
    const sign = offset[0] === '-' ? -1 : 1;
    const [h, m] = offset.slice(1).split(':').map(Number);
    return new Date(date.getTime() + sign * (h * 60 + m) * 60000).toISOString().slice(0, 19);
  }
  function timeValue(input, root) {
    const tz = $('[data-offset-for="' + input.id + '"]', root);
    const offset = tz ? tz.value : '+08:00';
    let v = input.value;
    if (input.dataset.auto === '1') {
      v = localTime(serverNow(), offset);
      input.value = v;
    }
    if (!v) return '';
    if (v.length === 16) v += ':00';
    return v + offset;
  }

  // incident reads the grading inputs; an empty one is left out (unknown),
  // never sent as 0.
  function incident(root) {
    const out = {};
    $$('[data-input]', root).forEach(el => {
      const id = el.dataset.input;
      switch (el.dataset.kind) {
        case 'count': {
          const v = el.value.trim();
          if (v !== '') out[id] = Number(v);
          break;
        }
        case 'amount': {
          const v = el.value.trim().replace(/\s+/g, '');
          if (v !== '') out[id] = /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
          break;
        }
        case 'enum':
          if (el.value !== '') out[id] = el.value;
          break;
        case 'bool':
          if (el.value !== '') out[id] = el.value === 'true';
          break;
        case 'list': {
          const vals = $$('input[type=checkbox]:checked', el).map(c => c.value);
          if (vals.length) out[id] = vals;
          break;
        }
      }
    });
    return out;
  }

  function eventOf(form) {
    const ev = { type: form.dataset.type, data: {} };
    const actor = $('[data-envelope="actor"]', form);
    ev.actor = actor ? actor.value : '';
    const at = $('[data-envelope="occurredAt"]', form);
    ev.occurredAt = at ? timeValue(at, form) : '';
    const now = serverNow();
    const offset = ev.occurredAt ? ev.occurredAt.slice(-6) : '+08:00';
    ev.recordedAt = localTime(now, offset) + offset;
    if (ev.occurredAt && Date.parse(ev.occurredAt) > now.getTime()) ev.recordedAt = ev.occurredAt;
    $$('[data-field]', form).forEach(el => {
      const name = el.dataset.field;
      switch (el.dataset.kind) {
        case 'incident': {
          const inc = incident(el);
          if (Object.keys(inc).length) ev.data[name] = inc;
          break;
        }
        case 'checklist':
          ev.data[name] = $$('input[type=checkbox]:checked', el).map(c => c.value);
          break;
        case 'bool':
          if (el.checked) ev.data[name] = true;
          else if (el.dataset.required) ev.data[name] = false;
          break;
        case 'number':
        case 'count':
          if (el.value.trim() !== '') ev.data[name] = Number(el.value);
          break;
        case 'time': {
          const v = timeValue(el, form);
          if (v) ev.data[name] = v;
          break;
        }
        case 'list': {
          const vals = el.value.split(/[,，、;；\s]+/).map(s => s.trim()).filter(Boolean);
          if (vals.length) ev.data[name] = vals;
          break;
        }
        default:
          if (el.value.trim() !== '') ev.data[name] = el.value.trim();
      }
    });
    return ev;
  }

  function randomHex(n) {
    const b = new Uint8Array(n);
    crypto.getRandomValues(b);
    return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  }
  function stamp() { return localTime(serverNow(), '+08:00').replace(/[-:T]/g, '').slice(0, 12); }

  // ---- answers of the API --------------------------------------------------

  const codeText = {
    'guard.rejected': '预案不允许：',
    'phase.not-allowed': '当前阶段不允许该事件。',
    'event.out-of-order': '发生时间早于已记录的最后一个事件，该事件不接受补录。',
    'event.duplicate-id': '事件编号已被另一事件使用，请重新提交。',
    'auth.actor-not-permitted': '当前令牌不能以该单位的身份录入。',
    'auth.read-only': '当前令牌为只读，不能录入。',
    'incident.changed': '事件已有新的记录（可能是其他值班员录入的），请刷新页面后再提交。',
    'incident.exists': '事件编号已存在，请重新提交。',
    'request.too-large': '内容过长。',
    'incident.contended': '同时录入的人较多，请稍后重试。'
  };

  function fieldLabel(form, field) {
    if (!field) return '';
    const name = field.replace(/^data\./, '').split('.')[0];
    let el = $('[data-field="' + name + '"]', form) || $('[data-envelope="' + name + '"]', form);
    if (!el) return '';
    if (el.tagName === 'FIELDSET') { const lg = $('legend', el); return lg ? lg.firstChild.textContent.trim() : ''; }
    const lb = el.id ? $('label[for="' + el.id + '"]', form) : null;
    return lb ? lb.firstChild.textContent.trim() : '';
  }

  // guardOf finds the guard that refused an event among the form's own
  // list (the plan's words and clause).
  function guardOf(form, p) {
    const id = p.guard || (p.params && p.params.guard);
    const li = id ? $('li[data-guard="' + CSS.escape(id) + '"]', form) : null;
    return li ? { message: $('.msg', li).textContent, clause: li.dataset.clause } : null;
  }

  function problemText(form, p) {
    if (p.code === 'guard.rejected') {
      const g = guardOf(form, p);
      if (g) return g.message;
      const m = /\]:\s*(.+)$/.exec(p.message || '');
      return m ? m[1] : '未通过预案的检查。';
    }
    if (codeText[p.code]) return codeText[p.code];
    const label = fieldLabel(form, p.field);
    if (p.code && (p.code.startsWith('input.') || p.code === 'event.invalid')) {
      return (label ? '“' + label + '”' : '内容') + '填写有误或缺少。';
    }
    return '提交未被接受（' + (p.code || '未知原因') + '）。';
  }

  async function showRejection(form, res) {
    const box = $('.form-error', form);
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    const err = (body && body.error) || {};
    const problems = err.problems && err.problems.length ? err.problems : [err];
    box.textContent = '';
    const head = document.createElement('strong');
    head.textContent = res.status === 422 ? '未被接受：' : (res.status === 403 ? '无权录入：' : '未能提交：');
    box.append(head);
    problems.forEach(p => {
      const line = document.createElement('p');
      line.className = 'reason';
      line.textContent = problemText(form, p);
      const g = p.code === 'guard.rejected' ? guardOf(form, p) : null;
      const clause = (g && g.clause) || p.clause || (p.params && p.params.clause);
      if (clause) {
        const c = document.createElement('span');
        c.className = 'clause';
        c.textContent = '依据 ' + clause;
        line.append(' ', c);
      }
      box.append(line);
    });
    const note = document.createElement('p');
    note.className = 'small';
    note.textContent = '本次提交没有记录任何内容。';
    box.append(note);
    box.hidden = false;
    box.focus();
  }

  function networkError(form) {
    const box = $('.form-error', form);
    box.textContent = '无法连接服务器，未提交。请检查网络后重试。';
    box.hidden = false;
    box.focus();
  }

  function requireFields(form) {
    const missing = $$('[required]', form).filter(el => !el.value);
    if (!missing.length) return true;
    const box = $('.form-error', form);
    box.textContent = '';
    const head = document.createElement('strong');
    head.textContent = '请填写：';
    box.append(head, missing.map(el => '“' + (fieldLabel(form, el.dataset.field || el.dataset.envelope) || '必填项') + '”').join('、'));
    box.hidden = false;
    missing[0].focus();
    return false;
  }

  // ---- intake ----------------------------------------------------------------

  function bindIntake(form) {
    const panel = $('#grade');
    let timer = null;
    let seq = 0;
    const preview = async () => {
      const my = ++seq;
      const incField = $('[data-kind="incident"]', form);
      let res;
      try {
        res = await fetch('/ui/grade', {
          method: 'POST',
          headers: headers({ 'Content-Type': 'application/json', 'Accept': 'text/html' }),
          body: JSON.stringify(incField ? incident(incField) : {})
        });
      } catch (e) { return; }
      if (res.status === 401) { showLogin(); return; }
      const html = await res.text();
      if (my !== seq) return;
      panel.innerHTML = html;
      // On a phone the grading is far below the figures: a bar at the
      // bottom of the form keeps the grade in sight as it changes.
      const bar = $('#grade-bar');
      const level = $('#grade-level', panel);
      if (bar) {
        bar.hidden = !level;
        if (level) {
          $('[data-bar="level"]', bar).textContent = level.textContent;
          $('[data-bar="response"]', bar).textContent = ($('#grade-response', panel) || {}).textContent || '';
        }
      }
      document.dispatchEvent(new CustomEvent('yingji:graded'));
    };
    const later = e => {
      if (e && e.target && e.target.classList.contains('pick-filter')) return;
      clearTimeout(timer);
      timer = setTimeout(preview, 200);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    preview();
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const box = $('.form-error', form);
      box.hidden = true;
      if (!requireFields(form)) return;
      // A drill is marked by the API's flag; the id's prefix only helps
      // a reader of ids and marks nothing.
      const drill = $('[data-drill]', form);
      const isDrill = !!(drill && drill.checked);
      const id = (isDrill ? 'drill-' : 'inc-') + stamp() + '-' + randomHex(3);
      const ev = eventOf(form);
      ev.incident = id;
      ev.drill = isDrill;
      ev.id = id + '-1';
      const btn = $('button[type=submit]', form);
      btn.disabled = true;
      let res;
      try {
        res = await fetch('/v1/incidents', {
          method: 'POST',
          headers: headers({ 'Content-Type': 'application/json' }),
          body: JSON.stringify(ev)
        });
      } catch (err) { btn.disabled = false; networkError(form); return; }
      btn.disabled = false;
      if (res.status === 401) { showLogin(); return; }
      if (res.status === 201 || res.status === 200) {
        window.location.assign('/incident/' + encodeURIComponent(id));
        return;
      }
      showRejection(form, res);
    });
  }

  // ---- an event of an incident -------------------------------------------------

  function bindEvent(form) {
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const box = $('.form-error', form);
      box.hidden = true;
      if (!requireFields(form)) return;
      const frag = form.closest('.fragment');
      const inc = frag.dataset.incident;
      const ev = eventOf(form);
      ev.id = 'ev-' + stamp() + '-' + randomHex(4);
      const btn = $('button[type=submit]', form);
      btn.disabled = true;
      let res;
      try {
        res = await fetch('/v1/incidents/' + encodeURIComponent(inc) + '/events', {
          method: 'POST',
          headers: headers({ 'Content-Type': 'application/json', 'If-Match': '"' + frag.dataset.seq + '"' }),
          body: JSON.stringify(ev)
        });
      } catch (err) { btn.disabled = false; networkError(form); return; }
      btn.disabled = false;
      if (res.status === 401) { showLogin(); return; }
      if (res.ok) {
        loadFragment({ flash: '已记录：' + form.dataset.name, focus: '#tl-title' });
        return;
      }
      showRejection(form, res);
    });
  }

  // ---- login ---------------------------------------------------------------------

  function showLogin(message) {
    const main = $('#main');
    main.hidden = true;
    main.removeAttribute('aria-busy');
    const login = $('#login');
    login.hidden = false;
    const err = $('#login-error');
    if (message) { err.textContent = message; err.hidden = false; } else { err.hidden = true; }
    $('#token').focus();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('#login-form').addEventListener('submit', e => {
      e.preventDefault();
      setToken($('#token').value.trim());
      $('#token').value = '';
      loadFragment({ loginError: '令牌无效，请重新输入。' });
    });
    $('#logout').addEventListener('click', () => { setToken(''); window.location.reload(); });
    loadFragment();
  });
})();
