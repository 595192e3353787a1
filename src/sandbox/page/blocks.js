/* Block Kit as the sandbox draws it: messages, modals and the Home tab. Plain DOM, no build step. */
(function () {
  'use strict';
  const EMOJI = { pushpin: '📌', rotating_light: '🚨', white_check_mark: '✅', warning: '⚠️', fire: '🔥', memo: '📝', bell: '🔔', calendar: '📅', chart_with_upwards_trend: '📈',
    large_green_circle: '🟢', large_yellow_circle: '🟡', red_circle: '🔴', large_orange_circle: '🟠', hourglass: '⌛', mag: '🔍', eyes: '👀', x: '❌', tada: '🎉',
    arrow_up: '⬆️', arrow_down: '⬇️', clipboard: '📋', busts_in_silhouette: '👥', speech_balloon: '💬', information_source: 'ℹ️', hammer_and_wrench: '🛠️', rocket: '🚀' };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

  /** Slack's mrkdwn: mentions, links, *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, :emoji:. */
  function mrkdwn(text, ctx) {
    // Slack sends &amp; &lt; &gt; escaped; the <…> tokens are links and mentions.
    const tokens = [];
    let s = String(text).replace(/<([^>]+)>/g, (_m, inner) => {
      tokens.push(inner);
      return `\u0000${tokens.length - 1}\u0000`;
    });
    s = s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    s = escapeHtml(s);
    s = s.replace(/```([\s\S]*?)```/g, (_m, code) => `<pre>${code}</pre>`);
    s = s.replace(/`([^`\n]+)`/g, '<code>$1</code>');
    s = s.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>');
    s = s.replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>');
    s = s.replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>');
    s = s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
    s = s.split('\n').map((line) => (/^&gt;/.test(line) ? `<blockquote>${line.replace(/^&gt;\s?/, '')}</blockquote>` : line)).join('\n');
    s = s.replace(/\n/g, '<br>').replace(/<\/blockquote><br>/g, '</blockquote>');
    s = s.replace(/\u0000(\d+)\u0000/g, (_m, i) => token(tokens[Number(i)], ctx));
    return s;
  }

  function token(inner, ctx) {
    const [target, label] = inner.split('|');
    if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(ctx.personName(target.slice(1)))}</span>`;
    if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label || ctx.channelName(target.slice(1)))}</span>`;
    if (target.startsWith('!date^')) {
      const [, seconds] = target.split('^');
      return `<time>${escapeHtml(ctx.formatDate ? ctx.formatDate(Number(seconds)) : label || '')}</time>`;
    }
    if (target.startsWith('!')) return `<span class="mention">@${escapeHtml((label || target.slice(1)).replace(/^subteam\^/, ''))}</span>`;
    const href = /^https?:\/\//.test(target) ? target : '#';
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(label || target)}</a>`;
  }

  function textNode(t, ctx, tag = 'span') {
    const node = el(tag, { class: 'text' });
    if (!t) return node;
    if (t.type === 'mrkdwn') node.innerHTML = mrkdwn(t.text, ctx);
    else node.textContent = String(t.text).replace(/:([a-z0-9_+-]+):/g, (m, name) => (t.emoji === false ? m : EMOJI[name] || m));
    return node;
  }

  const plain = (t) => (t ? String(t.text) : '');

  /** An interactive element outside an input block: clicking or choosing sends block_actions. */
  function interactive(e, blockId, ctx) {
    const send = (extra) => ctx.onAction({ type: e.type, action_id: e.action_id, block_id: blockId, ...extra });
    switch (e.type) {
      case 'button':
        return el('button', {
          type: 'button',
          class: `blk-button ${e.style || ''}`,
          onclick: () => {
            if (e.url) window.open(e.url, '_blank', 'noopener');
            if (e.confirm && !window.confirm(`${plain(e.confirm.title)}\n\n${plain(e.confirm.text)}`)) return;
            send({ text: e.text, ...(e.value !== undefined ? { value: e.value } : {}) });
          },
        }, plain(e.text));
      case 'static_select':
      case 'overflow': {
        const options = e.options || (e.option_groups || []).flatMap((g) => g.options);
        const select = el('select', { class: 'blk-select', 'aria-label': plain(e.placeholder) || e.action_id },
          el('option', { value: '' }, plain(e.placeholder) || (e.type === 'overflow' ? '⋯' : 'Choose…')),
          options.map((o) => el('option', { value: o.value, selected: e.initial_option && e.initial_option.value === o.value }, plain(o.text))));
        select.addEventListener('change', () => {
          const option = options.find((o) => o.value === select.value);
          if (option) send({ selected_option: option });
        });
        return select;
      }
      case 'users_select': {
        const select = el('select', { class: 'blk-select' }, el('option', { value: '' }, plain(e.placeholder) || 'Choose a person'),
          ctx.people.map((p) => el('option', { value: p.id, selected: e.initial_user === p.id }, p.name)));
        select.addEventListener('change', () => select.value && send({ selected_user: select.value }));
        return select;
      }
      case 'image':
        return el('img', { src: e.image_url, alt: e.alt_text, width: 48 });
      default:
        return el('span', { class: 'unsupported' }, `[${e.type}]`);
    }
  }

  function renderBlock(b, ctx) {
    switch (b.type) {
      case 'section': {
        const body = el('div', { class: 'section-body' }, b.text ? textNode(b.text, ctx, 'div') : null,
          b.fields ? el('div', { class: 'fields' }, b.fields.map((f) => textNode(f, ctx, 'div'))) : null);
        return el('div', { class: 'block section' }, body, b.accessory ? el('div', { class: 'accessory' }, interactive(b.accessory, b.block_id, ctx)) : null);
      }
      case 'header':
        return el('div', { class: 'block header' }, textNode(b.text, ctx));
      case 'divider':
        return el('hr', { class: 'block divider' });
      case 'context':
        return el('div', { class: 'block context' }, b.elements.map((e) => (e.type === 'image' ? el('img', { src: e.image_url, alt: e.alt_text }) : textNode(e, ctx))));
      case 'actions':
        return el('div', { class: 'block actions' }, b.elements.map((e) => interactive(e, b.block_id, ctx)));
      case 'image':
        return el('div', { class: 'block image' }, b.title ? el('div', {}, plain(b.title)) : null,
          el('img', { src: b.image_url || (b.slack_file && ctx.fileUrl(b.slack_file)) || '', alt: b.alt_text }));
      case 'input':
        return ctx.input ? ctx.input(b) : null;
      default:
        return el('div', { class: 'block unsupported' }, `[${b.type} block]`);
    }
  }

  function renderBlocks(blocks, ctx) {
    return el('div', { class: 'blocks' }, (blocks || []).map((b) => renderBlock(b, ctx)));
  }

  /* ------------------------------------------------------------------ modal inputs */

  const optionsOf = (e) => e.options || (e.option_groups || []).flatMap((g) => g.options);

  /**
   * An input block as a form field. Returns the field and a reader giving Slack's state value for it
   * ({type, value} / {type, selected_option} / …), so a submission carries view.state.values as Slack does.
   */
  function inputField(b, ctx) {
    const e = b.element;
    const id = `f-${b.block_id}`;
    let control;
    let read;
    const choices = (multi) => optionsOf(e).map((o) => o);
    switch (e.type) {
      case 'plain_text_input': {
        control = e.multiline
          ? el('textarea', { id, maxlength: e.max_length, placeholder: plain(e.placeholder) })
          : el('input', { id, type: 'text', maxlength: e.max_length, placeholder: plain(e.placeholder) });
        control.value = e.initial_value || '';
        read = () => ({ type: e.type, value: control.value === '' ? null : control.value });
        break;
      }
      case 'static_select':
      case 'multi_static_select': {
        const multi = e.type.startsWith('multi_');
        const initial = multi ? (e.initial_options || []).map((o) => o.value) : e.initial_option ? [e.initial_option.value] : [];
        control = el('select', { id, multiple: multi }, multi ? null : el('option', { value: '' }, plain(e.placeholder) || 'Choose an option'),
          choices().map((o) => el('option', { value: o.value, selected: initial.includes(o.value), title: o.description ? plain(o.description) : undefined },
            plain(o.text) + (o.description ? ` — ${plain(o.description)}` : ''))));
        read = () => {
          const picked = [...control.selectedOptions].map((x) => optionsOf(e).find((o) => o.value === x.value)).filter(Boolean);
          return multi ? { type: e.type, selected_options: picked } : { type: e.type, selected_option: picked[0] || null };
        };
        break;
      }
      case 'users_select':
      case 'multi_users_select': {
        const multi = e.type.startsWith('multi_');
        const initial = multi ? e.initial_users || [] : e.initial_user ? [e.initial_user] : [];
        control = el('select', { id, multiple: multi }, multi ? null : el('option', { value: '' }, plain(e.placeholder) || 'Choose a person'),
          ctx.people.map((p) => el('option', { value: p.id, selected: initial.includes(p.id) }, `${p.name} (${p.tz})`)));
        read = () => {
          const picked = [...control.selectedOptions].map((x) => x.value).filter(Boolean);
          return multi ? { type: e.type, selected_users: picked } : { type: e.type, selected_user: picked[0] || null };
        };
        break;
      }
      case 'conversations_select':
      case 'multi_conversations_select':
      case 'channels_select':
      case 'multi_channels_select': {
        const multi = e.type.startsWith('multi_');
        const noun = e.type.includes('channels_') ? 'channel' : 'conversation';
        const initial = multi ? e[`initial_${noun}s`] || [] : e[`initial_${noun}`] ? [e[`initial_${noun}`]] : [];
        control = el('select', { id, multiple: multi }, multi ? null : el('option', { value: '' }, plain(e.placeholder) || 'Choose a channel'),
          ctx.channels.filter((c) => c.kind !== 'dm').map((c) => el('option', { value: c.id, selected: initial.includes(c.id) }, `#${c.name}`)));
        read = () => {
          const picked = [...control.selectedOptions].map((x) => x.value).filter(Boolean);
          return multi ? { type: e.type, [`selected_${noun}s`]: picked } : { type: e.type, [`selected_${noun}`]: picked[0] || null };
        };
        break;
      }
      case 'datepicker':
        control = el('input', { id, type: 'date', value: e.initial_date });
        read = () => ({ type: e.type, selected_date: control.value || null });
        break;
      case 'timepicker':
        control = el('input', { id, type: 'time', value: e.initial_time });
        read = () => ({ type: e.type, selected_time: control.value || null });
        break;
      case 'datetimepicker': {
        // Shown in the acting person's time zone, sent as Unix seconds as Slack does.
        control = el('input', { id, type: 'datetime-local' });
        if (e.initial_date_time) control.value = ctx.toLocalInput(e.initial_date_time);
        read = () => ({ type: e.type, selected_date_time: control.value ? ctx.fromLocalInput(control.value) : null });
        break;
      }
      case 'checkboxes':
      case 'radio_buttons': {
        const radio = e.type === 'radio_buttons';
        const initial = radio ? (e.initial_option ? [e.initial_option.value] : []) : (e.initial_options || []).map((o) => o.value);
        const boxes = optionsOf(e).map((o) => {
          const box = el('input', { type: radio ? 'radio' : 'checkbox', name: id, value: o.value, checked: initial.includes(o.value) });
          return { o, box, label: el('label', { class: 'choice' }, box, ' ', textNode(o.text, ctx), o.description ? el('small', {}, plain(o.description)) : null) };
        });
        control = el('div', { id, class: 'choices' }, boxes.map((x) => x.label));
        read = () => {
          const picked = boxes.filter((x) => x.box.checked).map((x) => x.o);
          return radio ? { type: e.type, selected_option: picked[0] || null } : { type: e.type, selected_options: picked };
        };
        break;
      }
      default:
        control = el('div', {}, `[${e.type} is not drawn by the sandbox]`);
        read = () => ({ type: e.type });
    }
    if (b.dispatch_action) control.addEventListener('change', () => ctx.onDispatch(b, read()));
    const node = el('div', { class: 'input-block', 'data-block': b.block_id },
      el('label', { for: id }, plain(b.label), b.optional ? el('span', { class: 'optional' }, ' (optional)') : null),
      control,
      b.hint ? el('div', { class: 'hint' }, plain(b.hint)) : null,
      el('div', { class: 'field-error', hidden: true }));
    return { node, read: () => ({ [e.action_id]: read() }) };
  }

  window.BlockKit = { el, mrkdwn, renderBlocks, inputField, plain };
})();
