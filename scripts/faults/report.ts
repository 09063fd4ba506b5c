// What the fault tests found: figures per scenario, and checks that pass or fail. Behaviour is
// asserted; times are only reported.

type Check = { ok: boolean; what: string; detail?: string };

export class Section {
  readonly figures: [string, string][] = [];
  readonly checks: Check[] = [];
  error?: string;

  constructor(readonly title: string) {}

  figure(name: string, value: string | number | boolean): void {
    this.figures.push([name, String(value)]);
  }

  check(ok: boolean, what: string, detail?: string): boolean {
    this.checks.push({ ok, what, detail });
    console.log(`  ${ok ? '✓' : '✗'} ${what}${detail && !ok ? ` — ${detail}` : ''}`);
    return ok;
  }

  get failed(): number {
    return this.checks.filter((c) => !c.ok).length + (this.error ? 1 : 0);
  }
}

export class Report {
  readonly sections: Section[] = [];

  section(title: string): Section {
    const s = new Section(title);
    this.sections.push(s);
    console.log(`\n── ${title}`);
    return s;
  }

  get failed(): number {
    return this.sections.reduce((n, s) => n + s.failed, 0);
  }

  print(): void {
    console.log('\n════════ Fault tests: summary ════════');
    for (const s of this.sections) {
      const passed = s.checks.filter((c) => c.ok).length;
      console.log(`\n${s.failed ? '✗' : '✓'} ${s.title}  (${passed}/${s.checks.length} checks${s.error ? ', stopped by an error' : ''})`);
      const width = Math.max(0, ...s.figures.map(([k]) => k.length));
      for (const [k, v] of s.figures) console.log(`    ${k.padEnd(width)}  ${v}`);
      for (const c of s.checks.filter((x) => !x.ok)) console.log(`    ✗ ${c.what}${c.detail ? ` — ${c.detail}` : ''}`);
      if (s.error) console.log(`    ✗ error: ${s.error}`);
    }
    const total = this.sections.reduce((n, s) => n + s.checks.length, 0);
    console.log(`\n${this.failed ? `✗ ${this.failed} of ${total} checks failed` : `✓ all ${total} checks passed`}`);
  }
}
