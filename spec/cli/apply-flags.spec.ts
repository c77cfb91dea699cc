import { either as E } from 'fp-ts';
import { applyFlags } from '../../lib/cli/apply-flags.js';
import { createProgram, type CliFlags } from '../../lib/cli/flags.js';
import { parseConfig, type TattlerConfig } from '../../lib/config/index.js';

const config = (raw: unknown): TattlerConfig => {
  const parsed = parseConfig(raw, 'test');
  if (E.isLeft(parsed)) throw parsed.left;
  return parsed.right;
};
const flags = (...args: string[]): CliFlags =>
  createProgram('0.0.0')
    .parse(['node', 'tattler', ...args])
    .opts<CliFlags>();

describe('applyFlags', () => {
  it('should keep the config when no flag is given', () => {
    const base = config({ kinds: [{ kind: 'Pod', selector: 'a=b' }] });
    expect(applyFlags(base, flags())).toEqual(base);
  });

  it('should replace the kinds, keeping the settings of a kind the config lists', () => {
    const base = config({ kinds: [{ kind: 'Pod', fieldSelector: 'spec.nodeName=n1' }] });
    const merged = applyFlags(base, flags('--kinds', 'pod,Node'));
    expect(merged.kinds).toEqual([
      { kind: 'Pod', fieldSelector: 'spec.nodeName=n1' },
      { kind: 'Node' },
    ]);
  });

  it('should match a kind however --kinds names it, and read it once', () => {
    const base = config({ kinds: [{ kind: 'Pod', namespaces: ['billing'] }] });
    const merged = applyFlags(
      base,
      flags('--kinds', 'pods,po,Pod,no,nodes,example.com/v1/widgets'),
    );
    expect(merged.kinds).toEqual([
      { kind: 'Pod', namespaces: ['billing'] },
      { kind: 'no' },
      { kind: 'example.com/v1/widgets' },
    ]);
  });

  it('should apply -n and -l to every kind, as kubectl does', () => {
    const merged = applyFlags(config({}), flags('-n', 'web,api', '-n', 'db', '-l', 'app=x'));
    expect(merged.kinds.map((kind) => [kind.namespaces, kind.selector])).toEqual([
      [['web', 'api', 'db'], 'app=x'],
      [['web', 'api', 'db'], 'app=x'],
      [['web', 'api', 'db'], 'app=x'],
    ]);
  });

  it('should let --kubeconfig, --context, --metrics-port and --log-level win', () => {
    const base = config({ cluster: { context: 'a' }, logLevel: 'warn', metrics: { port: 1 } });
    const merged = applyFlags(
      base,
      flags(
        '--kubeconfig',
        '/k',
        '--context',
        'b',
        '--metrics-port',
        '9090',
        '--log-level',
        'debug',
      ),
    );
    expect(merged.cluster).toEqual({ inCluster: 'auto', kubeconfig: '/k', context: 'b' });
    expect(merged.metrics.port).toBe(9090);
    expect(merged.logLevel).toBe('debug');
  });
});
