export {
  REDACTED,
  type RedactionRule,
  type EnvNameMatcher,
  type OtherKindsPolicy,
} from './policy.js';
export { LAST_APPLIED_ANNOTATION } from './last-applied.js';
export { POD_SPEC_PATHS } from './workloads.js';
export { KIND_GROUPS } from './kinds.js';
export { redactObject, type RedactionOptions } from './redact-object.js';
