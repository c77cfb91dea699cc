import type { TattlerConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { TattlerOptions } from '../pipeline/options.js';
import type { ClusterReaderOptions } from '../readers/read-cluster.js';
import type { KindSelection } from '../readers/reader-options.js';
import { dropFields } from './drop-fields.js';

/**
 * What `readCluster` needs from a config: its kinds with their namespaces and selectors, and
 * the reader settings.
 *
 * @param config - a validated config.
 * @param logger - where the readers log retries and failures.
 * @returns the options of `readCluster`.
 */
export function readerOptionsOf(config: TattlerConfig, logger: Logger): ClusterReaderOptions {
  const kinds: KindSelection[] = config.kinds.map((kind) => ({
    resource: kind.kind,
    ...(kind.namespaces === undefined ? {} : { namespaces: kind.namespaces }),
    ...(kind.selector === undefined ? {} : { labelSelector: kind.selector }),
    ...(kind.fieldSelector === undefined ? {} : { fieldSelector: kind.fieldSelector }),
    ...(kind.metadataOnly === undefined ? {} : { metadataOnly: kind.metadataOnly }),
  }));
  return {
    kinds,
    initialList: config.reader.initialList,
    pageSize: config.reader.pageSize,
    logger,
    ...(config.reader.relistInterval === undefined
      ? {}
      : { relistIntervalMs: config.reader.relistInterval }),
  };
}

/**
 * The pipeline stages a config sets: redaction, the fields to drop, batching.
 *
 * @param config - a validated config.
 * @returns the matching options of `tattler()`; readers, processors and logger are the
 *   caller's.
 */
export function stageOptionsOf(
  config: TattlerConfig,
): Pick<TattlerOptions, 'redact' | 'preprocess' | 'batch'> {
  return {
    redact:
      config.redaction.envNames === undefined
        ? {}
        : { envNames: new RegExp(config.redaction.envNames, 'i') },
    preprocess:
      config.preprocess.dropFields.length === 0 ? [] : [dropFields(config.preprocess.dropFields)],
    batch: config.batch,
  };
}
