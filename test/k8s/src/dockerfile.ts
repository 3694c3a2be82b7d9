/** One Dockerfile instruction with its continuation lines joined. */
export interface DockerInstruction {
  instruction: string;
  args: string;
  line: number;
  /** Build stage index (0 before the first FROM's stage begins at FROM itself). */
  stage: number;
}

/**
 * Parses a Dockerfile into instructions: comments and blank lines dropped, backslash
 * continuations joined (comment lines inside a continuation are skipped, as Docker does).
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const result: DockerInstruction[] = [];
  const lines = text.split(/\r?\n/);
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i;
    let joined = lines[i].trimEnd();
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      joined = joined.slice(0, -1);
      i++;
      const next = lines[i].trim();
      if (next.startsWith('#')) {
        joined += '\\';
        continue;
      }
      joined += ` ${next}`;
    }
    const match = /^\s*(\S+)\s*(.*)$/s.exec(joined)!;
    const instruction = match[1].toUpperCase();
    if (instruction === 'FROM') stage++;
    result.push({
      instruction,
      args: match[2].replace(/\s+/g, ' ').trim(),
      line: start + 1,
      stage,
    });
  }
  return result;
}

/** Replaces ${NAME} / $NAME with the default of a global ARG declared before the first FROM. */
export function resolveArgs(
  value: string,
  instructions: DockerInstruction[],
): string {
  const args = new Map<string, string>();
  for (const ins of instructions) {
    if (ins.instruction === 'FROM') break;
    if (ins.instruction === 'ARG') {
      const [name, ...rest] = ins.args.split('=');
      args.set(name.trim(), rest.join('=').trim());
    }
  }
  return value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name) => args.get(name) ?? whole,
  );
}
