import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

/** The machine a run happened on, for the results file and the docs table. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly os: string;
  /** The 1-minute load average when the run started: high values mean noisy numbers. */
  readonly loadAverageAtStart: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
}
