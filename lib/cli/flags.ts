import { Command, InvalidArgumentError, Option } from 'commander';

/** The command-line flags of `tattler`, as parsed; every one is optional. */
export interface CliFlags {
  readonly config?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string[];
  readonly selector?: string;
  readonly kinds?: string[];
  readonly metricsPort?: number;
  readonly logLevel?: string;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Parses a comma-separated, repeatable flag; refuses a value that names nothing (`''`). */
export const list = (value: string, previous: string[] = []): string[] => {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) {
    throw new InvalidArgumentError(`expected one or more comma-separated names, found "${value}".`);
  }
  return [...previous, ...parts];
};

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, found "${value}".`);
  }
  return parsed;
};

/**
 * The `tattler` command's flags, following kubectl where kubectl has the same flag.
 *
 * Flags override the config file: `--kinds` replaces its kinds, `-n` and `-l` apply to every
 * kind read.
 *
 * @param version - printed by `--version`.
 * @returns a commander program; `parse` it, then read `opts()` as {@link CliFlags}.
 */
export function createProgram(version: string): Command {
  return new Command('tattler')
    .description(
      'Watch a Kubernetes cluster once and send every change, with secrets redacted, to the ' +
        'processors of the config file (by default: NDJSON on standard output). Logs go to ' +
        'standard error.',
    )
    .version(version)
    .option(
      '-c, --config <file>',
      "a YAML config file (see docs/config.md in the repository or the installed package's folder)",
    )
    .option(
      '--kubeconfig <file>',
      'the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the service ' +
        'account when in a pod)',
    )
    .option('--context <name>', 'the kubeconfig context to use (default: its current context)')
    .option(
      '-n, --namespace <names>',
      'read only these namespaces (comma-separated or repeated); default all',
      list,
    )
    .option('-l, --selector <selector>', 'a label selector for every kind, such as app=web')
    .option('--kinds <kinds>', 'the kinds to read, such as Pod,Node (default: the config)', list)
    .option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz on this port', port)
    .addOption(
      new Option('--log-level <level>', 'the log level (default: info)').choices(LOG_LEVELS),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tattler --kinds Pod -n web              # pods of namespace web, as NDJSON\n' +
        '  tattler -c tattler.yaml --metrics-port 9090\n' +
        '  tattler --context prod -l app=api | jq .name',
    );
}
