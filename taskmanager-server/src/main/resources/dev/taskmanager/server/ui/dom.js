// Building DOM nodes without HTML strings: the page's Content-Security-Policy enforces Trusted Types,
// so innerHTML and friends would throw. Text always goes in as text nodes.

/**
 * h('a', {href: '/ui/', class: 'brand'}, 'Task Manager', child...) creates an element.
 * Props: class, dataset (an object), on<event> (a listener), true (an empty attribute), null/false
 * (left out), anything else (an attribute). Children: nodes, strings, numbers, arrays; null skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value' && 'value' in el) el.value = value;
      else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** A document fragment of the given children. */
export function fragment(...children) {
  const f = document.createDocumentFragment();
  append(f, children);
  return f;
}

/** Replaces an element's children, skipping null and undefined (which the DOM method would write as text). */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
