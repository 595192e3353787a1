/* The sandbox page: polls what the acting person sees and sends what they do, as Slack's client would. */
(function () {
  'use strict';
  const { el, mrkdwn, renderBlocks, inputField, plain } = window.BlockKit;
  const $ = (id) => document.getElementById(id);
  const ui = {
    me: localStorage.getItem('herald-sandbox-me') || '',
    current: localStorage.getItem('herald-sandbox-channel') || 'CGENERAL',
    state: null,
    lastText: '',
    openThreads: new Set(),
    modalKey: '',
    modalFields: [],
    homeKey: '',
  };

  const person = (id) => (ui.state && ui.state.people.find((p) => p.id === id)) || null;
  const personName = (id) => (id === ui.state?.bot.id ? 'Herald' : person(id)?.name || id);
  const channelName = (id) => ui.state?.channels.find((c) => c.id === id)?.name || id;
  const myZone = () => person(ui.me)?.tz || 'UTC';
  const fmt = (date, opts) => new Intl.DateTimeFormat('en-GB', { timeZone: myZone(), ...opts }).format(date);
  const tsDate = (ts) => new Date(Number(ts) * 1000);

  /* The wall clock of the acting person, for datetime pickers (Slack shows them in the person's zone). */
  function zoneOffsetMs(date) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: myZone(), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - Math.floor(date.getTime() / 1000) * 1000;
  }
  const toLocalInput = (seconds) => new Date(seconds * 1000 + zoneOffsetMs(new Date(seconds * 1000))).toISOString().slice(0, 16);
  const fromLocalInput = (value) => {
    const asUtc = Date.parse(`${value}:00Z`);
    return Math.round((asUtc - zoneOffsetMs(new Date(asUtc))) / 1000);
  };

  async function act(body) {
    const res = await fetch('/sandbox/api/act', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) showProblem((await res.json().catch(() => ({}))).error || `The sandbox answered ${res.status}`);
    await refresh();
  }

  function showProblem(text) {
    const note = el('div', { role: 'alert' }, text);
    $('problems').append(note);
    setTimeout(() => note.remove(), 8000);
  }

  async function refresh() {
    const res = await fetch(`/sandbox/api/state?user=${encodeURIComponent(ui.me)}`);
    if (res.status === 400 && ui.me) ui.me = ''; // a person remembered from an earlier sandbox
    if (!res.ok) return;
    const text = await res.text();
    if (text === ui.lastText) return;
    ui.lastText = text;
    ui.state = JSON.parse(text);
    if (!ui.me) ui.me = ui.state.me;
    render();
  }

  let polling = false;
  async function poll() {
    if (!polling) {
      polling = true;
      try {
        await refresh();
      } catch {
        /* Herald restarting: try again */
      }
      polling = false;
    }
    setTimeout(poll, document.hidden ? 3000 : 700);
  }

  /* ------------------------------------------------------------------ rendering */

  function render() {
    const s = ui.state;
    renderPeople(s);
    $('clock').textContent = `Sandbox time: ${fmt(new Date(s.now), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} (${myZone()})${s.offsetMinutes ? ` · fast-forwarded ${s.offsetMinutes} min` : ''}`;
    if (ui.current !== 'home' && !s.channels.some((c) => c.id === ui.current)) ui.current = 'CGENERAL';
    renderSidebar(s);
    if (ui.current === 'home') renderHome(s);
    else renderChannel(s);
    renderModal(s);
    for (const p of s.problems) if (!renderedProblems.has(p)) renderedProblems.add(p) && showProblem(p);
  }
  const renderedProblems = new Set();

  function renderPeople(s) {
    const select = $('person');
    if (select.options.length !== s.people.length) {
      select.replaceChildren(...s.people.map((p) => el('option', { value: p.id }, `${p.name} — ${p.tz}`)));
    }
    select.value = ui.me;
  }

  function renderSidebar(s) {
    const link = (c) => el('li', {}, el('a', { href: `#${c.id}`, class: ui.current === c.id ? 'active' : '', 'data-channel': c.id, onclick: (ev) => { ev.preventDefault(); go(c.id); } },
      c.kind === 'dm' ? `🤖 ${c.name}` : `${c.kind === 'private' ? '🔒' : '#'} ${c.name}`));
    $('channels').replaceChildren(...s.channels.filter((c) => c.kind !== 'dm').map(link));
    $('dms').replaceChildren(...s.channels.filter((c) => c.kind === 'dm').map(link));
    document.querySelector('[data-home]').classList.toggle('active', ui.current === 'home');
  }

  function go(id) {
    ui.current = id;
    localStorage.setItem('herald-sandbox-channel', id);
    ui.homeKey = '';
    if (id === 'home') void act({ kind: 'openHome', user: ui.me });
    render();
  }

  const blockCtx = (extra) => ({
    people: ui.state.people,
    channels: ui.state.channels,
    personName,
    channelName,
    fileUrl: () => '',
    formatDate: (seconds) => fmt(new Date(seconds * 1000), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
    toLocalInput,
    fromLocalInput,
    ...extra,
  });

  function messageNode(m, opts = {}) {
    const bot = m.user === ui.state.bot.id;
    const name = opts.note ? 'Herald' : personName(m.user);
    const ctx = blockCtx({ onAction: (action) => act({ kind: 'click', user: ui.me, channel: m.channel, ts: m.ts, ...(opts.note ? { noteId: m.id } : {}), action }) });
    const body = m.blocks ? renderBlocks(m.blocks, ctx) : el('div', { class: 'text' });
    if (!m.blocks) body.innerHTML = mrkdwn(m.text, ctx);
    const replies = opts.replies || [];
    const node = el('div', { class: `message${opts.note ? ' note' : ''}${m.pinned ? ' pinned' : ''}`, 'data-ts': m.ts },
      el('div', { class: `avatar${bot || opts.note ? ' bot' : ''}` }, name[0].toUpperCase()),
      el('div', { class: 'content' },
        el('div', { class: 'meta' }, el('b', {}, name), bot || opts.note ? el('span', { class: 'badge' }, 'APP') : null,
          fmt(tsDate(m.ts), { hour: '2-digit', minute: '2-digit' }),
          m.edited ? el('span', { class: 'edited' }, ' (edited)') : null,
          m.pinned ? el('span', { class: 'pinned-label' }, ' 📌 Pinned') : null,
          opts.note ? el('span', { class: 'edited' }, ' · Only visible to you') : null),
        body,
        (m.files || []).map((f) => el('div', { class: 'file' }, /\.png$/i.test(f.name) ? el('img', { src: `/sandbox/api/file?id=${encodeURIComponent(f.id)}`, alt: f.title || f.name }) : `📎 ${f.title || f.name}`)),
        m.reactions && m.reactions.length ? el('div', { class: 'reactions' }, m.reactions.map((r) => el('span', { class: `reaction${r.mine ? ' mine' : ''}`, title: r.name }, `${r.name === 'pushpin' ? '📌' : `:${r.name}:`} ${r.count}`))) : null,
        replies.length ? el('button', { type: 'button', class: 'thread-link', onclick: () => toggleThread(m.ts) }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`) : null,
        ui.openThreads.has(m.ts) ? threadNode(m, replies) : null),
      opts.note || opts.reply ? null : el('div', { class: 'hover-actions' },
        el('button', { type: 'button', title: 'React with 📌 (adds the message to the incident timeline)', 'aria-label': 'Pin to timeline', onclick: () => act({ kind: 'react', user: ui.me, channel: m.channel, ts: m.ts, reaction: 'pushpin' }) }, '📌'),
        el('button', { type: 'button', title: 'Reply in thread', onclick: () => toggleThread(m.ts, true) }, '💬')));
    return node;
  }

  function threadNode(parent, replies) {
    const input = el('input', { placeholder: 'Reply…', 'aria-label': 'Reply in thread' });
    return el('div', { class: 'thread' }, replies.map((r) => messageNode(r, { reply: true })),
      el('form', { onsubmit: (ev) => { ev.preventDefault(); if (input.value.trim()) void act({ kind: 'message', user: ui.me, channel: parent.channel, text: input.value, threadTs: parent.ts }); } }, input, el('button', {}, 'Reply')));
  }

  function toggleThread(ts, open) {
    if (open || !ui.openThreads.has(ts)) ui.openThreads.add(ts);
    else ui.openThreads.delete(ts);
    ui.lastText = '';
    render();
  }

  function renderChannel(s) {
    const c = s.channels.find((x) => x.id === ui.current);
    $('composer').hidden = false;
    $('text').placeholder = `Message ${c.kind === 'dm' ? 'Herald' : `#${c.name}`} — or type /incident help`;
    $('title').replaceChildren(...[c.kind === 'dm' ? '🤖 Herald' : `# ${c.name}`, c.topic ? topicNode(c.topic) : ''].filter(Boolean));
    const inChannel = s.messages.filter((m) => m.channel === c.id);
    const top = inChannel.filter((m) => !m.threadTs || m.threadTs === m.ts);
    const items = [
      ...top.map((m) => ({ ts: m.ts, node: () => messageNode(m, { replies: inChannel.filter((r) => r.threadTs === m.ts && r.ts !== m.ts) }) })),
      ...s.notes.filter((n) => n.channel === c.id).map((n) => ({ ts: n.ts, node: () => messageNode({ ...n, channel: c.id, user: s.bot.id }, { note: true }) })),
    ].sort((a, b) => Number(a.ts) - Number(b.ts));
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    box.replaceChildren(...(items.length ? items.map((i) => i.node()) : [el('div', { class: 'empty' }, 'Nothing here yet. Try /incident declare Checkout is down')]));
    if (atBottom || ui.scrolledFor !== c.id) box.scrollTop = box.scrollHeight;
    ui.scrolledFor = c.id;
  }

  function topicNode(topic) {
    const node = el('span', { class: 'topic' });
    node.innerHTML = mrkdwn(topic, blockCtx({}));
    return node;
  }

  function renderHome(s) {
    $('composer').hidden = true;
    $('title').replaceChildren('🏠 Herald — Home');
    const key = s.home ? `${s.home.id}:${s.home.hash}` : 'none';
    if (key === ui.homeKey) return;
    ui.homeKey = key;
    const box = $('messages');
    if (!s.home) return box.replaceChildren(el('div', { class: 'empty' }, 'Herald is drawing your Home tab…'));
    const ctx = blockCtx({ onAction: (action) => act({ kind: 'viewAction', user: ui.me, viewId: s.home.id, values: {}, action }) });
    box.replaceChildren(el('div', { class: 'home' }, renderBlocks(s.home.view.blocks, ctx)));
    box.scrollTop = 0;
  }

  function renderModal(s) {
    const backdrop = $('modal-backdrop');
    if (!s.modal) {
      backdrop.hidden = true;
      ui.modalKey = '';
      return;
    }
    const key = `${s.modal.id}:${s.modal.hash}`;
    if (key !== ui.modalKey) {
      ui.modalKey = key;
      const v = s.modal.view;
      const values = () => Object.fromEntries(ui.modalFields.map((f) => [f.blockId, f.read()]));
      const ctx = blockCtx({
        onAction: (action) => act({ kind: 'viewAction', user: ui.me, viewId: s.modal.id, values: values(), action }),
        onDispatch: (b, value) => act({ kind: 'viewAction', user: ui.me, viewId: s.modal.id, values: values(), action: { ...value, action_id: b.element.action_id, block_id: b.block_id } }),
      });
      ui.modalFields = [];
      ctx.input = (b) => {
        const field = inputField(b, ctx);
        ui.modalFields.push({ blockId: b.block_id, read: field.read });
        return field.node;
      };
      const body = renderBlocks(v.blocks, ctx);
      const close = () => act({ kind: 'closeView', user: ui.me, viewId: s.modal.id });
      $('modal').replaceChildren(
        el('div', { class: 'modal-title' }, el('span', {}, plain(v.title)), el('button', { type: 'button', 'aria-label': 'Close', onclick: close }, '✕')),
        el('form', { class: 'modal-body', id: 'modal-form', onsubmit: (ev) => { ev.preventDefault(); void act({ kind: 'submit', user: ui.me, viewId: s.modal.id, values: values() }); } }, body),
        el('div', { class: 'modal-foot' },
          el('button', { type: 'button', class: 'blk-button', onclick: close }, plain(v.close) || 'Cancel'),
          v.submit ? el('button', { type: 'submit', form: 'modal-form', class: 'blk-button primary' }, plain(v.submit)) : null));
      backdrop.hidden = false;
    }
    for (const node of document.querySelectorAll('#modal .input-block')) {
      const error = s.modal.errors[node.dataset.block];
      const slot = node.querySelector('.field-error');
      slot.hidden = !error;
      slot.textContent = error || '';
      node.classList.toggle('has-error', Boolean(error));
    }
  }

  /* ------------------------------------------------------------------ controls */

  $('person').addEventListener('change', (ev) => {
    ui.me = ev.target.value;
    localStorage.setItem('herald-sandbox-me', ui.me);
    ui.lastText = '';
    ui.modalKey = '';
    ui.homeKey = '';
    if (ui.current === 'home') void act({ kind: 'openHome', user: ui.me });
    else void refresh();
  });
  document.querySelector('[data-home]').addEventListener('click', (ev) => {
    ev.preventDefault();
    go('home');
  });
  for (const button of document.querySelectorAll('[data-ff]')) {
    button.addEventListener('click', () => act({ kind: 'fastForward', minutes: Number(button.dataset.ff) }));
  }
  $('reset').addEventListener('click', () => {
    if (!window.confirm('Start afresh? Every incident, message and setting in the sandbox is deleted.')) return;
    ui.current = 'CGENERAL';
    void act({ kind: 'reset' });
  });
  $('composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    if (text.startsWith('/')) {
      if (!/^\/incident\b/.test(text)) return showProblem('The sandbox has one slash command: /incident');
      void act({ kind: 'command', user: ui.me, channel: ui.current, text });
    } else void act({ kind: 'message', user: ui.me, channel: ui.current, text });
  });

  void poll();
})();
