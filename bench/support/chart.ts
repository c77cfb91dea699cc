import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { MIB } from './measure.js';
import type { BenchResults } from './results.js';
import { STAGE_LABELS } from './stages.js';

type Row = Record<string, string | number>;

const FONT = 'DejaVu Sans';

function throughputPanel(results: BenchResults): object | undefined {
  const stages = results.pipeline?.interleaved?.stages ?? [];
  if (stages.length === 0) return undefined;
  const values: Row[] = stages.map((s, order) => ({
    stage: STAGE_LABELS[s.stage],
    order,
    entriesPerSecond: Math.round(s.entriesPerSecond),
  }));
  return {
    title: `Throughput, ${results.pipeline?.interleaved.pods} Pods side by side (entries/s)`,
    width: 360,
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'stage',
        type: 'nominal',
        sort: { field: 'order' },
        title: null,
        axis: { labelLimit: 320 },
      },
      x: { field: 'entriesPerSecond', type: 'quantitative', title: 'entries/s' },
      color: { value: '#4c78a8' },
    },
  };
}

function memoryPanel(results: BenchResults): object | undefined {
  const runs = results.memory ?? [];
  if (runs.length === 0) return undefined;
  const values: Row[] = runs.map((r) => ({
    pods: r.pods,
    processors: r.mode,
    heapMiB: Math.round((r.steadyHeapBytes - r.baselineHeapBytes) / MIB),
  }));
  return {
    title: 'Heap kept after the initial state (MiB above start, after GC)',
    width: 360,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'pods', type: 'quantitative', title: 'Pods in the initial state' },
      y: { field: 'heapMiB', type: 'quantitative', title: 'MiB' },
      color: { field: 'processors', type: 'nominal', title: 'processors' },
    },
  };
}

function syncPanel(results: BenchResults): object | undefined {
  const runs = results.sync ?? [];
  if (runs.length === 0) return undefined;
  const values: Row[] = runs.flatMap((r) => [
    { reader: r.variant, measure: 'seconds', value: r.seconds },
    { reader: r.variant, measure: 'CPU seconds', value: r.cpuSeconds },
  ]);
  return {
    title: `Initial sync of ${runs[0]?.pods} Pods from the API server`,
    width: 360,
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'reader', type: 'nominal', title: null, axis: { labelLimit: 320 } },
      yOffset: { field: 'measure' },
      x: { field: 'value', type: 'quantitative', title: 'seconds' },
      color: { field: 'measure', type: 'nominal', title: null },
    },
  };
}

/** Renders the throughput, memory and sync panels that have data to a PNG at `path`. */
export async function renderChart(results: BenchResults, path: string): Promise<void> {
  const panels = [throughputPanel(results), memoryPanel(results), syncPanel(results)].filter(
    (panel) => panel !== undefined,
  );
  if (panels.length === 0) return;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Tattler benchmarks',
      subtitle: `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}`,
    },
    config: { font: FONT, view: { stroke: null } },
    background: 'white',
    padding: 16,
    concat: panels,
    columns: 2,
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 1.5 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  writeFileSync(path, png);
}
