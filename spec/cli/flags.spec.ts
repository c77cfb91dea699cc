import { createProgram, type CliFlags } from '../../lib/cli/flags.js';

const parse = (...args: string[]): CliFlags =>
  createProgram('0.0.0')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .parse(['node', 'tattler', ...args])
    .opts<CliFlags>();

describe('createProgram', () => {
  it('should split and repeat --kinds and -n', () => {
    const flags = parse('--kinds', 'Pod, Node', '-n', 'a', '-n', 'b,c');
    expect(flags.kinds).toEqual(['Pod', 'Node']);
    expect(flags.namespace).toEqual(['a', 'b', 'c']);
  });

  it('should refuse an empty --kinds', () => {
    expect(() => parse('--kinds', '')).toThrow(/option '--kinds <kinds>' argument '' is invalid/);
  });

  it('should refuse an empty -n', () => {
    expect(() => parse('-n', ' , ')).toThrow(/option '-n, --namespace <names>' argument/);
  });

  it('should point --help at the config docs wherever tattler was installed from', () => {
    expect(createProgram('0.0.0').helpInformation().replace(/\s+/g, ' ')).toContain(
      "docs/config.md in the repository or the installed package's folder",
    );
  });
});
