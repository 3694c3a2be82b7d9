/** Collects agreement with each upstream tool's labels and prints one table per suite. */
export interface Comparison {
  tool: string;
  /** What is compared, e.g. "kubectl STATUS" or "health". */
  aspect: string;
  id: string;
  expected: string;
  actual: string;
  agree: boolean;
}

export class AgreementReport {
  readonly rows: Comparison[] = [];

  add(
    tool: string,
    aspect: string,
    id: string,
    expected: string,
    actual: string,
    agree = expected === actual,
  ) {
    this.rows.push({ tool, aspect, id, expected, actual, agree });
  }

  of(tool: string, aspect?: string): Comparison[] {
    return this.rows.filter(
      r => r.tool === tool && (aspect === undefined || r.aspect === aspect),
    );
  }

  ratio(tool: string, aspect?: string): number {
    const rows = this.of(tool, aspect);
    return rows.length === 0
      ? 1
      : rows.filter(r => r.agree).length / rows.length;
  }

  disagreements(tool: string, aspect?: string): string[] {
    return this.of(tool, aspect)
      .filter(r => !r.agree)
      .map(r => r.id)
      .sort();
  }

  format(title: string): string {
    const groups = new Map<string, Comparison[]>();
    for (const r of this.rows) {
      const key = `${r.tool} | ${r.aspect}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const lines = [
      `${title}`,
      'upstream tool | compared | agree | cases | agreement',
    ];
    for (const [key, rows] of groups) {
      const agree = rows.filter(r => r.agree).length;
      lines.push(
        `${key} | ${agree} | ${rows.length} | ${(
          (100 * agree) /
          rows.length
        ).toFixed(1)}%`,
      );
    }
    const differing = this.rows.filter(r => !r.agree);
    if (differing.length > 0) {
      lines.push(
        '',
        'differences (tool | compared | case | upstream label | Pod Watch):',
      );
      for (const r of differing) {
        lines.push(
          `  ${r.tool} | ${r.aspect} | ${r.id} | ${r.expected} | ${r.actual}`,
        );
      }
    }
    return lines.join('\n');
  }
}
