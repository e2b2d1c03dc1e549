// Structural accessibility checks run inside a page by tests/e2e/test_accessibility.py.
// An arrow function expression: page.evaluate() calls it and gets back a list of problems, each a
// sentence naming the element. It checks what axe-core's serious/critical rules leave to taste:
// one h1, named landmarks, heading levels, and the contrast of every visible text element.
() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}>${text ? ` "${text}"` : ''}`;
  };
  const isHidden = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"], template, noscript')) return true;
    const style = getComputedStyle(el);
    return style.display === 'none' || style.visibility === 'hidden';
  };
  const byIds = (ids) =>
    (ids || '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id))
      .filter(Boolean);
  const textOf = (el) => (el.innerText || el.textContent || '').trim();
  const ariaName = (el) =>
    (el.getAttribute('aria-label') || '').trim() ||
    byIds(el.getAttribute('aria-labelledby')).map(textOf).join(' ').trim();

  // Language, landmarks and the page's one top heading.
  if (!document.documentElement.lang) problems.push('<html> has no lang attribute');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements (want exactly 1)`);
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`${mains.length} main landmarks (want exactly 1)`);
  const navs = [...document.querySelectorAll('nav, [role="navigation"]')];
  if (!navs.length) problems.push('no <nav> landmark');
  for (const nav of navs) if (!ariaName(nav)) problems.push(`${describe(nav)} has no accessible name`);

  // Form controls, images, buttons and links have accessible names.
  const controls = document.querySelectorAll(
    'input:not([type="hidden"]):not([type="submit"]):not([type="button"]):not([type="reset"]), select, textarea',
  );
  for (const control of controls) {
    const labelled =
      ariaName(control) ||
      [...(control.labels || [])].map(textOf).join(' ').trim() ||
      (control.getAttribute('title') || '').trim();
    if (!labelled) problems.push(`form control ${describe(control)} has no label`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt') && !img.closest('[aria-hidden="true"]')) {
      problems.push(`${describe(img)} has no alt attribute`);
    }
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.closest('[aria-hidden="true"]') || svg.parentElement.closest('svg')) continue;
    if (svg.getAttribute('role') !== 'img') {
      problems.push(`${describe(svg)} has neither role="img" nor aria-hidden="true"`);
    }
  }
  for (const el of document.querySelectorAll('[role="img"]')) {
    const title = el.querySelector(':scope > title');
    if (!(ariaName(el) || (title && textOf(title)))) problems.push(`${describe(el)} (role=img) has no name`);
  }
  for (const el of document.querySelectorAll('button, a[href], [role="button"], [role="link"]')) {
    if (isHidden(el)) continue;
    const imageNames = [...el.querySelectorAll('img[alt]')].map((img) => img.alt).join(' ');
    if (!(ariaName(el) || textOf(el) || imageNames.trim() || el.getAttribute('title'))) {
      problems.push(`${describe(el)} has no accessible name`);
    }
  }

  // Ids are unique; headings do not skip levels going down.
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) problems.push(`id "${id}" is used ${count} times`);
  let previous = 0;
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(heading.tagName[1]);
    if (previous && level > previous + 1) {
      problems.push(`${describe(heading)} follows an <h${previous}> (skips a level)`);
    }
    previous = level;
  }

  // Contrast of every visible element that holds text of its own, against the colour behind it.
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const backgroundOf = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none') return null; // a gradient or picture: cannot tell
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a === 1) break;
      }
    }
    return layers.reduceRight((acc, layer) => over(layer, acc), { r: 255, g: 255, b: 255, a: 1 });
  };
  const luminance = ({ r, g, b }) => {
    const lin = (c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const opacityOf = (el) => {
    let opacity = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      opacity *= Number(getComputedStyle(node).opacity);
    }
    return opacity;
  };
  const textElements = [...document.body.querySelectorAll('*')].filter(
    (el) =>
      !['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TEMPLATE'].includes(el.tagName) &&
      !el.closest('svg') &&
      [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()),
  );
  for (const el of textElements) {
    if (isHidden(el) || el.closest(':disabled')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden, read by screen readers
    const style = getComputedStyle(el);
    const background = backgroundOf(el);
    const colour = parse(style.color);
    if (!background || !colour) continue;
    const text = over({ ...colour, a: colour.a * opacityOf(el) }, background);
    const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < 4.5) problems.push(`${describe(el)} has contrast ${ratio.toFixed(2)}:1 (want 4.5:1)`);
  }
  return problems;
};
