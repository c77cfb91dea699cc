/**
 * `npm run check:examples`: type-checks every ```ts example in the docs and the TSDoc.
 *
 * It collects each ```ts (or ```typescript) fence inside a `/** ... *\/` comment in
 * `lib/**\/*.ts` and each one in `docs/**\/*.md` and `README.md`, writes every block to
 * a fresh folder under `.cache/` as its own ES module, and compiles them all in one TypeScript
 * program with the repository's compiler options, where `import ... from 'tattler'` resolves
 * to `lib/index.ts`. Failures print as `file:line: TSnnnn message`, pointing at the line of
 * the example in its doc, and the script exits with status 1.
 *
 * Conventions (docs/contributing.md explains them):
 * - Names that many snippets use without defining them (`logger`, `kubeConfig`, `entry$`,
 *   `batch`, ...) are declared once in the {@link PRELUDE} below. A snippet that needs any
 *   other free name declares it visibly with a `declare const` line.
 * - ```ts nocheck skips a block; keep it for fragments that cannot compile on their own.
 *
 * `--keep` leaves the generated files in place for a look with an editor.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Free names the examples may use without declaring them: the values a reader of the docs
 * has at hand in their own program. Add a name here only when several examples need it.
 */
const PRELUDE = `
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Observable } from 'rxjs';
import type { Batch, Entry, Logger, Processor } from 'tattler';

declare global {
  /** A cluster's kubeconfig, as \`new KubeConfig()\` and \`loadFromDefault()\` give it. */
  const kubeConfig: KubeConfig;
  /** Any pino-style logger. */
  const logger: Logger;
  /** One object, one entry and one batch, as a callback or a test has them. */
  const pod: V1Pod;
  const entry: Entry;
  const batch: Batch;
  /** Streams of entries, as readers emit them: all kinds, or one kind. */
  const entry$: Observable<Entry>;
  const entries$: Observable<Entry>;
  const pods$: Observable<Entry>;
  const nodes$: Observable<Entry>;
  /** Batches, as batchByUid emits them. */
  const batch$: Observable<Batch>;
  /** Processors built elsewhere in the program. */
  const stdout: Processor;
  const webhook: Processor;
}
`;

/** One ```ts block and where it came from. */
interface Example {
  /** Repository-relative path of the doc or source file. */
  readonly origin: string;
  /** 1-based line in `origin` of the block's first code line. */
  readonly line: number;
  readonly code: string;
}

/** A fence opening: its indent, marker (three or more backticks), language and flags. */
interface Fence {
  readonly indent: string;
  readonly marker: string;
  readonly lang: string;
  readonly flags: readonly string[];
}

// As in CommonMark, an info string holds no backtick, so "```` ```ts ````" in prose is no fence.
const fencePattern = /^(\s*)(`{3,})([^`]*)$/;

function parseFence(line: string): Fence | undefined {
  const match = fencePattern.exec(line);
  if (match === null) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  const [lang = '', ...flags] = info.trim().split(/\s+/);
  return { indent, marker, lang, flags };
}

const closes = (line: string, fence: Fence): boolean =>
  /^`{3,}$/.test(line.trim()) && line.trim().length >= fence.marker.length;

const isTypeScript = (fence: Fence): boolean => fence.lang === 'ts' || fence.lang === 'typescript';

/**
 * The ```ts blocks among `lines`. `lineNumbers[i]` is the source line of `lines[i]`, which
 * lets TSDoc comments pass their lines with the ` * ` prefix already stripped.
 */
function blocksIn(origin: string, lines: readonly string[], lineNumbers: readonly number[]) {
  const examples: Example[] = [];
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    const fence = parseFence(lines[i] ?? '');
    if (fence === undefined) continue;
    const end = lines.findIndex((line, j) => j > i && closes(line, fence));
    const close = end === -1 ? lines.length : end;
    if (isTypeScript(fence) && fence.flags.includes('nocheck')) skipped++;
    else if (isTypeScript(fence)) {
      const body = lines.slice(i + 1, close).map((line) => unindent(line, fence.indent));
      examples.push({ origin, line: lineNumbers[i + 1] ?? 0, code: body.join('\n') });
    }
    i = close;
  }
  return { examples, skipped };
}

const unindent = (line: string, indent: string): string =>
  line.startsWith(indent) ? line.slice(indent.length) : line.trimStart();

/** Lines of every `/** ... *\/` comment in a TypeScript file, ` * ` prefix removed. */
function docCommentLines(text: string): { lines: string[]; lineNumbers: number[] } {
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  let inside = false;
  text.split('\n').forEach((raw, index) => {
    const opens = !inside && raw.trimStart().startsWith('/**');
    if (opens) inside = true;
    if (!inside) return;
    const closes = raw.includes('*/');
    const content = raw.replace(/^\s*\/?\*\*?\/?\s?/, '').replace(/\s*\*\/\s*$/, '');
    lines.push(opens || closes ? '' : content);
    lineNumbers.push(index + 1);
    if (closes) inside = false;
  });
  return { lines, lineNumbers };
}

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => relative(repo, join(entry.parentPath, entry.name)))
    .sort();
}

function collect(): { examples: Example[]; skipped: number } {
  const examples: Example[] = [];
  let skipped = 0;
  const add = (found: { examples: Example[]; skipped: number }): void => {
    examples.push(...found.examples);
    skipped += found.skipped;
  };
  for (const file of filesUnder('lib', '.ts')) {
    const { lines, lineNumbers } = docCommentLines(readFileSync(join(repo, file), 'utf8'));
    add(blocksIn(file, lines, lineNumbers));
  }
  for (const file of [...filesUnder('docs', '.md'), 'README.md']) {
    const lines = readFileSync(join(repo, file), 'utf8').split('\n');
    add(
      blocksIn(
        file,
        lines,
        lines.map((_, i) => i + 1),
      ),
    );
  }
  return { examples, skipped };
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(repo, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error !== undefined) throw new Error(format([error]));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, repo, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    moduleDetection: ts.ModuleDetectionKind.Force,
    paths: { tattler: [join(repo, 'lib', 'index.ts')] },
    // The modules sit in .cache/<run>/, one level down as scripts/ is, and rootDirs overlays
    // .cache and spec on the repository: '../lib/cli/logging.js' resolves as it does from
    // scripts/, and '../support/cluster.js' as it does from spec/e2e/.
    rootDirs: [repo, join(repo, '.cache'), join(repo, 'spec')],
  };
}

const host: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => repo,
  getNewLine: () => '\n',
};

const format = (diagnostics: readonly ts.Diagnostic[]): string =>
  ts.formatDiagnostics(diagnostics, host);

/** `origin:line: TSnnnn message` for a diagnostic in a generated example file. */
function explain(diagnostic: ts.Diagnostic, example: Example | undefined): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  const code = `TS${diagnostic.code}`;
  const { file, start } = diagnostic;
  if (file === undefined || start === undefined) return `${code} ${message}`;
  const { line } = file.getLineAndCharacterOfPosition(start);
  if (example === undefined)
    return `${relative(repo, file.fileName)}:${line + 1}: ${code} ${message}`;
  return `${example.origin}:${example.line + line}: ${code} ${message}`;
}

function writeExamples(outDir: string, examples: readonly Example[]): Map<string, Example> {
  writeFileSync(join(outDir, 'prelude.d.mts'), PRELUDE);
  const byFile = new Map<string, Example>();
  examples.forEach((example, index) => {
    const slug = example.origin.replace(/[^A-Za-z0-9]+/g, '-');
    const file = join(outDir, `${slug}-${example.line}-${index}.mts`);
    writeFileSync(file, `${example.code}\n`);
    byFile.set(file, example);
  });
  return byFile;
}

function main(): number {
  const { examples, skipped } = collect();
  // A folder per run, so that two runs at once (two checkouts' hooks, say) do not collide.
  mkdirSync(join(repo, '.cache'), { recursive: true });
  const outDir = mkdtempSync(join(repo, '.cache', 'check-examples-'));
  const byFile = writeExamples(outDir, examples);
  const roots = [join(outDir, 'prelude.d.mts'), ...byFile.keys()];
  const program = ts.createProgram(roots, compilerOptions());
  const ours = new Set(roots);
  const failures = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || ours.has(d.file.fileName))
    .map((d) => explain(d, d.file && byFile.get(d.file.fileName)));
  if (process.argv.includes('--keep')) console.error(`check-examples: modules kept in ${outDir}`);
  else rmSync(outDir, { recursive: true, force: true });
  const origins = new Set(examples.map((example) => example.origin)).size;
  const summary = `${examples.length} examples in ${origins} files, ${skipped} marked nocheck`;
  const errors = `${failures.length} ${failures.length === 1 ? 'error' : 'errors'}`;
  console.error([...failures, `check-examples: ${summary}, ${errors}`].join('\n'));
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main();
