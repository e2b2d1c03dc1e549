// Running named checks with dependencies, and the report (spec §5 "Reporting families").
// Mirrors voting/record/report.py: same statuses, same skip rule, same family summaries.

export const PASS = 'pass';
export const FAIL = 'fail';
export const SKIP = 'skip';
const MAX_NAMED = 10;

function reason(e) {
  if (e && typeof e.message === 'string' && e.message) return e.message;
  return `malformed input (${e})`;
}

function itemLabel(pattern, i) {
  const name = pattern.replace('{}', String(i));
  return name.slice(0, name.indexOf(']') + 1);
}

export class Runner {
  constructor(total, onProgress) {
    this.checks = [];
    this.status = new Map();
    this.total = total;
    this.done = 0;
    this.phase = '';
    this.onProgress = onProgress;
  }

  passed(name) {
    return this.status.get(name) === PASS;
  }

  tick(n = 1) {
    this.done += n;
    if (this.onProgress) this.onProgress({ done: Math.min(this.done, this.total), total: this.total, phase: this.phase });
  }

  attempt(needs, fn) {
    for (const need of needs) if (!this.passed(need)) return [SKIP, `skipped: needs ${need}`];
    try {
      const detail = fn();
      return [PASS, detail || 'ok'];
    } catch (e) {
      return [FAIL, reason(e)];
    }
  }

  add(name, status, detail) {
    this.status.set(name, status);
    this.checks.push({ name, status, detail });
  }

  check(name, needs, fn) {
    const [status, detail] = this.attempt(needs, fn);
    this.add(name, status, detail);
    this.tick();
    return status === PASS;
  }

  /** Run fn(i) for each item; pattern like 'ballot[{}].format'. Yields to the event loop. */
  async family(pattern, count, noun, needs, fn) {
    const results = [];
    for (let i = 0; i < count; i++) {
      results.push(this.attempt(needs(i), () => fn(i)));
      this.tick();
      if (i % 200 === 199) await pause();
    }
    this.familyResults(pattern, noun, results);
  }

  familyResults(pattern, noun, results) {
    const bad = [];
    results.forEach(([status], i) => {
      this.status.set(pattern.replace('{}', String(i)), status);
      if (status !== PASS) bad.push(i);
    });
    const total = results.length;
    let summary = `${total} of ${total} ${noun}`;
    if (bad.length) {
      const names = bad.slice(0, MAX_NAMED).map((i) => itemLabel(pattern, i)).join(', ');
      const more = bad.length > MAX_NAMED ? ` and ${bad.length - MAX_NAMED} more` : '';
      summary = `${bad.length} of ${total} ${noun} did not pass: ${names}${more}`;
    }
    this.add(pattern.replace('{}', '*'), bad.length ? FAIL : PASS, summary);
    for (const i of bad) {
      const [status, detail] = results[i];
      this.checks.push({ name: pattern.replace('{}', String(i)), status, detail });
    }
  }
}

/** Let the page repaint and handle input between chunks of work. */
export const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
