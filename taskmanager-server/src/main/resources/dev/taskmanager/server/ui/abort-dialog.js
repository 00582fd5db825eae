// The Abort confirmation: a modal <dialog> with a reason field. It keeps keyboard focus inside itself
// (Tab and Shift+Tab cycle through its controls), closes on Escape or Cancel, and gives focus back
// to the button that opened it.

import {post} from './api.js';
import {h} from './dom.js';
import {taskName} from './widgets.js';

const FOCUSABLE = 'button:not([disabled]), textarea:not([disabled]), input:not([disabled]), a[href]';

/**
 * Asks to abort `task`; on confirmation sends POST /v2/tasks/{id}:abort {"reason"} and calls
 * onAborted with the task as the server answered it.
 */
export function openAbortDialog(task, opener, onAborted) {
  const reason = h('textarea', {id: 'abort-reason', name: 'reason', rows: 3, maxlength: 1000,
    'aria-describedby': 'abort-reason-hint'});
  const error = h('p', {class: 'error', role: 'alert', id: 'abort-error'});
  const cancel = h('button', {type: 'button', class: 'secondary', id: 'abort-cancel'}, 'Cancel');
  const confirm = h('button', {type: 'submit', class: 'danger', id: 'abort-confirm'}, 'Abort task');
  const form = h('form', {method: 'dialog'},
    h('h2', {id: 'abort-title'}, 'Abort this task?'),
    h('p', {id: 'abort-description'}, `${taskName(task)}: the task and all its children stop, and end as aborted. `
      + 'This cannot be undone.'),
    h('label', {for: 'abort-reason'}, 'Reason'),
    reason,
    h('span', {class: 'hint', id: 'abort-reason-hint'}, 'Optional; recorded with the abort for whoever looks later.'),
    error,
    h('div', {class: 'buttons'}, cancel, confirm));
  const dialog = h('dialog', {class: 'abort-dialog', id: 'abort-dialog', 'aria-labelledby': 'abort-title',
    'aria-describedby': 'abort-description'}, form);

  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll(FOCUSABLE)];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener.isConnected && !opener.hidden) opener.focus();
    else document.getElementById('main')?.focus();
  });
  cancel.addEventListener('click', () => dialog.close('cancel'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    cancel.disabled = true;
    error.textContent = '';
    try {
      const after = await post(`/v2/tasks/${encodeURIComponent(task.id)}:abort`, {reason: reason.value});
      dialog.close('aborted');
      onAborted(after);
    } catch (e) {
      error.textContent = e.status === 409 ? 'The task has already finished.'
        : e.status === 403 ? 'This task cannot be aborted.' : `The abort failed: ${e.message}`;
      confirm.disabled = false;
      cancel.disabled = false;
      reason.focus();
    }
  });

  document.body.append(dialog);
  dialog.showModal();
  reason.focus();
}
